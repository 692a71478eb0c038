"""What Toloka's objects say, as the facade hands them out: operations, their logs, pools,
trainings and projects.

Plain frozen dataclasses, typed for ``mypy --strict``: timestamps are aware UTC datetimes
(Toloka writes them in UTC without an offset), statuses and types are enums of the documented
values, and a failed operation's log says why in words. Enumerations grow: a status or type
Toloka adds after this release is kept as the plain string it sent, never refused, and an
unknown operation status reads as not finished.

``raw`` keeps the generated model each object was read from (``toloka_archive_api.models``), for
whoever wants Toloka's answer exactly as it came; it is left out of ``repr`` and of equality.
The objects are built from the generated models in ``_wire.convert``; nothing here imports the
generated client.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable


class OperationStatus(enum.StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCESS = "SUCCESS"
    FAIL = "FAIL"


class OperationType(enum.StrEnum):
    """The operation types Toloka's reference documents; the set grows."""

    ANALYTICS = "ANALYTICS"
    POOL_ARCHIVE = "POOL.ARCHIVE"
    POOL_CLONE = "POOL.CLONE"
    POOL_CLOSE = "POOL.CLOSE"
    POOL_OPEN = "POOL.OPEN"
    PROJECT_ARCHIVE = "PROJECT.ARCHIVE"
    SOLUTION_AGGREGATE = "SOLUTION.AGGREGATE"
    TASK_BATCH_CREATE = "TASK.BATCH_CREATE"
    TASK_SUITE_BATCH_CREATE = "TASK_SUITE.BATCH_CREATE"
    TRAINING_ARCHIVE = "TRAINING.ARCHIVE"
    TRAINING_CLONE = "TRAINING.CLONE"
    TRAINING_CLOSE = "TRAINING.CLOSE"
    TRAINING_OPEN = "TRAINING.OPEN"
    USER_BONUS_BATCH_CREATE = "USER_BONUS.BATCH_CREATE"


