"""Polls that fit the operation: the first look comes when recent operations were done."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from toloka_archive import Operation, PollPolicy, RetryPolicy, TolokaClient
from toloka_archive._core.context import FlowContext
from toloka_archive._core.flow import Sleep
from toloka_archive._core.policies import LEARNED_MARGIN, DurationMemory
from toloka_archive._flows.waiting import wait_flow
from toloka_archive.testing import FakeToloka, ManualClock

from tests.facade.flowsteps import drive
from tests.facade.scripted import ROUND_SCHEDULE, FakeClock, operation, snapshot

NO_JITTER = PollPolicy(jitter=0.0, **ROUND_SCHEDULE)


def finished(seconds: float, **extra: Any) -> Operation:
    moment = f"2026-11-01T12:00:{seconds:06.3f}"
    return snapshot("SUCCESS", submitted="2026-11-01T12:00:00.000", finished=moment, **extra)


ARCHIVE = "POOL.ARCHIVE"


def test_the_memory_answers_with_the_median_of_recent_durations() -> None:
    memory = DurationMemory()
    assert memory.typical(ARCHIVE) is None
    for seconds in (0.3, 0.3, 9.0, 0.4):
        memory.note(ARCHIVE, seconds)
    assert memory.typical(ARCHIVE) == pytest.approx(0.35)
    memory.note(ARCHIVE, -1.0)  # a clock that went back teaches nothing
    memory.note(ARCHIVE, 10 * 24 * 3600.0)
    assert memory.typical(ARCHIVE) == pytest.approx(0.35)
    for _ in range(DurationMemory.SIZE):
        memory.note(ARCHIVE, 5.0)
    assert memory.typical(ARCHIVE) == 5.0  # only the recent ones count


def test_each_kind_of_operation_is_remembered_apart() -> None:
    memory = DurationMemory()
    memory.note(ARCHIVE, 0.3)
    memory.note("POOL.CLOSE", 4.0)
    assert (memory.typical(ARCHIVE), memory.typical("POOL.CLOSE")) == (0.3, 4.0)
    assert memory.typical("PROJECT.ARCHIVE") is None


def test_the_duration_is_measured_on_tolokas_clock() -> None:
    assert finished(0.3).duration == pytest.approx(0.3)
    assert snapshot("RUNNING").duration is None
    went_back = snapshot("SUCCESS", finished="2026-11-01T11:59:00.000")
    assert went_back.duration is None


def context(clock: FakeClock, typical: float | None) -> FlowContext:
    shared = FlowContext(retry=RetryPolicy(jitter=0.0), poll=NO_JITTER, clock=clock)
    if typical is not None:
        shared.durations.note(ARCHIVE, typical)
    return shared


@pytest.mark.parametrize("typical", [0.3, 1.0, 5.0])
def test_the_first_look_comes_when_recent_operations_were_done(typical: float) -> None:
    clock = FakeClock()
    pending = snapshot("PENDING")
    flow = wait_flow(pending, timeout=600, context=context(clock, typical), on_progress=None)
    trace = drive(flow, [httpx.Response(200, json=operation("SUCCESS"))], clock)
    assert trace.actions[0] == Sleep(pytest.approx(typical * LEARNED_MARGIN))  # type: ignore[arg-type]
    assert len(trace.requests) == 1  # one poll, done


def test_without_history_the_ordinary_schedule_applies() -> None:
    clock = FakeClock()
    pending = snapshot("PENDING")
    flow = wait_flow(pending, timeout=600, context=context(clock, None), on_progress=None)
    trace = drive(flow, [httpx.Response(200, json=operation("SUCCESS"))], clock)
    assert trace.actions[0] == Sleep(1.0)


def test_an_operation_already_under_way_is_not_given_a_learned_first_look() -> None:
    clock = FakeClock()
    running = snapshot("RUNNING", progress=60)
    flow = wait_flow(running, timeout=600, context=context(clock, 0.3), on_progress=None)
    trace = drive(flow, [httpx.Response(200, json=operation("SUCCESS"))], clock)
    assert trace.actions[0] == Sleep(1.0)


def test_learning_can_be_turned_off() -> None:
    clock = FakeClock()
    shared = FlowContext(
        poll=PollPolicy(jitter=0.0, **ROUND_SCHEDULE, learn_durations=False), clock=clock
    )
    shared.durations.note(ARCHIVE, 0.3)
    pending = snapshot("PENDING")
    trace = drive(
        wait_flow(pending, timeout=600, context=shared, on_progress=None),
        [httpx.Response(200, json=operation("SUCCESS"))],
        clock,
    )
    assert trace.actions[0] == Sleep(1.0)


def test_a_run_learns_from_its_first_operations() -> None:
    clock = ManualClock()
    fake = FakeToloka(clock=clock, seed=0)
    fake.add_requester("me", api_keys=["test-key"])
    for pool in range(1, 6):
        fake.add_pool(str(pool), status="CLOSED", archive_seconds=0.3)
    client = TolokaClient(
        api_key="test-key",
        base_url="https://fake.toloka.invalid/api/v1",
        transport=fake.transport(),
        clock=clock,
        poll=NO_JITTER,
        env={},
    )
    polls = []
    for pool in range(1, 6):
        before = fake.request_count
        started = clock.monotonic()
        client.archive_pool(pool)
        polls.append((fake.request_count - before - 1, round(clock.monotonic() - started, 3)))
    # The first waits on the ordinary 1 s beat; the others are looked at once, just after 0.3 s.
    assert polls[0] == (1, 1.0)
    assert polls[1:] == [(1, round(0.3 * LEARNED_MARGIN, 3))] * 4
