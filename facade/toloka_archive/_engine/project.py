"""Archiving a project whole, in Toloka's order: its members stage by stage, then the project.

Toloka archives a project only when all its pools and trainings are archived, and a training
only when every pool that requires it is. A ``Container`` (``_wire.kinds.PROJECTS``) names the
stages in that order (pools, then trainings); ``archive_project`` lists each stage's members (a
page at a time, any status), archives them with the bulk engine (the same reports, pre-flight
explanations and reconciling as ``archive_pools``), and only when every member is archived asks
Toloka to archive the project, through the same start (retries, a lost answer reconciled, a lock
followed) as any other operation.

A member that a member of an earlier stage requires (a training, required by a pool) is not
asked for while one of those is not archived: its report says which ones keep it. It closes an
open member only when asked to (``close_open``), and leaves one closed for editing alone unless
the caller consents (``consent``); otherwise such members, like pools inside the 9-day rejection
window, are reported with their reason, and the project is left as it is, with a statement of
what blocks it and the one thing that would help.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from toloka_archive._core.dates import format_moment
from toloka_archive._core.errors import ListingError, NotFoundError, PermissionDeniedError
from toloka_archive._core.ids import id_key
from toloka_archive._core.models import Record
from toloka_archive._core.policies import Timeout
from toloka_archive._engine.bulk import archive_many
from toloka_archive._engine.reports import ProjectOutcome, ProjectReport, Report
from toloka_archive._engine.work import Hooks, Port, do_job
from toloka_archive._wire.kinds import Container, Lifecycle
from toloka_archive._wire.outcomes import Outcome

MAX_BLOCKING = 1000  # members kept in a report's ``blocking`` list; the counts are always exact
_DONE = frozenset({Outcome.ARCHIVED, Outcome.ALREADY_ARCHIVED})

PoolReported = Callable[[Report], object]
ProjectStarted = Callable[[str, str], object]


class _Tally:
    """What the stages found: counts by member kind, the members that block the project, and,
    for the next stage, which of its members are required by a member not archived."""

    def __init__(self, dry_run: bool, on_report: PoolReported | None) -> None:
        self.counts: dict[str, Counter[Outcome]] = {}
        self.blocking: list[Report] = []
        self.not_done = 0
        self.not_done_by: Counter[str] = Counter()  # by noun
        self._dry_run = dry_run
        self._on_report = on_report

    def fine(self, report: Report) -> bool:
        done = report.outcome in _DONE
        return done or (self._dry_run and report.outcome is Outcome.ARCHIVABLE)

    def add(self, report: Report) -> None:
        self.counts.setdefault(report.subject, Counter())[report.outcome] += 1
        if not self.fine(report):
            self.not_done += 1
            self.not_done_by[report.subject] += 1
            if len(self.blocking) < MAX_BLOCKING:
                self.blocking.append(report)
        if self._on_report is not None:
            self._on_report(report)

    def report(
        self,
        project_id: str,
        outcome: ProjectOutcome,
        detail: str,
        *,
        operation_id: str | None = None,
        archivable_from: datetime | None = None,
        error: Exception | None = None,
    ) -> ProjectReport:
        """The project's report, with what the stages found."""
        return ProjectReport(
            project_id,
            outcome,
            detail,
            operation_id=operation_id,
            counts={noun: dict(counter) for noun, counter in self.counts.items()},
            blocking=tuple(self.blocking),
            archivable_from=archivable_from,
            error=error,
        )


