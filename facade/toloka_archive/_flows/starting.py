"""Starting an archive, and knowing for sure what the start did.

``POST /pools/{id}/archive`` answers ``202`` with the Operation to follow, or an empty ``204``
when the pool is already archived. That is the easy case. The hard one is an answer that never
arrives whole: a read timeout, a dropped connection or a 5xx after the request went out, or a
202 whose body cannot be read. Toloka may have started the archive anyway. Reporting "failed"
then would be false; sending the request again could start a second archive (if the first one
already ended, for instance in ``FAIL``).

So ``start_flow`` never guesses and never repeats blindly. When it cannot know what its request
did, it asks Toloka (``_lookup``) for the pool's archive operation, and follows that, or reads
the pool's status; only when Toloka shows neither does it send the request again. A
``409 POOL_LOCKED_BY_ANOTHER_OPERATION`` is handled the same way, which is also what makes a
re-run after Ctrl-C, a crash or ``--no-wait`` end with every pool archived and no second
operation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, TypeVar

import httpx

from toloka_archive._core.clock import utc_now
from toloka_archive._core.context import FlowContext
from toloka_archive._core.errors import (
    APIError,
    ArchiveNotStartedError,
    ConflictError,
    InvalidOperationIdError,
    OperationError,
    UnexpectedResponseError,
)
from toloka_archive._core.flow import Flow, Request, Sleep
from toloka_archive._core.ids import normalize_operation_id
from toloka_archive._flows import sending
from toloka_archive._flows.lookup import (
    ARCHIVED,
    CLOCK_SKEW,
    find_archive_flow,
    is_the_archive,
    operation_if_there_flow,
    running_archive_flow,
    status_flow,
)
from toloka_archive._flows.waiting import wait_flow
from toloka_archive._wire import endpoints
from toloka_archive._wire.response import read_operation
from toloka_archive._wire.snapshot import Archive

if TYPE_CHECKING:
    from toloka_api.models import Operation

logger = logging.getLogger("toloka_archive")

T = TypeVar("T")

LOCKED = "_LOCKED_BY_ANOTHER_OPERATION"  # POOL_LOCKED_BY_ANOTHER_OPERATION, and its kin
_ANY_STATUS = (None,)


@dataclass(frozen=True)
class Started:
    """The answer to an archive request: an operation to follow, or nothing to do.

    ``subject_id`` is the pool's (or project's) id. ``reconciled`` is True when the operation
    was found by asking Toloka rather than read from the answer: the answer was lost, or an
    archive was already running.
    """

    subject_id: str
    operation: Operation | None
    reconciled: bool = False

    @property
    def already_archived(self) -> bool:
        return self.operation is None


class _NothingThere:
    """Toloka, asked, shows no archive of the pool: sending again is safe."""


NOTHING_THERE = _NothingThere()


def read_start(archive: Archive, response: httpx.Response) -> Started:
    """204 means already archived; any other success must carry the Operation, this very
    archive (a ``POOL.ARCHIVE`` of this pool, or a ``PROJECT.ARCHIVE`` of this project)."""
    if response.status_code == httpx.codes.NO_CONTENT:
        return Started(archive.subject_id, None)
    return Started(archive.subject_id, read_operation(response, archive=archive))


def archive_request(archive: Archive) -> Request:
    if archive.noun == "pool":
        return endpoints.archive_pool_request(archive.subject_id)
    return endpoints.archive_project_request(archive.subject_id)


def rounds(context: FlowContext) -> int:
    """How many times the request is sent at most, and Toloka asked after a lost answer.

    Twice the retry policy's tries: each round after a lost answer already asked Toloka and
    knows nothing was started, so sending again is safe, and giving up early would leave a
    pool unarchived for a passing fault (4 rounds at 24 % faulty answers fail 1 pool in 300).
    """
    return 2 * (context.retry.max_retries + 1)


def start_flow(pool_id: str, context: FlowContext) -> Flow[Started]:
    """Start archiving ``pool_id``, or find the archive that is already on its way."""
    return (yield from start_archive_flow(Archive.of_pool(pool_id), context))


def start_project_flow(project_id: str, context: FlowContext) -> Flow[Started]:
    """Start archiving a project (its pools must all be archived), or find that archive."""
    return (yield from start_archive_flow(Archive.of_project(project_id), context))


def start_archive_flow(archive: Archive, context: FlowContext) -> Flow[Started]:
    """Send the archive request, and know for sure what it did (see the module's docstring)."""
    since = utc_now(context.clock) - CLOCK_SKEW
    request = archive_request(archive)
    last: APIError | None = None
    for round_number in range(1, rounds(context) + 1):
        if round_number > 1:
            yield Sleep(context.retry.backoff(round_number - 1, context.random()))
        try:
            response = yield from sending.send(
                request, context, stop_on=sending.may_have_been_acted_on
            )
            started = read_start(archive, response)
        except ConflictError as conflict:
            if not (conflict.code or "").endswith(LOCKED):
                raise
            last = conflict
            found = yield from _asking(
                partial(_after_lock, archive, conflict, context), context, conflict
            )
            if found is not None:
                return found
            continue
        except APIError as error:
            if isinstance(error, UnexpectedResponseError) and error.contradicts:
                raise  # a wrong answer is not a lost one: report it, never guess past it
            if not (isinstance(error, UnexpectedResponseError) or _was_acted_on(error)):
                raise  # nothing reached Toloka, or it said no: the error is the whole truth
            last = error
            answer = yield from _asking(
                partial(_after_lost_answer, archive, since, context), context, error
            )
            if isinstance(answer, Started):
                return answer
            continue  # Toloka shows nothing of that request: it started nothing
        _log_start(started)
        return started
    assert last is not None
    if isinstance(last, ConflictError):
        raise last
    raise ArchiveNotStartedError(
        f"not archived: {last}; Toloka shows no archive of this {archive.noun}, "
        "so trying again is safe"
    ) from last


def _was_acted_on(error: APIError) -> bool:
    """Whether the failure that ended a send may have come after Toloka acted on it."""
    cause = error.__cause__
    if isinstance(cause, httpx.TransportError):
        return sending.may_have_been_acted_on(cause)
    status = getattr(error, "status_code", None)
    return isinstance(status, int) and (status >= 500 or status == httpx.codes.REQUEST_TIMEOUT)


def _asking(question: Callable[[], Flow[T]], context: FlowContext, error: APIError) -> Flow[T]:
    """Ask Toloka ``question`` until it answers, as many times as the request is sent.

    When it never answers, what our request did stays unknown: ``error`` (what ended the
    request) is raised with a note that says so. Nothing is sent again without an answer.
    """
    for attempt in range(1, rounds(context) + 1):
        if attempt > 1:
            yield Sleep(context.retry.backoff(attempt - 1, context.random()))
        try:
            return (yield from question())
        except APIError as lookup_error:
            failure = lookup_error
    error.add_note(f"whether the archive started is unknown: asking Toloka failed ({failure})")
    raise error


def _after_lost_answer(
    archive: Archive, since: datetime, context: FlowContext
) -> Flow[Started | _NothingThere]:
    """What Toloka shows after a lost answer: the archive (to follow), the pool or project
    already archived, or nothing (``NOTHING_THERE``: sending again is safe)."""
    operation = yield from find_archive_flow(
        archive, since=since, statuses=_ANY_STATUS, context=context
    )
    if operation is not None:
        logger.info(
            "%s %s: the answer was lost; following archive operation %s found at Toloka",
            archive.noun,
            archive.subject_id,
            operation.id,
        )
        return Started(archive.subject_id, operation, reconciled=True)
    if (yield from status_flow(archive, context)) == ARCHIVED:
        return Started(archive.subject_id, None)
    return NOTHING_THERE


def _after_lock(
    archive: Archive, conflict: ConflictError, context: FlowContext
) -> Flow[Started | None]:
    """A 409 LOCKED: an operation runs on the pool; if it is the archive, follow it.

    The locking operation is named in the 409's payload when Toloka gives it; otherwise it is
    looked up among the running archives. A lock held by something else (closing, cloning) is
    waited out, so that the next round's request can go through.
    """
    locker = yield from _named_locker(conflict, context)
    if locker is not None and is_the_archive(locker, archive):
        return Started(archive.subject_id, locker, reconciled=True)
    if locker is None:
        found = yield from running_archive_flow(archive, context)
        if found is not None:
            return Started(archive.subject_id, found, reconciled=True)
        if (yield from status_flow(archive, context)) == ARCHIVED:
            return Started(archive.subject_id, None)  # the lock was an archive just finished
        return None
    logger.info(
        "%s %s is locked by %s operation %s; waiting",
        archive.noun,
        archive.subject_id,
        locker.type_,
        locker.id,
    )
    # However it ends (or if we stop waiting), ask again after it: its failure is not ours.
    with suppress(OperationError):
        yield from wait_flow(
            locker, timeout=context.poll.timeout, context=context, on_progress=None
        )
    return None


def _named_locker(conflict: ConflictError, context: FlowContext) -> Flow[Operation | None]:
    operation_id = conflict.payload.get("operation_id")
    try:
        checked = normalize_operation_id(operation_id)
    except InvalidOperationIdError:
        return None
    return (yield from operation_if_there_flow(checked, context))


def _log_start(started: Started) -> None:
    if started.operation is None:
        logger.debug("%s is already archived", started.subject_id)
    else:
        logger.debug("%s: archive operation %s started", started.subject_id, started.operation.id)
