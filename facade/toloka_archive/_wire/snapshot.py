"""What Toloka's objects say: an Operation snapshot (finished or not, its status in words, its
pool, its progress), which archive an operation is, a pool's status, a timestamp.

Every reader of a snapshot (the waiter, the handles, the errors, the command's display) asks
these questions; they are answered once, here, so an unknown status Toloka adds later reads the
same everywhere.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from toloka_archive._wire import generated

if TYPE_CHECKING:
    from toloka_api.models import KnownOperationType, Operation, Pool, Project


class Phase(enum.Enum):
    """What a snapshot means for whoever waits on it."""

    WAITING = "waiting"  # PENDING, RUNNING, or a status Toloka added after this release
    SUCCEEDED = "succeeded"
    FAILED = "failed"


def phase_of(operation: Operation) -> Phase:
    if operation.status is generated.KnownOperationStatus.SUCCESS:
        return Phase.SUCCEEDED
    if operation.status is generated.KnownOperationStatus.FAIL:
        return Phase.FAILED
    return Phase.WAITING


def is_known_status(operation: Operation) -> bool:
    return isinstance(operation.status, generated.KnownOperationStatus)


def status_name(operation: Operation | None) -> str:
    """``SUCCESS``, ``RUNNING``, or whatever new status Toloka sent; ``unfinished`` for None."""
    if operation is None:
        return "unfinished"
    status = operation.status
    return status.value if isinstance(status, generated.KnownOperationStatus) else str(status)


def progress_of(operation: Operation) -> int | None:
    """The progress in percent, or None when the snapshot does not give it."""
    return operation.progress if isinstance(operation.progress, int) else None


def same_id(found: str | None, wanted: str) -> bool:
    """Pool and project ids are digits; ``"007"`` in a path is 7, so compare them as numbers."""
    if found is None or not (found.isascii() and found.isdigit()):
        return False
    return int(found) == int(wanted)


@dataclass(frozen=True)
class Archive:
    """Which archive an operation is about: a pool's (``POOL.ARCHIVE``) or a project's."""

    kind: KnownOperationType
    subject_id: str

    @classmethod
    def of_pool(cls, pool_id: str) -> Archive:
        return cls(generated.KnownOperationType.POOL_ARCHIVE, pool_id)

    @classmethod
    def of_project(cls, project_id: str) -> Archive:
        return cls(generated.KnownOperationType.PROJECT_ARCHIVE, project_id)

    @classmethod
    def of(cls, operation: Operation) -> Archive | None:
        """The archive ``operation`` is; None for another kind of operation, or when its
        parameters do not say what it archives."""
        kind, known = operation.type_, generated.KnownOperationType
        if kind is not known.POOL_ARCHIVE and kind is not known.PROJECT_ARCHIVE:
            return None
        subject = _subject_named(operation, kind)
        return None if subject is None else cls(kind, subject)

    @property
    def key(self) -> tuple[str, str]:
        """The same for the same archive, however its id is written (``"007"`` is 7)."""
        subject = self.subject_id
        if subject.isascii() and subject.isdigit():
            subject = str(int(subject))
        return (self.kind.value, subject)

    @property
    def noun(self) -> str:
        return "pool" if self.kind is generated.KnownOperationType.POOL_ARCHIVE else "project"

    def subject_of(self, operation: Operation) -> str | None:
        """The pool or project the operation's parameters name, if any."""
        return _subject_named(operation, self.kind)

    def matches(self, operation: Operation) -> bool:
        """Whether ``operation`` is this very archive: the right kind, of the right subject."""
        return operation.type_ is self.kind and same_id(self.subject_of(operation), self.subject_id)


def _subject_named(operation: Operation, kind: KnownOperationType) -> str | None:
    """The pool (for a pool's archive) or project the operation's parameters name, if any."""
    parameters = operation.parameters
    if not isinstance(parameters, generated.OperationParameters):
        return None
    value = (
        parameters.pool_id
        if kind is generated.KnownOperationType.POOL_ARCHIVE
        else parameters.project_id
    )
    return value if isinstance(value, str) else None


def pool_id_of(operation: Operation) -> str | None:
    """The pool an operation works on, from its parameters; None when they do not say."""
    parameters = operation.parameters
    if not isinstance(parameters, generated.OperationParameters):
        return None
    return parameters.pool_id if isinstance(parameters.pool_id, str) else None


def summary(operation: Operation) -> str:
    """One short line for a ``repr``: id, status and progress, nothing unset."""
    progress = progress_of(operation)
    percent = "" if progress is None else f" {progress}%"
    return f"<Operation {operation.id} {status_name(operation)}{percent}>"


def pool_status_of(pool: Pool) -> str:
    """``CLOSED``, ``OPEN``, ... or whatever new status Toloka sent."""
    status = pool.status
    return status.value if isinstance(status, generated.KnownPoolStatus) else str(status)


def project_status_of(project: Project) -> str:
    """``ACTIVE``, ``ARCHIVED``, ... or whatever new status Toloka sent."""
    status = project.status
    return status.value if isinstance(status, generated.KnownProjectStatus) else str(status)


def timestamp(value: object) -> datetime | None:
    """A Toloka timestamp as an aware UTC datetime: from a parsed datetime or the text Toloka
    sends (``2016-04-07T16:06:15.902``, UTC without an offset); None when absent or unreadable."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def archive_duration(operation: Operation) -> float | None:
    """How long a finished archive operation took at Toloka (finished - submitted), in seconds.

    Measured on Toloka's own clock, so it does not include our polling slack. None for other
    kinds of operation, unfinished ones, and timestamps that cannot be read.
    """
    if operation.type_ is not generated.KnownOperationType.POOL_ARCHIVE:
        return None
    submitted, finished = timestamp(operation.submitted), timestamp(operation.finished)
    if submitted is None or finished is None or finished < submitted:
        return None
    return (finished - submitted).total_seconds()