async def archive_project(
    port: Port,
    container: Container,
    project_id: str,
    *,
    concurrency: int,
    timeout: Timeout,
    dry_run: bool,
    close_open: bool,
    consent: bool,
    on_report: PoolReported | None,
    on_project_started: ProjectStarted | None,
    hooks: Hooks,
) -> ProjectReport:
    """Archive the project's members stage by stage, then the project; see the module.

    ``on_report`` hears each member's report as it ends; ``on_project_started(project_id,
    operation_id)`` hears of the project's own archive the moment it exists.
    """
    try:
        project = await port.get_project(project_id)
    except NotFoundError as error:
        return ProjectReport(project_id, ProjectOutcome.NOT_FOUND, "no such project", error=error)
    except PermissionDeniedError as error:
        detail = "no access to this project"
        return ProjectReport(project_id, ProjectOutcome.NO_ACCESS, detail, error=error)
    if container.archive.done_in(str(project.status)):
        return ProjectReport(project_id, ProjectOutcome.ALREADY_ARCHIVED, "already archived")

    tally = _Tally(dry_run, on_report)
    waiting_on: dict[str, list[str]] = {}  # a member's id -> the unfinished ones requiring it
    for life in container.members:
        required: dict[str, str] = {}  # this stage's member -> the next stage's it requires
        held: list[Report] = []  # members that wait on an earlier stage's: no request
        listed = _stage(port.members(life.subject, project_id), life, waiting_on, required, held)
        reports = archive_many(
            port,
            life,
            listed,
            concurrency=concurrency,
            wait=True,
            timeout=timeout,
            dry_run=dry_run,
            close_open=close_open,
            consent=consent,
            hooks=hooks,
        )
        waiting_on = {}
        try:
            async for report in reports:
                tally.add(report)
                needed = required.get(id_key(report.subject_id))
                if needed is not None and not tally.fine(report):
                    waiting_on.setdefault(id_key(needed), []).append(report.label)
        except ListingError as error:
            # The members found were archived and reported; the others are not known.
            detail = f"not archived: {error}; run again to take up the rest"
            return tally.report(project_id, ProjectOutcome.UNKNOWN, detail, error=error)
        for report in held:
            tally.add(report)
    if tally.not_done:
        return _blocked(project_id, tally)
    if dry_run:
        return tally.report(
            project_id,
            ProjectOutcome.ARCHIVABLE,
            "can be archived once its members are (a dry run)",
        )
    return await _archive_itself(port, container, project_id, tally, timeout, on_project_started)


async def _stage(
    records: AsyncIterator[Record],
    life: Lifecycle,
    waiting_on: dict[str, list[str]],
    required: dict[str, str],
    held: list[Report],
) -> AsyncIterator[Record]:
    """The stage's members as listed, noting what each requires; one that waits on an earlier
    stage's unfinished members is held back with a report that names them."""
    async for record in records:
        needed = life.requires(record)
        if needed is not None:
            required[id_key(record.id)] = needed
        keepers = waiting_on.get(id_key(record.id))
        if keepers is None or life.archive.done_in(str(record.status)):
            yield record
            continue
        shown = ", ".join(keepers[:5]) + (
            f" and {len(keepers) - 5} more" if len(keepers) > 5 else ""
        )
        them = "them" if len(keepers) > 1 else "it"
        detail = f"not archived: required by {shown}, not archived; archive {them} first"
        held.append(
            Report(
                record.id,
                Outcome.BLOCKED,
                detail,
                subject_status=str(record.status),
                subject=life.noun,
            )
        )


async def _archive_itself(
    port: Port,
    container: Container,
    project_id: str,
    tally: _Tally,
    timeout: Timeout,
    on_started: ProjectStarted | None,
) -> ProjectReport:
    """The project's own archive: the same start and wait as any member's."""
    kind = container.archive
    report = await do_job(
        port,
        kind.on(project_id),
        wait=True,
        timeout=timeout,
        hooks=Hooks(on_started=on_started),
    )
    outcome = _PROJECT_OUTCOME.get(report.outcome, ProjectOutcome.UNKNOWN)
    detail = report.detail
    if report.outcome is Outcome.BLOCKED:
        # Every member read archived a moment ago: one changed meanwhile, and a new run sees it.
        detail += " (a member changed meanwhile; run again)"
    elif report.outcome is Outcome.TIMED_OUT:
        detail = f"{detail.split(';')[0]}; follow operation {report.operation_id}"
    return tally.report(
        project_id, outcome, detail, operation_id=report.operation_id, error=report.error
    )


