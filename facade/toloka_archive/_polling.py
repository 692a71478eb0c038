"""The archive flows: start archiving, read the answer, and follow the operation to its end.

Pure decisions (what a response means, whether the operation is finished, how long to pause)
are small functions; ``start_flow`` and ``wait_flow`` string them together as flows (see
``_flow``) that the sync and async clients both drive.
"""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from toloka_api.models import KnownOperationStatus, Operation, OperationLogItem

from toloka_archive import _endpoints, _retrying
from toloka_archive._context import FlowContext
from toloka_archive._errors import (
    APIError,
    OperationFailedError,
    OperationTimeoutError,
    UnexpectedResponseError,
)
from toloka_archive._flow import Flow, Runtime, Sleep
from toloka_archive._policies import PollPolicy

logger = logging.getLogger("toloka_archive")

ProgressCallback = Callable[[Operation], object]


class Phase(enum.Enum):
    """What a snapshot means for the waiter."""

    WAITING = "waiting"  # PENDING, RUNNING, or a status Toloka added after this release
    SUCCEEDED = "succeeded"
    FAILED = "failed"


def phase_of(operation: Operation) -> Phase:
    if operation.status is KnownOperationStatus.SUCCESS:
        return Phase.SUCCEEDED
    if operation.status is KnownOperationStatus.FAIL:
        return Phase.FAILED
    return Phase.WAITING


def status_name(operation: Operation) -> str:
    status = operation.status
    return status.value if isinstance(status, KnownOperationStatus) else str(status)


def parse_json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except ValueError as error:
        raise UnexpectedResponseError(response.status_code, "not JSON", response.content) from error


def read_operation(response: httpx.Response) -> Operation:
    """The Operation in a success response, or ``UnexpectedResponseError``."""
    body = parse_json(response)
    if not isinstance(body, dict):
        raise UnexpectedResponseError(
            response.status_code, "not an Operation object", response.content
        )
    try:
        return Operation.from_dict(body)
    except (KeyError, ValueError, TypeError, AttributeError) as error:
        raise UnexpectedResponseError(
            response.status_code,
            f"not an Operation: {type(error).__name__} {error}",
            response.content,
        ) from error


def read_log(response: httpx.Response) -> list[OperationLogItem]:
    body = parse_json(response)
    if not isinstance(body, list):
        raise UnexpectedResponseError(response.status_code, "not a log list", response.content)
    try:
        return [OperationLogItem.from_dict(item) for item in body]
    except (KeyError, ValueError, TypeError, AttributeError) as error:
        raise UnexpectedResponseError(
            response.status_code, "not log items", response.content
        ) from error


@dataclass(frozen=True)
class Started:
    """The answer to an archive request: an operation to follow, or nothing to do."""

    pool_id: str
    operation: Operation | None

    @property
    def already_archived(self) -> bool:
        return self.operation is None


def read_start(pool_id: str, response: httpx.Response) -> Started:
    """204 means the pool is already archived; any other success must carry the Operation."""
    if response.status_code == httpx.codes.NO_CONTENT:
        return Started(pool_id, None)
    return Started(pool_id, read_operation(response))


def start_flow(pool_id: str, context: FlowContext) -> Flow[Started]:
    response = yield from _retrying.send(_endpoints.archive_pool_request(pool_id), context)
    started = read_start(pool_id, response)
    if started.already_archived:
        logger.debug("pool %s is already archived", pool_id)
    else:
        assert started.operation is not None
        logger.debug("pool %s: archive operation %s started", pool_id, started.operation.id)
    return started


def fetch_flow(operation_id: str, context: FlowContext) -> Flow[Operation]:
    request = _endpoints.get_operation_request(operation_id)
    response = yield from _retrying.send(request, context)
    return read_operation(response)


class PollTimer:
    """The waiting budget on a monotonic clock, and the pause before each look.

    The deadline is checked only after the snapshot in hand was found unfinished, and the last
    pause is cut short to land exactly on the deadline, so there is always one last look at it.
    Pauses follow the policy's schedule, shortened when the progress seen so far says the
    operation will be done sooner (see ``PollPolicy.follow_progress``).
    """

    def __init__(self, policy: PollPolicy, timeout: float | None, runtime: Runtime) -> None:
        self._policy = policy
        self._runtime = runtime
        self._started = runtime.monotonic()
        self._deadline = None if timeout is None else self._started + timeout
        self._first_progress: tuple[float, int] | None = None
        self._last_progress: int | None = None
        self.polls = 0

    def elapsed(self) -> float:
        return self._runtime.monotonic() - self._started

    def expired(self) -> bool:
        return self._deadline is not None and self._runtime.monotonic() >= self._deadline

    def next_delay(self, progress: int | None = None) -> float:
        """The pause before the next look, given the progress (percent) just seen."""
        self.polls += 1
        now = self._runtime.monotonic()
        delay = self._policy.delay(self.polls, self._runtime.random())
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
    """Follow ``operation`` until SUCCESS (returned), FAIL or the budget (raised)."""
    timer = PollTimer(context.poll, timeout, context.runtime)
    warned: set[str] = set()
    snapshot = operation
    while True:
        if on_progress is not None:
            on_progress(snapshot)
        phase = phase_of(snapshot)
        if phase is Phase.SUCCEEDED:
            return snapshot
        if phase is Phase.FAILED:
            log = yield from _best_effort_log(snapshot.id, context)
            raise OperationFailedError(snapshot.id, snapshot, log)
        _warn_if_unknown(snapshot, warned)
        if timer.expired():
            raise OperationTimeoutError(snapshot.id, snapshot, timer.elapsed())
        delay = timer.next_delay(snapshot.progress if isinstance(snapshot.progress, int) else None)
        logger.debug(
            "operation %s is %s (%s%%); next poll in %.2f s",
            snapshot.id,
            status_name(snapshot),
            snapshot.progress if isinstance(snapshot.progress, int) else "?",
            delay,
        )
        yield Sleep(delay)
        try:
            snapshot = yield from fetch_flow(snapshot.id, context)
        except APIError as error:
            error.add_note(
                f"while waiting for operation {snapshot.id}; resume with "
                f"client.get_operation({snapshot.id!r}).wait()"
            )
            raise


def _warn_if_unknown(snapshot: Operation, warned: set[str]) -> None:
    if isinstance(snapshot.status, KnownOperationStatus):
        return
    name = str(snapshot.status)
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
        response = yield from _retrying.send(
            _endpoints.get_operation_log_request(operation_id), context
        )
        return read_log(response)
    except APIError as error:
        logger.debug("no log for failed operation %s: %s", operation_id, error)
        return None
