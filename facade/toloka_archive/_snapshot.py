"""What an Operation snapshot says: finished or not, its status in words, its pool, its progress.

Every reader of a snapshot (the waiter, the handles, the errors, the command's display) asks
these questions; they are answered once, here, so an unknown status Toloka adds later reads the
same everywhere.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from toloka_api.models import (
    KnownOperationStatus,
    KnownOperationType,
    Operation,
    OperationParameters,
)


class Phase(enum.Enum):
    """What a snapshot means for whoever waits on it."""

    WAITING = "waiting"  # PENDING, RUNNING, or a status Toloka added after this release
    SUCCEEDED = "succeeded"
    FAILED = "failed"


def phase_of(operation: Operation) -> Phase:
    if operation.status is KnownOperationStatus.SUCCESS:
        return Phase.SUCCEEDED
    if operation.status is KnownOperationStatus.FAIL:
        return Phase.FAILED
    return Phase.WAITING


def is_known_status(operation: Operation) -> bool:
    return isinstance(operation.status, KnownOperationStatus)


def status_name(operation: Operation | None) -> str:
    """``SUCCESS``, ``RUNNING``, or whatever new status Toloka sent; ``unfinished`` for None."""
    if operation is None:
        return "unfinished"
    status = operation.status
    return status.value if isinstance(status, KnownOperationStatus) else str(status)


def progress_of(operation: Operation) -> int | None:
    """The progress in percent, or None when the snapshot does not give it."""
    return operation.progress if isinstance(operation.progress, int) else None


def pool_id_of(operation: Operation) -> str | None:
    """The pool an operation works on, from its parameters; None when they do not say."""
    parameters = operation.parameters
    if isinstance(parameters, OperationParameters) and isinstance(parameters.pool_id, str):
        return parameters.pool_id
    return None


def summary(operation: Operation) -> str:
    """One short line for a ``repr``: id, status and progress, nothing unset."""
    progress = progress_of(operation)
    percent = "" if progress is None else f" {progress}%"
    return f"<Operation {operation.id} {status_name(operation)}{percent}>"


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
    if operation.type_ is not KnownOperationType.POOL_ARCHIVE:
        return None
    submitted, finished = timestamp(operation.submitted), timestamp(operation.finished)
    if submitted is None or finished is None or finished < submitted:
        return None
    return (finished - submitted).total_seconds()
