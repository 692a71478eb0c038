"""The operator in the worker: it starts the archives, defers with plain data, and turns the
trigger's event into the task's report and its success or failure."""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from typing import Any

import pytest
from airflow.providers.common.compat.sdk import AirflowException, AirflowFailException
from toloka_archive.airflow.operators import REPORTS_KEY
from toloka_archive.airflow.triggers import TolokaArchiveTrigger
from toloka_archive.testing import Fault

from tests.airflow.conftest import CONN_ID, World
from tests.airflow.scenarios import (
    ALREADY,
    ARCHIVED,
    FAILS,
    OPEN,
    SLOW,
    WINDOW,
    add_pools_for_every_outcome,
    by_pool,
    defer,
    operator,
    rebuilt,
    run_trigger,
)

PLAIN = (str, int, float, bool, type(None))


def only_plain_data(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and only_plain_data(v) for k, v in value.items())
    if isinstance(value, list):
        return all(only_plain_data(item) for item in value)
    return isinstance(value, PLAIN)


def test_it_starts_each_archive_once_and_defers_with_plain_data(
    world: World, context: dict[str, Any]
) -> None:
    add_pools_for_every_outcome(world)
    ids = [ARCHIVED, ALREADY, OPEN, WINDOW, FAILS, SLOW, ARCHIVED]  # a repeat is archived once
    deferred = defer(operator(pool_ids=ids, timeout=600), context)

    assert deferred.method_name == "execute_complete"
    assert deferred.timeout == timedelta(seconds=600 + 600)  # Airflow's net behind the deadline
    trigger = deferred.trigger
    assert isinstance(trigger, TolokaArchiveTrigger)
    classpath, kwargs = trigger.serialize()
    assert classpath == "toloka_archive.airflow.triggers.TolokaArchiveTrigger"
    assert only_plain_data(kwargs)
    assert json.loads(json.dumps(kwargs)) == kwargs
    assert rebuilt(trigger).serialize() == (classpath, kwargs)

    started = {
        pool: op.id for pool in (ARCHIVED, FAILS, SLOW) for op in world.fake.operations(pool)
    }
    assert kwargs["operations"] == started  # pool id -> operation id, nothing else to follow
    assert kwargs["toloka_conn_id"] == CONN_ID
    assert kwargs["base_url"] == world.url
    settled = by_pool(kwargs["settled"])
    assert {pool: r["outcome"] for pool, r in settled.items()} == {
        ALREADY: "already_archived",
        OPEN: "wrong_status",
        WINDOW: "not_archivable_yet",
    }
    # Started, not waited for: the worker is free while Toloka works.
    assert world.fake.pool(ARCHIVED).status == "CLOSED"
    # Each pool is read first (one closed for editing is left alone): the archived and the open
    # pool are settled by what they read, with no archive request that would only be refused.
    assert sorted(world.archive_requests()) == sorted(
        f"/api/v1/pools/{pool}/archive" for pool in (ARCHIVED, WINDOW, FAILS, SLOW)
    )


def test_the_deadline_is_epoch_seconds_on_the_clients_clock(
    world: World, context: dict[str, Any]
) -> None:
    world.fake.add_pool("1", status="CLOSED")
    start = world.clock.now()
    kwargs = defer(operator(pool_ids="1", timeout=90), context).trigger.serialize()[1]
    # The fake's clock says 12:00 (naive: UTC); the deadline is 90 s after the archives started.
    assert kwargs["deadline"] == (start + timedelta(seconds=90)).replace(tzinfo=UTC).timestamp()
    no_deadline = defer(operator(pool_ids="1", timeout=None), context)
    assert no_deadline.timeout is None
    assert no_deadline.trigger.serialize()[1]["deadline"] is None


