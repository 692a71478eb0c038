"""The retrying flow on its own: the exact requests and pauses ``_retrying.send`` asks for.

No client and no transport: each test steps the flow by hand (see ``flowsteps``) and answers
its ``Send`` actions with responses or transport errors, and its ``Sleep`` actions by moving a
fake clock. Whole-client behaviour is in ``test_retrying.py``; this is the flow's own contract.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Sequence
from datetime import timedelta
from email.utils import format_datetime

import httpx
import pytest
from toloka_archive import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    RunEndingError,
    TolokaUnreachableError,
)
from toloka_archive._core.context import FlowContext
from toloka_archive._core.flow import Request, Send, Sleep
from toloka_archive._flows import sending as _retrying
from toloka_archive._wire import endpoints as _endpoints

from tests.facade.flowsteps import Trace, drive, finish, step
from tests.facade.scripted import FakeClock, error

ARCHIVE = Request("POST", "/pools/21/archive")
LOOKUP = Request("GET", "/assignments", (("pool_id", "21"), ("status", "REJECTED")))


def context(
    clock: FakeClock | None = None,
    *,
    random: Callable[[], float] = lambda: 0.0,
    **policy: object,
) -> FlowContext:
    retry = RetryPolicy(**{"jitter": 0.0, **policy})  # type: ignore[arg-type]
    return FlowContext(retry=retry, clock=FakeClock() if clock is None else clock, random=random)


def run(
    replies: Sequence[httpx.Response | httpx.TransportError],
    request: Request = ARCHIVE,
    **options: object,
) -> tuple[Trace[httpx.Response], FakeClock]:
    clock = FakeClock()
    flow = _retrying.send(request, context(clock, **options))  # type: ignore[arg-type]
    return drive(flow, replies, clock), clock


def notes(exception: BaseException) -> list[str]:
    return list(getattr(exception, "__notes__", []))


def test_the_endpoints_describe_the_archive_request() -> None:
    assert _endpoints.archive_pool_request("21") == ARCHIVE
    assert ARCHIVE.label == "POST /pools/21/archive"


@pytest.mark.parametrize("status", [200, 202, 204])
def test_a_success_returns_at_once_after_one_send(status: int) -> None:
    answer = httpx.Response(status)
    flow = _retrying.send(LOOKUP, context())
    action = next(flow)
    assert action == Send(LOOKUP)
    assert isinstance(action, Send)
    assert action.request.method == "GET"
    assert action.request.url == "/assignments"
    assert action.request.params == (("pool_id", "21"), ("status", "REJECTED"))
    assert finish(flow, answer) is answer


RETRYABLE: list[tuple[Callable[[], httpx.Response | httpx.TransportError], type[Exception]]] = [
    (lambda: httpx.Response(408), APIStatusError),
    (lambda: error(429, "TOO_MANY_REQUESTS"), RateLimitError),
    (lambda: error(500, "INTERNAL_ERROR"), InternalServerError),
    (lambda: httpx.Response(502, text="<html>bad gateway</html>"), InternalServerError),
    (lambda: error(503, "REMOTE_SERVICE_UNAVAILABLE"), InternalServerError),
    (lambda: httpx.Response(504), InternalServerError),
    # Never answered before: Toloka is unreachable, which ends a bulk run.
    (lambda: httpx.ConnectError("refused"), TolokaUnreachableError),
    (lambda: httpx.ReadTimeout("slow"), APITimeoutError),
]
RETRYABLE_IDS = ["408", "429", "500", "502", "503", "504", "ConnectError", "ReadTimeout"]


@pytest.mark.parametrize(("failure", "raised"), RETRYABLE, ids=RETRYABLE_IDS)
def test_a_passing_failure_sleeps_then_sends_the_same_request_again(
    failure: Callable[[], httpx.Response | httpx.TransportError], raised: type[Exception]
) -> None:
    ok = httpx.Response(200)
    trace, clock = run([failure(), failure(), ok])
    assert trace.actions == [Send(ARCHIVE), Sleep(0.5), Send(ARCHIVE), Sleep(1.0), Send(ARCHIVE)]
    assert trace.result is ok
    assert clock.slept == [0.5, 1.0]


@pytest.mark.parametrize(("failure", "raised"), RETRYABLE, ids=RETRYABLE_IDS)
def test_the_typed_error_is_raised_after_max_retries(
    failure: Callable[[], httpx.Response | httpx.TransportError], raised: type[Exception]
) -> None:
    replies = [failure() for _ in range(4)]
    trace, _ = run(replies)
    assert trace.actions == [
        Send(ARCHIVE),
        Sleep(0.5),
        Send(ARCHIVE),
        Sleep(1.0),
        Send(ARCHIVE),
        Sleep(2.0),
        Send(ARCHIVE),
    ]
    exception = trace.raised(raised)
    assert type(exception) is raised
    assert "gave up after 3 retries" in notes(exception)
    last = replies[-1]
    if isinstance(last, httpx.TransportError):
        # The cause is a copy: same type and message, but no request (its headers hold the key).
        cause = exception.__cause__
        assert type(cause) is type(last)
        assert str(cause) == str(last)
        with pytest.raises(RuntimeError):
            _ = cause.request  # type: ignore[union-attr]
        assert "POST /pools/21/archive" in str(exception)
    else:
        assert isinstance(exception, APIStatusError)
        assert exception.status_code == last.status_code


def test_one_retry_is_named_in_the_singular() -> None:
    trace, _ = run([httpx.Response(503), httpx.Response(503)], max_retries=1)
    assert trace.sleeps == [0.5]
    assert notes(trace.raised(InternalServerError)) == ["gave up after 1 retry"]


@pytest.mark.parametrize(
    ("status", "code", "raised"),
    [
        (400, "VALIDATION_ERROR", BadRequestError),
        (401, "AUTHENTICATION_ERROR", AuthenticationError),
        (403, "ACCESS_DENIED", PermissionDeniedError),
        (404, "DOES_NOT_EXIST", NotFoundError),
        (409, "INAPPROPRIATE_STATUS", ConflictError),
    ],
)
def test_a_request_error_raises_at_once_with_no_sleep(
    status: int, code: str, raised: type[APIStatusError]
) -> None:
    # Even with a Retry-After hint: asking again cannot change the answer.
    answer = error(status, code, "no", request_id="req-x")
    answer.headers["Retry-After"] = "1"
    trace, clock = run([answer])
    assert trace.actions == [Send(ARCHIVE)]
    exception = trace.raised(raised)
    assert type(exception) is raised
    assert (exception.status_code, exception.code, exception.message) == (status, code, "no")
    assert exception.request_id == "req-x"
    assert notes(exception) == []
    assert clock.slept == []


@pytest.mark.parametrize(
    ("headers", "pause"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "1.25"}, 1.25),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),  # the finer hint wins
        ({"Retry-After": "0.05"}, 0.2),  # raised to the floor
        ({"Retry-After": "0"}, 0.2),
        ({"retry-after-ms": "10"}, 0.2),
        ({"Retry-After": "60"}, 60.0),  # the cap itself is still waited
        ({"Retry-After": "soon"}, 0.5),  # unreadable: the policy's own backoff
        ({"Retry-After": "-3"}, 0.5),
    ],
)
def test_a_server_hint_replaces_the_backoff(headers: dict[str, str], pause: float) -> None:
    ok = httpx.Response(200)
    trace, _ = run([httpx.Response(429, headers=headers), ok])
    assert trace.actions == [Send(ARCHIVE), Sleep(pause), Send(ARCHIVE)]
    assert trace.result is ok


@pytest.mark.parametrize(("offset", "pause"), [(7.0, 7.0), (0.1, 0.2), (-30.0, 0.2)])
def test_a_retry_after_date_counts_from_the_clock_now(offset: float, pause: float) -> None:
    clock = FakeClock()
    clock.sleep(100.0)  # the flow's clock, not the wall clock, says what "now" is
    moment = clock.now() + timedelta(seconds=offset)
    hint = format_datetime(moment.replace(microsecond=0), usegmt=True)
    flow = _retrying.send(ARCHIVE, context(clock))
    assert next(flow) == Send(ARCHIVE)
    assert step(flow, httpx.Response(503, headers={"Retry-After": hint})) == Sleep(pause)


def test_a_hint_applies_to_the_later_retries_too() -> None:
    hinted = httpx.Response(503, headers={"Retry-After": "4"})
    trace, _ = run([hinted, httpx.Response(503), hinted, httpx.Response(200)])
    # The hint replaces the backoff of its own retry only; the others keep their number.
    assert trace.sleeps == [4.0, 1.0, 4.0]


@pytest.mark.parametrize(
    ("headers", "hint"), [({"Retry-After": "61"}, 61.0), ({"retry-after-ms": "60001"}, 60.001)]
)
def test_a_hint_over_the_cap_raises_rate_limit_error_at_once(
    headers: dict[str, str], hint: float
) -> None:
    body = {"code": "TOO_MANY_REQUESTS", "message": "slow down"}
    trace, clock = run([httpx.Response(429, headers=headers, json=body)])
    assert trace.actions == [Send(ARCHIVE)]
    exception = trace.raised(RateLimitError)
    assert exception.retry_after == pytest.approx(hint)
    assert (exception.code, exception.message) == ("TOO_MANY_REQUESTS", "slow down")
    assert notes(exception) == []
    assert clock.slept == []


def test_a_long_hint_after_retries_gives_up_with_the_note() -> None:
    trace, _ = run([httpx.Response(429), httpx.Response(429, headers={"Retry-After": "120"})])
    assert trace.actions == [Send(ARCHIVE), Sleep(0.5), Send(ARCHIVE)]
    exception = trace.raised(RateLimitError)
    assert exception.retry_after == 120.0
    assert notes(exception) == ["gave up after 1 retry"]


def over_the_limit(shared: FlowContext) -> FlowContext:
    """A context whose client has just met enough 429s to be over the account's limit."""
    for _ in range(shared.retry.rate_limit_burst - 1):
        shared.throttle.note(True)
    return shared


