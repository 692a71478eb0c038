"""The fake's world: projects, their pools, and the operations that close and archive them,
moved along by a clock.

Nothing here knows about HTTP. Time is read, never waited for: an operation stores when it was
submitted and how long it takes, and its status, progress and timestamps are computed from the
clock whenever someone looks (`WorldState` settles it then). That is also when the pool (or
project) of an operation that has succeeded takes its new status.

An operation is ``PENDING`` for the first `RUNNING_AFTER` of its duration, then ``RUNNING``
with progress growing linearly, and at the end ``SUCCESS`` or ``FAIL`` (the pool or project
keeps its status and the log says why). Three types:

- ``POOL.ARCHIVE`` (a pool's ``archive_seconds``): on success the pool is ``ARCHIVED``;
- ``POOL.CLOSE`` (a pool's ``close_seconds``): on success the pool is ``CLOSED``, its
  ``last_stopped`` is the moment the operation finished and its ``last_close_reason`` is
  ``MANUAL`` (closed on request);
- ``PROJECT.ARCHIVE`` (a project's ``archive_seconds``): on success the project is ``ARCHIVED``.

A pool has at most one operation running (``active``): while it runs, the pool is locked.

Every pool belongs to a project of the same owner. A pool declared without one is put in its
owner's default project, made on first need (`WorldState.default_project`).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Literal

from toloka_archive.testing._world.clock import Clock, timestamp

REJECTION_WINDOW = datetime.timedelta(days=9)
"""Tolokers may appeal a rejection for 9 days; a pool cannot be archived until they are over."""

RUNNING_AFTER = 0.1
"""The share of an archive's duration it spends ``PENDING`` before it starts ``RUNNING``."""

ARCHIVE_TYPE = "POOL.ARCHIVE"
CLOSE_TYPE = "POOL.CLOSE"
PROJECT_ARCHIVE_TYPE = "PROJECT.ARCHIVE"
POOL_OPERATION_TYPES = (ARCHIVE_TYPE, CLOSE_TYPE)
FAILURE_CODE = "POOL_ARCHIVE_FAILED"
FAILURE_MESSAGE = "The pool could not be archived (a failure set up in the fake's scenario)"
CLOSE_FAILURE_CODE = "POOL_CLOSE_FAILED"
CLOSE_FAILURE_MESSAGE = "The pool could not be closed (a failure set up in the fake's scenario)"
CLOSE_REASON = "MANUAL"
"""Why a pool closed by ``POST /pools/{id}/close`` was closed: by hand, on request."""
PROJECT_FAILURE_CODE = "PROJECT_ARCHIVE_FAILED"
PROJECT_FAILURE_MESSAGE = (
    "The project could not be archived (a failure set up in the fake's scenario)"
)

POOL_TYPE = "REGULAR"
"""Toloka's deprecated ``type`` of a pool: always ``REGULAR`` (trainings are not pools here)."""

DEFAULT_PROJECT_FIRST_ID = 900_000_001
"""Default projects take the first free id from here up: ``900000001``, ``900000002``, ..."""

DEFAULT_ARCHIVE_SECONDS = 3.0
DEFAULT_CLOSE_SECONDS = 3.0

_Kind = Literal["pool", "project"]