class PoolStatus(enum.StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"
    ARCHIVED = "ARCHIVED"
    LOCKED = "LOCKED"


class TrainingStatus(enum.StrEnum):
    """A training's statuses: a training is a pool of its own kind, with the same statuses."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"
    ARCHIVED = "ARCHIVED"
    LOCKED = "LOCKED"


CLOSED_FOR_EDITING = "FOR_UPDATE"
"""The ``last_close_reason`` of a pool or training someone closed to edit it (Toloka's
``close-for-update``); Toloka opens such a pool again by itself about 15 minutes later."""


class ProjectStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


class Phase(enum.Enum):
    """What an operation's status means for whoever waits on it."""

    WAITING = "waiting"  # PENDING, RUNNING, or a status Toloka added after this release
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class Operation:
    """One snapshot of an asynchronous operation (archiving a pool, closing one, ...).

    ``type`` and ``status`` are enum members for the documented values and plain strings for
    any other; both compare equal to their text (``operation.status == "SUCCESS"``).
    ``parameters`` holds what the operation works on (``pool_id``, ``project_id``, ...).
    """

    id: str
    type: OperationType | str
    status: OperationStatus | str
    submitted: datetime | None = None
    started: datetime | None = None
    finished: datetime | None = None
    progress: int | None = None
    """Percent done, 0-100, when Toloka says."""
    parameters: Mapping[str, Any] = field(default_factory=dict)
    details: Mapping[str, Any] | None = None
    raw: Any = field(default=None, repr=False, compare=False)

    @property
    def pool_id(self) -> str | None:
        """The pool the operation works on, from its parameters; None when they do not say."""
        return _text(self.parameters.get("pool_id"))

    @property
    def project_id(self) -> str | None:
        return _text(self.parameters.get("project_id"))

    @property
    def training_id(self) -> str | None:
        return _text(self.parameters.get("training_id"))

    @property
    def phase(self) -> Phase:
        if self.status == OperationStatus.SUCCESS:
            return Phase.SUCCEEDED
        if self.status == OperationStatus.FAIL:
            return Phase.FAILED
        return Phase.WAITING

    @property
    def done(self) -> bool:
        """Ended, in success or failure."""
        return self.phase is not Phase.WAITING

    @property
    def known_status(self) -> bool:
        """False for a status Toloka added after this release (read as not finished)."""
        return isinstance(self.status, OperationStatus)

    @property
    def duration(self) -> float | None:
        """How long it took at Toloka (finished - submitted), in seconds, on Toloka's clock;
        None until it has finished, or when the timestamps do not make sense."""
        if self.submitted is None or self.finished is None or self.finished < self.submitted:
            return None
        return (self.finished - self.submitted).total_seconds()

    def __str__(self) -> str:
        """``<Operation 0fe3... RUNNING 40%>``: id, status and progress."""
        percent = "" if self.progress is None else f" {self.progress}%"
        return f"<Operation {self.id} {self.status}{percent}>"


@dataclass(frozen=True)
class LogEntry:
    """One step of an operation's log (``GET /operations/{id}/log``)."""

    type: str | None = None
    success: bool | None = None
    input: Mapping[str, Any] = field(default_factory=dict)
    output: Mapping[str, Any] = field(default_factory=dict)
    raw: Any = field(default=None, repr=False, compare=False)

    @property
    def reason(self) -> str | None:
        """Why a failed step failed, in Toloka's words (its ``message``, else its ``code``);
        None for a step that did not fail or says nothing."""
        if self.success is not False:
            return None
        return _text(self.output.get("message")) or _text(self.output.get("code"))


def failure_reason(
    log: list[LogEntry] | None, details: Mapping[str, Any] | None = None
) -> str | None:
    """The first failed step's reason: the closest Toloka comes to saying why an operation
    failed (the operation itself carries none). When the log says nothing, the operation's
    ``details``: its ``message``, ``reason`` or ``code`` if it has one, else the details as
    Toloka sent them, cut to 200 characters."""
    for entry in log or []:
        if entry.reason:
            return entry.reason
    if not details:
        return None
    for key in ("message", "reason", "error", "code"):
        said = _text(details.get(key))
        if said:
            return said
    shown = ", ".join(f"{key}={value!r}" for key, value in details.items())
    return f"details: {shown if len(shown) <= 200 else shown[:199] + '…'}"


@runtime_checkable
class Record(Protocol):
    """What every object an operation works on shows: its id and its status."""

    @property
    def id(self) -> str: ...

    @property
    def status(self) -> str: ...


def closed_for_editing(record: Record) -> bool:
    """Whether someone closed ``record`` (a pool or a training) to edit it: ``CLOSED`` with
    ``last_close_reason`` ``FOR_UPDATE``. Archiving it would take it from under them."""
    reason = getattr(record, "last_close_reason", None)
    return record.status == PoolStatus.CLOSED and reason == CLOSED_FOR_EDITING


@dataclass(frozen=True)
class Pool:
    """A pool as Toloka lists it: its status says whether it can be archived (``CLOSED``).

    ``training_id`` is the training a Toloker must pass before this pool
    (``quality_control.training_requirement.training_pool_id``): Toloka archives that training
    only once every pool that requires it is archived.
    """

    id: str
    status: PoolStatus | str
    project_id: str | None = None
    private_name: str | None = None
    created: datetime | None = None
    last_started: datetime | None = None
    last_stopped: datetime | None = None
    last_close_reason: str | None = None
    raw: Any = field(default=None, repr=False, compare=False)
    training_id: str | None = None

    @property
    def closed_for_editing(self) -> bool:
        """Closed by someone to edit it (``FOR_UPDATE``): see ``closed_for_editing``."""
        return closed_for_editing(self)


@dataclass(frozen=True)
class Training:
    """A training (Toloka's "training pool"): the practice tasks a pool may require first.

    It archives like a pool (it must be ``CLOSED``), and only once every pool that requires
    it is archived; a project archives only once all its pools and trainings are.
    """

    id: str
    status: TrainingStatus | str
    project_id: str | None = None
    private_name: str | None = None
    created: datetime | None = None
    last_started: datetime | None = None
    last_stopped: datetime | None = None
    last_close_reason: str | None = None
    raw: Any = field(default=None, repr=False, compare=False)

    @property
    def closed_for_editing(self) -> bool:
        """Closed by someone to edit it (``FOR_UPDATE``): see ``closed_for_editing``."""
        return closed_for_editing(self)


@dataclass(frozen=True)
class Project:
    """A project: ``ACTIVE``, or ``ARCHIVED`` once every pool and then the project is."""

    id: str
    status: ProjectStatus | str
    public_name: str | None = None
    created: datetime | None = None
    raw: Any = field(default=None, repr=False, compare=False)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


ANY_STATUS = "any"


def pool_status_filter(text: str) -> str | None:
    """A pool status as a filter is written (any case; ``any`` for every status): the status,
    or None for every one. Anything else is a ``ValueError`` that names the choices: a filter
    Toloka would not understand must not quietly select nothing."""
    wanted = text.strip().upper()
    if wanted == ANY_STATUS.upper():
        return None
    if wanted not in PoolStatus.__members__:
        choices = ", ".join(status.value for status in PoolStatus)
        raise ValueError(f"{text.strip()!r} is not a pool status; choose {choices} or any")
    return wanted