def test_a_429_moves_the_shared_throttle_for_every_flow_of_the_context() -> None:
    clock = FakeClock()
    shared = over_the_limit(context(clock))
    first = _retrying.send(ARCHIVE, shared)
    assert next(first) == Send(ARCHIVE)
    assert step(first, httpx.Response(429, headers={"Retry-After": "5"})) == Sleep(5.0)
    clock.sleep(2.0)  # some of the pause has passed when another flow starts
    other_request = Request("GET", "/operations/op-1")
    second = _retrying.send(other_request, shared)
    assert next(second) == Sleep(3.0)
    clock.sleep(3.0)
    assert step(second) == Send(other_request)
    # The flow that got the 429 has waited its own pause (5 s have passed): not a second one.
    assert step(first) == Send(ARCHIVE)
    ok = httpx.Response(200)
    assert finish(first, ok) is ok


def test_an_isolated_429_among_successes_pauses_only_its_own_flow() -> None:
    clock = FakeClock()
    shared = context(clock)
    for _ in range(shared.retry.rate_limit_window):
        shared.throttle.note(False)  # the client's recent answers were fine
    first = _retrying.send(ARCHIVE, shared)
    next(first)
    assert step(first, httpx.Response(429, headers={"Retry-After": "5"})) == Sleep(5.0)
    assert next(_retrying.send(ARCHIVE, shared)) == Send(ARCHIVE)


