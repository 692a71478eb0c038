"""The operator's extra links: the project's and the pool's pages in Toloka's web interface for
the connection's environment, none for a custom base URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from airflow.providers.common.compat.sdk import AirflowException
from toloka_archive import Environment
from toloka_archive.airflow.hooks import TolokaHook
from toloka_archive.airflow.links import (
    PAGES_ATTRIBUTE,
    TolokaPoolLink,
    TolokaProjectLink,
    TolokaTrainingLink,
    pages_for,
    to_look_up,
)

from tests.airflow.conftest import CONN_ID, World
from tests.airflow.scenarios import operator, training_operator

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


@pytest.mark.parametrize(
    ("environment", "projects", "expected"),
    [
        (Environment.PRODUCTION, {"21": None}, "21"),  # one, given by id: read it
        (Environment.SANDBOX, {"21": None}, "21"),
        (Environment.PRODUCTION, {"21": "7"}, None),  # its project is known
        (Environment.PRODUCTION, {"21": None, "22": None}, None),  # no pool link for two
        (Environment.PRODUCTION, {}, None),
        (None, {"21": None}, None),  # a custom base URL: no pages
    ],
)
def test_what_is_read_for_a_page(
    environment: Environment | None, projects: dict[str, str | None], expected: str | None
) -> None:
    assert to_look_up(environment, projects) == expected


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


def production(world: World) -> None:
    """A production connection whose requests go to the fake, in this process: nothing leaves."""
    world.monkeypatch.setattr(
        TolokaHook, "client_defaults", {"clock": world.clock, "transport": world.fake.transport()}
    )
    world.connect(extra={"environment": "production"})


def reads_of(world: World, path: str) -> int:
    return sum(1 for r in world.fake.requests if r.method == "GET" and r.path.endswith(path))


def test_a_pool_given_by_id_is_read_once_for_its_page(
    world: World, context: dict[str, Any]
) -> None:
    production(world)
    world.fake.add_project("7")
    world.fake.add_pool("21", project_id="7", status="CLOSED")
    task = operator(pool_ids=["21"], deferrable=False)
    assert [r["outcome"] for r in task.execute(context)] == ["archived"]
    ti = FakeRuntimeTI()
    assert TolokaPoolLink().get_link(task, ti_key=ti) == f"{PRODUCTION}/7/pool/21"
    assert TolokaProjectLink().get_link(task, ti_key=ti) == f"{PRODUCTION}/7"
    # The pre-flight's read, and the one for its page; once known, it is not read again.
    assert reads_of(world, "/pools/21") == 2
    with TolokaHook(CONN_ID).get_client() as client:
        assert not task._look_up_project(client, {"21": "7"})
    assert reads_of(world, "/pools/21") == 2


def test_no_read_when_the_project_is_known_or_there_are_no_pages(
    world: World, context: dict[str, Any]
) -> None:
    world.fake.add_project("7")
    world.fake.add_pool("21", project_id="7", created=world.days_ago(60))
    world.fake.add_pool("22", project_id="7", status="CLOSED")
    world.fake.add_pool("23", project_id="7", status="CLOSED")
    # The fake's custom URL: no web pages, so nothing is read for them.
    operator(pool_ids=["22"], deferrable=False).execute(context)
    assert reads_of(world, "/pools/22") == 1  # the pre-flight's only
    production(world)
    # Chosen by project: each comes with its project.
    task = operator(project_id="7", idle_for="30d", deferrable=False)
    task.execute(context)
    assert reads_of(world, "/pools/21") == 0
    assert TolokaPoolLink().get_link(task, ti_key=FakeRuntimeTI()) == f"{PRODUCTION}/7/pool/21"
    # Two pools by id: no pool link to make, nothing read for one.
    operator(pool_ids=["23", "22"], include_editing=True, deferrable=False).execute(context)
    assert (reads_of(world, "/pools/22"), reads_of(world, "/pools/23")) == (1, 0)


def test_a_pool_that_cannot_be_read_only_leaves_its_link_out(
    world: World, context: dict[str, Any]
) -> None:
    production(world)
    task = operator(pool_ids=["404"], deferrable=False)
    with pytest.raises(AirflowException, match="pool 404"):
        task.execute(context)  # the pool's own report says why; the link is no more trouble
    assert getattr(task, PAGES_ATTRIBUTE) == {"project": None, "pool": None, "training": None}


def test_a_training_given_by_id_is_read_once_for_its_page(
    world: World, context: dict[str, Any]
) -> None:
    production(world)
    world.fake.add_project("7")
    world.fake.add_training("50", project_id="7", status="CLOSED")
    task = training_operator(training_ids=["50"], include_editing=True, deferrable=False)
    assert [r["outcome"] for r in task.execute(context)] == ["archived"]
    link = TolokaTrainingLink().get_link(task, ti_key=FakeRuntimeTI())
    assert link == f"{PRODUCTION}/7/training/50"
    assert reads_of(world, "/trainings/50") == 1  # include_editing: the pre-flight read none
