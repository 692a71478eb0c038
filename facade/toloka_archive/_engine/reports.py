"""One pool's report: how it ended, in plain words and in fields for code.

Every pool handed to the bulk engine ends with exactly one ``PoolReport``. This module says how
each thing that can happen to a pool reads: a pre-flight verdict, a typed error, a 409 with
Toloka's code (read through the operation kind that got it). The command prints these reports;
services read their fields.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from toloka_archive._core.dates import as_utc, format_moment
from toloka_archive._core.errors import (
    APIError,
    APIStatusError,
    ConflictError,
    NotFoundError,
    OperationFailedError,
    OperationNotStartedError,
    OperationTimeoutError,
    PermissionDeniedError,
    RunEndingError,
    UnexpectedResponseError,
)
from toloka_archive._flows.preflight import Archivability, Verdict
from toloka_archive._wire.kinds import Conflict, OperationKind


class Outcome(enum.Enum):
    """How one pool ended. ``ok`` tells the ones that need nothing more from anybody."""

    ARCHIVED = "archived"
    ALREADY_ARCHIVED = "already_archived"
    CLOSED = "closed"  # close_pools: the pool was closed
    ALREADY_CLOSED = "already_closed"  # close_pools: Toloka answered 204
    STARTED = "started"  # the operation started and was not waited for (wait=False)
    ARCHIVABLE = "archivable"  # dry run: would be archived now
    NOT_ARCHIVABLE_YET = "not_archivable_yet"  # rejections in the last 9 days
    WRONG_STATUS = "wrong_status"  # not CLOSED, e.g. still OPEN
    NOT_FOUND = "not_found"
    NO_ACCESS = "no_access"
    INVALID_ID = "invalid_id"
    TIMED_OUT = "timed_out"  # still running at Toloka; resume with the operation id
    FAILED = "failed"  # Toloka says so: the operation ended FAIL, or it refused the request
    UNKNOWN = "unknown"  # Toloka could not be asked, or answered nonsense: check this pool

    @property
    def ok(self) -> bool:
        return self in _OK


_OK = frozenset(
    {
        Outcome.ARCHIVED,
        Outcome.ALREADY_ARCHIVED,
        Outcome.CLOSED,
        Outcome.ALREADY_CLOSED,
        Outcome.STARTED,
        Outcome.ARCHIVABLE,
    }
)


def done_outcome(kind: OperationKind) -> Outcome:
    """``archived`` for an archive, ``closed`` for a close: the kind's own word."""
    return Outcome(kind.past)


def already_outcome(kind: OperationKind) -> Outcome:
    """``already_archived``, ``already_closed``: Toloka's 204 for the kind."""
    return Outcome(f"already_{kind.past}")


@dataclass(frozen=True)
class PoolReport:
    """What happened to one pool, in plain words (``detail``) and in fields for code.

    ``operation_id`` is the operation that did (or does) what was asked: the archive, for an
    archive. ``close_operation_id`` is the close that came first, when the pool was open and
    closing it was asked for (``close_open``).
    """

    pool_id: str
    outcome: Outcome
    detail: str
    operation_id: str | None = None
    pool_status: str | None = None
    archivable_from: datetime | None = None
    error: Exception | None = None
    close_operation_id: str | None = None

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict: the CLI's ``--json`` line for this pool."""
        return {
            "pool_id": self.pool_id,
            "outcome": self.outcome.value,
            "ok": self.outcome.ok,
            "detail": self.detail,
            "operation_id": self.operation_id,
            "pool_status": self.pool_status,
            "archivable_from": None
            if self.archivable_from is None
            else self.archivable_from.isoformat(),
            "error": None if self.error is None else type(self.error).__name__,
            "close_operation_id": self.close_operation_id,
        }


def report_from_check(check: Archivability) -> PoolReport:
    outcome = {
        Verdict.ARCHIVABLE: Outcome.ARCHIVABLE,
        Verdict.ALREADY_ARCHIVED: Outcome.ALREADY_ARCHIVED,
        Verdict.WRONG_STATUS: Outcome.WRONG_STATUS,
        Verdict.REJECTION_WINDOW: Outcome.NOT_ARCHIVABLE_YET,
    }[check.verdict]
    return PoolReport(
        check.pool_id,
        outcome,
        check.reason,
        pool_status=check.pool_status,
        archivable_from=check.archivable_from,
    )


