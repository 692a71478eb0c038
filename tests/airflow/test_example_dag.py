"""The example DAG: it parses in Airflow, and the Airflow page shows it as it is."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import toloka_archive.airflow.example_dags.toloka_nightly_cleanup as nightly
from toloka_archive.airflow.operators import TolokaArchivePoolsOperator

from tests.test_readme import python_blocks

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "airflow.md"


def test_the_example_is_a_nightly_clean_up_of_idle_closed_pools() -> None:
    dag = nightly.dag
    assert dag.dag_id == "toloka_nightly_cleanup"
    [task] = dag.tasks
    assert isinstance(task, TolokaArchivePoolsOperator)
    assert task.project_id == "{{ params.project_id }}"
    assert task.idle_for == "{{ params.idle_for }}"
    assert task.status is None  # the default: CLOSED pools
    assert task.deferrable
    assert task.acceptable_outcomes == ["not_archivable_yet"]


def test_the_example_retries_soon_and_checks_its_params() -> None:
    from airflow.sdk.definitions.param import ParamValidationError

    [task] = nightly.dag.tasks
    # One retry, soon: `airflow dags test` never sits out a long retry delay.
    assert task.retries == 1
    assert task.retry_delay <= timedelta(minutes=1)
    params = nightly.dag.params
    assert params.validate() == {"project_id": "1234", "idle_for": "30d"}
    for name, bad in (("project_id", "12a"), ("idle_for", "30 days")):
        with pytest.raises(ParamValidationError):
            params.get_param(name).resolve(bad)


def test_the_airflow_page_shows_the_example_dag_as_it_is() -> None:
    source = Path(nightly.__file__).read_text(encoding="utf-8")
    code = source.split("from __future__ import annotations\n", 1)[1].strip()
    shown = [
        block.strip()
        for block in python_blocks(PAGE.read_text(encoding="utf-8"))
        if 'dag_id="toloka_nightly_cleanup"' in block
    ]
    assert shown, "the Airflow page does not show the example DAG"
    strip_comments = [line.split("  #")[0].rstrip() for line in code.splitlines()]
    assert shown[0] == "\n".join(strip_comments)
