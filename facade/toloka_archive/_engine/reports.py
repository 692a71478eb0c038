"""One subject's report: how it ended, in plain words and in fields for code.

Every subject handed to the bulk engine (a pool, a training) ends with exactly one ``Report``.
This module says how each thing that can happen to it reads: a pre-flight verdict, a typed
error, a 409 with Toloka's code (read through the operation kind that got it and the table of
refusals, ``_wire.refusals``). Every word that names the subject comes from the subject's noun;
the command prints these reports; services read their fields.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from toloka_archive._core.dates import as_utc, format_moment
from toloka_archive._core.errors import (
    APIError,
    ConflictError,
    NotFoundError,
    OperationFailedError,
    OperationNotStartedError,
    OperationTimeoutError,
    PermissionDeniedError,
    RunEndingError,
    UnexpectedResponseError,
)
from toloka_archive._flows.failures import is_final
from toloka_archive._flows.preflight import Archivability, Verdict
from toloka_archive._wire.kinds import OperationKind
from toloka_archive._wire.outcomes import Outcome
from toloka_archive._wire.refusals import Conflict, in_words, refusal

__all__ = ["Outcome", "PoolReport", "ProjectOutcome", "ProjectReport", "Report"]


@dataclass(frozen=True)
class Report:
    """What happened to one subject (``subject``: "pool", "training"), in plain words
    (``detail``) and in fields for code.

    ``operation_id`` is the operation that did (or does) what was asked: the archive, for an
    archive. ``close_operation_id`` is the close that came first, when the subject was open and
    closing it was asked for (``close_open``). ``pool_id`` and ``pool_status`` are the 0.1
    names of ``subject_id`` and ``subject_status``.
    """

    subject_id: str
    outcome: Outcome
    detail: str
    operation_id: str | None = None
    subject_status: str | None = None
    archivable_from: datetime | None = None
    error: Exception | None = None
    close_operation_id: str | None = None
    subject: str = "pool"  # the noun; the default keeps 0.1's PoolReport(pool_id, ...) working

    @property
    def pool_id(self) -> str:
        """The 0.1 name of ``subject_id``."""
        return self.subject_id

    @property
    def pool_status(self) -> str | None:
        """The 0.1 name of ``subject_status``."""
        return self.subject_status

    @property
    def label(self) -> str:
        """``pool 21``, ``training 7``: the subject in words."""
        return f"{self.subject} {self.subject_id}".strip()

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict: the CLI's ``--json`` line for this subject."""
        return {
            "subject": self.subject,
            "subject_id": self.subject_id,
            "pool_id": self.subject_id if self.subject == "pool" else None,
            "outcome": self.outcome.value,
            "ok": self.outcome.ok,
            "detail": self.detail,
            "operation_id": self.operation_id,
            "status": self.subject_status,
            "pool_status": self.subject_status if self.subject == "pool" else None,
            "archivable_from": None
            if self.archivable_from is None
            else self.archivable_from.isoformat(),
            "error": None if self.error is None else type(self.error).__name__,
            "close_operation_id": self.close_operation_id,
        }


PoolReport = Report
"""The 0.1 name of ``Report``, from when pools were the only subjects."""

_BY_VERDICT = {
    Verdict.ARCHIVABLE: Outcome.ARCHIVABLE,
    Verdict.ALREADY_ARCHIVED: Outcome.ALREADY_ARCHIVED,
    Verdict.WRONG_STATUS: Outcome.WRONG_STATUS,
    Verdict.REJECTION_WINDOW: Outcome.NOT_ARCHIVABLE_YET,
    Verdict.CLOSED_FOR_EDITING: Outcome.BEING_EDITED,
}


def report_from_check(check: Archivability) -> Report:
    return Report(
        check.subject_id,
        _BY_VERDICT[check.verdict],
        check.reason,
        subject_status=check.subject_status,
        archivable_from=check.archivable_from,
        subject=check.noun,
    )


def report_from_conflict(subject_id: str, conflict: ConflictError, kind: OperationKind) -> Report:
    """When the pre-flight cannot explain it, the 409's own code does (``_wire.refusals``)."""
    noun = kind.subject.noun
    meaning = kind.conflict(conflict.code)
    known = refusal(conflict.code)
    of_another = known is not None and known.of_another and not conflict.appropriate_statuses
    if meaning is Conflict.WRONG_STATUS and of_another:  # e.g. its project's status
        words = in_words(conflict.code, conflict.message, noun)
        detail = f"not {kind.past}: {words}"
        return Report(subject_id, Outcome.WRONG_STATUS, detail, error=conflict, subject=noun)
    if meaning is Conflict.WRONG_STATUS:
        wanted = " or ".join(conflict.appropriate_statuses or kind.ready_statuses)
        detail = f"not in a status that can be {kind.past} (needs {wanted})"
        return Report(subject_id, Outcome.WRONG_STATUS, detail, error=conflict, subject=noun)
    if meaning is Conflict.NOT_YET:
        moment = _moment(conflict.payload.get("archivable_from"))
        detail = (
            f"has rejected tasks, archivable from {format_moment(moment)}"
            if moment
            else "has tasks rejected less than 9 days ago"
        )
        return Report(
            subject_id,
            Outcome.NOT_ARCHIVABLE_YET,
            detail,
            archivable_from=moment,
            error=conflict,
            subject=noun,
        )
    words = in_words(conflict.code, conflict.message, noun)
    outcome = Outcome.BLOCKED if meaning is Conflict.BLOCKED else Outcome.FAILED
    return Report(subject_id, outcome, f"not {kind.past}: {words}", error=conflict, subject=noun)


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError:
        return None