def report_from_conflict(pool_id: str, conflict: ConflictError, kind: OperationKind) -> PoolReport:
    """When the pre-flight cannot run, the 409's own code is the next best explanation."""
    meaning = kind.conflict(conflict.code)
    if meaning is Conflict.WRONG_STATUS:
        wanted = " or ".join(conflict.appropriate_statuses or kind.ready_statuses)
        detail = f"not in a status that can be {kind.past} (needs {wanted})"
        return PoolReport(pool_id, Outcome.WRONG_STATUS, detail, error=conflict)
    if meaning is Conflict.NOT_YET:
        moment = _moment(conflict.payload.get("archivable_from"))
        detail = (
            f"has rejected tasks, archivable from {format_moment(moment)}"
            if moment
            else "has tasks rejected less than 9 days ago"
        )
        return PoolReport(
            pool_id, Outcome.NOT_ARCHIVABLE_YET, detail, archivable_from=moment, error=conflict
        )
    return PoolReport(pool_id, Outcome.FAILED, f"refused: {conflict.message}", error=conflict)


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError:
        return None


def report_for_error(pool_id: str, error: Exception, operation_id: str | None = None) -> PoolReport:
    """How one pool's error reads in its report; any exception at all becomes a report.

    The errors that no pool could get past (``RunEndingError``: a rejected key, Toloka
    unreachable, a base URL that is not Toloka's) are re-raised instead: they end the run.
    """
    if isinstance(error, RunEndingError):
        raise error
    if isinstance(error, NotFoundError):
        return PoolReport(pool_id, Outcome.NOT_FOUND, "no such pool", error=error)
    if isinstance(error, PermissionDeniedError):
        return PoolReport(pool_id, Outcome.NO_ACCESS, "no access to this pool", error=error)
    if isinstance(error, OperationTimeoutError):
        detail = (
            f"still running after {error.waited:.0f} s; resume with operation {error.operation_id}"
        )
        return PoolReport(pool_id, Outcome.TIMED_OUT, detail, error.operation_id, error=error)
    if isinstance(error, OperationFailedError):
        return PoolReport(pool_id, Outcome.FAILED, str(error), error.operation_id, error=error)
    if isinstance(error, OperationNotStartedError):  # Toloka confirms: nothing was started
        return PoolReport(pool_id, Outcome.FAILED, _first_line(error), error=error)
    if isinstance(error, APIStatusError) and error.status_code < 500 and error.status_code != 429:
        return PoolReport(pool_id, Outcome.FAILED, f"refused: {error}", operation_id, error=error)
    if isinstance(error, UnexpectedResponseError):
        detail = f"unknown: Toloka's answer {_after_status(error)}"
    elif isinstance(error, APIError):  # no answer, a 5xx, a 429: nothing known either way
        detail = f"unknown: {_first_line(error)}"
    else:
        detail = f"unknown: internal error ({type(error).__name__}: {_first_line(error)})"
    return PoolReport(pool_id, Outcome.UNKNOWN, detail, operation_id, error=error)


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
    ARCHIVABLE = "archivable"  # dry run: its pools are archived or can be now
    BLOCKED = "blocked"  # some pools are not archived: the project was left as it is
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
    """How archiving one project ended, with the count of its pools' outcomes.

    ``blocking`` lists the pools that keep the project from being archived (the first
    ``MAX_BLOCKING`` of them), and ``archivable_from`` says when the last of them could be
    archived, when only the 9-day rejection window is in the way.
    """

    project_id: str
    outcome: ProjectOutcome
    detail: str
    operation_id: str | None = None
    pools: Mapping[Outcome, int] = field(default_factory=dict)
    blocking: tuple[PoolReport, ...] = ()
    archivable_from: datetime | None = None
    error: Exception | None = None

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict: the command's last ``--json`` line for a project."""
        return {
            "project_id": self.project_id,
            "outcome": self.outcome.value,
            "ok": self.outcome.ok,
            "detail": self.detail,
            "operation_id": self.operation_id,
            "pools": {outcome.value: count for outcome, count in self.pools.items()},
            "blocking": [report.pool_id for report in self.blocking],
            "archivable_from": None
            if self.archivable_from is None
            else self.archivable_from.isoformat(),
            "error": None if self.error is None else type(self.error).__name__,
        }
