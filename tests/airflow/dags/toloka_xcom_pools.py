"""A test DAG: an upstream task returns pool ids (as a pool-creating task would), and the
operator archives the pools it names, from XCom."""

from __future__ import annotations

from datetime import UTC, datetime

from airflow.sdk import DAG, task
from toloka_archive.airflow.operators import TolokaArchivePoolsOperator

with DAG(
    dag_id="toloka_xcom_pools",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
) as dag:

    @task
    def created_pools() -> list[dict[str, str]]:
        return [{"id": "31", "status": "CLOSED"}, {"id": "32", "status": "CLOSED"}]

    TolokaArchivePoolsOperator(
        task_id="archive_created_pools",
        toloka_conn_id="toloka_test",
        pool_ids=created_pools(),
        acceptable_outcomes=["not_archivable_yet"],
    )