def test_a_429_without_a_hint_holds_the_others_for_its_backoff() -> None:
    clock = FakeClock()
    shared = over_the_limit(context(clock))
    first = _retrying.send(ARCHIVE, shared)
    next(first)
    assert step(first, httpx.Response(429)) == Sleep(0.5)
    assert next(_retrying.send(ARCHIVE, shared)) == Sleep(0.5)


def test_the_throttle_is_per_context() -> None:
    clock = FakeClock()
    first = _retrying.send(ARCHIVE, context(clock))
    next(first)
    assert step(first, httpx.Response(429, headers={"Retry-After": "5"})) == Sleep(5.0)
    assert next(_retrying.send(ARCHIVE, context(clock))) == Send(ARCHIVE)


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(503, headers={"Retry-After": "5"}),  # retried, but not a rate limit
        httpx.Response(429, headers={"Retry-After": "61"}),  # a 429 given up on at once
    ],
    ids=["503", "429-over-cap"],
)
def test_other_failures_do_not_hold_the_other_flows(reply: httpx.Response) -> None:
    clock = FakeClock()
    shared = context(clock)
    first = _retrying.send(ARCHIVE, shared)
    next(first)
    with contextlib.suppress(RateLimitError):  # the over-cap 429 ends its own flow
        first.send(reply)
    assert next(_retrying.send(ARCHIVE, shared)) == Send(ARCHIVE)


@pytest.mark.parametrize(
    ("failure", "raised"),
    [
        (httpx.Response(503), InternalServerError),
        (httpx.Response(429, headers={"Retry-After": "1"}), RateLimitError),
        (httpx.ConnectError("refused"), APIConnectionError),
    ],
    ids=["503", "429", "ConnectError"],
)
def test_max_retries_zero_never_sleeps(failure: httpx.Response, raised: type[Exception]) -> None:
    trace, clock = run([failure], max_retries=0)
    assert trace.actions == [Send(ARCHIVE)]
    assert notes(trace.raised(raised)) == []
    assert clock.slept == []


def test_max_retries_zero_leaves_the_throttle_alone() -> None:
    clock = FakeClock()
    shared = context(clock, max_retries=0)
    first = _retrying.send(ARCHIVE, shared)
    next(first)
    with pytest.raises(RateLimitError) as caught:
        first.send(httpx.Response(429, headers={"Retry-After": "5"}))
    assert caught.value.retry_after == 5.0
    assert next(_retrying.send(ARCHIVE, shared)) == Send(ARCHIVE)


def test_a_high_draw_shortens_each_pause_by_at_most_the_jitter() -> None:
    trace, _ = run([httpx.Response(503)] * 4, jitter=0.2, random=lambda: 0.999)
    plain = [0.5, 1.0, 2.0]
    assert trace.sleeps == pytest.approx([p * (1 - 0.2 * 0.999) for p in plain])
    for pause, full in zip(trace.sleeps, plain, strict=True):
        assert 0.8 * full <= pause <= full
        assert pause < full


