"""Nightly clean-up: archive a project's closed pools that nobody has touched for 30 days.

Every night at 03:00 UTC the task starts the archives of the project's ``CLOSED`` pools that were
neither created, started nor stopped in the last 30 days, frees its worker while Toloka works
(the triggerer follows the operations), and ends with one report per pool in XCom
(``toloka_reports``). A pool with tasks rejected less than 9 days ago cannot be archived yet:
that is expected here (``acceptable_outcomes``), and a later night archives it. Anything else
that keeps a pool from being archived fails the task, naming the pool and the reason.

One retry, 30 seconds later, for a Toloka that could not be reached before anything started;
archives started but not followed to their end fail the task without a retry (the next run
finds and follows them), so ``airflow dags test`` never sits out a long retry delay.

Set up a connection ``toloka_default`` of type ``toloka_archive`` ("Toloka (toloka-archive)"):
the API key in the password, and the extra ``{"environment": "production"}`` (the sandbox is the
default). A ``toloka_default`` that airflow-provider-toloka wrote (type ``toloka``) works as it
is. Trigger a run with
``{"project_id": "..."}`` (and ``"idle_for"``) as its configuration to clean up another project
once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import DAG, Param

from toloka_archive.airflow.operators import TolokaArchivePoolsOperator

with DAG(
    dag_id="toloka_nightly_cleanup",
    description="Archive the project's closed pools idle for 30 days",
    schedule="0 3 * * *",
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 1, "retry_delay": timedelta(seconds=30)},
    params={
        "project_id": Param(
            "1234",
            type="string",
            pattern=r"^[0-9]+$",
            title="Project",
            description="The Toloka project whose closed, idle pools are archived.",
        ),
        "idle_for": Param(
            "30d",
            type="string",
            pattern=r"^[0-9]+[mhdw]$",
            title="Idle for",
            description="Pools neither created, started nor stopped for this long: 30d, 12h, 2w.",
        ),
    },
    tags=["toloka", "clean-up"],
) as dag:
    TolokaArchivePoolsOperator(
        task_id="archive_idle_pools",
        toloka_conn_id="toloka_default",
        project_id="{{ params.project_id }}",
        idle_for="{{ params.idle_for }}",  # CLOSED pools (the default status) idle this long
        acceptable_outcomes=["not_archivable_yet"],  # the 9-day window: a later night takes them
        timeout=3600,  # follow the archives for up to an hour; the triggerer does the waiting
        concurrency=8,
    )
