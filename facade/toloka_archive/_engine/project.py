"""Archiving a project: every pool of it that is not archived yet, then the project itself.

Toloka archives a project only when all its pools are archived. ``archive_project`` lists the
project's pools (a page at a time), archives them with the bulk engine (the same reports,
pre-flight explanations and reconciling as ``archive_pools``), and only when every pool is
archived asks Toloka to archive the project and waits for that operation. It closes an open
pool only when asked to (``close_open``); otherwise open pools, like pools inside the 9-day
rejection window, are reported with their reason, and the project is left as it is, with a
statement of what blocks it and, when only the rejection window does, from when it could go.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime

from toloka_archive._core.dates import format_moment
from toloka_archive._core.errors import (
    ConflictError,
    ListingError,
    NotFoundError,
    OperationFailedError,
    OperationTimeoutError,
    PermissionDeniedError,
    RunEndingError,
)
from toloka_archive._core.models import ProjectStatus
from toloka_archive._core.policies import Timeout
from toloka_archive._engine.bulk import archive_many
from toloka_archive._engine.reports import Outcome, PoolReport, ProjectOutcome, ProjectReport
from toloka_archive._engine.work import Hooks, Port
from toloka_archive._wire.kinds import PROJECT_ARCHIVE

MAX_BLOCKING = 1000  # pools kept in a report's ``blocking`` list; the count is always exact
_DONE = frozenset({Outcome.ARCHIVED, Outcome.ALREADY_ARCHIVED})

PoolReported = Callable[[PoolReport], object]
ProjectStarted = Callable[[str, str], object]


async def archive_project(
    port: Port,
    project_id: str,
    *,
    concurrency: int,
    timeout: Timeout,
    dry_run: bool,
    close_open: bool,
    on_report: PoolReported | None,
    on_project_started: ProjectStarted | None,
    hooks: Hooks,
) -> ProjectReport:
    """Archive the project's pools, then the project; see the module's docstring.

    ``on_report`` hears each pool's report as it ends; ``on_project_started(project_id,
    operation_id)`` hears of the project's own archive the moment it exists.
    """
    try:
        project = await port.get_project(project_id)
    except NotFoundError as error:
        return ProjectReport(project_id, ProjectOutcome.NOT_FOUND, "no such project", error=error)
    except PermissionDeniedError as error:
        detail = "no access to this project"
        return ProjectReport(project_id, ProjectOutcome.NO_ACCESS, detail, error=error)
    if project.status == ProjectStatus.ARCHIVED:
        return ProjectReport(project_id, ProjectOutcome.ALREADY_ARCHIVED, "already archived")

    counts: Counter[Outcome] = Counter()
    blocking: list[PoolReport] = []
    reports = archive_many(
        port,
        port.project_pools(project_id),
        concurrency=concurrency,
        wait=True,
        timeout=timeout,
        dry_run=dry_run,
        close_open=close_open,
        hooks=hooks,
    )
    try:
        async for report in reports:
            counts[report.outcome] += 1
            fine = report.outcome in _DONE or (dry_run and report.outcome is Outcome.ARCHIVABLE)
            if not fine and len(blocking) < MAX_BLOCKING:
                blocking.append(report)
            if on_report is not None:
                on_report(report)
    except ListingError as error:
        # The pools found were archived and reported; the others are not known.
        detail = f"not archived: {error}; run again to take up the rest"
        return ProjectReport(
            project_id,
            ProjectOutcome.UNKNOWN,
            detail,
            pools=counts,
            blocking=tuple(blocking),
            error=error,
        )
    not_archived = sum(counts.values()) - sum(counts[o] for o in _DONE)
    if dry_run:
        blockers = sum(counts.values()) - counts[Outcome.ARCHIVABLE] - sum(counts[o] for o in _DONE)
        if blockers:
            return _blocked(project_id, counts, blocking, blockers)
        detail = f"can be archived once its {not_archived} archivable pools are (a dry run)"
        return ProjectReport(project_id, ProjectOutcome.ARCHIVABLE, detail, pools=counts)
    if not_archived:
        return _blocked(project_id, counts, blocking, not_archived)
    return await _archive_itself(port, project_id, counts, timeout, on_project_started)


async def _archive_itself(
    port: Port,
    project_id: str,
    counts: Counter[Outcome],
    timeout: Timeout,
    on_started: ProjectStarted | None,
) -> ProjectReport:
    operation_id: str | None = None
    try:
        handle = await port.start(PROJECT_ARCHIVE.on(project_id))
        operation_id = handle.operation_id
        if operation_id is None:
            return ProjectReport(
                project_id, ProjectOutcome.ALREADY_ARCHIVED, "already archived", pools=counts
            )
        if on_started is not None:
            on_started(project_id, operation_id)
        await handle.wait(timeout)
    except RunEndingError:
        raise
    except ConflictError as error:
        detail = f"refused: {error.message} (a pool may have changed meanwhile; run again)"
        return ProjectReport(project_id, ProjectOutcome.BLOCKED, detail, pools=counts, error=error)
    except OperationTimeoutError as error:
        detail = f"still running after {error.waited:.0f} s; follow operation {operation_id}"
        return ProjectReport(
            project_id, ProjectOutcome.TIMED_OUT, detail, operation_id, counts, error=error
        )
    except OperationFailedError as error:
        return ProjectReport(
            project_id, ProjectOutcome.FAILED, str(error), operation_id, counts, error=error
        )
    except Exception as error:  # the project's report, whatever happened
        detail = f"unknown: {error}"
        return ProjectReport(
            project_id, ProjectOutcome.UNKNOWN, detail, operation_id, counts, error=error
        )
    return ProjectReport(project_id, ProjectOutcome.ARCHIVED, "archived", operation_id, counts)


def _blocked(
    project_id: str, counts: Counter[Outcome], blocking: list[PoolReport], how_many: int
) -> ProjectReport:
    """The project stays as it is: which pools keep it, and when it could go if only the 9-day
    rejection window is in the way."""
    reasons = Counter(report.outcome for report in blocking)
    parts = [
        f"{count} {_REASONS.get(outcome, outcome.value)}" for outcome, count in reasons.items()
    ]
    detail = (
        f"not archived: {how_many} pool{'s' if how_many != 1 else ''} of it "
        f"{'are' if how_many != 1 else 'is'} not archived ({', '.join(parts)}); "
    )
    windows = [report.archivable_from for report in blocking if report.archivable_from]
    archivable_from: datetime | None = None
    if windows and set(reasons) == {Outcome.NOT_ARCHIVABLE_YET}:
        archivable_from = max(windows)
        detail += f"run again from {format_moment(archivable_from)}"
    else:
        detail += "the project can be archived once they are"
    return ProjectReport(
        project_id,
        ProjectOutcome.BLOCKED,
        detail,
        pools=counts,
        blocking=tuple(blocking),
        archivable_from=archivable_from,
    )


_REASONS = {
    Outcome.WRONG_STATUS: "not CLOSED",
    Outcome.NOT_ARCHIVABLE_YET: "in the 9-day rejection window",
    Outcome.FAILED: "failed",
    Outcome.UNKNOWN: "unknown",
    Outcome.TIMED_OUT: "still archiving",
    Outcome.NO_ACCESS: "without access",
}