def report_for_error(
    subject_id: str, error: Exception, operation_id: str | None = None, *, noun: str = "pool"
) -> Report:
    """How one subject's error reads in its report; any exception at all becomes a report.

    The errors that no subject could get past (``RunEndingError``: a rejected key, Toloka
    unreachable, a base URL that is not Toloka's) are re-raised instead: they end the run.
    """
    if isinstance(error, RunEndingError):
        raise error

    def report(outcome: Outcome, detail: str, operation: str | None = operation_id) -> Report:
        return Report(subject_id, outcome, detail, operation, error=error, subject=noun)

    if isinstance(error, NotFoundError):
        return report(Outcome.NOT_FOUND, f"no such {noun}", None)
    if isinstance(error, PermissionDeniedError):
        return report(Outcome.NO_ACCESS, f"no access to this {noun}", None)
    if isinstance(error, OperationTimeoutError):
        detail = (
            f"still running after {error.waited:.0f} s; resume with operation {error.operation_id}"
        )
        return report(Outcome.TIMED_OUT, detail, error.operation_id)
    if isinstance(error, OperationFailedError):
        return report(Outcome.FAILED, str(error), error.operation_id)
    if isinstance(error, OperationNotStartedError):  # Toloka confirms: nothing was started
        return report(Outcome.FAILED, _first_line(error), None)
    if isinstance(error, APIError) and is_final(error):  # Toloka's own answer: asking can't help
        return report(Outcome.FAILED, f"refused: {error}")
    if isinstance(error, UnexpectedResponseError):
        detail = f"unknown: Toloka's answer {_after_status(error)}"
    elif isinstance(error, APIError):  # no answer, a 5xx, a 429: nothing known either way
        detail = f"unknown: {_first_line(error)}"
    else:
        detail = f"unknown: internal error ({type(error).__name__}: {_first_line(error)})"
    return report(Outcome.UNKNOWN, detail)


def _after_status(error: UnexpectedResponseError) -> str:
    text = _first_line(error)
    prefix = f"{error.status_code} answer "
    return text.removeprefix(prefix)


def _first_line(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    line = text.splitlines()[0]
    return line if len(line) <= 300 else line[:299] + "…"


class ProjectOutcome(enum.Enum):
    """How archiving a project ended. ``ok`` tells the ones that need nothing more."""

    ARCHIVED = "archived"
    ALREADY_ARCHIVED = "already_archived"
    ARCHIVABLE = "archivable"  # dry run: its pools and trainings are archived or can be now
    BLOCKED = "blocked"  # a pool or training is not archived: the project was left as it is
    NOT_FOUND = "not_found"
    NO_ACCESS = "no_access"
    TIMED_OUT = "timed_out"  # the project's archive still runs at Toloka
    FAILED = "failed"
    UNKNOWN = "unknown"

    @property
    def ok(self) -> bool:
        return self in _PROJECT_OK


_PROJECT_OK = frozenset(
    {ProjectOutcome.ARCHIVED, ProjectOutcome.ALREADY_ARCHIVED, ProjectOutcome.ARCHIVABLE}
)


@dataclass(frozen=True)
class ProjectReport:
    """How archiving one project ended, with the count of its members' outcomes.

    ``counts`` holds, for each kind of member ("pool", "training"), how many ended how;
    ``pools`` and ``trainings`` read it. ``blocking`` lists the members that keep the project
    from being archived (the first ``MAX_BLOCKING`` of them), each with its own reason, and
    ``archivable_from`` says when the last of them could be archived, when only the 9-day
    rejection window is in the way.
    """

    project_id: str
    outcome: ProjectOutcome
    detail: str
    operation_id: str | None = None
    counts: Mapping[str, Mapping[Outcome, int]] = field(default_factory=dict)
    blocking: tuple[Report, ...] = ()
    archivable_from: datetime | None = None
    error: Exception | None = None

    @property
    def pools(self) -> Mapping[Outcome, int]:
        """How many of its pools ended how."""
        return self.counts.get("pool", {})

    @property
    def trainings(self) -> Mapping[Outcome, int]:
        """How many of its trainings ended how."""
        return self.counts.get("training", {})

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict: the command's last ``--json`` line for a project."""
        return {
            "subject": "project",
            "project_id": self.project_id,
            "outcome": self.outcome.value,
            "ok": self.outcome.ok,
            "detail": self.detail,
            "operation_id": self.operation_id,
            "pools": {outcome.value: count for outcome, count in self.pools.items()},
            "trainings": {outcome.value: count for outcome, count in self.trainings.items()},
            "blocking": [
                {
                    "subject": report.subject,
                    "subject_id": report.subject_id,
                    "outcome": report.outcome.value,
                    "detail": report.detail,
                }
                for report in self.blocking
            ],
            "archivable_from": None
            if self.archivable_from is None
            else self.archivable_from.isoformat(),
            "error": None if self.error is None else type(self.error).__name__,
        }
