"""What happens to one subject of a bulk run: one pool or training archived (closed first when
asked), closed, or checked, and one operation followed; each ends in exactly one report.

The work knows no subject by name: it is handed a ``Lifecycle`` (how to close and archive one
kind of subject, ``_wire.kinds``), and every word and outcome comes from there. It does not know
the client either: it is given a ``Port``, the few calls it needs, as callables
(google-api-core's ``Operation`` is given ``refresh`` the same way), and ``Hooks`` to tell the
caller as things happen. Any exception becomes the subject's report, with the operation id when
one is known; only a ``RunEndingError`` (no subject could get past it) is raised, to end the run.

Consent: a subject someone closed to edit it (``FOR_UPDATE``) is left alone unless the caller
consents (``consent``). So a subject named by id is read before anything is sent, unless
consent was given: its record also settles what needs no request (already archived, open).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TypeAlias

from toloka_archive._core.errors import (
    ConflictError,
    NotFoundError,
    OperationNotStartedError,
    RunEndingError,
)
from toloka_archive._core.models import Operation, Project, Record, closed_for_editing
from toloka_archive._core.policies import Timeout
from toloka_archive._engine.handles import AsyncOperationHandle
from toloka_archive._engine.reports import (
    Report,
    report_for_error,
    report_from_check,
    report_from_conflict,
)
from toloka_archive._flows.preflight import Archivability, Verdict
from toloka_archive._wire.kinds import Job, Lifecycle, Subject, kind_of
from toloka_archive._wire.outcomes import Outcome
from toloka_archive._wire.refusals import Conflict

PoolBegun: TypeAlias = Callable[[str], object]
PoolStarted: TypeAlias = Callable[[str, str], object]
PoolProgress: TypeAlias = Callable[[str, Operation], object]


@dataclass(frozen=True)
class Port:
    """The calls the engine needs of a client (its asyncio twin, for a blocking client)."""

    start: Callable[[Job], Awaitable[AsyncOperationHandle]]
    check: Callable[[Subject, str, bool], Awaitable[Archivability]]  # (subject, id, consent)
    read: Callable[[Subject, str], Awaitable[Record]]
    get_operation: Callable[[str], Awaitable[AsyncOperationHandle]]
    get_project: Callable[[str], Awaitable[Project]]
    members: Callable[[Subject, str], AsyncIterator[Record]]  # a project's, any status


@dataclass(frozen=True)
class Hooks:
    """What the caller is told as a run goes: a subject taken up (after its id was checked and
    deduplicated), an operation started for it (the moment its id is known), and every
    snapshot while waiting."""

    on_begin: PoolBegun | None = None
    on_started: PoolStarted | None = None
    on_progress: PoolProgress | None = None

    def progress_of(self, subject_id: str) -> Callable[[Operation], object] | None:
        hook = self.on_progress
        return None if hook is None else (lambda snapshot: hook(subject_id, snapshot))


async def do_job(port: Port, job: Job, *, wait: bool, timeout: Timeout, hooks: Hooks) -> Report:
    """Start ``job`` and, with ``wait``, follow its operation to the end."""
    subject_id, kind, noun = job.subject_id, job.kind, job.noun
    operation_id: str | None = None
    try:
        handle = await port.start(job)
        operation_id = handle.operation_id
        if operation_id is None:
            return Report(subject_id, kind.already, f"already {kind.past}", subject=noun)
        if hooks.on_started is not None:
            hooks.on_started(subject_id, operation_id)
        found = ", found by asking Toloka" if handle.reconciled else ""
        if not wait:
            detail = f"{kind.doing} started ({operation_id}){found}"
            return Report(subject_id, Outcome.STARTED, detail, operation_id, subject=noun)
        await handle.wait(timeout, on_progress=hooks.progress_of(subject_id))
        return Report(subject_id, kind.done, f"{kind.past}{found}", operation_id, subject=noun)
    except (ConflictError, OperationNotStartedError) as refusal:
        return await _explain_refusal(port, job, refusal)
    except Exception as error:  # one subject's trouble, of any kind, is that subject's report
        return report_for_error(subject_id, error, operation_id, noun=noun)


def settled_by_record(
    life: Lifecycle, subject_id: str, record: Record, *, close_open: bool, consent: bool
) -> Report | None:
    """The report of a subject whose record already says how its archive ends, with nothing
    sent: archived; open, unless it is to be closed first; closed for editing, without
    consent. None to work on it."""
    status = str(record.status)
    verdict: Verdict | None = None
    if life.archive.done_in(status):
        verdict = Verdict.ALREADY_ARCHIVED
    elif status in life.close.ready_statuses and not close_open:
        verdict = Verdict.WRONG_STATUS
    elif closed_for_editing(record) and not consent:
        verdict = Verdict.CLOSED_FOR_EDITING
    if verdict is None:
        return None
    return report_from_check(Archivability(subject_id, verdict, status, noun=life.noun))


async def archive_one(
    port: Port,
    life: Lifecycle,
    subject_id: str,
    *,
    wait: bool,
    timeout: Timeout,
    close_open: bool,
    consent: bool,
    listed: Record | None,
    hooks: Hooks,
) -> Report:
    """Archive one subject; with ``close_open``, an open one is closed first (and the close
    waited for, whatever ``wait`` says: it can only be archived once it is closed).

    ``listed`` is the subject as a listing showed it; without it (an id), the subject is read
    first unless ``consent`` was given. A record that settles it sends nothing more; one that
    reads open is closed at once, without an archive request that would only be refused.
    """
    record = listed
    if record is None and not consent:
        try:
            record = await port.read(life.subject, subject_id)
        except Exception as error:
            return report_for_error(subject_id, error, noun=life.noun)
    if record is not None:
        settled = settled_by_record(
            life, subject_id, record, close_open=close_open, consent=consent
        )
        if settled is not None:
            return settled
    archive = life.archive.on(subject_id)
    known_open = record is not None and str(record.status) in life.close.ready_statuses
    if not (close_open and known_open):
        report = await do_job(port, archive, wait=wait, timeout=timeout, hooks=hooks)
        if not (close_open and _refused_as_open(life, report)):
            return report
    closing = await do_job(port, life.close.on(subject_id), wait=True, timeout=timeout, hooks=hooks)
    if closing.outcome not in (life.close.done, life.close.already):
        return _close_failed(closing)
    report = await do_job(port, archive, wait=wait, timeout=timeout, hooks=hooks)
    if closing.outcome is life.close.done:
        report = replace(
            report, detail=f"closed, then {report.detail}", close_operation_id=closing.operation_id
        )
    return report


def _refused_as_open(life: Lifecycle, report: Report) -> bool:
    return (
        report.outcome is Outcome.WRONG_STATUS
        and report.subject_status in life.close.ready_statuses
    )


def _close_failed(closing: Report) -> Report:
    """The subject was to be closed before its archive, and was not: say so, with the close's
    own outcome (failed, timed out, unknown, ...)."""
    return replace(
        closing,
        detail=f"not archived: closing it first did not succeed: {closing.detail}",
        close_operation_id=closing.operation_id,
    )


async def close_one(
    port: Port, life: Lifecycle, subject_id: str, *, wait: bool, timeout: Timeout, hooks: Hooks
) -> Report:
    """Close one subject."""
    return await do_job(port, life.close.on(subject_id), wait=wait, timeout=timeout, hooks=hooks)


async def check_one(
    port: Port,
    life: Lifecycle,
    subject_id: str,
    *,
    close_open: bool,
    consent: bool,
    listed: Record | None = None,
) -> Report:
    """The dry run's report: the pre-flight, with nothing archived (or closed). With
    ``close_open`` an open subject is reported as one that would be closed, then archived."""
    if listed is not None:
        settled = settled_by_record(
            life, subject_id, listed, close_open=close_open, consent=consent
        )
        if settled is not None:
            return settled
    try:
        check = await port.check(life.subject, subject_id, consent)
    except Exception as error:
        return report_for_error(subject_id, error, noun=life.noun)
    report = report_from_check(check)
    if close_open and _refused_as_open(life, report):
        detail = f"status {report.subject_status}: would be closed, then archived"
        return replace(report, outcome=Outcome.ARCHIVABLE, detail=detail)
    return report


async def follow_one(
    port: Port, operation_id: str, *, timeout: Timeout, on_progress: PoolProgress | None
) -> Report:
    """Wait for one operation started earlier (an archive, a close, a project's archive) and
    report on it; any exception is the report."""
    try:
        handle = await port.get_operation(operation_id)
    except NotFoundError as error:
        return Report("", Outcome.NOT_FOUND, "no such operation", operation_id, error=error)
    except Exception as error:
        return report_for_error("", error, operation_id, noun="")
    snapshot = handle.operation
    kind = None if snapshot is None else kind_of(snapshot)
    if kind is None:
        detail = f"not an operation this command starts ({handle.type})"
        return Report(handle.subject_id or "", Outcome.INVALID_ID, detail, operation_id, subject="")
    subject_id, noun = handle.subject_id or "", kind.subject.noun
    try:
        hook = None if on_progress is None else (lambda op: on_progress(subject_id, op))
        await handle.wait(timeout, on_progress=hook)
    except Exception as error:
        return report_for_error(subject_id, error, operation_id, noun=noun)
    return Report(subject_id, kind.done, kind.past, operation_id, subject=noun)


async def _explain_refusal(
    port: Port, job: Job, refusal: ConflictError | OperationNotStartedError
) -> Report:
    """The operation did not start ("not now" from Toloka, or no try got through).

    Where the kind's pre-flight can say why (an archive refused for the subject's status or its
    9-day window), it does, in words and with a date; otherwise Toloka's code does, read through
    the table of refusals."""
    subject_id, kind, noun = job.subject_id, job.kind, job.noun
    meaning = kind.conflict(refusal.code) if isinstance(refusal, ConflictError) else None
    by_status = meaning in (Conflict.WRONG_STATUS, Conflict.NOT_YET)
    checkable = kind.explained_by_check and (by_status or not isinstance(refusal, ConflictError))
    if checkable:
        try:
            check = await port.check(kind.subject, subject_id, True)
        except RunEndingError:
            raise
        except Exception:
            check = None
        if check is not None and check.verdict is not Verdict.ARCHIVABLE:
            return replace(report_from_check(check), error=refusal)
    if isinstance(refusal, ConflictError):
        return report_from_conflict(subject_id, refusal, kind)
    return report_for_error(subject_id, refusal, noun=noun)
