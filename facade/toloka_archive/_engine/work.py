"""What happens to one subject of a bulk run: one pool archived (closed first when asked),
closed, or checked, and one operation followed; each ends in exactly one report.

The work does not know the client: it is given a ``Port``, the few calls it needs, as
callables (google-api-core's ``Operation`` is given ``refresh`` the same way), and ``Hooks`` to
tell the caller as things happen. Any exception becomes the subject's report, with the
operation id when one is known; only a ``RunEndingError`` (no pool could get past it) is
raised, to end the run.
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
from toloka_archive._core.models import Operation, Pool, PoolStatus, Project
from toloka_archive._core.policies import Timeout
from toloka_archive._engine.handles import AsyncOperationHandle
from toloka_archive._engine.reports import (
    Outcome,
    PoolReport,
    already_outcome,
    done_outcome,
    report_for_error,
    report_from_check,
    report_from_conflict,
)
from toloka_archive._flows.preflight import Archivability, Verdict
from toloka_archive._wire.kinds import POOL, POOL_ARCHIVE, POOL_CLOSE, Job, kind_of

PoolBegun: TypeAlias = Callable[[str], object]
PoolStarted: TypeAlias = Callable[[str, str], object]
PoolProgress: TypeAlias = Callable[[str, Operation], object]


@dataclass(frozen=True)
class Port:
    """The calls the engine needs of a client (its asyncio twin, for a blocking client)."""

    start: Callable[[Job], Awaitable[AsyncOperationHandle]]
    check_archivable: Callable[[str], Awaitable[Archivability]]
    get_operation: Callable[[str], Awaitable[AsyncOperationHandle]]
    get_project: Callable[[str], Awaitable[Project]]
    project_pools: Callable[[str], AsyncIterator[Pool]]  # every pool of a project, any status


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


async def do_job(port: Port, job: Job, *, wait: bool, timeout: Timeout, hooks: Hooks) -> PoolReport:
    """Start ``job`` on a pool and, with ``wait``, follow its operation to the end."""
    pool_id, kind = job.subject_id, job.kind
    operation_id: str | None = None
    try:
        handle = await port.start(job)
        operation_id = handle.operation_id
        if operation_id is None:
            return PoolReport(pool_id, already_outcome(kind), f"already {kind.past}")
        if hooks.on_started is not None:
            hooks.on_started(pool_id, operation_id)
        found = ", found by asking Toloka" if handle.reconciled else ""
        if not wait:
            detail = f"{kind.doing} started ({operation_id}){found}"
            return PoolReport(pool_id, Outcome.STARTED, detail, operation_id)
        await handle.wait(timeout, on_progress=hooks.progress_of(pool_id))
        return PoolReport(pool_id, done_outcome(kind), f"{kind.past}{found}", operation_id)
    except (ConflictError, OperationNotStartedError) as refusal:
        return await _explain_refusal(port, job, refusal)
    except Exception as error:  # one pool's trouble, of any kind, is that pool's report
        return report_for_error(pool_id, error, operation_id)


async def archive_one(
    port: Port,
    pool_id: str,
    *,
    wait: bool,
    timeout: Timeout,
    close_open: bool,
    listed: Pool | None,
    hooks: Hooks,
) -> PoolReport:
    """Archive one pool; with ``close_open``, an open pool is closed first (and the close
    waited for, whatever ``wait`` says: a pool can only be archived once it is closed).

    ``listed`` is the pool as a listing showed it: one listed ``OPEN`` is closed at once,
    without an archive request that would only be refused.
    """
    archive = POOL_ARCHIVE.on(pool_id)
    listed_open = listed is not None and listed.status == PoolStatus.OPEN
    if not (close_open and listed_open):
        report = await do_job(port, archive, wait=wait, timeout=timeout, hooks=hooks)
        if not (close_open and _refused_as_open(report)):
            return report
    closing = await do_job(port, POOL_CLOSE.on(pool_id), wait=True, timeout=timeout, hooks=hooks)
    if closing.outcome not in (Outcome.CLOSED, Outcome.ALREADY_CLOSED):
        return _close_failed(closing)
    report = await do_job(port, archive, wait=wait, timeout=timeout, hooks=hooks)
    if closing.outcome is Outcome.CLOSED:
        report = replace(
            report, detail=f"closed, then {report.detail}", close_operation_id=closing.operation_id
        )
    return report


def _refused_as_open(report: PoolReport) -> bool:
    return report.outcome is Outcome.WRONG_STATUS and report.pool_status == PoolStatus.OPEN


def _close_failed(closing: PoolReport) -> PoolReport:
    """The pool was to be closed before its archive, and was not: say so, with the close's
    own outcome (failed, timed out, unknown, ...)."""
    return replace(
        closing,
        detail=f"not archived: closing it first did not succeed: {closing.detail}",
        close_operation_id=closing.operation_id,
    )


async def close_one(
    port: Port, pool_id: str, *, wait: bool, timeout: Timeout, hooks: Hooks
) -> PoolReport:
    """Close one pool."""
    return await do_job(port, POOL_CLOSE.on(pool_id), wait=wait, timeout=timeout, hooks=hooks)


async def check_one(port: Port, pool_id: str, *, close_open: bool) -> PoolReport:
    """The dry run's report: the pre-flight, with nothing archived (or closed). With
    ``close_open`` an open pool is reported as one that would be closed, then archived."""
    try:
        check = await port.check_archivable(pool_id)
    except Exception as error:
        return report_for_error(pool_id, error)
    report = report_from_check(check)
    if close_open and _refused_as_open(report):
        detail = "status OPEN: would be closed, then archived"
        return replace(report, outcome=Outcome.ARCHIVABLE, detail=detail)
    return report


async def follow_one(
    port: Port, operation_id: str, *, timeout: Timeout, on_progress: PoolProgress | None
) -> PoolReport:
    """Wait for one operation started earlier (an archive, a close, a project's archive) and
    report on it; any exception is the report."""
    try:
        handle = await port.get_operation(operation_id)
    except NotFoundError as error:
        return PoolReport("", Outcome.NOT_FOUND, "no such operation", operation_id, error=error)
    except Exception as error:
        return report_for_error("", error, operation_id)
    snapshot = handle.operation
    kind = None if snapshot is None else kind_of(snapshot)
    if kind is None:
        detail = f"not an operation this command starts ({handle.type})"
        return PoolReport(handle.pool_id or "", Outcome.INVALID_ID, detail, operation_id)
    pool_id = (handle.subject_id or "") if kind.subject is POOL else ""
    what = "" if pool_id else f"{kind.subject.noun} {handle.subject_id or '?'} "
    try:
        hook = None if on_progress is None else (lambda op: on_progress(pool_id, op))
        await handle.wait(timeout, on_progress=hook)
    except Exception as error:
        return report_for_error(pool_id, error, operation_id)
    return PoolReport(pool_id, done_outcome(kind), f"{what}{kind.past}", operation_id)


async def _explain_refusal(
    port: Port, job: Job, refusal: ConflictError | OperationNotStartedError
) -> PoolReport:
    """The operation did not start ("not now" from Toloka, or no try got through). For an
    archive, the pre-flight says why, in words and with a date, when the pool is not
    archivable; for another kind, the 409's own code does."""
    pool_id = job.subject_id
    if job.kind is not POOL_ARCHIVE:
        if isinstance(refusal, ConflictError):
            return report_from_conflict(pool_id, refusal, job.kind)
        return report_for_error(pool_id, refusal)
    try:
        check = await port.check_archivable(pool_id)
    except RunEndingError:
        raise
    except Exception:
        if isinstance(refusal, ConflictError):
            return report_from_conflict(pool_id, refusal, job.kind)
        return report_for_error(pool_id, refusal)
    if check.verdict is Verdict.ARCHIVABLE:
        # The pool is fine: something else runs on it (a lock), or no try got through.
        if isinstance(refusal, ConflictError):
            detail = f"refused: {refusal.message}"
            return PoolReport(pool_id, Outcome.FAILED, detail, error=refusal)
        return report_for_error(pool_id, refusal)
    return replace(report_from_check(check), error=refusal)
