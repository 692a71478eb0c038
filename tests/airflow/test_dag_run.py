"""Whole DAG runs with Airflow itself: ``dag.test()`` parses the DAG file in the session's
temporary DAGs folder, serializes it into a migrated SQLite metadata database, runs the task,
runs the trigger inline (rebuilt from its serialized kwargs, as a triggerer would), and resumes
the task with the event; against the fake Toloka on loopback."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import toloka_archive.airflow.example_dags.toloka_nightly_cleanup as nightly

from tests.airflow.compat import dag_bag, first_xcom
from tests.airflow.conftest import AIRFLOW_HOME, World

DAGS = AIRFLOW_HOME / "dags"
TEST_DAG = Path(__file__).parent / "dags" / "toloka_xcom_pools.py"
MEMBERS_DAG = Path(__file__).parent / "dags" / "toloka_project_members.py"


# Airflow's in-process API server imports starlette's test client, which warns about httpx.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Using `httpx` with `starlette.testclient` is deprecated"
)


@pytest.fixture(scope="module")
def dag_files(metadata_db: None) -> None:
    """A migrated metadata database, and the DAG files in the session's DAGs folder."""
    shutil.copy(nightly.__file__, DAGS)
    shutil.copy(TEST_DAG, DAGS)
    shutil.copy(MEMBERS_DAG, DAGS)


def dag_from_folder(dag_id: str) -> Any:
    bag = dag_bag(str(DAGS))
    assert bag.import_errors == {}
    return bag.get_dag(dag_id)


def reports_of(run: Any, task_id: str) -> list[dict[str, Any]]:
    """The report the task pushed to XCom, read back from the metadata database."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        row = first_xcom(
            session, run_id=run.run_id, dag_ids=run.dag_id, task_ids=task_id, key="toloka_reports"
        )
        assert row is not None
        reports = XComModel.deserialize_value(row)
    assert isinstance(reports, list)
    return reports


def test_the_nightly_clean_up_dag_runs_end_to_end(dag_files: None, world: World) -> None:
    fake = world.fake
    fake.add_project("7")
    old = world.days_ago(90)
    fake.add_pool("21", project_id="7", created=old, last_stopped=world.days_ago(31))
    fake.add_pool("22", project_id="7", created=old, last_rejected=world.days_ago(2))  # window
    fake.add_pool("23", project_id="7", created=old, last_stopped=world.days_ago(5))  # not idle
    fake.add_pool("24", project_id="7", created=old, status="OPEN")
    world.connect("toloka_default")  # the example DAG's connection

    run = dag_from_folder("toloka_nightly_cleanup").test(run_conf={"project_id": "7"})

    assert run.state == "success"
    [task] = run.get_task_instances()
    assert task.state == "success"
    reports = reports_of(run, "archive_idle_pools")
    assert [(r["pool_id"], r["outcome"]) for r in reports] == [
        ("21", "archived"),
        ("22", "not_archivable_yet"),
    ]
    assert [len(fake.operations(pool)) for pool in ("21", "22", "23", "24")] == [1, 0, 0, 0]
    assert fake.pool("21").status == "ARCHIVED"


def test_the_nightly_clean_up_with_its_connection_in_the_metadata_database(
    dag_files: None, world: World, stored_connection: str
) -> None:
    # The task reads the connection through the execution API, and the trigger on Airflow's
    # in-process triggerer (`airflow dags test`), whose async lookup misses what the metadata
    # database holds: the hook asks again with a blocking lookup.
    fake = world.fake
    fake.add_project("7")
    fake.add_pool("21", project_id="7", created=world.days_ago(90), archive_seconds=5.0)

    run = dag_from_folder("toloka_nightly_cleanup").test(run_conf={"project_id": "7"})

    assert run.state == "success"
    reports = reports_of(run, "archive_idle_pools")
    [operation] = fake.operations("21")
    assert [(r["pool_id"], r["outcome"], r["operation_id"]) for r in reports] == [
        ("21", "archived", operation.id)
    ]


def test_pool_ids_from_an_upstream_task_and_a_failing_run(dag_files: None, world: World) -> None:
    world.fake.add_pool("31", status="CLOSED", archive_seconds=10.0)
    world.fake.add_pool("32", status="OPEN")  # still open: the task fails, naming it

    run = dag_from_folder("toloka_xcom_pools").test()

    assert run.state == "failed"
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert states == {"created_pools": "success", "archive_created_pools": "failed"}
    reports = reports_of(run, "archive_created_pools")
    assert [(r["pool_id"], r["outcome"]) for r in reports] == [
        ("31", "archived"),
        ("32", "wrong_status"),
    ]
    assert len(world.fake.operations("31")) == 1


def test_a_projects_pools_then_its_trainings_both_deferred(dag_files: None, world: World) -> None:
    fake = world.fake
    fake.add_project("7")
    fake.add_training("50", project_id="7", archive_seconds=5.0)  # required by pool 21
    fake.add_training("51", project_id="7", archive_seconds=5.0)  # required by pool 22
    fake.add_pool("21", project_id="7", training_id="50", archive_seconds=5.0)
    fake.add_pool("22", project_id="7", training_id="51", last_close_reason="FOR_UPDATE")

    run = dag_from_folder("toloka_project_members").test()

    assert run.state == "success"
    pools = reports_of(run, "archive_pools")
    assert [(r["subject"], r["subject_id"], r["outcome"]) for r in pools] == [
        ("pool", "21", "archived"),
        ("pool", "22", "being_edited"),  # someone edits it: left alone, and accepted
    ]
    trainings = reports_of(run, "archive_trainings")
    assert [(r["subject"], r["subject_id"], r["outcome"]) for r in trainings] == [
        ("training", "50", "archived"),
        ("training", "51", "blocked"),  # its pool is not archived: a later run takes it
    ]
    assert trainings[0]["operation_id"] == fake.operations(training_id="50")[0].id
    assert fake.training("50").status == "ARCHIVED"
    assert fake.operations("22") == ()
    assert fake.operations(training_id="51") == ()
