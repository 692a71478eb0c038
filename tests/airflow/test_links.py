"""The operator's extra links: the project's and the pool's pages in Toloka's web interface for
the connection's environment, none for a custom base URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from toloka_archive import Environment
from toloka_archive.airflow.hooks import TolokaHook
from toloka_archive.airflow.links import (
    PAGES_ATTRIBUTE,
    TolokaPoolLink,
    TolokaProjectLink,
    pages_for,
)

from tests.airflow.conftest import CONN_ID, World
from tests.airflow.scenarios import operator

PRODUCTION = "https://platform.toloka.ai/requester/project"
SANDBOX = "https://platform.sandbox.toloka.ai/requester/project"


@pytest.mark.parametrize(
    ("environment", "project", "pools", "expected"),
    [
        (Environment.PRODUCTION, "7", {}, (f"{PRODUCTION}/7", None)),
        (Environment.SANDBOX, "7", {"21": "7"}, (f"{SANDBOX}/7", f"{SANDBOX}/7/pool/21")),
        # No project asked for: the one project of the pools handled, if they share one.
        (Environment.PRODUCTION, None, {"21": "7"}, (f"{PRODUCTION}/7", f"{PRODUCTION}/7/pool/21")),
        (Environment.PRODUCTION, None, {"21": "7", "22": "7"}, (f"{PRODUCTION}/7", None)),
        (Environment.PRODUCTION, None, {"21": "7", "22": "8"}, (None, None)),
        # A pool given by id: its project is not known, so neither is its page.
        (Environment.PRODUCTION, None, {"21": None}, (None, None)),
        # A custom base URL (a proxy, the fake): no web interface we know of.
        (None, "7", {"21": "7"}, (None, None)),
    ],
)
def test_the_pages_for_each_environment(
    environment: Environment | None,
    project: str | None,
    pools: dict[str, str | None],
    expected: tuple[str | None, str | None],
) -> None:
    pages = pages_for(environment, project_id=project, pool_projects=pools)
    assert (pages["project"], pages["pool"]) == expected


def test_the_task_works_out_its_production_pages_as_it_starts(
    world: World, context: dict[str, Any]
) -> None:
    # A production connection whose requests go to the fake, in this process: nothing leaves.
    world.monkeypatch.setattr(
        TolokaHook, "client_defaults", {"clock": world.clock, "transport": world.fake.transport()}
    )
    world.connect(extra={"environment": "production"})
    world.fake.add_project("7")
    world.fake.add_pool("21", project_id="7", created=world.days_ago(60))
    task = operator(project_id="7", idle_for="30d", deferrable=False)
    assert [r["outcome"] for r in task.execute(context)] == ["archived"]
    ti = FakeRuntimeTI()
    assert TolokaProjectLink().get_link(task, ti_key=ti) == f"{PRODUCTION}/7"
    assert TolokaPoolLink().get_link(task, ti_key=ti) == f"{PRODUCTION}/7/pool/21"


def test_the_fakes_custom_url_has_no_pages(world: World, context: dict[str, Any]) -> None:
    world.fake.add_project("7")
    world.fake.add_pool("1", status="CLOSED")
    task = operator(pool_ids=["1"], project_id="7", deferrable=False)
    task.execute(context)
    assert getattr(task, PAGES_ATTRIBUTE) == {"project": None, "pool": None, "training": None}
    assert TolokaProjectLink().get_link(task, ti_key=FakeRuntimeTI()) == ""


@dataclass
class FakeRuntimeTI:
    """What a link asks of the task instance: ``task_id`` and ``xcom_pull``."""

    task_id: str = "archive"
    xcoms: dict[str, Any] = field(default_factory=dict)

    def xcom_pull(self, task_ids: str, key: str) -> Any:
        assert task_ids == self.task_id
        return self.xcoms.get(key)


def test_a_resumed_task_keeps_the_links_it_had_when_it_deferred() -> None:
    # After a deferral the task resumes in a new process that started nothing: the link is
    # the one Airflow kept in XCom when the task deferred.
    resumed = operator(pool_ids=["21"], toloka_conn_id=CONN_ID)
    project, pool = TolokaProjectLink(), TolokaPoolLink()
    ti = FakeRuntimeTI(xcoms={project.xcom_key: f"{PRODUCTION}/7"})
    assert project.get_link(resumed, ti_key=ti) == f"{PRODUCTION}/7"
    assert pool.get_link(resumed, ti_key=ti) == ""


def test_the_operator_declares_both_links() -> None:
    names = [link.name for link in operator(pool_ids=["1"]).operator_extra_links]
    assert names == ["Toloka project", "Toloka pool"]
