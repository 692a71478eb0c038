"""The waiting and starting flows on their own: the exact polls and pauses they ask for.

``wait_flow`` is stepped by hand (see ``flowsteps``) with a fake clock that moves only when a
test answers a ``Sleep``; ``PollTimer`` is checked as the pure object it is. Whole-client
behaviour is in ``test_waiting.py``; this is the flows' own contract.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import httpx
import pytest
from toloka_archive import (
    ConflictError,
    NotFoundError,
    Operation,
    OperationError,
    OperationFailedError,
    OperationStatus,
    OperationTimeoutError,
    PollPolicy,
    RetryPolicy,
    UnexpectedResponseError,
)
from toloka_archive._core.context import FlowContext
from toloka_archive._core.flow import Request, Send, Sleep
from toloka_archive._flows.starting import Started, start_flow
from toloka_archive._flows.waiting import PollTimer, fetch_flow, wait_flow
from toloka_archive._wire import endpoints as _endpoints
from toloka_archive._wire.kinds import POOL_ARCHIVE

from tests.facade.flowsteps import Trace, drive, finish
from tests.facade.scripted import ROUND_SCHEDULE, FakeClock, error, operation, polled, snapshot

POLL = Request("GET", "/operations/op-1")
LOG = Request("GET", "/operations/op-1/log")
ARCHIVE = Request("POST", "/pools/21/archive")

FIXED = PollPolicy(jitter=0.0, **ROUND_SCHEDULE, follow_progress=False)
FOLLOWING = PollPolicy(jitter=0.0, **ROUND_SCHEDULE)


def context(clock: FakeClock, poll: PollPolicy = FIXED) -> FlowContext:
    return FlowContext(retry=RetryPolicy(jitter=0.0), poll=poll, clock=clock, random=lambda: 0.0)


def wait(
    first: Operation,
    replies: Sequence[httpx.Response | httpx.TransportError],
    *,
    timeout: float | None = 600.0,
    poll: PollPolicy = FIXED,
    on_progress: Callable[[Operation], object] | None = None,
    clock: FakeClock | None = None,
) -> Trace[Operation]:
    clock = FakeClock() if clock is None else clock
    flow = wait_flow(first, timeout=timeout, context=context(clock, poll), on_progress=on_progress)
    return drive(flow, replies, clock)


def log_answer(message: str) -> httpx.Response:
    return httpx.Response(
        200,
        json=[
            {"type": "POOL_ARCHIVE", "success": True, "output": {}},
            {
                "type": "POOL_ARCHIVE",
                "success": False,
                "input": {"pool_id": "21"},
                "output": {"code": "ARCHIVE_FAILED", "message": message},
            },
        ],
    )


def test_the_endpoints_describe_the_operation_requests() -> None:
    assert _endpoints.get_operation_request("op-1") == POLL
    assert _endpoints.get_operation_log_request("op-1") == LOG


@pytest.mark.parametrize("timeout", [600.0, 0.0, None])
def test_a_successful_snapshot_returns_with_no_action(timeout: float | None) -> None:
    done = snapshot("SUCCESS")
    flow = wait_flow(done, timeout=timeout, context=context(FakeClock()), on_progress=None)
    assert finish(flow) is done


def test_a_pending_operation_sleeps_then_polls_until_success() -> None:
    clock = FakeClock()
    trace = wait(snapshot("PENDING"), [polled("SUCCESS")], clock=clock)
    assert trace.actions == [Sleep(1.0), Send(POLL)]
    assert trace.result is not None
    assert trace.result.status is OperationStatus.SUCCESS
    assert trace.result.id == "op-1"
    assert clock.slept == [1.0]


def test_the_poll_asks_for_the_operation_by_its_own_id() -> None:
    trace = wait(snapshot("RUNNING", op_id="abc-42"), [polled("SUCCESS", op_id="abc-42")])
    assert trace.labels == ["GET /operations/abc-42"]


@pytest.mark.parametrize("status", ["PENDING", "RUNNING"])
def test_without_progress_the_pauses_grow_by_half_up_to_15_s(status: str) -> None:
    # The progress stays where it is (or is missing), so only the schedule decides.
    unfinished = [polled(status) for _ in range(9)]
    trace = wait(snapshot(status), [*unfinished, polled("SUCCESS")], poll=FOLLOWING)
    assert trace.sleeps == pytest.approx(
        [1.0, 1.5, 2.25, 3.375, 5.0625, 7.59375, 11.390625, 15.0, 15.0, 15.0]
    )
    assert trace.requests == [POLL] * 10


def test_without_a_progress_field_the_schedule_applies() -> None:
    body = operation("RUNNING")
    del body["progress"]
    first = snapshot("RUNNING", progress=None)
    trace = wait(first, [httpx.Response(200, json=body)] * 3 + [polled("SUCCESS")], poll=FOLLOWING)
    assert trace.sleeps == [1.0, 1.5, 2.25, 3.375]


def test_a_fail_snapshot_fetches_the_log_and_raises_its_message() -> None:
    failed = snapshot("FAIL")
    trace = wait(failed, [log_answer("storage unavailable")])
    assert trace.actions == [Send(LOG)]
    failure = trace.raised(OperationFailedError)
    assert str(failure) == "operation op-1 failed: storage unavailable"
    assert failure.operation_id == "op-1"
    assert failure.operation is failed
    assert failure.log is not None
    assert [item.success for item in failure.log] == [True, False]


def test_a_fail_seen_by_a_poll_raises_with_that_snapshot() -> None:
    trace = wait(snapshot("RUNNING"), [polled("FAIL"), log_answer("disk full")])
    assert trace.actions == [Sleep(1.0), Send(POLL), Send(LOG)]
    failure = trace.raised(OperationFailedError)
    assert failure.operation is not None
    assert failure.operation.status is OperationStatus.FAIL
    assert "disk full" in str(failure)


def test_a_missing_log_still_raises_the_failure() -> None:
    trace = wait(snapshot("FAIL"), [error(404, "DOES_NOT_EXIST")])
    assert trace.actions == [Send(LOG)]
    failure = trace.raised(OperationFailedError)
    assert failure.log is None
    assert str(failure) == "operation op-1 failed"


def test_a_log_that_keeps_failing_still_raises_the_failure() -> None:
    down = [error(500, "INTERNAL_ERROR") for _ in range(4)]
    trace = wait(snapshot("FAIL"), down)
    # The log request has the retry policy of any request, then its absence is tolerated.
    assert trace.actions == [
        Send(LOG),
        Sleep(0.5),
        Send(LOG),
        Sleep(1.0),
        Send(LOG),
        Sleep(2.0),
        Send(LOG),
    ]
    failure = trace.raised(OperationFailedError)
    assert type(failure) is OperationFailedError
    assert failure.log is None


def test_an_unreadable_log_still_raises_the_failure() -> None:
    trace = wait(snapshot("FAIL"), [httpx.Response(200, text="<html>oops</html>")])
    assert trace.raised(OperationFailedError).log is None


def test_the_budget_cuts_the_last_pause_to_the_deadline_and_looks_once_more() -> None:
    clock = FakeClock()
    start = clock.monotonic()
    replies = [polled("PENDING")] * 3 + [polled("RUNNING")]
    trace = wait(snapshot("PENDING"), replies, timeout=5.0, clock=clock)
    # 1 + 1.5 + 2.25 = 4.75 s; the next pause would be 3.375 s, cut to land on 5 s exactly.
    assert trace.actions == [
        Sleep(1.0),
        Send(POLL),
        Sleep(1.5),
        Send(POLL),
        Sleep(2.25),
        Send(POLL),
        Sleep(0.25),
        Send(POLL),
    ]
    assert clock.monotonic() == start + 5.0
    timeout = trace.raised(OperationTimeoutError)
    assert isinstance(timeout, TimeoutError)
    assert isinstance(timeout, OperationError)
    assert timeout.operation_id == "op-1"
    assert timeout.waited == 5.0
    assert timeout.operation is not None
    assert timeout.operation.status is OperationStatus.RUNNING  # the last look's
    assert "client.get_operation('op-1').wait()" in str(timeout)


def test_the_last_look_at_the_deadline_can_still_succeed() -> None:
    replies = [polled("PENDING")] * 3 + [polled("SUCCESS")]
    trace = wait(snapshot("PENDING"), replies, timeout=5.0)
    assert trace.sleeps == [1.0, 1.5, 2.25, 0.25]
    assert trace.error is None
    assert trace.result is not None
    assert trace.result.status is OperationStatus.SUCCESS


@pytest.mark.parametrize("status", ["PENDING", "RUNNING", "PAUSED"])
def test_a_zero_budget_raises_at_once_without_a_poll(status: str) -> None:
    trace = wait(snapshot(status), [], timeout=0.0)
    assert trace.actions == []
    timeout = trace.raised(OperationTimeoutError)
    assert timeout.waited == 0.0
    assert timeout.operation_id == "op-1"


def test_no_budget_never_raises_on_time() -> None:
    clock = FakeClock()
    start = clock.monotonic()
    replies = [polled("RUNNING")] * 60 + [polled("SUCCESS")]
    policy = PollPolicy(
        jitter=0.0, **ROUND_SCHEDULE, timeout=5.0
    )  # wait_flow's own timeout is what counts
    trace = wait(snapshot("RUNNING"), replies, timeout=None, poll=policy, clock=clock)
    assert trace.error is None
    assert trace.result is not None
    assert trace.result.status is OperationStatus.SUCCESS
    assert clock.monotonic() - start > 600.0  # far past both the policy's and the default budget
    assert max(trace.sleeps) == 15.0


@pytest.mark.parametrize(
    ("progress", "pause"),
    [
        (50, 1.1),  # 50 %/s: 100 % is due in 1 s, looked at 10 % later
        (80, 0.275),  # due in 0.25 s
        (95, 0.2),  # due in 0.05 s, floored at min_delay
        (20, 1.5),  # due in 4 s, later than the schedule's 1.5 s: never lengthened
    ],
)
def test_moving_progress_brings_the_next_look_to_the_predicted_end(
    progress: int, pause: float
) -> None:
    replies = [polled("RUNNING", progress=progress), polled("SUCCESS")]
    trace = wait(snapshot("PENDING"), replies, poll=FOLLOWING)
    assert trace.sleeps == pytest.approx([1.0, pause])
    assert trace.requests == [POLL, POLL]
    expected = FOLLOWING.expected_remaining((0.0, 0), 0, 1.0, progress)
    assert expected is not None
    assert pause == pytest.approx(min(1.5, expected))


def test_the_rate_is_measured_from_the_first_look() -> None:
    # 0 % at 0 s, 30 % at 1 s (next look in 1.5 s: 70 % at 30 %/s is 2.33 s away),
    # 60 % at 2.5 s: 24 %/s since the first look, so 40 % more is due in 1.667 s (+10 %).
    replies = [
        polled("RUNNING", progress=30),
        polled("RUNNING", progress=60),
        polled("SUCCESS"),
    ]
    trace = wait(snapshot("PENDING"), replies, poll=FOLLOWING)
    assert trace.sleeps == pytest.approx([1.0, 1.5, 40 / 24 * 1.1])


def test_a_stalled_progress_falls_back_to_the_schedule() -> None:
    replies = [polled("RUNNING", progress=50)] * 3 + [polled("SUCCESS")]
    trace = wait(snapshot("PENDING"), replies, poll=FOLLOWING)
    assert trace.sleeps == pytest.approx([1.0, 1.1, 2.25, 3.375])


def test_progress_is_not_followed_when_turned_off() -> None:
    replies = [polled("RUNNING", progress=80), polled("SUCCESS")]
    trace = wait(snapshot("PENDING"), replies, poll=FIXED)
    assert trace.sleeps == [1.0, 1.5]


def test_an_unknown_status_is_not_finished_and_warns_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    paused = [polled("PAUSED", progress=0)] * 2
    with caplog.at_level(logging.WARNING, logger="toloka_archive"):
        trace = wait(snapshot("PAUSED", progress=0), [*paused, polled("SUCCESS")])
    assert trace.actions == [
        Sleep(1.0),
        Send(POLL),
        Sleep(1.5),
        Send(POLL),
        Sleep(2.25),
        Send(POLL),
    ]
    assert trace.result is not None
    assert trace.result.status is OperationStatus.SUCCESS
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "'PAUSED'" in warnings[0].getMessage()
    assert "op-1" in warnings[0].getMessage()


def test_each_unknown_status_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    replies = [polled("PAUSED"), polled("FROZEN"), polled("PAUSED"), polled("SUCCESS")]
    with caplog.at_level(logging.WARNING, logger="toloka_archive"):
        wait(snapshot("PAUSED"), replies)
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(messages) == 2
    assert "'PAUSED'" in messages[0]
    assert "'FROZEN'" in messages[1]


def test_on_progress_gets_every_snapshot_in_order() -> None:
    first = snapshot("PENDING")
    seen: list[Operation] = []
    replies = [polled("RUNNING", progress=10), polled("RUNNING", progress=10), polled("SUCCESS")]
    trace = wait(first, replies, on_progress=seen.append)
    assert seen[0] is first
    assert [(s.status, s.progress) for s in seen] == [
        (OperationStatus.PENDING, 0),
        (OperationStatus.RUNNING, 10),
        (OperationStatus.RUNNING, 10),
        (OperationStatus.SUCCESS, 100),
    ]
    assert seen[-1] is trace.result


def test_on_progress_sees_the_failed_snapshot_before_the_error() -> None:
    seen: list[str] = []
    trace = wait(
        snapshot("RUNNING"),
        [polled("FAIL"), error(404, "DOES_NOT_EXIST")],
        on_progress=lambda op: seen.append(str(op.status)),
    )
    assert seen == ["RUNNING", "FAIL"]
    trace.raised(OperationFailedError)


def test_a_poll_that_fails_for_good_says_how_to_resume() -> None:
    trace = wait(snapshot("RUNNING"), [error(404, "DOES_NOT_EXIST")])
    assert trace.actions == [Sleep(1.0), Send(POLL)]
    missing = trace.raised(NotFoundError)
    assert any("client.get_operation('op-1').wait()" in note for note in missing.__notes__)


def test_a_poll_is_retried_with_its_own_budget_then_waiting_goes_on() -> None:
    replies = [error(503, "REMOTE_SERVICE_UNAVAILABLE"), polled("RUNNING"), polled("SUCCESS")]
    trace = wait(snapshot("RUNNING"), replies)
    # retry pause 0.5 s between the poll pauses 1.0 s and 1.5 s
    assert trace.actions == [
        Sleep(1.0),
        Send(POLL),
        Sleep(0.5),
        Send(POLL),
        Sleep(1.5),
        Send(POLL),
    ]


def test_fetch_flow_reads_one_snapshot() -> None:
    flow = fetch_flow("op-1", context(FakeClock()))
    assert next(flow) == Send(POLL)
    result = finish(flow, polled("RUNNING", progress=40))
    assert (result.id, result.status, result.progress) == ("op-1", OperationStatus.RUNNING, 40)


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, text="<html>proxy</html>"),
        httpx.Response(200, json=[operation("RUNNING")]),
        httpx.Response(200, json={"id": "op-1", "status": "RUNNING"}),
    ],
    ids=["not-json", "a-list", "missing-fields"],
)
def test_fetch_flow_rejects_a_body_that_is_not_an_operation(answer: httpx.Response) -> None:
    trace = drive(fetch_flow("op-1", context(FakeClock())), [answer])
    assert trace.actions == [Send(POLL)]
    assert trace.raised(UnexpectedResponseError).status_code == 200


# PollTimer, the pure part


def test_the_timer_expires_exactly_at_the_deadline() -> None:
    clock = FakeClock()
    timer = PollTimer(FIXED, 5.0, clock.monotonic, lambda: 0.0)
    clock.sleep(4.999)
    assert not timer.expired()
    clock.sleep(0.001)
    assert timer.elapsed() == pytest.approx(5.0)
    assert timer.expired()


def test_the_timer_without_a_budget_never_expires() -> None:
    clock = FakeClock()
    timer = PollTimer(FIXED, None, clock.monotonic, lambda: 0.0)
    clock.sleep(10**9)
    assert not timer.expired()
    assert timer.next_delay() == 1.0


def test_the_timer_counts_its_polls_and_cuts_the_last_pause() -> None:
    clock = FakeClock()
    timer = PollTimer(FIXED, 3.0, clock.monotonic, lambda: 0.0)
    first = timer.next_delay()
    clock.sleep(first)
    second = timer.next_delay()
    clock.sleep(second)
    third = timer.next_delay()
    assert (first, second, third) == (1.0, 1.5, 0.5)
    assert timer.polls == 3


def test_the_timer_jitter_only_shortens_a_pause() -> None:
    clock = FakeClock()
    policy = PollPolicy(jitter=0.2, **ROUND_SCHEDULE, follow_progress=False)
    timer = PollTimer(policy, None, clock.monotonic, lambda: 0.5)
    assert timer.next_delay() == pytest.approx(0.9)
    assert timer.next_delay() == pytest.approx(1.35)


def test_the_timer_starts_its_budget_when_created() -> None:
    clock = FakeClock()
    clock.sleep(1000.0)
    timer = PollTimer(FIXED, 5.0, clock.monotonic, lambda: 0.0)
    assert timer.elapsed() == 0.0
    assert not timer.expired()


# start_flow: the plain answers (lost answers and locks are in test_flow_starting.py)


def test_a_204_means_already_archived() -> None:
    flow = start_flow(POOL_ARCHIVE.on("21"), context(FakeClock()))
    assert next(flow) == Send(ARCHIVE)
    result = finish(flow, httpx.Response(204))
    assert result == Started(POOL_ARCHIVE.on("21"), None)
    assert result.already_done


def test_a_202_carries_the_operation_to_follow() -> None:
    flow = start_flow(POOL_ARCHIVE.on("21"), context(FakeClock()))
    assert next(flow) == Send(ARCHIVE)
    result = finish(flow, httpx.Response(202, json=operation("PENDING", op_id="op-7")))
    assert result.subject_id == "21"
    assert not result.already_done
    assert result.operation is not None
    assert (result.operation.id, result.operation.status) == ("op-7", OperationStatus.PENDING)


def test_start_flow_raises_a_conflict_at_once() -> None:
    answer = error(409, "INAPPROPRIATE_STATUS", payload={"appropriate_statuses": ["CLOSED"]})
    trace = drive(start_flow(POOL_ARCHIVE.on("21"), context(FakeClock())), [answer])
    assert trace.actions == [Send(ARCHIVE)]
    assert trace.raised(ConflictError).appropriate_statuses == ["CLOSED"]
