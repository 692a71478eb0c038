"""The fake's world: one table of subjects (pools, trainings and projects) and the operations
that close and archive them, moved along by a clock.

Nothing here knows about HTTP. Time is read, never waited for: an operation stores when it was
submitted and how long it takes, and its status, progress and timestamps are computed from the
clock whenever someone looks (`WorldState` settles the subject then). That is also when the
subject of an operation that has succeeded takes its new status.

Every subject is a `_Subject` record, whatever its kind, and every operation is started,
refused and settled by the same code, driven by a row of `KINDS` (`OperationKind`): the subject
kind it works on, the parameter that names the subject in the Operation, the status it starts
from and the one it leaves on success, and what its failure log says. A close also sets
``last_stopped`` (the moment it ended) and ``last_close_reason`` ``MANUAL``. A new operation
kind is a new row.

An operation is ``PENDING`` for the first `RUNNING_AFTER` of its duration, then ``RUNNING``
with progress growing linearly, and at the end ``SUCCESS`` or ``FAIL`` (the subject keeps its
status and the log says why). A subject has at most one operation running (``active``): while
it runs, the subject is locked.

Every pool and training belongs to a project of the same owner (a pool declared without one is
put in its owner's default project, `WorldState.default_project`). A pool may require a training
of its project (``training_id``); the training cannot be archived while such a pool is not, nor
a project while any of its pools or trainings is not.

A pool or training closed for editing (``CLOSED``, ``last_close_reason`` ``FOR_UPDATE``) is
reopened by Toloka `REOPEN_AFTER` its ``last_stopped``: at that moment it turns ``OPEN`` (with
``last_started`` that moment), unless it was archived meanwhile or an operation was running on
it then.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Literal, TypeAlias

from toloka_archive.testing._world.clock import Clock, timestamp

REJECTION_WINDOW = datetime.timedelta(days=9)
"""Tolokers may appeal a rejection for 9 days; a pool cannot be archived until they are over."""

REOPEN_AFTER = datetime.timedelta(minutes=15)
"""Toloka reopens a pool closed for editing (``FOR_UPDATE``) this long after it stopped."""

RUNNING_AFTER = 0.1
"""The share of an operation's duration it spends ``PENDING`` before it starts ``RUNNING``."""

POOL_TYPE = "REGULAR"
"""Toloka's deprecated ``type`` of a pool: always ``REGULAR`` (trainings are their own kind)."""

TRAINING_PASSING_SKILL_VALUE = 80
"""The share of right answers (%) a pool that requires a training asks of it."""

DEFAULT_PROJECT_FIRST_ID = 900_000_001
"""Default projects take the first free id from here up: ``900000001``, ``900000002``, ..."""

DEFAULT_ARCHIVE_SECONDS = 3.0
DEFAULT_CLOSE_SECONDS = 3.0
CLOSE_REASON = "MANUAL"
"""Why a subject closed by a close operation was closed: by hand, on request."""
FOR_UPDATE = "FOR_UPDATE"

SubjectKind = Literal["pool", "training", "project"]
SUBJECT_KINDS: tuple[SubjectKind, ...] = ("pool", "training", "project")


@dataclasses.dataclass(frozen=True, slots=True)
class Refusal:
    """Why an operation cannot start now: Toloka's error ``code``, ``message`` and ``payload``
    (the API answers it as a 409), or `ALREADY_DONE` (nothing to do: a 204)."""

    code: str
    message: str
    payload: dict[str, Any] | None = None


ALREADY_DONE = Refusal("", "nothing to do")

LOCKS: dict[SubjectKind, tuple[str, str]] = {
    "pool": ("POOL_LOCKED_BY_ANOTHER_OPERATION", "The pool is locked by another operation"),
    "training": (
        "TRAINING_LOCKED_BY_ANOTHER_OPERATION",
        "The training is locked by another operation",
    ),
    "project": ("CONFLICT_STATE", "The project is being archived by another operation"),
}
"""The 409 of a subject an operation runs on, by subject kind (``payload.operation_id``)."""

