"""Retries: which failures are tried again, how long the pauses are, and when to stop."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import httpx
import pytest
from toloka_archive import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
    RetryPolicy,
)

from tests.facade.scripted import (
    NO_JITTER_POLL,
    NO_JITTER_RETRY,
    FakeClock,
    Script,
    error,
    polled,
    started,
    sync_client,
)

ARCHIVE = "POST /api/v1/pools/21/archive"
POLL = "GET /api/v1/operations/op-1"


def run_poll(answers: list[object], **options: object) -> tuple[Script, FakeClock, object]:
    """One look at an operation. (The archive request itself is retried only after failures
    that cannot have started anything; the rest is asked about: see test_flow_starting.)"""
    script = Script(answers)  # type: ignore[arg-type]
    clock = FakeClock()
    options.setdefault("retry", NO_JITTER_RETRY)
    operation = sync_client(script, clock, **options).get_operation("op-1")
    return script, clock, operation


@pytest.mark.parametrize(
    "failure",
    [
        error(500, "INTERNAL_ERROR"),
        error(503, "REMOTE_SERVICE_UNAVAILABLE"),
        httpx.Response(502, text="<html>bad gateway</html>"),
        httpx.Response(504),
        httpx.Response(408),
        error(429, "TOO_MANY_REQUESTS"),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ],
)
def test_transient_failures_are_retried(failure: object) -> None:
    script, clock, operation = run_poll([failure, failure, polled("RUNNING")])
    assert script.requests == [POLL] * 3
    assert clock.slept == [0.5, 1.0]
    assert operation.operation_id == "op-1"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (400, "VALIDATION_ERROR"),
        (401, "AUTHENTICATION_ERROR"),
        (403, "ACCESS_DENIED"),
        (404, "DOES_NOT_EXIST"),
        (409, "INAPPROPRIATE_STATUS"),
    ],
)
def test_request_errors_are_never_retried(status: int, code: str) -> None:
    script = Script([error(status, code)])
    clock = FakeClock()
    with pytest.raises(APIStatusError) as caught:
        sync_client(script, clock).start_archive_pool("21")
    assert getattr(caught.value, "status_code", None) == status
    assert script.requests == [ARCHIVE]
    assert clock.slept == []


def test_backoff_doubles_to_the_cap_then_gives_up() -> None:
    policy = RetryPolicy(max_retries=6, jitter=0.0)
    failure = error(503, "REMOTE_SERVICE_UNAVAILABLE")
    script = Script([failure] * 7)
    clock = FakeClock()
    with pytest.raises(InternalServerError) as caught:
        sync_client(script, clock, retry=policy).get_operation("op-1")
    assert clock.slept == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert len(script.requests) == 7
    assert "gave up after 6 retries" in "".join(caught.value.__notes__)


def test_default_is_three_retries() -> None:
    script = Script([httpx.ConnectError("x")] * 4)
    with pytest.raises(APIConnectionError):
        sync_client(script, FakeClock()).get_operation("op-1")
    assert len(script.requests) == 4


def test_max_retries_zero_turns_retries_off() -> None:
    script = Script([httpx.ReadTimeout("slow")])
    clock = FakeClock()
    with pytest.raises(APITimeoutError):
        sync_client(script, clock, max_retries=0).get_operation("op-1")
    assert (len(script.requests), clock.slept) == (1, [])


def nth(delays: Iterator[float], number: int) -> float:
    """The pause before retry ``number`` (1 for the first) of a schedule."""
    return next(itertools.islice(delays, number - 1, None))


def test_jitter_only_shortens_delays() -> None:
    policy = RetryPolicy(jitter=0.2)
    for retry_number in range(1, 8):
        base = nth(RetryPolicy(jitter=0.0).delays(lambda: 0.0), retry_number)
        for draw in (0.0, 0.3, 0.999):
            delay = nth(policy.delays(lambda: draw), retry_number)  # noqa: B023
            assert base * 0.8 <= delay <= base


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "2.5"}, 2.5),
        ({"Retry-After": "0"}, 0.2),  # floored
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "50"}, 0.2),
        ({"retry-after-ms": "1500", "Retry-After": "9"}, 1.5),  # the precise one wins
        # an HTTP date, 7 seconds after the fake clock's wall time (2026-11-01 12:00:00 UTC)
        ({"Retry-After": "Sun, 01 Nov 2026 12:00:07 GMT"}, 7.0),
        ({"Retry-After": "Sun, 01 Nov 2026 11:00:00 GMT"}, 0.2),  # in the past
        ({"Retry-After": "soon"}, 0.5),  # unreadable: the policy's own backoff
        ({"Retry-After": "-5"}, 0.5),
        ({"Retry-After": "nan"}, 0.5),
    ],
)
def test_retry_after_is_honoured(headers: dict[str, str], expected: float) -> None:
    throttled = httpx.Response(
        429, json={"request_id": "r", "code": "TOO_MANY_REQUESTS", "message": "m"}, headers=headers
    )
    _, clock, _ = run_poll([throttled, polled("RUNNING")])
    assert clock.slept == [pytest.approx(expected)]


def test_retry_after_on_503_is_honoured_too() -> None:
    unavailable = httpx.Response(503, headers={"Retry-After": "4"})
    _, clock, _ = run_poll([unavailable, polled("RUNNING")])
    assert clock.slept == [4.0]


def test_a_hint_over_the_cap_stops_with_rate_limit_error() -> None:
    throttled = httpx.Response(
        429,
        json={"request_id": "r", "code": "TOO_MANY_REQUESTS", "message": "slow down"},
        headers={"Retry-After": "120"},
    )
    script = Script([throttled])
    clock = FakeClock()
    with pytest.raises(RateLimitError) as caught:
        sync_client(script, clock).start_archive_pool("21")
    assert caught.value.retry_after == 120.0
    assert caught.value.code == "TOO_MANY_REQUESTS"
    assert (len(script.requests), clock.slept) == (1, [])


def test_rate_limit_error_after_retries_carries_the_last_hint() -> None:
    throttled = httpx.Response(429, headers={"Retry-After": "1"})
    script = Script([throttled] * 4)
    with pytest.raises(RateLimitError) as caught:
        sync_client(script, FakeClock()).start_archive_pool("21")
    assert caught.value.retry_after == 1.0


def test_polls_are_retried_with_their_own_budget() -> None:
    # Three failed polls in a row are within each poll's own retry budget.
    flaky = error(503, "REMOTE_SERVICE_UNAVAILABLE")
    script = Script([started(), flaky, polled("RUNNING"), flaky, flaky, flaky, polled("SUCCESS")])
    clock = FakeClock()
    client = sync_client(script, clock, retry=NO_JITTER_RETRY, poll=NO_JITTER_POLL)
    result = client.archive_pool("21")
    assert result.operation is not None
    assert clock.slept == [1.0, 0.5, 1.5, 0.5, 1.0, 2.0]
