"""A test DAG in Toloka's order: a project's closed pools, then its closed trainings (a training
can be archived only once every pool that requires it is), each task deferring while Toloka
works."""

from __future__ import annotations

from datetime import UTC, datetime

from airflow.sdk import DAG
from toloka_archive.airflow.operators import (
    TolokaArchivePoolsOperator,
    TolokaArchiveTrainingsOperator,
)

with DAG(
    dag_id="toloka_project_members",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    params={"project_id": "7"},
) as dag:
    pools = TolokaArchivePoolsOperator(
        task_id="archive_pools",
        toloka_conn_id="toloka_test",
        project_id="{{ params.project_id }}",
        acceptable_outcomes=["being_edited"],
    )
    trainings = TolokaArchiveTrainingsOperator(
        task_id="archive_trainings",
        toloka_conn_id="toloka_test",
        project_id="{{ params.project_id }}",
        acceptable_outcomes=["blocked"],
    )
    pools >> trainings