@dataclasses.dataclass(frozen=True, slots=True)
class PoolState:
    """A pool as it is now. ``operations`` lists the ids of its operations (archives and
    closes), oldest first; ``active`` is the one running now, if any (the pool is locked).

    ``created``, ``last_started`` and ``last_stopped`` are naive datetimes meaning UTC;
    ``last_started``/``last_stopped`` are ``None`` for a pool never started/stopped, and
    ``last_close_reason`` is ``None`` for a pool never closed. ``archive_seconds`` and
    ``close_seconds`` are how long its archive and close operations take.
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
        if self.last_close_reason is not None:
            data["last_close_reason"] = self.last_close_reason
        data["created"] = timestamp(self.created)
        if self.last_started is not None:
            data["last_started"] = timestamp(self.last_started)
        if self.last_stopped is not None:
            data["last_stopped"] = timestamp(self.last_stopped)
        return data


@dataclasses.dataclass(frozen=True, slots=True)
class ProjectState:
    """A project as it is now: ``pool_ids`` in the order the pools were added, ``operations``
    its archive operations, oldest first."""

    id: str
    owner: str
    status: str
    public_name: str
    created: datetime.datetime
    archive_seconds: float
    fail: bool
    pool_ids: tuple[str, ...]
    operations: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The Project as Toloka sends it, with the properties the fake knows."""
        return {
            "id": self.id,
            "public_name": self.public_name,
            "status": self.status,
            "created": timestamp(self.created),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class OperationState:
    """An operation as it is now, with its log. ``owner`` is the requester whose pool or
    project it works on: only that requester sees it (``GET /operations/{id}`` and
    ``GET /operations``). A ``POOL.ARCHIVE`` or a ``POOL.CLOSE`` has a ``pool_id``, a
    ``PROJECT.ARCHIVE`` a ``project_id``; the other is ``None``."""

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

    @property
    def done(self) -> bool:
        return self.status in ("SUCCESS", "FAIL")

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
        if self.pool_id is not None:
            data["parameters"] = {"pool_id": self.pool_id}
        else:
            data["parameters"] = {"project_id": self.project_id}
        data["details"] = {}
        return data


@dataclasses.dataclass(slots=True)
class _Project:
    id: str
    owner: str
    status: str
    public_name: str
    created: datetime.datetime
    archive_seconds: float
    fail: bool
    pools: list[str]
    operations: list[str]
    active: str | None = None  # the archive operation still PENDING or RUNNING, if any


@dataclasses.dataclass(slots=True)
class _Pool:
    id: str
    owner: str
    project_id: str
    status: str
    private_name: str
    created: datetime.datetime
    last_started: datetime.datetime | None
    last_stopped: datetime.datetime | None
    last_close_reason: str | None
    last_rejected: datetime.datetime | None
    archive_seconds: float
    close_seconds: float
    fail: bool
    operations: list[str]
    active: str | None = None  # the operation still PENDING or RUNNING (archive or close), if any


@dataclasses.dataclass(frozen=True, slots=True)
class _Operation:
    id: str
    type: str  # POOL.ARCHIVE, POOL.CLOSE or PROJECT.ARCHIVE
    target: str  # the pool id or the project id
    owner: str
    submitted: datetime.datetime  # wall time, for the timestamps it reports
    submitted_at: float  # monotonic time, for how far along it is
    duration: float
    fails: bool

    @property
    def kind(self) -> _Kind:
        return "pool" if self.type in POOL_OPERATION_TYPES else "project"


class WorldState:
    """Projects, pools and their operations. Not thread-safe: the fake calls it under its own
    lock. Callers check their arguments (owners exist, ids are free) before calling."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._projects: dict[str, _Project] = {}
        self._pools: dict[str, _Pool] = {}
        self._operations: dict[str, _Operation] = {}
        self._default_projects: dict[str, str] = {}  # owner -> project id

    # -- projects ---------------------------------------------------------------------------

    def add_project(
        self,
        project_id: str,
        *,
        owner: str,
        status: str,
        public_name: str,
        created: datetime.datetime,
        archive_seconds: float,
        fail: bool,
    ) -> None:
        self._projects[project_id] = _Project(
            id=project_id,
            owner=owner,
            status=status,
            public_name=public_name,
            created=created,
            archive_seconds=archive_seconds,
            fail=fail,
            pools=[],
            operations=[],
        )

    def has_project(self, project_id: str) -> bool:
        return project_id in self._projects

    def project_owner(self, project_id: str) -> str:
        return self._projects[project_id].owner

    def default_project(self, owner: str, archive_seconds: float) -> str:
        """The owner's default project, for pools declared without one; made on first need,
        ``ACTIVE``, with the first free id from `DEFAULT_PROJECT_FIRST_ID` up."""
        existing = self._default_projects.get(owner)
        if existing is not None:
            return existing
        number = DEFAULT_PROJECT_FIRST_ID
        while str(number) in self._projects:
            number += 1
        project_id = str(number)
        self.add_project(
            project_id,
            owner=owner,
            status="ACTIVE",
            public_name=f"Default project of {owner}",
            created=self._clock.now(),
            archive_seconds=archive_seconds,
            fail=False,
        )
        self._default_projects[owner] = project_id
        return project_id

    def default_project_owner(self, project_id: str) -> str | None:
        """The requester whose default project this is, if it is one."""
        for owner, candidate in self._default_projects.items():
            if candidate == project_id:
                return owner
        return None

    def project(self, project_id: str) -> ProjectState | None:
        record = self._projects.get(project_id)
        if record is None:
            return None
        self._settle_project(record)
        return ProjectState(
            id=record.id,
            owner=record.owner,
            status=record.status,
            public_name=record.public_name,
            created=record.created,
            archive_seconds=record.archive_seconds,
            fail=record.fail,
            pool_ids=tuple(record.pools),
            operations=tuple(record.operations),
        )

    def active_project_operation(self, project_id: str) -> str | None:
        record = self._projects[project_id]
        self._settle_project(record)
        return record.active

    def unarchived_pools(self, project_id: str) -> list[str]:
        """The project's pools that are not ``ARCHIVED`` now, in the order they were added."""
        found = []
        for pool_id in self._projects[project_id].pools:
            record = self._pools[pool_id]
            self._settle_pool(record)
            if record.status != "ARCHIVED":
                found.append(pool_id)
        return found

    def start_project_archive(
        self, project_id: str, operation_id: str, *, fails: bool
    ) -> OperationState:
        """Submit a project archive operation; the caller has checked that it may start."""
        record = self._projects[project_id]
        operation = self._submit(operation_id, PROJECT_ARCHIVE_TYPE, project_id, record.owner)
        operation = dataclasses.replace(
            operation, duration=record.archive_seconds, fails=fails or record.fail
        )
        self._operations[operation_id] = operation
        record.operations.append(operation_id)
        record.active = operation_id
        self._settle_project(record)  # a zero-second archive is over at once
        return self._snapshot(operation)

    # -- pools ------------------------------------------------------------------------------

    def add_pool(
        self,
        pool_id: str,
        *,
        owner: str,
        project_id: str,
        status: str,
        private_name: str,
        created: datetime.datetime,
        last_started: datetime.datetime | None,
        last_stopped: datetime.datetime | None,
        last_close_reason: str | None,
        last_rejected: datetime.datetime | None,
        archive_seconds: float,
        fail: bool,
        close_seconds: float = DEFAULT_CLOSE_SECONDS,
    ) -> None:
        self._pools[pool_id] = _Pool(
            id=pool_id,
            owner=owner,
            project_id=project_id,
            status=status,
            private_name=private_name,
            created=created,
            last_started=last_started,
            last_stopped=last_stopped,
            last_close_reason=last_close_reason,
            last_rejected=last_rejected,
            archive_seconds=archive_seconds,
            close_seconds=close_seconds,
            fail=fail,
            operations=[],
        )
        self._projects[project_id].pools.append(pool_id)

    def has_pool(self, pool_id: str) -> bool:
        return pool_id in self._pools

    def pool(self, pool_id: str) -> PoolState | None:
        record = self._pools.get(pool_id)
        if record is None:
            return None
        self._settle_pool(record)
        return self._pool_snapshot(record)

    def pools(self, *, owner: str | None = None) -> list[PoolState]:
        """Pools as they are now, in the order they were added: all, or a requester's."""
        chosen = [
            record for record in self._pools.values() if owner is None or record.owner == owner
        ]
        for record in chosen:
            self._settle_pool(record)
        return [self._pool_snapshot(record) for record in chosen]

    def pool_count(self) -> int:
        return len(self._pools)

    def active_operation(self, pool_id: str) -> str | None:
        record = self._pools[pool_id]
        self._settle_pool(record)
        return record.active

    def pool_of_operation(self, operation_id: str) -> str | None:
        operation = self._operations.get(operation_id)
        if operation is None or operation.kind != "pool":
            return None
        return operation.target

    def start_archive(self, pool_id: str, operation_id: str, *, fails: bool) -> OperationState:
        """Submit an archive operation; the caller has checked that the pool may be archived.
        With the pool's ``fail``, it ends ``FAIL`` whatever ``fails`` says."""
        record = self._pools[pool_id]
        return self._start_pool_operation(
            record, operation_id, ARCHIVE_TYPE, record.archive_seconds, fails or record.fail
        )

    def start_close(self, pool_id: str, operation_id: str, *, fails: bool) -> OperationState:
        """Submit a close operation; the caller has checked that the pool may be closed."""
        record = self._pools[pool_id]
        return self._start_pool_operation(
            record, operation_id, CLOSE_TYPE, record.close_seconds, fails
        )

    def _start_pool_operation(
        self, record: _Pool, operation_id: str, type_: str, duration: float, fails: bool
    ) -> OperationState:
        operation = self._submit(operation_id, type_, record.id, record.owner)
        operation = dataclasses.replace(operation, duration=duration, fails=fails)
        self._operations[operation_id] = operation
        record.operations.append(operation_id)
        record.active = operation_id
        self._settle_pool(record)  # a zero-second operation is over at once
        return self._snapshot(operation)

    # -- operations -------------------------------------------------------------------------

    def operations(
        self,
        *,
        pool_id: str | None = None,
        project_id: str | None = None,
        owner: str | None = None,
        type_: str | None = None,
    ) -> list[OperationState]:
        """Operations as they are now, oldest first: all, a pool's, a project's (its
        ``PROJECT.ARCHIVE`` operations), or a requester's; only those of ``type_`` if given.

        Every operation ever started is kept, finished or not. `KeyError` for an unknown pool
        or project.
        """
        if pool_id is not None:
            ids = self._pools[pool_id].operations
        elif project_id is not None:
            ids = self._projects[project_id].operations
        else:
            ids = list(self._operations)
        chosen = [self._operations[operation_id] for operation_id in ids]
        if owner is not None:
            chosen = [operation for operation in chosen if operation.owner == owner]
        if type_ is not None:
            chosen = [operation for operation in chosen if operation.type == type_]
        for operation in chosen:
            self._settle_operation(operation)
        return [self._snapshot(operation) for operation in chosen]

    def operation(self, operation_id: str) -> OperationState | None:
        operation = self._operations.get(operation_id)
        if operation is None:
            return None
        self._settle_operation(operation)
        return self._snapshot(operation)

    # -- time -------------------------------------------------------------------------------

    def _submit(self, operation_id: str, type_: str, target: str, owner: str) -> _Operation:
        """An operation submitted now (its duration and outcome are filled in by the caller)."""
        return _Operation(
            id=operation_id,
            type=type_,
            target=target,
            owner=owner,
            submitted=self._clock.now(),
            submitted_at=self._clock.monotonic(),
            duration=0.0,
            fails=False,
        )

    def _finished(self, active: str | None) -> _Operation | None:
        """The operation ``active``, if there is one and it has finished by now."""
        if active is None:
            return None
        operation = self._operations[active]
        if self._clock.monotonic() - operation.submitted_at < operation.duration:
            return None
        return operation

    def _settle_pool(self, record: _Pool) -> None:
        """Apply the outcome of the pool's operation if it has finished by now."""
        operation = self._finished(record.active)
        if operation is None:
            return
        record.active = None
        if operation.fails:
            return
        if operation.type == CLOSE_TYPE:
            record.status = "CLOSED"
            record.last_stopped = operation.submitted + datetime.timedelta(
                seconds=operation.duration
            )
            record.last_close_reason = CLOSE_REASON
        else:
            record.status = "ARCHIVED"

    def _settle_project(self, record: _Project) -> None:
        """Apply the outcome of the project's operation if it has finished by now."""
        operation = self._finished(record.active)
        if operation is None:
            return
        record.active = None
        if not operation.fails:
            record.status = "ARCHIVED"

    def _settle_operation(self, operation: _Operation) -> None:
        if operation.kind == "pool":
            self._settle_pool(self._pools[operation.target])
        else:
            self._settle_project(self._projects[operation.target])

    def _pool_snapshot(self, record: _Pool) -> PoolState:
        return PoolState(
            id=record.id,
            owner=record.owner,
            status=record.status,
            last_rejected=record.last_rejected,
            archive_seconds=record.archive_seconds,
            fail=record.fail,
            operations=tuple(record.operations),
            project_id=record.project_id,
            private_name=record.private_name,
            created=record.created,
            last_started=record.last_started,
            last_stopped=record.last_stopped,
            last_close_reason=record.last_close_reason,
            close_seconds=record.close_seconds,
            active=record.active,
        )

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
            finished = operation.submitted + datetime.timedelta(seconds=duration)
            if operation.fails:
                log = (self._failure_log(operation),)
        elif elapsed >= start_offset:
            status = "RUNNING"
            started = operation.submitted + datetime.timedelta(seconds=start_offset)
            share = (elapsed - start_offset) / (duration - start_offset)
            progress = min(99, int(share * 100))
        else:
            status = "PENDING"
            progress = 0
        is_pool = operation.kind == "pool"
        return OperationState(
            id=operation.id,
            type=operation.type,
            pool_id=operation.target if is_pool else None,
            owner=operation.owner,
            status=status,
            submitted=operation.submitted,
            started=started,
            finished=finished,
            progress=progress,
            log=log,
            project_id=None if is_pool else operation.target,
        )

    @staticmethod
    def _failure_log(operation: _Operation) -> dict[str, Any]:
        if operation.type == CLOSE_TYPE:
            return {
                "type": "POOL_CLOSE",
                "success": False,
                "input": {"pool_id": operation.target},
                "output": {"code": CLOSE_FAILURE_CODE, "message": CLOSE_FAILURE_MESSAGE},
            }
        if operation.type == ARCHIVE_TYPE:
            return {
                "type": "POOL_ARCHIVE",
                "success": False,
                "input": {"pool_id": operation.target},
                "output": {"code": FAILURE_CODE, "message": FAILURE_MESSAGE},
            }
        return {
            "type": "PROJECT_ARCHIVE",
            "success": False,
            "input": {"project_id": operation.target},
            "output": {"code": PROJECT_FAILURE_CODE, "message": PROJECT_FAILURE_MESSAGE},
        }