INAPPROPRIATE_STATUS_MESSAGE = (
    "This or related resource is in inappropriate status, operation is not allowed"
)

REFUSALS: dict[str, str] = {
    "THERE_IS_ACTIVE_ASSIGNMENT": "Tolokers are still doing tasks of this {noun}; "
    "it can be archived when their assignments are finished",
    "SUBMITTED_ASSIGNMENTS_CONFLICT": "There are submitted assignments which are not accepted: "
    "accept or reject the {noun}'s assignments awaiting review before you proceed",
    "PROJECT_INAPPROPRIATE_STATUS": "Project is in an inappropriate status. "
    "Operation is not allowed.",
    "POOL_INAPPROPRIATE_STATUS": "Pool is in an inappropriate status. Operation is not allowed.",
    "CONFLICT_STATE": "The {noun} is in a state that does not allow this operation",
    "UNARCHIVED_POOLS_CONFLICT": "Operation is not allowed because of unarchived pools. "
    "Archive all active pools and trainings before you proceed.",
    "TRAINING_ARCHIVE_CONFLICT": "The training is used by pools that are not archived; "
    "archive them before you proceed",
}
"""Toloka's own refusals and their messages (``{noun}``: pool or training). The first five can
be declared on a pool or training (``archive_refusal``), the rest come from the world's rules."""
ARCHIVE_REFUSALS = (
    "THERE_IS_ACTIVE_ASSIGNMENT",
    "SUBMITTED_ASSIGNMENTS_CONFLICT",
    "PROJECT_INAPPROPRIATE_STATUS",
    "POOL_INAPPROPRIATE_STATUS",
    "CONFLICT_STATE",
)


@dataclasses.dataclass(frozen=True, slots=True)
class OperationKind:
    """One kind of operation: its type, the kind of subject it works on (named in the
    Operation's ``parameters`` by `parameter`), the subject status it starts from (``ready``)
    and the one it leaves on success (``done``). Its failure log and the subject's duration
    (``archive_seconds`` or ``close_seconds``) follow from its verb."""

    type: str
    subject: SubjectKind
    verb: Literal["archive", "close"]
    ready: str
    done: str

    @property
    def parameter(self) -> str:
        return f"{self.subject}_id"

    def failure_log(self, subject_id: str) -> dict[str, Any]:
        past = "archived" if self.verb == "archive" else "closed"
        log_type = self.type.replace(".", "_")
        message = (
            f"The {self.subject} could not be {past} (a failure set up in the fake's scenario)"
        )
        return {
            "type": log_type,
            "success": False,
            "input": {self.parameter: subject_id},
            "output": {"code": f"{log_type}_FAILED", "message": message},
        }


POOL_ARCHIVE = OperationKind("POOL.ARCHIVE", "pool", "archive", "CLOSED", "ARCHIVED")
POOL_CLOSE = OperationKind("POOL.CLOSE", "pool", "close", "OPEN", "CLOSED")
TRAINING_ARCHIVE = OperationKind("TRAINING.ARCHIVE", "training", "archive", "CLOSED", "ARCHIVED")
TRAINING_CLOSE = OperationKind("TRAINING.CLOSE", "training", "close", "OPEN", "CLOSED")
PROJECT_ARCHIVE = OperationKind("PROJECT.ARCHIVE", "project", "archive", "ACTIVE", "ARCHIVED")
KINDS = {
    kind.type: kind
    for kind in (POOL_ARCHIVE, POOL_CLOSE, TRAINING_ARCHIVE, TRAINING_CLOSE, PROJECT_ARCHIVE)
}

ARCHIVE_TYPE = POOL_ARCHIVE.type
CLOSE_TYPE = POOL_CLOSE.type
PROJECT_ARCHIVE_TYPE = PROJECT_ARCHIVE.type


