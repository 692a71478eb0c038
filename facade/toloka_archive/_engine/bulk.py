"""Archiving many pools: bounded concurrency, one report per pool, nothing lost.

``archive_many`` reads ids lazily (a generator of 100,000 ids is never held in memory), runs at
most ``concurrency`` pools at a time, and yields a ``PoolReport`` as each pool finishes, in the
order they finish. One pool's trouble becomes that pool's report and never stops the others;
only what no other pool could get past either (``RunEndingError``: a rejected key, Toloka
unreachable, a base URL that is not Toloka's) ends the run.

The engine does not know the client: it is given an ``ArchivePort``, the two calls it needs
(``start_archive_pool`` and ``check_archivable``). ``AsyncTolokaClient`` is one; a test can pass
anything smaller. All workers share their client's throttle, so a 429 slows every one of them
down together.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Protocol, TypeAlias

from toloka_archive._core.errors import (
    ArchiveNotStartedError,
    ConflictError,
    InvalidOperationIdError,
    InvalidPoolIdError,
    NotFoundError,
    RunEndingError,
)
from toloka_archive._core.ids import normalize_operation_id, normalize_pool_id
from toloka_archive._engine.handles import AsyncArchiveOperation, Timeout
from toloka_archive._engine.reports import (
    Outcome,
    PoolReport,
    report_for_error,
    report_from_check,
    report_from_conflict,
)
from toloka_archive._flows.preflight import Archivability, Verdict
from toloka_archive._wire import generated
from toloka_archive._wire.snapshot import pool_status_of

if TYPE_CHECKING:
    from toloka_api.models import Operation, Pool

PoolProgress: TypeAlias = Callable[[str, "Operation"], object]
PoolStarted = Callable[[str, str], object]
PoolIds: TypeAlias = "Iterable[str | int | Pool] | AsyncIterable[str | int | Pool]"


class ArchivePort(Protocol):
    """What the bulk engine needs of a client: start an archive, and the pre-flight."""

    async def start_archive_pool(self, pool_id: str | int) -> AsyncArchiveOperation: ...

    async def check_archivable(self, pool_id: str | int) -> Archivability: ...


def archive_many(
    port: ArchivePort,
    pool_ids: PoolIds,
    *,
    concurrency: int,
    wait: bool,
    timeout: Timeout,
    dry_run: bool,
    on_started: PoolStarted | None,
    on_progress: PoolProgress | None,
) -> AsyncIterator[PoolReport]:
    """Archive (or, with ``dry_run``, check) each distinct pool; see ``run_many``."""

    async def work(pool_id: str) -> PoolReport:
        if dry_run:
            return await check_one(port, pool_id)
        return await archive_one(
            port,
            pool_id,
            wait=wait,
            timeout=timeout,
            on_started=on_started,
            on_progress=on_progress,
        )

    return run_many(pool_ids, work, concurrency)


async def archive_one(
    port: ArchivePort,
    pool_id: str,
    *,
    wait: bool,
    timeout: Timeout,
    on_started: PoolStarted | None,
    on_progress: PoolProgress | None,
) -> PoolReport:
    """Archive one pool and describe how it ended, whatever happens on the way.

    Any exception becomes this pool's report, with the operation id when one is known; only a
    ``RunEndingError`` (no pool could get past it) is raised, to end the run.
    """
    operation_id: str | None = None
    try:
        handle = await port.start_archive_pool(pool_id)
        operation_id = handle.operation_id
        if operation_id is None:
            return PoolReport(pool_id, Outcome.ALREADY_ARCHIVED, "already archived")
        if on_started is not None:
            on_started(pool_id, operation_id)
        found = " (operation found by asking Toloka)" if handle.reconciled else ""
        if not wait:
            detail = f"archiving started ({operation_id}){found}"
            return PoolReport(pool_id, Outcome.STARTED, detail, operation_id)
        progress = None if on_progress is None else (lambda op: on_progress(pool_id, op))
        await handle.wait(timeout, on_progress=progress)
        return PoolReport(pool_id, Outcome.ARCHIVED, f"archived{found}", operation_id)
    except (ConflictError, ArchiveNotStartedError) as refusal:
        return await _explain_refusal(port, pool_id, refusal)
    except Exception as error:  # one pool's trouble, of any kind, is that pool's report
        return report_for_error(pool_id, error, operation_id)


async def check_one(port: ArchivePort, pool_id: str) -> PoolReport:
    """The dry run's report: the pre-flight, with nothing archived."""
    try:
        return report_from_check(await port.check_archivable(pool_id))
    except Exception as error:
        return report_for_error(pool_id, error)


class FollowPort(Protocol):
    """What following operations needs of a client: a handle on an operation by its id."""

    async def get_operation(self, operation_id: str) -> AsyncArchiveOperation: ...


def follow_many(
    port: FollowPort,
    operation_ids: Iterable[str] | AsyncIterable[str],
    *,
    concurrency: int,
    timeout: Timeout,
    on_progress: PoolProgress | None,
) -> AsyncIterator[PoolReport]:
    """Follow archive operations started earlier (after Ctrl-C, ``--no-wait`` or a restart)."""

    async def work(operation_id: str) -> PoolReport:
        return await follow_one(port, operation_id, timeout=timeout, on_progress=on_progress)

    return run_many(operation_ids, work, concurrency, _DistinctOperations().admit)


