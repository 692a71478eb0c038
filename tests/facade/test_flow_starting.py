"""Starting an archive when the answer is lost or the pool is locked: ask Toloka, never guess.

``start_flow`` is stepped by hand (see ``flowsteps``). Each test gives the exact replies Toloka
sends, including the look-ups the flow makes when it cannot know what its own request did:
``GET /operations`` (archives only, newest first, since shortly before the first attempt) and
``GET /pools/{id}``. The retry policy here allows one retry, so the request is sent in at most
two rounds, and asking Toloka is tried twice too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from toloka_archive import (
    APIConnectionError,
    APITimeoutError,
    ArchiveNotStartedError,
    ConflictError,
    PollPolicy,
    RateLimitError,
    RetryPolicy,
    UnexpectedResponseError,
)
from toloka_archive._core.context import FlowContext
from toloka_archive._core.flow import Request, Send, Sleep
from toloka_archive._flows.starting import Started, start_flow
from toloka_archive._wire.endpoints import OperationQuery, list_operations_request
from toloka_archive._wire.kinds import POOL_ARCHIVE

from tests.facade.flowsteps import Trace, drive
from tests.facade.scripted import ROUND_SCHEDULE, FakeClock, error, operation

ARCHIVE = Request("POST", "/pools/21/archive")
POST = "POST /pools/21/archive"
POOL = "GET /pools/21"
SINCE = "2026-11-01T11:58:00.000"  # the fake clock's start, less the allowed clock skew
LOOKUP = "GET /operations?type=POOL.ARCHIVE&sort=-submitted&limit=50&submitted_gte=" + SINCE
ACTIVE = "GET /operations?type=POOL.ARCHIVE&status={}&sort=-submitted&limit=50"


def context(clock: FakeClock) -> FlowContext:
    return FlowContext(
        retry=RetryPolicy(jitter=0.0, max_retries=1),
        poll=PollPolicy(jitter=0.0, **ROUND_SCHEDULE, follow_progress=False),
        clock=clock,
        random=lambda: 0.0,
    )


# How often the request is sent, and Toloka asked, at most:
ROUNDS = context(FakeClock()).retry.start_rounds


def start(replies: Sequence[httpx.Response | httpx.TransportError]) -> Trace[Started]:
    clock = FakeClock()
    return drive(start_flow(POOL_ARCHIVE.on("21"), context(clock)), replies, clock)


def page(*items: dict[str, Any], has_more: bool = False) -> httpx.Response:
    return httpx.Response(200, json={"items": list(items), "has_more": has_more})


def pool(status: str) -> httpx.Response:
    return httpx.Response(200, json={"id": "21", "status": status, "project_id": "7"})


def archive_op(status: str, op_id: str = "op-1", pool_id: str = "21", **extra: Any) -> dict:
    return operation(status, op_id=op_id, pool_id=pool_id, **extra)


def accepted(op_id: str = "op-1") -> httpx.Response:
    return httpx.Response(202, json=archive_op("PENDING", op_id=op_id))


def found(trace: Trace[Started]) -> str:
    """The id of the operation the flow settled on."""
    assert trace.error is None, trace
    assert trace.result is not None
    assert trace.result.operation is not None
    return trace.result.operation.id


LOST = httpx.ReadTimeout("no answer")


@pytest.mark.parametrize(
    "lost",
    [
        httpx.ReadTimeout("no answer"),
        httpx.RemoteProtocolError("dropped after sending"),
        error(500, "INTERNAL_ERROR"),
        httpx.Response(502, text="<html>bad gateway</html>"),
        httpx.Response(202, text="<html>accepted</html>"),
        httpx.Response(202, content=b'{"id": "op-1", "type": "POOL.ARCH'),
        httpx.Response(202),
    ],
    ids=["read timeout", "dropped", "500", "502", "202 not json", "202 cut short", "202 empty"],
)
def test_a_lost_answer_is_asked_about_not_sent_again(lost: httpx.Response) -> None:
    trace = start([lost, page(archive_op("RUNNING", op_id="op-9"))])
    assert trace.labels == [POST, LOOKUP]
    assert found(trace) == "op-9"
    assert trace.result is not None
    assert trace.result.reconciled


def test_the_lookup_passes_over_other_pools_and_other_kinds() -> None:
    others = [
        archive_op("RUNNING", op_id="op-5", pool_id="22"),
        archive_op("RUNNING", op_id="op-4", type="POOL.CLOSE"),
        archive_op("RUNNING", op_id="../op", pool_id="21"),  # an id that cannot be polled
    ]
    trace = start([LOST, page(*others, archive_op("FAIL", op_id="op-3"))])
    assert found(trace) == "op-3"  # a failed archive is still the truth: it is followed


def test_the_lookup_pages_back_in_time_without_repeating_ties() -> None:
    newer = archive_op("RUNNING", op_id="op-8", pool_id="22", submitted="2026-11-01T12:00:05.000")
    tie = archive_op("RUNNING", op_id="op-7", pool_id="23", submitted="2026-11-01T12:00:01.000")
    ours = archive_op("RUNNING", op_id="op-6", submitted="2026-11-01T12:00:01.000")
    trace = start([LOST, page(newer, tie, has_more=True), page(tie, ours)])
    second = OperationQuery(
        type="POOL.ARCHIVE",
        submitted_gte=datetime(2026, 11, 1, 11, 58, tzinfo=UTC),
        submitted_lte=datetime(2026, 11, 1, 12, 0, 1),
        sort="-submitted",
        limit=200,  # the first page was 50, and each next one is 4 times larger
    )
    assert trace.requests[-1] == list_operations_request(second)
    assert found(trace) == "op-6"


def test_nothing_found_and_the_pool_archived_means_already_archived() -> None:
    trace = start([LOST, page(), pool("ARCHIVED")])
    assert trace.labels == [POST, LOOKUP, POOL]
    assert trace.result == Started(POOL_ARCHIVE.on("21"), None)


def test_nothing_found_and_the_pool_unchanged_means_send_again_after_a_pause() -> None:
    trace = start([LOST, page(), pool("CLOSED"), accepted("op-2")])
    assert trace.labels == [POST, LOOKUP, POOL, POST]
    assert Sleep(0.5) in trace.actions
    assert found(trace) == "op-2"
    assert trace.result is not None
    assert not trace.result.reconciled


def test_when_every_round_starts_nothing_the_pool_is_not_archived_and_says_so() -> None:
    trace = start([LOST, page(), pool("CLOSED")] * ROUNDS)
    raised = trace.raised(ArchiveNotStartedError)
    assert isinstance(raised.__cause__, APITimeoutError)
    assert "Toloka shows no archive of this pool, so trying again is safe" in str(raised)


def test_when_toloka_cannot_be_asked_the_outcome_is_unknown() -> None:
    down = error(503, "REMOTE_SERVICE_UNAVAILABLE")
    trace = start([LOST, *[down, down] * ROUNDS])  # each try of asking is retried once
    raised = trace.raised(APITimeoutError)
    assert any("whether the archive started is unknown" in note for note in raised.__notes__)
    assert trace.labels.count(POST) == 1  # never sent again without knowing


def test_asking_is_tried_again_before_anything_is_sent_again() -> None:
    down = error(503, "REMOTE_SERVICE_UNAVAILABLE")
    trace = start([LOST, down, down, page(), pool("CLOSED"), accepted()])
    assert trace.labels == [POST, LOOKUP, LOOKUP, LOOKUP, POOL, POST]
    assert found(trace) == "op-1"


def test_a_202_that_contradicts_the_request_is_never_looked_past() -> None:
    trace = start([httpx.Response(202, json=archive_op("PENDING", pool_id="22"))])
    assert trace.raised(UnexpectedResponseError).contradicts
    assert trace.labels == [POST]


def test_nothing_sent_means_nothing_to_ask_about() -> None:
    trace = start([httpx.ConnectError("refused")] * 2)
    trace.raised(APIConnectionError)
    assert trace.labels == [POST, POST]  # the retry policy's own retry, nothing more


def test_a_429_is_retried_as_usual_and_never_asked_about() -> None:
    trace = start([httpx.Response(429, headers={"Retry-After": "1"}), accepted()])
    assert trace.labels == [POST, POST]
    trace = start([httpx.Response(429, headers={"Retry-After": "3600"})])
    trace.raised(RateLimitError)
    assert trace.labels == [POST]


# 409 POOL_LOCKED_BY_ANOTHER_OPERATION: an archive may already be running


def locked(operation_id: str | None = None) -> httpx.Response:
    payload = {} if operation_id is None else {"payload": {"operation_id": operation_id}}
    return error(409, "POOL_LOCKED_BY_ANOTHER_OPERATION", "locked", **payload)


def test_a_lock_named_in_the_payload_is_followed_when_it_is_our_pools_archive() -> None:
    trace = start([locked("op-4"), httpx.Response(200, json=archive_op("RUNNING", op_id="op-4"))])
    assert trace.labels == [POST, "GET /operations/op-4"]
    assert found(trace) == "op-4"
    assert trace.result is not None
    assert trace.result.reconciled


def test_an_unnamed_lock_is_looked_up_among_running_archives() -> None:
    trace = start([locked(), page(), page(archive_op("RUNNING", op_id="op-2"))])
    assert trace.labels == [POST, ACTIVE.format("PENDING"), ACTIVE.format("RUNNING")]
    assert found(trace) == "op-2"


def test_an_unnamed_lock_that_has_just_finished_archiving_is_already_archived() -> None:
    trace = start([locked(), page(), page(), pool("ARCHIVED")])
    assert trace.result == Started(POOL_ARCHIVE.on("21"), None)


def test_a_lock_held_by_another_kind_of_operation_is_waited_out_then_archived() -> None:
    closing = archive_op("RUNNING", op_id="op-c", type="POOL.CLOSE")
    closed = archive_op("SUCCESS", op_id="op-c", type="POOL.CLOSE")
    trace = start(
        [
            locked("op-c"),
            httpx.Response(200, json=closing),  # who holds the lock
            httpx.Response(200, json=closed),  # its next poll: done
            accepted(),
        ]
    )
    assert trace.labels == [POST, "GET /operations/op-c", "GET /operations/op-c", POST]
    assert found(trace) == "op-1"
    assert trace.result is not None
    assert not trace.result.reconciled


def start_in(flow_context: FlowContext, pool_id: str, replies: Sequence[Any]) -> Trace[Started]:
    """Start pool ``pool_id`` in a context shared with other starts, as one client's are."""
    clock = flow_context.clock
    assert isinstance(clock, FakeClock)
    return drive(start_flow(POOL_ARCHIVE.on(pool_id), flow_context), replies, clock)


