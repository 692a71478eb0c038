"""The fake's world: pools and the operations that archive them, moved along by a clock.

Nothing here knows about HTTP. Time is read, never waited for: an operation stores when it was
submitted and how long it takes, and its status, progress and timestamps are computed from the
clock whenever someone looks (`ArchiveState.settle`). That is also when a pool whose archive
operation has succeeded becomes ``ARCHIVED``.

An archive operation is ``PENDING`` for the first `RUNNING_AFTER` of its duration, then
``RUNNING`` with progress growing linearly, and at the end ``SUCCESS`` (the pool is archived) or
``FAIL`` (the pool stays ``CLOSED`` and the log says why).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from toloka_archive.testing._clock import Clock
from toloka_archive.testing._wire import timestamp

REJECTION_WINDOW = datetime.timedelta(days=9)
"""Tolokers may appeal a rejection for 9 days; a pool cannot be archived until they are over."""

RUNNING_AFTER = 0.1
"""The share of an archive's duration it spends ``PENDING`` before it starts ``RUNNING``."""

ARCHIVE_TYPE = "POOL.ARCHIVE"
FAILURE_CODE = "POOL_ARCHIVE_FAILED"
FAILURE_MESSAGE = "The pool could not be archived (a failure set up in the fake's scenario)"


@dataclasses.dataclass(frozen=True, slots=True)
class PoolState:
    """A pool as it is now. ``operations`` lists its archive operations, oldest first."""

    id: str
    owner: str
    status: str
    last_rejected: datetime.datetime | None
    archive_seconds: float
    fail: bool
    operations: tuple[str, ...]

    @property
    def archivable_from(self) -> datetime.datetime | None:
        """When the appeal window of the last rejection closes, if there was one."""
        return None if self.last_rejected is None else self.last_rejected + REJECTION_WINDOW


@dataclasses.dataclass(frozen=True, slots=True)
class OperationState:
    """An operation as it is now, with its log. ``owner`` is the requester whose pool it works
    on: only that requester sees it (``GET /operations/{id}`` and ``GET /operations``)."""

    id: str
    type: str
    pool_id: str
    owner: str
    status: str
    submitted: datetime.datetime
    started: datetime.datetime | None
    finished: datetime.datetime | None
    progress: int
    log: tuple[dict[str, Any], ...]

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
        data["parameters"] = {"pool_id": self.pool_id}
        data["details"] = {}
        return data


@dataclasses.dataclass(slots=True)
class _Pool:
    id: str
    owner: str
    status: str
    last_rejected: datetime.datetime | None
    archive_seconds: float
    fail: bool
    operations: list[str]
    active: str | None = None  # the archive operation still PENDING or RUNNING, if any


@dataclasses.dataclass(frozen=True, slots=True)
class _Operation:
    id: str
    pool_id: str
    owner: str
    submitted: datetime.datetime  # wall time, for the timestamps it reports
    submitted_at: float  # monotonic time, for how far along it is
    duration: float
    fails: bool


class ArchiveState:
    """Pools and archive operations. Not thread-safe: the fake calls it under its own lock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._pools: dict[str, _Pool] = {}
        self._operations: dict[str, _Operation] = {}

    def add_pool(
        self,
        pool_id: str,
        *,
        owner: str,
        status: str,
        last_rejected: datetime.datetime | None,
        archive_seconds: float,
        fail: bool,
    ) -> None:
        self._pools[pool_id] = _Pool(
            id=pool_id,
            owner=owner,
            status=status,
            last_rejected=last_rejected,
            archive_seconds=archive_seconds,
            fail=fail,
            operations=[],
        )

    def has_pool(self, pool_id: str) -> bool:
        return pool_id in self._pools

    def pool(self, pool_id: str) -> PoolState | None:
        record = self._pools.get(pool_id)
        if record is None:
            return None
        self._settle(record)
        return PoolState(
            id=record.id,
            owner=record.owner,
            status=record.status,
            last_rejected=record.last_rejected,
            archive_seconds=record.archive_seconds,
            fail=record.fail,
            operations=tuple(record.operations),
        )

    def pool_count(self) -> int:
        return len(self._pools)

    def pool_ids(self) -> list[str]:
        return list(self._pools)

    def active_operation(self, pool_id: str) -> str | None:
        record = self._pools[pool_id]
        self._settle(record)
        return record.active

    def pool_of_operation(self, operation_id: str) -> str | None:
        operation = self._operations.get(operation_id)
        return None if operation is None else operation.pool_id

    def start_archive(self, pool_id: str, operation_id: str, *, fails: bool) -> OperationState:
        """Submit an archive operation; the caller has checked that the pool may be archived."""
        record = self._pools[pool_id]
        operation = _Operation(
            id=operation_id,
            pool_id=pool_id,
            owner=record.owner,
            submitted=self._clock.now(),
            submitted_at=self._clock.monotonic(),
            duration=record.archive_seconds,
            fails=fails or record.fail,
        )
        self._operations[operation_id] = operation
        record.operations.append(operation_id)
        record.active = operation_id
        self._settle(record)  # a zero-second archive is over at once
        return self._snapshot(operation)

    def operations(
        self, *, pool_id: str | None = None, owner: str | None = None
    ) -> list[OperationState]:
        """Operations as they are now, oldest first: all, a pool's, or a requester's.

        Every operation ever started is kept, finished or not. `KeyError` for an unknown pool.
        """
        if pool_id is not None:
            record = self._pools[pool_id]
            chosen = [self._operations[operation_id] for operation_id in record.operations]
        else:
            chosen = list(self._operations.values())
        if owner is not None:
            chosen = [operation for operation in chosen if operation.owner == owner]
        for pool in {operation.pool_id for operation in chosen}:
            self._settle(self._pools[pool])
        return [self._snapshot(operation) for operation in chosen]

    def operation(self, operation_id: str) -> OperationState | None:
        operation = self._operations.get(operation_id)
        if operation is None:
            return None
        self._settle(self._pools[operation.pool_id])
        return self._snapshot(operation)

    def _settle(self, record: _Pool) -> None:
        """Apply the outcome of the pool's operation if it has finished by now."""
        if record.active is None:
            return
        operation = self._operations[record.active]
        if self._clock.monotonic() - operation.submitted_at < operation.duration:
            return
        record.active = None
        if not operation.fails:
            record.status = "ARCHIVED"

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
                log = (
                    {
                        "type": "POOL_ARCHIVE",
                        "success": False,
                        "input": {"pool_id": operation.pool_id},
                        "output": {"code": FAILURE_CODE, "message": FAILURE_MESSAGE},
                    },
                )
        elif elapsed >= start_offset:
            status = "RUNNING"
            started = operation.submitted + datetime.timedelta(seconds=start_offset)
            share = (elapsed - start_offset) / (duration - start_offset)
            progress = min(99, int(share * 100))
        else:
            status = "PENDING"
            progress = 0
        return OperationState(
            id=operation.id,
            type=ARCHIVE_TYPE,
            pool_id=operation.pool_id,
            owner=operation.owner,
            status=status,
            submitted=operation.submitted,
            started=started,
            finished=finished,
            progress=progress,
            log=log,
        )