async def follow_one(
    port: FollowPort,
    operation_id: str,
    *,
    timeout: Timeout,
    on_progress: PoolProgress | None,
) -> PoolReport:
    """Wait for one archive operation and report on its pool; any exception is the report."""
    try:
        handle = await port.get_operation(operation_id)
    except NotFoundError as error:
        return PoolReport("", Outcome.NOT_FOUND, "no such operation", operation_id, error=error)
    except Exception as error:
        return report_for_error("", error, operation_id)
    pool_id = handle.pool_id or ""
    snapshot = handle.operation
    if snapshot is not None and snapshot.type_ is not generated.KnownOperationType.POOL_ARCHIVE:
        detail = f"not an archive operation ({snapshot.type_})"
        return PoolReport(pool_id, Outcome.INVALID_ID, detail, operation_id)
    try:
        progress = None if on_progress is None else (lambda op: on_progress(pool_id, op))
        await handle.wait(timeout, on_progress=progress)
    except Exception as error:
        return report_for_error(pool_id, error, operation_id)
    return PoolReport(pool_id, Outcome.ARCHIVED, "archived", operation_id)


async def _explain_refusal(
    port: ArchivePort, pool_id: str, refusal: ConflictError | ArchiveNotStartedError
) -> PoolReport:
    """The archive did not start ("not now" from Toloka, or no try got through): the
    pre-flight says why, in words and with a date, when the pool is not archivable."""
    try:
        check = await port.check_archivable(pool_id)
    except RunEndingError:
        raise
    except Exception:
        if isinstance(refusal, ConflictError):
            return report_from_conflict(pool_id, refusal)
        return report_for_error(pool_id, refusal)
    if check.verdict is Verdict.ARCHIVABLE:
        # The pool is fine: something else runs on it (a lock), or no try got through.
        if isinstance(refusal, ConflictError):
            detail = f"refused: {refusal.message}"
            return PoolReport(pool_id, Outcome.FAILED, detail, error=refusal)
        return report_for_error(pool_id, refusal)
    report = report_from_check(check)
    return PoolReport(
        pool_id,
        report.outcome,
        report.detail,
        pool_status=report.pool_status,
        archivable_from=report.archivable_from,
        error=refusal,
    )


class _Deduplicated:
    """Each distinct pool id once, checked; ``"21"`` and ``21`` are the same pool.

    The set of ids seen grows with the number of distinct pools (ints, a few dozen bytes
    each); everything else about a run is bounded by ``concurrency``.
    """

    def __init__(self) -> None:
        self._seen: set[int] = set()

    def admit(self, raw: object) -> str | PoolReport | None:
        """The normalized id, a report for an invalid one, or None for a repeat.

        A ``Pool`` (from ``find_pools``) is reported at once when its listed status already
        says how it ends: archived, or open (it is never closed for you); nothing is sent.
        """
        listed = raw if isinstance(raw, generated.Pool) else None
        try:
            pool_id = normalize_pool_id(raw if listed is None else listed.id)
        except InvalidPoolIdError as error:
            return PoolReport(str(raw), Outcome.INVALID_ID, str(error), error=error)
        key = int(pool_id)
        if key in self._seen:
            return None
        self._seen.add(key)
        if listed is not None:
            status = pool_status_of(listed)
            if status == "ARCHIVED":
                return report_from_check(Archivability(pool_id, Verdict.ALREADY_ARCHIVED, status))
            if status == "OPEN":
                return report_from_check(Archivability(pool_id, Verdict.WRONG_STATUS, status))
        return pool_id


class _DistinctOperations:
    """Each distinct operation id once; the command checks them before the run starts."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def admit(self, raw: object) -> str | PoolReport | None:
        try:
            operation_id = normalize_operation_id(raw)
        except InvalidOperationIdError as error:
            return PoolReport("", Outcome.INVALID_ID, str(error), error=error)
        if operation_id in self._seen:
            return None
        self._seen.add(operation_id)
        return operation_id


async def _ids(items: Iterable[object] | AsyncIterable[object]) -> AsyncIterator[object]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


_DONE = object()


async def run_many(
    ids: Iterable[object] | AsyncIterable[object],
    work: Callable[[str], Awaitable[PoolReport]],
    concurrency: int,
    admit: Callable[[object], str | PoolReport | None] | None = None,
) -> AsyncIterator[PoolReport]:
    """Run ``work`` for each distinct id, ``concurrency`` at a time; yield reports as they end.

    ``admit`` checks each id (the normalized id, a report for a bad one, None for a repeat);
    by default ids are pool ids. Workers pull ids one at a time from the shared source, so at
    most ``concurrency`` ids are in flight and the source is read only as fast as pools finish.
    Closing the iterator early (or cancelling its task, as on Ctrl-C) cancels the workers: no
    new pool is started.
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    source = _ids(ids).__aiter__()
    check = admit if admit is not None else _Deduplicated().admit
    reports: asyncio.Queue[object] = asyncio.Queue(maxsize=concurrency)
    source_lock = asyncio.Lock()  # one reader of the source at a time

    async def next_id() -> str | PoolReport | None:
        async with source_lock:
            while True:
                try:
                    raw = await source.__anext__()
                except StopAsyncIteration:
                    return None
                admitted = check(raw)
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
