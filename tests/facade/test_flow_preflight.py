"""The pre-flight flow on its own: which reads it asks for, and what it concludes from them.

``preflight_flow`` is stepped by hand (see ``flowsteps``); ``judge`` is checked as the pure
function it is, at the exact edge of the 9-day appeal window. The fake clock's "now" is
2026-11-01 12:00 UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from toloka_archive import NotFoundError, RetryPolicy, UnexpectedResponseError
from toloka_archive._core.context import FlowContext
from toloka_archive._core.flow import Request, Send, Sleep
from toloka_archive._flows.preflight import Archivability, Verdict, judge, preflight_flow
from toloka_archive._wire import endpoints as _endpoints
from toloka_archive._wire.kinds import POOL
from toloka_archive_api.models import KnownPoolStatus, Pool

from tests.facade.flowsteps import Trace, drive, step
from tests.facade.scripted import FakeClock, error

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
GET_POOL = Request("GET", "/pools/21")
LAST_REJECTION = Request(
    "GET",
    "/assignments",
    (("pool_id", "21"), ("status", "REJECTED"), ("sort", "-rejected"), ("limit", "1")),
)


def pool_answer(status: str, pool_id: str = "21", **extra: Any) -> httpx.Response:
    return httpx.Response(200, json={"id": pool_id, "status": status, **extra})


def page_answer(*rejected: str | None) -> httpx.Response:
    items: list[dict[str, Any]] = []
    for number, moment in enumerate(rejected):
        item: dict[str, Any] = {"id": f"a-{number}", "pool_id": "21", "status": "REJECTED"}
        if moment is not None:
            item["rejected"] = moment
        items.append(item)
    return httpx.Response(200, json={"items": items, "has_more": False})


def toloka_time(moment: datetime) -> str:
    """How Toloka writes a UTC time: ISO 8601 with milliseconds and no offset."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds")


def preflight(
    replies: Sequence[httpx.Response | httpx.TransportError],
    clock: FakeClock | None = None,
    pool_id: str = "21",
) -> Trace[Archivability]:
    clock = FakeClock() if clock is None else clock
    context = FlowContext(retry=RetryPolicy(jitter=0.0), clock=clock, random=lambda: 0.0)
    return drive(preflight_flow(POOL, pool_id, context), replies, clock)


def test_the_endpoints_describe_the_two_reads() -> None:
    assert _endpoints.get_pool_request("21") == GET_POOL
    assert _endpoints.last_rejection_request("21") == LAST_REJECTION
    assert LAST_REJECTION.label == (
        "GET /assignments?pool_id=21&status=REJECTED&sort=-rejected&limit=1"
    )


def test_the_fake_clock_starts_at_the_moment_these_tests_assume() -> None:
    assert FakeClock().now() == NOW


def test_a_closed_pool_without_rejections_is_archivable() -> None:
    trace = preflight([pool_answer("CLOSED"), page_answer()])
    assert trace.actions == [Send(GET_POOL), Send(LAST_REJECTION)]
    assert trace.result == Archivability("21", Verdict.ARCHIVABLE, "CLOSED")
    assert trace.result.can_archive_now
    assert trace.result.reason == "can be archived now"


def test_the_second_read_asks_for_the_pool_it_checks() -> None:
    trace = preflight([pool_answer("CLOSED", pool_id="7"), page_answer()], pool_id="7")
    assert trace.labels == [
        "GET /pools/7",
        "GET /assignments?pool_id=7&status=REJECTED&sort=-rejected&limit=1",
    ]


def test_a_rejection_two_days_ago_blocks_the_pool_for_seven_more_days() -> None:
    rejected = NOW - timedelta(days=2)
    trace = preflight([pool_answer("CLOSED"), page_answer(toloka_time(rejected))])
    assert trace.actions == [Send(GET_POOL), Send(LAST_REJECTION)]
    result = trace.result
    assert result is not None
    assert result.verdict is Verdict.REJECTION_WINDOW
    assert not result.can_archive_now
    assert result.last_rejected == rejected
    assert result.archivable_from == datetime(2026, 11, 8, 12, 0, tzinfo=UTC)
    assert result.archivable_from is not None
    assert result.archivable_from.utcoffset() == timedelta(0)
    assert result.reason == "has rejected tasks, archivable from 2026-11-08 12:00 UTC"