_PROJECT_OUTCOME = {
    Outcome.ARCHIVED: ProjectOutcome.ARCHIVED,
    Outcome.ALREADY_ARCHIVED: ProjectOutcome.ALREADY_ARCHIVED,
    Outcome.BLOCKED: ProjectOutcome.BLOCKED,
    Outcome.WRONG_STATUS: ProjectOutcome.FAILED,
    Outcome.NOT_FOUND: ProjectOutcome.NOT_FOUND,
    Outcome.NO_ACCESS: ProjectOutcome.NO_ACCESS,
    Outcome.TIMED_OUT: ProjectOutcome.TIMED_OUT,
    Outcome.FAILED: ProjectOutcome.FAILED,
}


def _blocked(project_id: str, tally: _Tally) -> ProjectReport:
    """The project stays as it is: which members keep it, why, and the one thing that helps."""
    # Members alike (the same kind, outcome and status) are counted together, with one reason.
    alike: dict[tuple[str, Outcome, str | None], list[Report]] = {}
    for report in tally.blocking:
        alike.setdefault((report.subject, report.outcome, report.subject_status), []).append(report)
    parts = [
        f"{len(group)} {_plural(group[0].subject, len(group))} {_reason(group[0], len(group))}"
        for group in alike.values()
    ]
    shown = len(tally.blocking)
    more = f" and {tally.not_done - shown} more" if tally.not_done > shown else ""
    verb = "are" if tally.not_done != 1 else "is"
    members = " and ".join(f"{n} {_plural(noun, n)}" for noun, n in tally.not_done_by.items())
    detail = f"not archived: {members} of it {verb} not archived"
    detail += f" ({'; '.join(parts)}{more})"
    windows = [report.archivable_from for report in tally.blocking if report.archivable_from]
    archivable_from: datetime | None = None
    outcomes = {report.outcome for report in tally.blocking}
    if windows and outcomes == {Outcome.NOT_ARCHIVABLE_YET}:
        archivable_from = max(windows)
        detail += f"; run again from {format_moment(archivable_from)}"
    return tally.report(project_id, ProjectOutcome.BLOCKED, detail, archivable_from=archivable_from)


def _plural(noun: str, count: int) -> str:
    return noun if count == 1 else f"{noun}s"


def _reason(report: Report, count: int) -> str:
    """Why ``count`` members like ``report`` block the project, with the one step that would
    help."""
    outcome, it = report.outcome, "them" if count > 1 else "it"
    if outcome is Outcome.WRONG_STATUS and report.subject_status == "OPEN":
        return f"OPEN: --close-open (close_open=True) closes {it} first"
    if outcome is Outcome.WRONG_STATUS:
        return f"in status {report.subject_status or 'that cannot be archived'}"
    if outcome is Outcome.BEING_EDITED:
        return (
            "closed for editing: run again once the edit is done, or --include-editing "
            f"(include_editing=True) archives {it} anyway"
        )
    if outcome is Outcome.NOT_ARCHIVABLE_YET:
        return "in the 9-day rejection window"
    if outcome is Outcome.BLOCKED and count == 1:
        return "blocked: " + report.detail.removeprefix("not archived: ")
    if outcome is Outcome.BLOCKED:
        return "blocked: each waits on something else first (each one says what)"
    if outcome in (Outcome.FAILED, Outcome.UNKNOWN, Outcome.TIMED_OUT):
        return f"{_REASONS[outcome]}: run again"
    return _REASONS.get(outcome, str(outcome.value))


_REASONS: dict[Outcome, str] = {
    Outcome.FAILED: "failed",
    Outcome.UNKNOWN: "unknown",
    Outcome.TIMED_OUT: "still archiving",
    Outcome.NO_ACCESS: "without access",
    Outcome.NOT_FOUND: "gone",
    Outcome.INVALID_ID: "with ids that are not ids",
}