def _moments(data: dict[str, Any], state: Any) -> dict[str, Any]:
    """A Pool's or Training's close reason and moments, as Toloka writes them."""
    if state.last_close_reason is not None:
        data["last_close_reason"] = state.last_close_reason
    data["created"] = timestamp(state.created)
    for name in ("last_started", "last_stopped"):
        if getattr(state, name) is not None:
            data[name] = timestamp(getattr(state, name))
    return data


@dataclasses.dataclass(frozen=True, slots=True)
class PoolState:
    """A pool as it is now. ``operations`` lists the ids of its operations (archives and
    closes), oldest first; ``active`` is the one running now, if any (the pool is locked).

    ``created``, ``last_started`` and ``last_stopped`` are naive datetimes meaning UTC;
    ``last_started``/``last_stopped`` are ``None`` for a pool never started/stopped, and
    ``last_close_reason`` is ``None`` for a pool never closed. ``archive_seconds`` and
    ``close_seconds`` are how long its archive and close operations take. ``training_id`` is
    the training it requires, if any; ``archive_refusal`` the code Toloka refuses its archive
    with, if one was declared.
    """

    id: str
    owner: str
    status: str
    last_rejected: datetime.datetime | None
    archive_seconds: float
    fail: bool
    operations: tuple[str, ...]
    project_id: str
    private_name: str
    created: datetime.datetime
    last_started: datetime.datetime | None
    last_stopped: datetime.datetime | None
    last_close_reason: str | None
    close_seconds: float = DEFAULT_CLOSE_SECONDS
    active: str | None = None
    training_id: str | None = None
    archive_refusal: str | None = None

    @property
    def archivable_from(self) -> datetime.datetime | None:
        """When the appeal window of the last rejection closes, if there was one."""
        return None if self.last_rejected is None else self.last_rejected + REJECTION_WINDOW

    def to_json(self) -> dict[str, Any]:
        """The Pool as Toloka sends it, with the properties the fake knows."""
        data: dict[str, Any] = {
            "id": self.id,
            "project_id": self.project_id,
            "private_name": self.private_name,
            "type": POOL_TYPE,
            "status": self.status,
        }
        _moments(data, self)
        if self.training_id is not None:
            requirement = {
                "training_pool_id": self.training_id,
                "training_passing_skill_value": TRAINING_PASSING_SKILL_VALUE,
            }
            data["quality_control"] = {"training_requirement": requirement}
        return data


@dataclasses.dataclass(frozen=True, slots=True)
class TrainingState:
    """A training (a training pool) as it is now: the fields of `PoolState` that a training
    has, with the same meanings."""

    id: str
    owner: str
    status: str
    project_id: str
    private_name: str
    created: datetime.datetime
    last_started: datetime.datetime | None
    last_stopped: datetime.datetime | None
    last_close_reason: str | None
    archive_seconds: float
    close_seconds: float
    fail: bool
    operations: tuple[str, ...]
    active: str | None = None
    archive_refusal: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The Training as Toloka sends it, with the properties the fake knows."""
        data: dict[str, Any] = {
            "id": self.id,
            "project_id": self.project_id,
            "private_name": self.private_name,
            "status": self.status,
        }
        return _moments(data, self)


@dataclasses.dataclass(frozen=True, slots=True)
class ProjectState:
    """A project as it is now: ``pool_ids`` and ``training_ids`` in the order they were added,
    ``operations`` its archive operations, oldest first."""

    id: str
    owner: str
    status: str
    public_name: str
    created: datetime.datetime
    archive_seconds: float
    fail: bool
    pool_ids: tuple[str, ...]
    operations: tuple[str, ...]
    training_ids: tuple[str, ...] = ()
    active: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The Project as Toloka sends it, with the properties the fake knows."""
        return {
            "id": self.id,
            "public_name": self.public_name,
            "status": self.status,
            "created": timestamp(self.created),
        }