def test_a_rejection_thirty_days_ago_no_longer_blocks() -> None:
    rejected = NOW - timedelta(days=30)
    trace = preflight([pool_answer("CLOSED"), page_answer(toloka_time(rejected))])
    result = trace.result
    assert result is not None
    assert result.verdict is Verdict.ARCHIVABLE
    assert result.last_rejected == rejected
    assert result.archivable_from is None


def test_the_latest_of_the_rejections_counts() -> None:
    older, newer = NOW - timedelta(days=20), NOW - timedelta(days=1)
    answer = page_answer(toloka_time(older), None, toloka_time(newer))
    trace = preflight([pool_answer("CLOSED"), answer])
    assert trace.result is not None
    assert trace.result.last_rejected == newer
    assert trace.result.archivable_from == newer + timedelta(days=9)


def test_an_assignment_without_a_rejection_time_is_no_rejection() -> None:
    trace = preflight([pool_answer("CLOSED"), page_answer(None)])
    assert trace.result == Archivability("21", Verdict.ARCHIVABLE, "CLOSED")


def test_the_window_is_judged_by_the_flow_clock() -> None:
    rejected = NOW - timedelta(days=2)
    clock = FakeClock()
    clock.sleep(timedelta(days=7).total_seconds())  # now is exactly rejected + 9 days
    trace = preflight([pool_answer("CLOSED"), page_answer(toloka_time(rejected))], clock)
    assert trace.result is not None
    assert trace.result.verdict is Verdict.ARCHIVABLE


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("OPEN", "status OPEN, close it first"),
        ("LOCKED", "status LOCKED, only CLOSED pools can be archived"),
        ("SUSPENDED", "status SUSPENDED, only CLOSED pools can be archived"),  # unknown to us
    ],
)
def test_a_pool_that_is_not_closed_has_the_wrong_status(status: str, reason: str) -> None:
    trace = preflight([pool_answer(status)])
    assert trace.actions == [Send(GET_POOL)]  # no need to look for rejections
    assert trace.result == Archivability("21", Verdict.WRONG_STATUS, status)
    assert trace.result.reason == reason
    assert not trace.result.can_archive_now


def test_an_archived_pool_needs_one_read() -> None:
    trace = preflight([pool_answer("ARCHIVED")])
    assert trace.actions == [Send(GET_POOL)]
    assert trace.result == Archivability("21", Verdict.ALREADY_ARCHIVED, "ARCHIVED")
    assert trace.result.reason == "already archived"


def test_extra_pool_fields_do_not_matter() -> None:
    answer = pool_answer(
        "ARCHIVED",
        project_id="5",
        private_name="p",
        last_close_reason="MANUAL",
        created="2016-04-07T16:06:15.902",
        something_new={"x": 1},
    )
    trace = preflight([answer])
    assert trace.result is not None
    assert trace.result.verdict is Verdict.ALREADY_ARCHIVED


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, json={"id": "21"}),  # no status
        httpx.Response(200, json={"status": "CLOSED"}),  # no id
        httpx.Response(200, json=[{"id": "21", "status": "CLOSED"}]),
        httpx.Response(200, text="<html>login</html>"),
        httpx.Response(200, json="CLOSED"),  # a JSON value, but not an object
    ],
    ids=["no-status", "no-id", "a-list", "not-json", "not-an-object"],
)
def test_a_body_that_is_not_a_pool_is_unexpected(answer: httpx.Response) -> None:
    trace = preflight([answer])
    assert trace.actions == [Send(GET_POOL)]
    assert trace.raised(UnexpectedResponseError).status_code == 200


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, json={"has_more": False}),
        httpx.Response(
            200, json={"items": [{"rejected": "2026-10-30T12:00:00"}], "has_more": False}
        ),
        httpx.Response(200, text="nope"),
    ],
    ids=["no-items", "item-without-id", "not-json"],
)
def test_a_body_that_is_not_an_assignment_page_is_unexpected(answer: httpx.Response) -> None:
    trace = preflight([pool_answer("CLOSED"), answer])
    assert trace.actions == [Send(GET_POOL), Send(LAST_REJECTION)]
    trace.raised(UnexpectedResponseError)


