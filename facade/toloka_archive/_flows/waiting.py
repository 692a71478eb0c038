"""Waiting for an operation: poll it until it ends, within a budget.

``wait_flow`` strings the polls together with the timer that places them
(``_core.policies.PollTimer``) as a flow (see ``_core.flow``) that the sync and async clients
both drive; it works for an operation of any kind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeAlias

from toloka_archive._core.context import FlowContext
from toloka_archive._core.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    OperationFailedError,
    OperationTimeoutError,
    RateLimitError,
    UnexpectedResponseError,
)
from toloka_archive._core.flow import Flow, Sleep
from toloka_archive._core.models import LogEntry, Operation, Phase
from toloka_archive._core.policies import PollTimer
from toloka_archive._flows import sending
from toloka_archive._wire import endpoints
from toloka_archive._wire.kinds import Job
from toloka_archive._wire.response import read_log, read_operation

logger = logging.getLogger("toloka_archive")

ProgressCallback: TypeAlias = Callable[[Operation], object]


def fetch_flow(
    operation_id: str, context: FlowContext, expect: Job | None = None
) -> Flow[Operation]:
    """One look at an operation: ``GET /operations/{id}``; the answer must be that operation
    (and, given ``expect``, still that job: the same kind, on the same subject)."""
    request = endpoints.get_operation_request(operation_id)
    response = yield from sending.send(request, context)
    return read_operation(response, operation_id=operation_id, expect=expect)


def wait_flow(
    operation: Operation,
    *,
    timeout: float | None,
    context: FlowContext,
    on_progress: ProgressCallback | None,
) -> Flow[Operation]:
    """Follow ``operation`` until SUCCESS (returned), FAIL or the budget (raised).

    A poll that fails in passing, even after its own retries (a dropped connection, a 5xx, an
    unreadable body), does not end the wait: the operation goes on at Toloka whatever happened
    to one look at it, so the next look comes on schedule and the budget stays the limit. A
    poll whose answer is final (404, 401, 403, another operation) ends it.
    """
    kind = str(operation.type)
    timer = PollTimer(
        context.poll,
        timeout,
        context.clock.monotonic,
        context.random,
        learned=lambda: context.durations.typical(kind),
        # An operation this wait saw start: pending, no progress, not started at Toloka yet.
        fresh=operation.phase is Phase.WAITING and not operation.progress,
    )
    job = Job.of(operation)  # every later snapshot must still be this job
    warned: set[str] = set()
    snapshot = operation
    fresh = True  # False after a failed poll: the snapshot in hand was already seen
    while True:
        if fresh and on_progress is not None:
            on_progress(snapshot)
        phase = snapshot.phase
        if phase is Phase.SUCCEEDED:
            if snapshot.duration is not None:
                context.durations.note(kind, snapshot.duration)
            return snapshot
        if phase is Phase.FAILED:
            log = yield from _best_effort_log(snapshot.id, context)
            raise OperationFailedError(snapshot.id, snapshot, log)
        _warn_if_unknown(snapshot, warned)
        if timer.expired():
            raise OperationTimeoutError(snapshot.id, snapshot, timer.elapsed())
        progress = snapshot.progress
        delay = timer.next_delay(snapshot)
        logger.debug(
            "operation %s is %s (%s%%); next poll in %.2f s",
            snapshot.id,
            snapshot.status,
            "?" if progress is None else progress,
            delay,
        )
        yield Sleep(delay)
        try:
            snapshot = yield from fetch_flow(snapshot.id, context, job)
            fresh = True
        except APIError as error:
            if is_passing(error) and not timer.expired():
                logger.info("a poll of operation %s failed, looking again: %s", snapshot.id, error)
                fresh = False
                continue
            error.add_note(
                f"while waiting for operation {snapshot.id}; resume with "
                f"client.get_operation({snapshot.id!r}).wait()"
            )
            raise


def is_passing(error: APIError) -> bool:
    """An error that says nothing about the operation, only about one attempt to look at it."""
    if isinstance(error, UnexpectedResponseError):
        return not error.contradicts
    if isinstance(error, APIStatusError):
        return error.status_code >= 500 or isinstance(error, RateLimitError)
    return isinstance(error, APIConnectionError)


def _warn_if_unknown(snapshot: Operation, warned: set[str]) -> None:
    if snapshot.known_status:
        return
    name = str(snapshot.status)
    if name not in warned:
        warned.add(name)
        logger.warning(
            "operation %s has status %r, unknown to this version; treating it as not finished",
            snapshot.id,
            name,
        )


def _best_effort_log(operation_id: str, context: FlowContext) -> Flow[list[LogEntry] | None]:
    """The log of a failed operation, if Toloka gives it; its absence must not hide the FAIL."""
    try:
        response = yield from sending.send(
            endpoints.get_operation_log_request(operation_id), context
        )
        return read_log(response)
    except APIError as error:
        logger.debug("no log for failed operation %s: %s", operation_id, error)
        return None