def test_operation_ids_are_logged_as_they_start(
    world: World, context: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    world.fake.add_pool("1", status="CLOSED")
    defer(operator(pool_ids=["1"]), context)
    [operation] = world.fake.operations("1")
    # Airflow's task logger (structlog) writes to the task's output.
    assert f"pool 1: archiving started, operation {operation.id}" in capsys.readouterr().out


def test_execute_complete_fails_naming_each_pool_and_reason(
    world: World, context: dict[str, Any]
) -> None:
    add_pools_for_every_outcome(world)
    task = operator(pool_ids=[ARCHIVED, ALREADY, OPEN, WINDOW, FAILS, SLOW], timeout=600)
    event = run_trigger(defer(task, context).trigger)
    with pytest.raises(AirflowException) as failed:
        task.execute_complete(context, event)
    message = str(failed.value)
    slow_operation = world.fake.operations(SLOW)[0].id
    assert message.splitlines()[:2] == [
        "6 pools: already_archived 1, archived 1, failed 1, not_archivable_yet 1, "
        "timed_out 1, wrong_status 1",
        "4 not archived:",
    ]
    assert f"pool {OPEN}: wrong_status: status OPEN, close it first" in message
    assert f"pool {WINDOW}: not_archivable_yet: has rejected tasks, archivable from" in message
    assert f"pool {FAILS}: failed: operation " in message
    assert f"pool {SLOW}: timed_out: still running at the deadline" in message
    assert slow_operation in message
    assert f"pool {ARCHIVED}:" not in message
    pushed = context["ti"].xcoms[REPORTS_KEY]
    assert [r["pool_id"] for r in pushed] == [ARCHIVED, ALREADY, OPEN, WINDOW, FAILS, SLOW]


def test_acceptable_outcomes_let_a_nightly_clean_up_succeed(
    world: World, context: dict[str, Any]
) -> None:
    add_pools_for_every_outcome(world)
    ids = [ARCHIVED, ALREADY, WINDOW]
    strict = operator(pool_ids=ids)
    event = run_trigger(defer(strict, context).trigger)
    with pytest.raises(AirflowException, match=f"pool {WINDOW}: not_archivable_yet"):
        strict.execute_complete(context, event)

    lenient = operator(pool_ids=ids, acceptable_outcomes=["not_archivable_yet"])
    reports = lenient.execute_complete(context, event)
    assert {r["pool_id"]: r["outcome"] for r in reports} == {
        ARCHIVED: "archived",
        ALREADY: "already_archived",
        WINDOW: "not_archivable_yet",
    }
    assert context["ti"].xcoms[REPORTS_KEY] == reports
    # The next night: the archived pool answers 204, and no second archive is started.
    again = lenient.execute(context)
    assert [r["outcome"] for r in again] == [
        "already_archived",
        "already_archived",
        "not_archivable_yet",
    ]
    assert [len(world.fake.operations(pool)) for pool in ids] == [1, 0, 0]


def test_the_report_is_the_commands_json(world: World, context: dict[str, Any]) -> None:
    world.fake.add_pool("1", status="CLOSED")
    task = operator(pool_ids=["1"])
    [report] = task.execute_complete(context, run_trigger(defer(task, context).trigger))
    assert report == {
        "subject": "pool",
        "subject_id": "1",
        "pool_id": "1",
        "outcome": "archived",
        "ok": True,
        "detail": "archived",
        "operation_id": world.fake.operations("1")[0].id,
        "status": None,
        "pool_status": None,
        "archivable_from": None,
        "error": None,
        "close_operation_id": None,
    }


def test_nothing_to_follow_ends_in_the_worker(world: World, context: dict[str, Any]) -> None:
    world.fake.add_pool("1", status="ARCHIVED")
    reports = operator(pool_ids=["1"]).execute(context)  # no deferral: nothing was started
    assert [r["outcome"] for r in reports] == ["already_archived"]
    assert operator(pool_ids=[]).execute(context) == []


def test_not_deferrable_follows_in_the_worker(world: World, context: dict[str, Any]) -> None:
    add_pools_for_every_outcome(world)
    task = operator(pool_ids=[ARCHIVED, ALREADY], deferrable=False)
    reports = task.execute(context)  # no TaskDeferred
    assert {r["pool_id"]: r["outcome"] for r in reports} == {
        ARCHIVED: "archived",
        ALREADY: "already_archived",
    }
    assert world.fake.pool(ARCHIVED).status == "ARCHIVED"
    failing = operator(pool_ids=[FAILS, SLOW, OPEN], deferrable=False, timeout=600)
    with pytest.raises(AirflowException) as failed:
        failing.execute(context)
    assert f"pool {FAILS}: failed" in str(failed.value)
    assert f"pool {SLOW}: timed_out: still running at the deadline" in str(failed.value)
    assert [len(world.fake.operations(pool)) for pool in (ARCHIVED, FAILS, SLOW)] == [1, 1, 1]


def test_a_project_selection_archives_only_its_idle_closed_pools(
    world: World, context: dict[str, Any]
) -> None:
    fake = world.fake
    fake.add_project("7")
    fake.add_project("8")
    old = world.days_ago(60)
    fake.add_pool("21", project_id="7", created=old, last_stopped=world.days_ago(40))
    fake.add_pool("22", project_id="7", created=old, last_stopped=world.days_ago(3))  # recent
    fake.add_pool("23", project_id="7", created=old, status="OPEN")
    fake.add_pool("24", project_id="7", created=old, status="ARCHIVED")
    fake.add_pool("25", project_id="8", created=old)  # another project
    task = operator(project_id="7", idle_for="30d", deferrable=False)
    reports = task.execute(context)
    assert [(r["pool_id"], r["outcome"]) for r in reports] == [("21", "archived")]
    assert [len(fake.operations(p)) for p in ("21", "22", "23", "24", "25")] == [1, 0, 0, 0, 0]


def test_ids_from_xcom_and_a_selection_together(world: World, context: dict[str, Any]) -> None:
    world.fake.add_project("7")
    world.fake.add_pool("21", project_id="7", created=world.days_ago(60))
    world.fake.add_pool("30", status="CLOSED")
    task = operator(pool_ids="['30']", project_id="7", idle_for="30d", deferrable=False)
    assert [r["pool_id"] for r in task.execute(context)] == ["21", "30"]


def test_a_bad_id_fails_before_anything_is_archived(world: World, context: dict[str, Any]) -> None:
    world.fake.add_pool("1", status="CLOSED")
    with pytest.raises(AirflowFailException, match=r"nothing was archived: pool_ids: .*'1x'"):
        operator(pool_ids=["1", "1x"]).execute(context)
    assert world.archive_requests() == []


def test_a_rate_limited_start_is_waited_out(world: World, context: dict[str, Any]) -> None:
    world.fake.add_pool("1", status="CLOSED")
    world.fake.add_fault(Fault("rate_limit", pool="1", endpoint="archive", first=1, retry_after=4))
    deferred = defer(operator(pool_ids=["1"]), context)
    assert list(deferred.trigger.serialize()[1]["operations"]) == ["1"]
    assert [r.status for r in world.fake.requests if r.method == "POST"] == [429, 202]
    assert 4.0 in world.clock.pauses
    assert len(world.fake.operations("1")) == 1


def test_a_rejected_key_stops_the_start_in_one_line(world: World, context: dict[str, Any]) -> None:
    world.connect(password="not-a-key")
    world.fake.add_pool("1", status="CLOSED")
    with pytest.raises(AirflowFailException, match="stopped: AuthenticationError") as stopped:
        operator(pool_ids=["1"]).execute(context)  # no retry: the key stays refused
    assert "not-a-key" not in str(stopped.value)
    assert world.fake.operations("1") == ()


def test_a_retry_is_left_only_for_what_it_may_get_past(
    world: World, context: dict[str, Any]
) -> None:
    world.fake.add_pool("1", status="CLOSED")
    # No such connection, or one that cannot be used: no retry, and the error says why.
    with pytest.raises(
        AirflowFailException,
        match="nothing was archived: the Toloka connection 'nowhere' is not defined",
    ):
        operator(pool_ids=["1"], toloka_conn_id="nowhere").execute(context)
    world.connect(extra={"environment": "staging"})
    with pytest.raises(AirflowFailException, match="unknown Toloka environment 'staging'"):
        operator(pool_ids=["1"]).execute(context)
    # A project that does not exist stays so.
    world.connect()
    with pytest.raises(AirflowFailException, match="the project does not exist"):
        operator(project_id="404", idle_for="30d").execute(context)
    # Toloka unreachable before anything started: a retry a little later may get past it.
    world.connect(extra={"base_url": "http://127.0.0.1:9/api/v1"})  # loopback, nobody there
    with pytest.raises(AirflowException, match="TolokaUnreachableError") as unreachable:
        operator(pool_ids=["1"]).execute(context)
    assert not isinstance(unreachable.value, AirflowFailException)
    assert world.archive_requests() == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "give pool_ids, or choose pools"),
        ({"pool_ids": [1], "concurrency": 0}, "concurrency must be at least 1"),
        ({"pool_ids": [1], "timeout": -1}, "timeout must be None or >= 0"),
        ({"project_id": 7, "idle_for": "30d", "idle_since": "2026-01-01"}, "not both"),
        ({"pool_ids": [1], "acceptable_outcomes": ["fine"]}, "unknown outcome 'fine'"),
    ],
)
def test_arguments_are_checked_when_the_dag_is_parsed(
    options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        operator(**options)


def test_templated_fields() -> None:
    assert set(operator(pool_ids=[1]).template_fields) >= {
        "pool_ids",
        "project_id",
        "status",
        "idle_for",
        "idle_since",
        "created_before",
        "last_started_before",
    }


def test_a_rebuilt_trigger_is_the_same(world: World, context: dict[str, Any]) -> None:
    world.fake.add_pool("1", status="CLOSED")
    trigger = defer(operator(pool_ids=["1"]), context).trigger
    assert run_trigger(rebuilt(trigger))["reports"][0]["outcome"] == "archived"
