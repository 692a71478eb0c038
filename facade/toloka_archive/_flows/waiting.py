"""Waiting for an operation: poll it until it ends, within a budget.

``PollTimer`` is the pure part (the budget on a monotonic clock, and the pause before each
look); ``wait_flow`` strings it together with the polls as a flow (see ``_flow``) that the sync
and async clients both drive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

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
from toloka_archive._core.policies import PollPolicy
from toloka_archive._flows import sending
from toloka_archive._wire import endpoints, generated
from toloka_archive._wire.response import read_models, read_operation
from toloka_archive._wire.snapshot import (
    Phase,
    archive_duration,
    is_known_status,
    phase_of,
    progress_of,
    status_name,
)

if TYPE_CHECKING:
    from toloka_api.models import Operation, OperationLogItem

logger = logging.getLogger("toloka_archive")

ProgressCallback: TypeAlias = Callable[["Operation"], object]


def fetch_flow(operation_id: str, context: FlowContext) -> Flow[Operation]:
    """One look at an operation: ``GET /operations/{id}``; the answer must be that operation."""
    request = endpoints.get_operation_request(operation_id)
    response = yield from sending.send(request, context)
    return read_operation(response, operation_id=operation_id)


class PollTimer:
    """The waiting budget on a monotonic clock, and the pause before each look.

    The deadline is checked only after the snapshot in hand was found unfinished, and the last
    pause is cut short to land exactly on the deadline, so there is always one last look at it.
    Pauses follow the policy's schedule, shortened when the progress seen so far says the
    operation will be done sooner (see ``PollPolicy.follow_progress``); the first one comes
    when operations like the client's recent ones would be done (``typical``, their median
    duration; see ``PollPolicy.learn_durations``).
    """

    def __init__(
        self,
        policy: PollPolicy,
        timeout: float | None,
        monotonic: Callable[[], float],
        random: Callable[[], float],
        typical: float | None = None,
    ) -> None:
        self._policy = policy
        self._monotonic = monotonic
        self._random = random
        self._first_look = policy.first_look(typical)
        self._started = monotonic()
        self._deadline = None if timeout is None else self._started + timeout
        self._first_progress: tuple[float, int] | None = None
        self._last_progress: int | None = None
        self.polls = 0

    def elapsed(self) -> float:
        return self._monotonic() - self._started

    def expired(self) -> bool:
        return self._deadline is not None and self._monotonic() >= self._deadline

    def next_delay(self, progress: int | None = None) -> float:
        """The pause before the next look, given the progress (percent) just seen."""
        self.polls += 1
        now = self._monotonic()
        if self.polls == 1 and self._first_look is not None:
            delay = self._first_look
        else:
            delay = self._policy.delay(self.polls, self._random())
        if progress is not None:
            if self._first_progress is None:
                self._first_progress = (now, progress)
            remaining = self._policy.expected_remaining(
                self._first_progress, self._last_progress, now, progress
            )
            if remaining is not None:
                delay = min(delay, remaining)
            self._last_progress = progress
        if self._deadline is not None:
            delay = min(delay, max(0.0, self._deadline - now))
        return delay


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
    fresh_start = phase_of(operation) is Phase.WAITING and not progress_of(operation)
    typical = context.durations.typical() if fresh_start else None
    timer = PollTimer(context.poll, timeout, context.clock.monotonic, context.random, typical)
    warned: set[str] = set()
    snapshot = operation
    fresh = True  # False after a failed poll: the snapshot in hand was already seen
    while True:
        if fresh and on_progress is not None:
            on_progress(snapshot)
        phase = phase_of(snapshot)
        if phase is Phase.SUCCEEDED:
            took = archive_duration(snapshot)
            if took is not None:
                context.durations.note(took)
            return snapshot
        if phase is Phase.FAILED:
            log = yield from _best_effort_log(snapshot.id, context)
            raise OperationFailedError(snapshot.id, snapshot, log)
        _warn_if_unknown(snapshot, warned)
        if timer.expired():
            raise OperationTimeoutError(snapshot.id, snapshot, timer.elapsed())
        progress = progress_of(snapshot)
        delay = timer.next_delay(progress)
        logger.debug(
            "operation %s is %s (%s%%); next poll in %.2f s",
            snapshot.id,
            status_name(snapshot),
            "?" if progress is None else progress,
            delay,
        )
        yield Sleep(delay)
        try:
            snapshot = yield from fetch_flow(snapshot.id, context)
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
    if is_known_status(snapshot):
        return
    name = status_name(snapshot)
    if name not in warned:
        warned.add(name)
        logger.warning(
            "operation %s has status %r, unknown to this version; treating it as not finished",
            snapshot.id,
            name,
        )


def _best_effort_log(
    operation_id: str, context: FlowContext
) -> Flow[list[OperationLogItem] | None]:
    """The log of a failed operation, if Toloka gives it; its absence must not hide the FAIL."""
    try:
        response = yield from sending.send(
            endpoints.get_operation_log_request(operation_id), context
        )
        return read_models(response, generated.OperationLogItem)
    except APIError as error:
        logger.debug("no log for failed operation %s: %s", operation_id, error)
        return None
