"""Starting an operation of any kind, and knowing for sure what the start did.

``POST /pools/{id}/archive`` (or ``/close``, or ``POST /projects/{id}/archive``) answers ``202``
with the Operation to follow, or an empty ``204`` when there is nothing to do (the pool is
already archived, already closed). That is the easy case. The hard one is an answer that never
arrives whole: a read timeout, a dropped connection or a 5xx after the request went out, or a
202 whose body cannot be read. Toloka may have started the operation anyway. Reporting "failed"
then would be false; sending the request again could start a second operation (if the first
one already ended, for instance in ``FAIL``).

So ``start_flow`` never guesses and never repeats blindly. When it cannot know what its request
did, it asks Toloka (``lookup``) for the job's operation, and follows that, or reads the
subject's status; only when Toloka shows neither does it send the request again. A ``409`` that
means "locked by another operation" is handled the same way, which is also what makes a re-run
after Ctrl-C, a crash or ``--no-wait`` end with every pool archived and no second operation.
What differs from one kind to another (the request, the done state, the 409 codes) is the
kind's to say (``_wire.kinds``); this flow is written once for all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TypeVar

import httpx

from toloka_archive._core.clock import utc_now
from toloka_archive._core.context import FlowContext
from toloka_archive._core.errors import (
    APIError,
    ConflictError,
    InvalidOperationIdError,
    OperationError,
    OperationNotStartedError,
    UnexpectedResponseError,
)
from toloka_archive._core.flow import Flow, Sleep
from toloka_archive._core.ids import normalize_operation_id
from toloka_archive._core.models import Operation
from toloka_archive._flows import sending
from toloka_archive._flows.failures import error_may_have_acted, may_have_acted
from toloka_archive._flows.lookup import (
    CLOCK_SKEW,
    find_operation_flow,
    operation_if_there_flow,
    running_operation_flow,
    status_flow,
)
from toloka_archive._flows.waiting import wait_flow
from toloka_archive._wire.kinds import Job
from toloka_archive._wire.refusals import Conflict
from toloka_archive._wire.response import read_operation

logger = logging.getLogger("toloka_archive")

T = TypeVar("T")

_ANY_STATUS = (None,)


@dataclass(frozen=True)
class Started:
    """The answer to a request that starts ``job``: an operation to follow, or nothing to do.

    ``reconciled`` is True when the operation was found by asking Toloka rather than read from
    the answer: the answer was lost, or the operation was already running.
    """

    job: Job
    operation: Operation | None
    reconciled: bool = False

    @property
    def subject_id(self) -> str:
        return self.job.subject_id

    @property
    def already_done(self) -> bool:
        """Toloka had nothing to do (a ``204``, or the subject reads done after a lost answer)."""
        return self.operation is None


class _NothingThere:
    """Toloka, asked, shows no operation of the job: sending again is safe."""


NOTHING_THERE = _NothingThere()


def read_start(job: Job, response: httpx.Response) -> Started:
    """204 means nothing to do; any other success must carry the Operation, this very job."""
    if response.status_code == httpx.codes.NO_CONTENT:
        return Started(job, None)
    return Started(job, read_operation(response, expect=job))


def start_flow(job: Job, context: FlowContext) -> Flow[Started]:
    """Send the job's request, and know for sure what it did (see the module's docstring)."""
    since = utc_now(context.clock) - CLOCK_SKEW
    request = job.kind.request(job.subject_id)
    pauses = context.retry.delays(context.random)
    last: APIError | None = None
    for round_number in range(1, context.retry.start_rounds + 1):
        if round_number > 1:
            yield Sleep(next(pauses))
        try:
            response = yield from sending.send(request, context, stop_on=may_have_acted)
            started = read_start(job, response)
        except ConflictError as conflict:
            if job.kind.conflict(conflict.code) is not Conflict.LOCKED:
                raise
            last = conflict
            found = yield from _asking(
                partial(_after_lock, job, conflict, context), context, conflict, job
            )
            if found is not None:
                return found
            logger.info("%s: the lock is gone; sending again", job)
            continue
        except APIError as error:
            if isinstance(error, UnexpectedResponseError) and error.contradicts:
                raise  # a wrong answer is not a lost one: report it, never guess past it
            if not (isinstance(error, UnexpectedResponseError) or error_may_have_acted(error)):
                raise  # nothing reached Toloka, or it said no: the error is the whole truth
            last = error
            answer = yield from _asking(
                partial(_after_lost_answer, job, since, context), context, error, job
            )
            if isinstance(answer, Started):
                return answer
            # Toloka shows nothing of that request: it started nothing, so sending is safe.
            logger.info("%s: the answer was lost and nothing was started; sending again", job)
            continue
        _log_start(started)
        return started
    assert last is not None
    if isinstance(last, ConflictError):
        raise last
    raise OperationNotStartedError(
        f"not {job.kind.past}: {last}; Toloka shows no {job.kind.verb} of this {job.noun}, "
        "so trying again is safe"
    ) from last


def _asking(
    question: Callable[[], Flow[T]], context: FlowContext, error: APIError, job: Job
) -> Flow[T]:
    """Ask Toloka ``question`` until it answers, as many times as the request is sent.

    When it never answers, what our request did stays unknown: ``error`` (what ended the
    request) is raised with a note that says so. Nothing is sent again without an answer.
    """
    pauses = context.retry.delays(context.random)
    for attempt in range(1, context.retry.start_rounds + 1):
        if attempt > 1:
            yield Sleep(next(pauses))
        try:
            return (yield from question())
        except APIError as lookup_error:
            logger.info("%s: asking Toloka what happened failed: %s", job, lookup_error)
            failure = lookup_error
    error.add_note(
        f"whether the {job.kind.verb} started is unknown: asking Toloka failed ({failure})"
    )
    raise error


def _after_lost_answer(
    job: Job, since: datetime, context: FlowContext
) -> Flow[Started | _NothingThere]:
    """What Toloka shows after a lost answer: the job's operation (to follow), the subject
    already done, or nothing (``NOTHING_THERE``: sending again is safe)."""
    operation = yield from find_operation_flow(
        job, since=since, statuses=_ANY_STATUS, context=context
    )
    if operation is not None:
        logger.info(
            "%s: the answer was lost; following operation %s found at Toloka", job, operation.id
        )
        return Started(job, operation, reconciled=True)
    if job.kind.done_in((yield from status_flow(job, context))):
        return Started(job, None)
    return NOTHING_THERE


def _after_lock(job: Job, conflict: ConflictError, context: FlowContext) -> Flow[Started | None]:
    """A 409 "locked": an operation runs on the subject; if it is this job, follow it.

    The locking operation is named in the 409's payload when Toloka gives it; otherwise it is
    looked up among the running operations of the job's type. A lock held by something else
    (closing while we archive, cloning) is waited out, so that the next round's request can go
    through.
    """
    locker = yield from _named_locker(conflict, context)
    if locker is not None and job.matches(locker):
        return Started(job, locker, reconciled=True)
    if locker is None:
        found = yield from running_operation_flow(job, context)
        if found is not None:
            return Started(job, found, reconciled=True)
        if job.kind.done_in((yield from status_flow(job, context))):
            return Started(job, None)  # the lock was this very job, just finished
        return None
    logger.info("%s is locked by %s operation %s; waiting", job, locker.type, locker.id)
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
    job = started.job
    if started.operation is None:
        logger.debug("%s %s is already %s", job.noun, job.subject_id, job.kind.past)
    else:
        logger.debug(
            "%s %s: %s operation %s started",
            job.noun,
            job.subject_id,
            job.kind.verb,
            started.operation.id,
        )