def test_an_unknown_pool_is_not_found_at_once() -> None:
    trace = preflight([error(404, "DOES_NOT_EXIST", "pool 21 not found")])
    assert trace.actions == [Send(GET_POOL)]
    missing = trace.raised(NotFoundError)
    assert (missing.status_code, missing.code) == (404, "DOES_NOT_EXIST")


def test_both_reads_are_retried() -> None:
    clock = FakeClock()
    context = FlowContext(retry=RetryPolicy(jitter=0.0), clock=clock, random=lambda: 0.0)
    flow = preflight_flow(POOL, "21", context)
    assert next(flow) == Send(GET_POOL)
    assert step(flow, httpx.Response(503)) == Sleep(0.5)
    clock.sleep(0.5)
    assert step(flow) == Send(GET_POOL)
    assert step(flow, pool_answer("CLOSED")) == Send(LAST_REJECTION)
    assert step(flow, httpx.ReadTimeout("slow")) == Sleep(0.5)  # its own retry budget
    clock.sleep(0.5)
    assert step(flow) == Send(LAST_REJECTION)
    with pytest.raises(StopIteration) as finished:
        flow.send(page_answer())
    assert finished.value.value == Archivability("21", Verdict.ARCHIVABLE, "CLOSED")


# judge, the pure decision

CLOSED = Pool(id="21", status=KnownPoolStatus.CLOSED)
REJECTED = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)
FREE_FROM = REJECTED + timedelta(days=9)


def test_judge_at_exactly_nine_days_is_archivable() -> None:
    result = judge("21", CLOSED, REJECTED, FREE_FROM)
    assert result == Archivability("21", Verdict.ARCHIVABLE, "CLOSED", REJECTED)


def test_judge_a_microsecond_before_nine_days_is_still_blocked() -> None:
    result = judge("21", CLOSED, REJECTED, FREE_FROM - timedelta(microseconds=1))
    assert result == Archivability("21", Verdict.REJECTION_WINDOW, "CLOSED", REJECTED, FREE_FROM)


def test_judge_reads_a_naive_rejection_time_as_utc() -> None:
    naive = REJECTED.replace(tzinfo=None)
    blocked = judge("21", CLOSED, naive, FREE_FROM - timedelta(seconds=1))
    assert blocked.last_rejected == REJECTED
    assert blocked.last_rejected is not None
    assert blocked.last_rejected.tzinfo is not None
    assert blocked.archivable_from == FREE_FROM
    assert judge("21", CLOSED, naive, FREE_FROM).verdict is Verdict.ARCHIVABLE


def test_judge_gives_the_window_end_in_utc_for_any_offset() -> None:
    moscow = REJECTED.astimezone(timezone(timedelta(hours=3)))
    result = judge("21", CLOSED, moscow, NOW)
    assert result.archivable_from == FREE_FROM
    assert result.archivable_from is not None
    assert result.archivable_from.utcoffset() == timedelta(0)
    assert result.reason == "has rejected tasks, archivable from 2026-11-08 12:00 UTC"


def test_judge_without_rejections_lets_a_closed_pool_go() -> None:
    assert judge("21", CLOSED, None, NOW).verdict is Verdict.ARCHIVABLE


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (KnownPoolStatus.ARCHIVED, Verdict.ALREADY_ARCHIVED),
        (KnownPoolStatus.OPEN, Verdict.WRONG_STATUS),
        (KnownPoolStatus.LOCKED, Verdict.WRONG_STATUS),
        ("SUSPENDED", Verdict.WRONG_STATUS),
    ],
)
def test_judge_ignores_rejections_unless_the_pool_is_closed(
    status: KnownPoolStatus | str, verdict: Verdict
) -> None:
    result = judge("21", Pool(id="21", status=status), NOW - timedelta(days=1), NOW)
    assert result.verdict is verdict
    assert result.pool_status == str(status)
    assert result.archivable_from is None
