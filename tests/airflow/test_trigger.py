"""The trigger on the triggerer: it follows the started operations against the fake on loopback,
honours its deadline, waits out a 429, survives a restart without a second archive, and says
so in one event when it cannot follow at all."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
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

EVERY = [ARCHIVED, ALREADY, OPEN, WINDOW, FAILS, SLOW]


def test_the_event_has_the_right_outcome_for_every_pool(
    world: World, context: dict[str, Any]
) -> None:
    add_pools_for_every_outcome(world)
    trigger = rebuilt(defer(operator(pool_ids=EVERY, timeout=600), context).trigger)
    event = run_trigger(trigger)

    assert event["status"] == "success"
    reports = by_pool(event["reports"])
    assert list(reports) == EVERY  # one report per pool, in pool id order
    outcomes = {pool: report["outcome"] for pool, report in reports.items()}
    assert outcomes == {
        ARCHIVED: "archived",
        ALREADY: "already_archived",
        OPEN: "wrong_status",
        WINDOW: "not_archivable_yet",
        FAILS: "failed",
        SLOW: "timed_out",
    }
    for pool in (ARCHIVED, FAILS, SLOW):
        [operation] = world.fake.operations(pool)
        assert reports[pool]["operation_id"] == operation.id
    assert reports[ARCHIVED]["ok"] is True
    assert reports[FAILS]["detail"].startswith(f"operation {reports[FAILS]['operation_id']} failed")
    assert reports[WINDOW]["archivable_from"] == "2026-11-08T12:00:00+00:00"
    slow = reports[SLOW]
    assert slow["detail"] == (
        "still running at the deadline (2026-11-01T12:10:00+00:00); it goes on at Toloka: "
        f"follow operation {slow['operation_id']}"
    )
    assert world.fake.operation(slow["operation_id"]).status in {"PENDING", "RUNNING"}
    assert world.fake.pool(ARCHIVED).status == "ARCHIVED"
    # The trigger only reads: the archive requests were the worker's, one per pool that its
    # record did not settle (the archived and the open one were settled by a read).
    assert sorted(world.archive_requests()) == sorted(
        f"/api/v1/pools/{pool}/archive" for pool in (ARCHIVED, WINDOW, FAILS, SLOW)
    )


def test_a_triggerer_restart_resumes_from_the_operation_ids(
    world: World, context: dict[str, Any]
) -> None:
    pools = ["1", "2", "3", "4"]
    for pool in pools:
        world.fake.add_pool(pool, status="CLOSED", archive_seconds=3600.0)
    kwargs = defer(operator(pool_ids=pools, timeout=7200), context).trigger.serialize()[1]
    stored = json.dumps(kwargs)  # what the metadata database keeps
    first = TolokaArchiveTrigger(**json.loads(stored))

    async def run_until_polled_then_stop() -> None:
        events = first.run()
        waiting = asyncio.ensure_future(events.__anext__())
        operations = {f"/api/v1/operations/{op}" for op in kwargs["operations"].values()}
        for _ in range(500):  # until every operation was polled at least once (bounded)
            polled = {r.path for r in world.fake.requests if r.method == "GET"}
            if operations <= polled:
                break
            await asyncio.sleep(0.01)
        assert operations <= polled
        assert not waiting.done()  # mid-wait: every archive still runs
        waiting.cancel()  # the triggerer stops
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await events.aclose()

    asyncio.run(run_until_polled_then_stop())
    assert {world.fake.pool(pool).status for pool in pools} == {"CLOSED"}

    world.clock.advance(3600)  # the triggerer was down for an hour
    second = TolokaArchiveTrigger(**json.loads(stored))  # rebuilt from the stored kwargs
    event = run_trigger(second)
    assert {r["pool_id"]: r["outcome"] for r in event["reports"]} == dict.fromkeys(
        pools, "archived"
    )
    assert [len(world.fake.operations(pool)) for pool in pools] == [1, 1, 1, 1]
    assert len(world.archive_requests()) == len(pools)


def test_a_429_with_retry_after_is_waited_out(world: World, context: dict[str, Any]) -> None:
    world.fake.add_pool("1", status="CLOSED", archive_seconds=5.0)
    world.fake.add_pool("2", status="CLOSED", archive_seconds=5.0)
    trigger = defer(operator(pool_ids=["1", "2"]), context).trigger
    world.fake.add_fault(Fault("rate_limit", endpoint="operation", first=2, retry_after=7))
    world.clock.pauses.clear()

    event = run_trigger(trigger)
    assert [r["outcome"] for r in event["reports"]] == ["archived", "archived"]
    polls = [r for r in world.fake.requests if r.path.startswith("/api/v1/operations/")]
    assert [r.status for r in polls[:2]] == [429, 429]
    assert all(r.status == 200 for r in polls[2:])
    assert world.clock.pauses.count(7.0) == 2  # each 429's Retry-After, waited as asked
    assert [len(world.fake.operations(pool)) for pool in ("1", "2")] == [1, 1]


def test_a_deadline_already_passed_still_takes_one_look(
    world: World, context: dict[str, Any]
) -> None:
    world.fake.add_pool("1", status="CLOSED", archive_seconds=30.0)
    world.fake.add_pool("2", status="CLOSED", archive_seconds=3600.0)
    kwargs = defer(operator(pool_ids=["1", "2"], timeout=60), context).trigger.serialize()[1]
    world.clock.advance(600)  # the triggerer picks it up long after the deadline
    requests_before = world.fake.request_count
    event = run_trigger(TolokaArchiveTrigger(**kwargs))
    assert [(r["pool_id"], r["outcome"]) for r in event["reports"]] == [
        ("1", "archived"),
        ("2", "timed_out"),
    ]
    assert world.fake.request_count - requests_before == 2  # one look each, no waiting


def test_a_deadline_given_as_an_iso_string(world: World, context: dict[str, Any]) -> None:
    world.fake.add_pool("1", status="CLOSED", archive_seconds=3600.0)
    kwargs = defer(operator(pool_ids=["1"]), context).trigger.serialize()[1]
    kwargs["deadline"] = "2026-11-01T12:01:00Z"  # a minute after the fake's 12:00
    trigger = TolokaArchiveTrigger(**kwargs)
    assert trigger.serialize()[1]["deadline"] == 1793534460.0
    [report] = run_trigger(trigger)["reports"]
    assert report["outcome"] == "timed_out"
    assert "2026-11-01T12:01:00+00:00" in report["detail"]


def test_a_rejected_key_ends_in_an_error_event_naming_the_operations(
    world: World, context: dict[str, Any]
) -> None:
    world.fake.add_pool("1", status="CLOSED")
    world.fake.add_pool("2", status="ARCHIVED")
    task = operator(pool_ids=["1", "2"])
    trigger = defer(task, context).trigger
    world.connect(password="revoked-key")  # the key was revoked while the task waited
    event = run_trigger(trigger)
    assert event["status"] == "error"
    assert event["message"].startswith("AuthenticationError")
    operation = world.fake.operations("1")[0].id
    reports = by_pool(event["reports"])
    assert reports["1"]["outcome"] == "unknown"
    assert reports["1"]["operation_id"] == operation
    assert reports["2"]["outcome"] == "already_archived"

    from airflow.providers.common.compat.sdk import AirflowFailException

    # No retry: the archive goes on at Toloka, and the next run finds and follows it.
    with pytest.raises(AirflowFailException) as failed:
        task.execute_complete(context, event)
    assert "could not be followed: AuthenticationError" in str(failed.value)
    assert f"follow operation {operation}" in str(failed.value)
    assert "revoked-key" not in str(failed.value)


def test_a_connection_that_now_points_elsewhere_is_not_followed(
    world: World, context: dict[str, Any]
) -> None:
    world.fake.add_pool("1", status="CLOSED")
    trigger = defer(operator(pool_ids=["1"]), context).trigger
    elsewhere = "http://127.0.0.1:9/api/v1"  # loopback, nothing listens; never asked anyway
    world.connect(extra={"base_url": elsewhere})
    requests_before = world.fake.request_count
    event = run_trigger(trigger)
    assert event["status"] == "error"
    assert event["message"] == (
        f"connection {CONN_ID!r} now points to {elsewhere}, but the archives were started on "
        f"{world.url}; follow them there"
    )
    assert world.fake.request_count == requests_before


def test_a_deleted_connection_ends_in_an_error_event(
    world: World, context: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    world.fake.add_pool("1", status="CLOSED")
    trigger = defer(operator(pool_ids=["1"]), context).trigger
    monkeypatch.delenv(f"AIRFLOW_CONN_{CONN_ID.upper()}")
    event = run_trigger(trigger)
    assert event["status"] == "error"
    assert CONN_ID in event["message"]
    assert [r["outcome"] for r in event["reports"]] == ["unknown"]


def test_the_trigger_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="concurrency"):
        TolokaArchiveTrigger(operations={}, concurrency=0)
    with pytest.raises(ValueError, match="not an ISO 8601"):
        TolokaArchiveTrigger(operations={}, deadline="soon")