@pytest.mark.parametrize("seed", range(5))
def test_seeded_draws_stay_within_the_jitter_bounds(seed: int) -> None:
    draws = random.Random(seed).random
    trace, _ = run([httpx.Response(503)] * 7, jitter=0.2, random=draws, max_retries=6)
    plain = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert len(trace.sleeps) == len(plain)
    for pause, full in zip(trace.sleeps, plain, strict=True):
        assert 0.8 * full <= pause <= full
    assert len(set(trace.sleeps)) == len(trace.sleeps)  # the draws did shorten them


def test_a_server_hint_is_not_jittered() -> None:
    trace, _ = run(
        [httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(200)],
        jitter=0.2,
        random=lambda: 0.999,
    )
    assert trace.sleeps == [3.0]


def test_retry_delay_stops_when_the_retries_are_spent() -> None:
    policy = RetryPolicy(max_retries=2, jitter=0.0)
    now = FakeClock().now()
    ceilings = policy.ceilings()
    delays = [
        _retrying.retry_delay(
            httpx.Response(500), done, next(ceilings), policy, now=now, random=lambda: 0.0
        )
        for done in range(4)
    ]
    assert delays == [0.5, 1.0, None, None]


def test_retry_delay_gives_up_on_a_status_outside_the_policy() -> None:
    policy = RetryPolicy(jitter=0.0, retry_statuses=frozenset({503}))
    now = FakeClock().now()

    def delay(status: int) -> float | None:
        return _retrying.retry_delay(
            httpx.Response(status), 0, 0.5, policy, now=now, random=lambda: 0.0
        )

    assert (delay(503), delay(500)) == (0.5, None)
    trace, _ = run([httpx.Response(500)], retry_statuses=frozenset({503}))
    assert trace.actions == [Send(ARCHIVE)]
    assert type(trace.raised(InternalServerError)) is InternalServerError


def test_a_connection_refused_after_an_earlier_answer_is_one_requests_trouble() -> None:
    clock = FakeClock()
    shared = context(clock)
    drive(_retrying.send(ARCHIVE, shared), [httpx.Response(200)], clock)
    trace = drive(_retrying.send(ARCHIVE, shared), [httpx.ConnectError("refused")] * 4, clock)
    exception = trace.raised(APIConnectionError)
    assert type(exception) is APIConnectionError


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError("dns"), httpx.ConnectTimeout("no syn-ack")], ids=repr
)
def test_never_connecting_means_toloka_is_unreachable(failure: httpx.TransportError) -> None:
    trace, _ = run([failure] * 4)
    exception = trace.raised(TolokaUnreachableError)
    assert isinstance(exception, RunEndingError)
    assert str(exception).startswith("Toloka is unreachable: ")


def test_a_read_failure_is_not_unreachable_even_before_any_answer() -> None:
    # The request may have reached Toloka: that is an ambiguous answer, not an absent Toloka.
    trace, _ = run([httpx.ReadError("reset")] * 4)
    exception = trace.raised(APIConnectionError)
    assert not isinstance(exception, TolokaUnreachableError)


def quota(interval: str, **headers: str) -> httpx.Response:
    """Toloka's 429 over one of its quotas: the payload names the quota's interval."""
    body = {"request_id": "r", "code": "TOO_MANY_REQUESTS", "message": "quota", "payload": {}}
    body["payload"] = {"interval": interval, "limit": 100}
    return httpx.Response(429, json=body, headers=headers)


def test_a_minute_quota_is_waited_out_for_its_minute() -> None:
    trace, _ = run([quota("MIN"), httpx.Response(200)])
    assert trace.actions == [Send(ARCHIVE), Sleep(60.0), Send(ARCHIVE)]
    assert trace.result is not None


@pytest.mark.parametrize(("interval", "seconds"), [("HOUR", 3600.0), ("DAY", 86400.0)])
def test_an_hour_or_day_quota_stops_at_once_and_says_how_long(
    interval: str, seconds: float
) -> None:
    trace, clock = run([quota(interval)])
    assert trace.actions == [Send(ARCHIVE)]
    assert trace.raised(RateLimitError).retry_after == seconds
    assert clock.slept == []


def test_a_retry_after_header_wins_over_the_quota_interval() -> None:
    trace, _ = run([quota("HOUR", **{"Retry-After": "2"}), httpx.Response(200)])
    assert trace.sleeps == [2.0]


def test_an_unknown_interval_leaves_the_policys_own_backoff() -> None:
    trace, _ = run([quota("FORTNIGHT"), httpx.Response(200)])
    assert trace.sleeps == [0.5]