def archive_request(pool_id: str) -> str:
    return f"POST /pools/{pool_id}/archive"


def test_a_page_of_running_archives_read_for_one_lock_answers_the_next_ones() -> None:
    # Three archives already running (started by a run that did not wait); the 409s name none.
    shared = context(FakeClock())
    running = [archive_op("RUNNING", op_id=f"op-{n}", pool_id=str(n)) for n in (23, 22, 21)]
    first = start_in(shared, "21", [locked(), page(), page(*running)])
    assert found(first) == "op-21"
    second = start_in(
        shared, "22", [locked(), httpx.Response(200, json=archive_op("RUNNING", "op-22", "22"))]
    )
    assert second.labels == [archive_request("22"), "GET /operations/op-22"]  # no list read
    assert found(second) == "op-22"
    assert second.result is not None
    assert second.result.reconciled


def test_a_note_that_proves_wrong_is_forgotten_and_the_list_is_read() -> None:
    shared = context(FakeClock())
    running = [archive_op("RUNNING", op_id=f"op-{n}", pool_id=str(n)) for n in (22, 21)]
    assert found(start_in(shared, "21", [locked(), page(), page(*running)])) == "op-21"
    failed = httpx.Response(200, json=archive_op("FAIL", op_id="op-22", pool_id="22"))
    again = archive_op("RUNNING", op_id="op-30", pool_id="22")
    trace = start_in(shared, "22", [locked(), failed, page(), page(again)])
    assert trace.labels == [
        archive_request("22"),
        "GET /operations/op-22",  # the note: that archive failed, so it is not the lock
        ACTIVE.format("PENDING"),
        ACTIVE.format("RUNNING"),
    ]
    assert found(trace) == "op-30"
    assert shared.running.get(("POOL.ARCHIVE", "22")) == "op-30"