SubjectState: TypeAlias = PoolState | TrainingState | ProjectState


@dataclasses.dataclass(frozen=True, slots=True)
class OperationState:
    """An operation as it is now, with its log. ``owner`` is the requester whose subject it
    works on: only that requester sees it (``GET /operations/{id}`` and ``GET /operations``).
    Of ``pool_id``, ``training_id`` and ``project_id``, the one its type works on is set."""

    id: str
    type: str
    pool_id: str | None
    owner: str
    status: str
    submitted: datetime.datetime
    started: datetime.datetime | None
    finished: datetime.datetime | None
    progress: int
    log: tuple[dict[str, Any], ...]
    project_id: str | None = None
    training_id: str | None = None

    @property
    def done(self) -> bool:
        return self.status in ("SUCCESS", "FAIL")

    @property
    def parameters(self) -> dict[str, str]:
        """The Operation's ``parameters``: the subject it works on."""
        kind = KINDS[self.type]
        subject = {"pool": self.pool_id, "training": self.training_id, "project": self.project_id}
        return {kind.parameter: str(subject[kind.subject])}

    def to_json(self) -> dict[str, Any]:
        """The Operation as Toloka sends it (``started``/``finished`` only once they happened)."""
        data: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "status": self.status,
            "submitted": timestamp(self.submitted),
        }
        if self.started is not None:
            data["started"] = timestamp(self.started)
        if self.finished is not None:
            data["finished"] = timestamp(self.finished)
        data["progress"] = self.progress
        data["parameters"] = self.parameters
        data["details"] = {}
        return data


@dataclasses.dataclass(slots=True)
class _Subject:
    """One row of the table: a pool, a training or a project (``name`` is a project's public
    name, the others' private name). Fields a kind does not have keep their defaults."""

    kind: SubjectKind
    id: str
    owner: str
    status: str
    name: str
    created: datetime.datetime
    archive_seconds: float
    project_id: str | None = None  # a pool's or training's
    close_seconds: float = DEFAULT_CLOSE_SECONDS
    fail: bool = False
    last_started: datetime.datetime | None = None
    last_stopped: datetime.datetime | None = None
    last_close_reason: str | None = None
    last_rejected: datetime.datetime | None = None  # a pool's
    training_id: str | None = None  # a pool's: the training it requires
    archive_refusal: str | None = None
    reopens_at: datetime.datetime | None = None  # closed for editing: when Toloka reopens it
    members: dict[SubjectKind, list[str]] = dataclasses.field(default_factory=dict)  # a project's
    operations: list[str] = dataclasses.field(default_factory=list)
    active: str | None = None  # the operation still PENDING or RUNNING, if any

    def state(self) -> SubjectState:
        if self.kind == "project":
            return ProjectState(
                id=self.id,
                owner=self.owner,
                status=self.status,
                public_name=self.name,
                created=self.created,
                archive_seconds=self.archive_seconds,
                fail=self.fail,
                pool_ids=tuple(self.members.get("pool", ())),
                operations=tuple(self.operations),
                training_ids=tuple(self.members.get("training", ())),
                active=self.active,
            )
        common: dict[str, Any] = {
            "id": self.id,
            "owner": self.owner,
            "status": self.status,
            "project_id": self.project_id,
            "private_name": self.name,
            "created": self.created,
            "last_started": self.last_started,
            "last_stopped": self.last_stopped,
            "last_close_reason": self.last_close_reason,
            "archive_seconds": self.archive_seconds,
            "close_seconds": self.close_seconds,
            "fail": self.fail,
            "operations": tuple(self.operations),
            "active": self.active,
            "archive_refusal": self.archive_refusal,
        }
        if self.kind == "training":
            return TrainingState(**common)
        return PoolState(**common, last_rejected=self.last_rejected, training_id=self.training_id)


