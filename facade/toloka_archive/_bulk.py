"""Archiving many pools: bounded concurrency, one report per pool, nothing lost.

``archive_many`` reads ids lazily (a generator of 100,000 ids is never held in memory), runs at
most ``concurrency`` pools at a time, and yields a ``PoolReport`` as each pool finishes, in the
order they finish. One pool's trouble becomes that pool's report and never stops the others;
only a rejected key (401), which no other pool could get past either, ends the run. All workers
share their client's throttle, so a 429 slows every one of them down together.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from toloka_api.models import Operation

from toloka_archive._errors import (
    AuthenticationError,
    ConflictError,
    InvalidPoolIdError,
    NotFoundError,
    OperationFailedError,
    OperationTimeoutError,
    PermissionDeniedError,
    TolokaError,
)
from toloka_archive._ids import normalize_pool_id
from toloka_archive._operation import Timeout
from toloka_archive._preflight import Archivability, Verdict, as_utc, format_utc

if TYPE_CHECKING:
    from toloka_archive._async_client import AsyncTolokaClient


class Outcome(enum.Enum):
    """How one pool ended. ``ok`` tells the ones that need nothing more from anybody."""

    ARCHIVED = "archived"
    ALREADY_ARCHIVED = "already_archived"
    STARTED = "started"  # archiving started and not waited for (wait=False)
    ARCHIVABLE = "archivable"  # dry run: would be archived now
    NOT_ARCHIVABLE_YET = "not_archivable_yet"  # rejections in the last 9 days
    WRONG_STATUS = "wrong_status"  # not CLOSED, e.g. still OPEN
    NOT_FOUND = "not_found"
    NO_ACCESS = "no_access"
    INVALID_ID = "invalid_id"
    TIMED_OUT = "timed_out"  # still running at Toloka; resume with the operation id
    FAILED = "failed"

    @property
    def ok(self) -> bool:
        return self in _OK


_OK = frozenset({Outcome.ARCHIVED, Outcome.ALREADY_ARCHIVED, Outcome.STARTED, Outcome.ARCHIVABLE})


@dataclass(frozen=True)
class PoolReport:
    """What happened to one pool, in plain words (``detail``) and in fields for code."""

    pool_id: str
    outcome: Outcome
    detail: str
    operation_id: str | None = None
    pool_status: str | None = None
    archivable_from: datetime | None = None
    error: TolokaError | None = None

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
        }


PoolProgress = Callable[[str, Operation], object]
PoolStarted = Callable[[str, str], object]


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


class _Deduplicated:
    """Each distinct pool id once, checked; ``"21"`` and ``21`` are the same pool.

    The set of ids seen grows with the number of distinct pools (ints, a few dozen bytes
    each); everything else about a run is bounded by ``concurrency``.
    """

    def __init__(self) -> None:
        self._seen: set[int] = set()

    def admit(self, raw: object) -> str | PoolReport | None:
        """The normalized id, a report for an invalid one, or None for a repeat."""
        try:
            pool_id = normalize_pool_id(raw)
        except InvalidPoolIdError as error:
            return PoolReport(str(raw), Outcome.INVALID_ID, str(error), error=error)
        key = int(pool_id)
        if key in self._seen:
            return None
        self._seen.add(key)
        return pool_id


async def _explain_conflict(
    client: AsyncTolokaClient, pool_id: str, conflict: ConflictError
) -> PoolReport:
    """A 409 says "not now"; the pre-flight says why, in words and with a date."""
    try:
        check = await client.check_archivable(pool_id)
    except TolokaError:
        check = None
    if check is None:
        return _report_from_conflict(pool_id, conflict)
    if check.verdict is Verdict.ARCHIVABLE:
        # e.g. POOL_LOCKED_BY_ANOTHER_OPERATION: the pool is fine, something else runs on it
        return PoolReport(pool_id, Outcome.FAILED, f"refused: {conflict.message}", error=conflict)
    report = report_from_check(check)
    return PoolReport(
        pool_id,
        report.outcome,
        report.detail,
        pool_status=report.pool_status,
        archivable_from=report.archivable_from,
        error=conflict,
    )


_STATUS_CODES = frozenset({"INAPPROPRIATE_STATUS", "POOL_INAPPROPRIATE_STATUS"})
_REJECTION_CODES = frozenset({"THERE_IS_REJECTED_ASSIGNMENT"})


def _report_from_conflict(pool_id: str, conflict: ConflictError) -> PoolReport:
    """When the pre-flight cannot run, the 409's own code is the next best explanation."""
    if conflict.code in _STATUS_CODES:
        wanted = " or ".join(conflict.appropriate_statuses or ["CLOSED"])
        detail = f"not in a status that can be archived (needs {wanted})"
        return PoolReport(pool_id, Outcome.WRONG_STATUS, detail, error=conflict)
    if conflict.code in _REJECTION_CODES:
        moment = _moment(conflict.payload.get("archivable_from"))
        detail = (
            f"has rejected tasks, archivable from {format_utc(moment)}"
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


def report_for_error(
    pool_id: str, error: TolokaError, operation_id: str | None = None
) -> PoolReport:
    """How one pool's error reads in its report.

    A rejected key is re-raised instead: it is not this pool's trouble, and every other pool
    would meet it too.
    """
    if isinstance(error, AuthenticationError):
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
    return PoolReport(pool_id, Outcome.FAILED, str(error), operation_id, error=error)


async def archive_one(
    client: AsyncTolokaClient,
    pool_id: str,
    *,
    wait: bool,
    timeout: Timeout,
    on_started: PoolStarted | None,
    on_progress: PoolProgress | None,
) -> PoolReport:
    """Archive one pool and describe how it ended; raises only for a rejected key."""
    operation_id: str | None = None
    try:
        handle = await client.start_archive_pool(pool_id)
        if handle.already_archived:
            return PoolReport(pool_id, Outcome.ALREADY_ARCHIVED, "already archived")
        operation_id = handle.operation_id
        assert operation_id is not None
        if on_started is not None:
            on_started(pool_id, operation_id)
        if not wait:
            return PoolReport(
                pool_id, Outcome.STARTED, f"archiving started ({operation_id})", operation_id
            )
        progress = None if on_progress is None else (lambda op: on_progress(pool_id, op))
        await handle.wait(timeout, on_progress=progress)
        return PoolReport(pool_id, Outcome.ARCHIVED, "archived", operation_id)
    except ConflictError as conflict:
        return await _explain_conflict(client, pool_id, conflict)
    except TolokaError as error:
        return report_for_error(pool_id, error, operation_id)


async def check_one(client: AsyncTolokaClient, pool_id: str) -> PoolReport:
    """The dry run's report: the pre-flight, with nothing archived."""
    try:
        return report_from_check(await client.check_archivable(pool_id))
    except TolokaError as error:
        return report_for_error(pool_id, error)


async def _ids(pool_ids: Iterable[object] | AsyncIterable[object]) -> AsyncIterator[object]:
    if isinstance(pool_ids, AsyncIterable):
        async for pool_id in pool_ids:
            yield pool_id
    else:
        for pool_id in pool_ids:
            yield pool_id


_DONE = object()


async def run_many(
    pool_ids: Iterable[object] | AsyncIterable[object],
    work: Callable[[str], Awaitable[PoolReport]],
    concurrency: int,
) -> AsyncIterator[PoolReport]:
    """Run ``work`` for each distinct id, ``concurrency`` at a time; yield reports as they end.

    Workers pull ids one at a time from the shared source, so at most ``concurrency`` ids are
    in flight and the source is read only as fast as pools finish. Closing the iterator early
    (or cancelling its task, as on Ctrl-C) cancels the workers: no new pool is started.
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    source = _ids(pool_ids).__aiter__()
    dedup = _Deduplicated()
    reports: asyncio.Queue[object] = asyncio.Queue(maxsize=concurrency)
    source_lock = asyncio.Lock()  # one reader of the source at a time

    async def next_id() -> str | PoolReport | None:
        async with source_lock:
            while True:
                try:
                    raw = await source.__anext__()
                except StopAsyncIteration:
                    return None
                admitted = dedup.admit(raw)
                if admitted is not None:
                    return admitted

    async def worker() -> None:
        # A cancelled worker puts nothing: the consumer has stopped reading.
        try:
            while (item := await next_id()) is not None:
                await reports.put(item if isinstance(item, PoolReport) else await work(item))
        except Exception as error:  # handed to the consumer, which raises it
            await reports.put(error)
        await reports.put(_DONE)

    workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
    try:
        finished = 0
        while finished < concurrency:
            item = await reports.get()
            if item is _DONE:
                finished += 1
            elif isinstance(item, BaseException):
                raise item
            else:
                assert isinstance(item, PoolReport)
                yield item
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