def test_a_note_whose_operation_is_gone_is_forgotten() -> None:
    shared = context(FakeClock())
    running = [archive_op("RUNNING", op_id=f"op-{n}", pool_id=str(n)) for n in (22, 21)]
    assert found(start_in(shared, "21", [locked(), page(), page(*running)])) == "op-21"
    gone = error(404, "DOES_NOT_EXIST")
    trace = start_in(shared, "22", [locked(), gone, page(), page(), pool("ARCHIVED")])
    assert trace.result == Started(POOL_ARCHIVE.on("22"), None)
    assert shared.running.get(("POOL.ARCHIVE", "22")) is None


def test_a_lock_that_never_goes_away_is_the_conflict_in_the_end() -> None:
    trace = start([locked(), page(), page(), pool("CLOSED")] * ROUNDS)
    assert trace.raised(ConflictError).code == "POOL_LOCKED_BY_ANOTHER_OPERATION"


def test_other_conflicts_are_raised_at_once() -> None:
    trace = start([error(409, "INAPPROPRIATE_STATUS")])
    assert trace.raised(ConflictError).code == "INAPPROPRIATE_STATUS"
    assert trace.actions == [Send(ARCHIVE)]


def test_an_archive_whose_id_cannot_be_polled_is_not_noted() -> None:
    shared = context(FakeClock())
    unsafe = archive_op("RUNNING", op_id="../op", pool_id="22")
    ours = archive_op("RUNNING", op_id="op-21")
    assert found(start_in(shared, "21", [locked(), page(), page(unsafe, ours)])) == "op-21"
    assert shared.running.get(("POOL.ARCHIVE", "21")) == "op-21"
    assert shared.running.get(("POOL.ARCHIVE", "22")) is None