@dataclasses.dataclass(frozen=True, slots=True)
class _Operation:
    id: str
    kind: OperationKind
    target: str  # the subject's id
    owner: str
    submitted: datetime.datetime  # wall time, for the timestamps it reports
    submitted_at: float  # monotonic time, for how far along it is
    duration: float
    fails: bool

    @property
    def subject(self) -> tuple[SubjectKind, str]:
        return (self.kind.subject, self.target)

    @property
    def ends(self) -> datetime.datetime:
        return self.submitted + datetime.timedelta(seconds=self.duration)


class WorldState:
    """Projects, trainings, pools and their operations. Not thread-safe: the fake calls it under
    its own lock. Callers check their arguments (owners exist, ids are free) before calling."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._table: dict[SubjectKind, dict[str, _Subject]] = {kind: {} for kind in SUBJECT_KINDS}
        self._operations: dict[str, _Operation] = {}
        self._default_projects: dict[str, str] = {}  # owner -> project id

    # -- declaring ------------------------------------------------------------------------

    def add(self, kind: SubjectKind, subject_id: str, **fields: Any) -> None:
        """A subject of ``kind`` (the fields of `_Subject`); a pool or training joins its
        project. A ``CLOSED`` one closed ``FOR_UPDATE`` is set to reopen."""
        record = _Subject(kind=kind, id=subject_id, **fields)
        if record.status == "CLOSED" and record.last_close_reason == FOR_UPDATE:
            stopped = record.last_stopped or self._clock.now()
            record.last_stopped, record.reopens_at = stopped, stopped + REOPEN_AFTER
        self._table[kind][subject_id] = record
        if record.project_id is not None:
            project = self._table["project"][record.project_id]
            project.members.setdefault(kind, []).append(subject_id)

    def has(self, kind: SubjectKind, subject_id: str) -> bool:
        return subject_id in self._table[kind]

    def owner(self, kind: SubjectKind, subject_id: str) -> str:
        return self._table[kind][subject_id].owner

    def count(self, kind: SubjectKind) -> int:
        return len(self._table[kind])

    def default_project(self, owner: str, archive_seconds: float) -> str:
        """The owner's default project, for pools declared without one; made on first need,
        ``ACTIVE``, with the first free id from `DEFAULT_PROJECT_FIRST_ID` up."""
        existing = self._default_projects.get(owner)
        if existing is not None:
            return existing
        number = DEFAULT_PROJECT_FIRST_ID
        while str(number) in self._table["project"]:
            number += 1
        project_id = str(number)
        self.add(
            "project",
            project_id,
            owner=owner,
            status="ACTIVE",
            name=f"Default project of {owner}",
            created=self._clock.now(),
            archive_seconds=archive_seconds,
        )
        self._default_projects[owner] = project_id
        return project_id

    def default_project_owner(self, project_id: str) -> str | None:
        """The requester whose default project this is, if it is one."""
        for owner, candidate in self._default_projects.items():
            if candidate == project_id:
                return owner
        return None

    # -- reading --------------------------------------------------------------------------

    def get(self, kind: SubjectKind, subject_id: str) -> SubjectState | None:
        """The subject as it is now, or None for an unknown one."""
        record = self._table[kind].get(subject_id)
        if record is None:
            return None
        self._settle(record)
        return record.state()

    def pool(self, pool_id: str) -> PoolState | None:
        state = self.get("pool", pool_id)
        assert state is None or isinstance(state, PoolState)
        return state

    def training(self, training_id: str) -> TrainingState | None:
        state = self.get("training", training_id)
        assert state is None or isinstance(state, TrainingState)
        return state

    def project(self, project_id: str) -> ProjectState | None:
        state = self.get("project", project_id)
        assert state is None or isinstance(state, ProjectState)
        return state

    def listing(self, kind: SubjectKind, *, owner: str | None = None) -> list[SubjectState]:
        """Subjects of ``kind`` as they are now, in the order they were added: all, or a
        requester's."""
        chosen = [r for r in self._table[kind].values() if owner is None or r.owner == owner]
        for record in chosen:
            self._settle(record)
        return [record.state() for record in chosen]

    def subject_of_operation(self, operation_id: str) -> tuple[SubjectKind, str] | None:
        operation = self._operations.get(operation_id)
        return None if operation is None else operation.subject

    # -- starting ---------------------------------------------------------------------------

    def refusal(self, kind: OperationKind, subject_id: str) -> Refusal | None:
        """Why an operation of ``kind`` cannot start on the subject now (`ALREADY_DONE` when
        there is nothing to do), or None when it can. In this order: the lock of an operation
        running on it, nothing to do, a status it cannot start from, then (archives) what keeps
        the subject from the archive: its pools or trainings, the 9-day rule, a declared
        refusal."""
        record = self._table[kind.subject][subject_id]
        self._settle(record)
        if record.active is not None:
            code, message = LOCKS[record.kind]
            return Refusal(code, message, {"operation_id": record.active})
        if record.status == kind.done:
            return ALREADY_DONE
        if record.status != kind.ready:
            payload = {"appropriate_statuses": [kind.ready]}
            return Refusal("INAPPROPRIATE_STATUS", INAPPROPRIATE_STATUS_MESSAGE, payload)
        if kind.verb != "archive":
            return None
        if self._unarchived(self._blockers(record)):
            project = record.kind == "project"
            code = "UNARCHIVED_POOLS_CONFLICT" if project else "TRAINING_ARCHIVE_CONFLICT"
            return Refusal(code, REFUSALS[code])
        rejected = self._rejection_window(record)
        if rejected is not None:
            return rejected
        if record.archive_refusal is not None:
            return Refusal(
                record.archive_refusal, REFUSALS[record.archive_refusal].format(noun=record.kind)
            )
        return None

    def start(
        self, kind: OperationKind, subject_id: str, operation_id: str, *, fails: bool
    ) -> OperationState:
        """Submit an operation; the caller has checked (`refusal`) that it may start. An
        archive of a subject declared with ``fail`` ends ``FAIL`` whatever ``fails`` says."""
        record = self._table[kind.subject][subject_id]
        archive = kind.verb == "archive"
        operation = _Operation(
            id=operation_id,
            kind=kind,
            target=subject_id,
            owner=record.owner,
            submitted=self._clock.now(),
            submitted_at=self._clock.monotonic(),
            duration=record.archive_seconds if archive else record.close_seconds,
            fails=fails or (archive and record.fail),
        )
        self._operations[operation_id] = operation
        record.operations.append(operation_id)
        record.active = operation_id
        self._settle(record)  # a zero-second operation is over at once
        return self._snapshot(operation)

    def _blockers(self, record: _Subject) -> list[_Subject]:
        """What must be archived before ``record`` can be: a project's pools and trainings, the
        pools of its project that require a training."""
        if record.kind == "project":
            return [
                self._table[kind][member]
                for kind, members in record.members.items()
                for member in members
            ]
        if record.kind == "training" and record.project_id is not None:
            project = self._table["project"][record.project_id]
            pools = (self._table["pool"][pool_id] for pool_id in project.members.get("pool", ()))
            return [pool for pool in pools if pool.training_id == record.id]
        return []

    def _unarchived(self, records: list[_Subject]) -> bool:
        for record in records:
            self._settle(record)
        return any(record.status != "ARCHIVED" for record in records)

    def _rejection_window(self, record: _Subject) -> Refusal | None:
        if record.last_rejected is None:
            return None
        archivable_from = record.last_rejected + REJECTION_WINDOW
        if self._clock.now() >= archivable_from:
            return None
        return Refusal(
            "THERE_IS_REJECTED_ASSIGNMENT",
            "The pool has assignments rejected less than 9 days ago; "
            "it can be archived when the appeal period is over",
            {
                "last_rejected": timestamp(record.last_rejected),
                "archivable_from": timestamp(archivable_from),
            },
        )

    # -- operations -------------------------------------------------------------------------

    def operations(
        self,
        *,
        subject: tuple[SubjectKind, str] | None = None,
        owner: str | None = None,
        type_: str | None = None,
    ) -> list[OperationState]:
        """Operations as they are now, oldest first: all, a subject's, or a requester's; only
        those of ``type_`` if given. Every operation ever started is kept, finished or not.
        `KeyError` for an unknown subject."""
        if subject is not None:
            ids = self._table[subject[0]][subject[1]].operations
        else:
            ids = list(self._operations)
        chosen = [self._operations[operation_id] for operation_id in ids]
        if owner is not None:
            chosen = [operation for operation in chosen if operation.owner == owner]
        if type_ is not None:
            chosen = [operation for operation in chosen if operation.kind.type == type_]
        for operation in chosen:
            self._settle(self._table[operation.kind.subject][operation.target])
        return [self._snapshot(operation) for operation in chosen]

    def operation(self, operation_id: str) -> OperationState | None:
        operation = self._operations.get(operation_id)
        if operation is None:
            return None
        self._settle(self._table[operation.kind.subject][operation.target])
        return self._snapshot(operation)

    # -- time -------------------------------------------------------------------------------

    def _settle(self, record: _Subject) -> None:
        """Bring the subject up to the clock: apply the outcome of its operation if that has
        finished, and reopen it if it was closed for editing long enough ago."""
        now = self._clock.now()
        active = None if record.active is None else self._operations[record.active]
        if active is not None and self._clock.monotonic() - active.submitted_at >= active.duration:
            record.active = None
            if record.reopens_at is not None and active.ends > record.reopens_at:
                record.reopens_at = None  # it was running at the moment: it holds the subject
            if not active.fails:
                record.status = active.kind.done
                if active.kind.verb == "close":
                    record.last_stopped = active.ends
                    record.last_close_reason = CLOSE_REASON
        elif active is not None and record.reopens_at is not None and now >= record.reopens_at:
            record.reopens_at = None  # still running at the moment: no reopening
        reopens_at = record.reopens_at
        if reopens_at is not None and now >= reopens_at:
            record.reopens_at = None
            if (record.status, record.last_close_reason) == ("CLOSED", FOR_UPDATE):
                record.status, record.last_started = "OPEN", reopens_at

    def _snapshot(self, operation: _Operation) -> OperationState:
        elapsed = max(0.0, self._clock.monotonic() - operation.submitted_at)
        duration = operation.duration
        start_offset = duration * RUNNING_AFTER
        started: datetime.datetime | None = None
        finished: datetime.datetime | None = None
        log: tuple[dict[str, Any], ...] = ()
        if elapsed >= duration:
            status = "FAIL" if operation.fails else "SUCCESS"
            # Progress says how much of the operation has run, not whether it worked.
            progress = 100
            started = operation.submitted + datetime.timedelta(seconds=start_offset)
            finished = operation.ends
            if operation.fails:
                log = (operation.kind.failure_log(operation.target),)
        elif elapsed >= start_offset:
            status = "RUNNING"
            started = operation.submitted + datetime.timedelta(seconds=start_offset)
            share = (elapsed - start_offset) / (duration - start_offset)
            progress = min(99, int(share * 100))
        else:
            status = "PENDING"
            progress = 0
        subject_kind = operation.kind.subject
        return OperationState(
            id=operation.id,
            type=operation.kind.type,
            pool_id=operation.target if subject_kind == "pool" else None,
            owner=operation.owner,
            status=status,
            submitted=operation.submitted,
            started=started,
            finished=finished,
            progress=progress,
            log=log,
            project_id=operation.target if subject_kind == "project" else None,
            training_id=operation.target if subject_kind == "training" else None,
        )
