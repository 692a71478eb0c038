"""Many subjects at once: bounded concurrency, one report per subject, nothing lost.

``run_many`` reads ids lazily (a generator of 100,000 ids is never held in memory), runs at
most ``concurrency`` at a time, and yields a ``PoolReport`` as each one finishes, in the order
they finish. One subject's trouble becomes that subject's report and never stops the others;
only what no other subject could get past either (``RunEndingError``: a rejected key, Toloka
unreachable, a base URL that is not Toloka's) ends the run. ``archive_many``, ``close_many`` and
``follow_many`` are it, with the work of ``_engine.work`` and the right check of each id.

All workers share their client's throttle, so a 429 slows every one of them down together.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from typing import Generic, TypeAlias, TypeVar

from toloka_archive._core.errors import InvalidOperationIdError, InvalidPoolIdError
from toloka_archive._core.ids import normalize_operation_id, normalize_pool_id
from toloka_archive._core.models import Pool, PoolStatus
from toloka_archive._core.policies import Timeout
from toloka_archive._engine.reports import Outcome, PoolReport, report_from_check
from toloka_archive._engine.work import (
    Hooks,
    PoolProgress,
    Port,
    archive_one,
    check_one,
    close_one,
    follow_one,
)
from toloka_archive._flows.preflight import Archivability, Verdict

A = TypeVar("A")  # what an admitted id is handed to the work as

PoolIds: TypeAlias = "Iterable[str | int | Pool] | AsyncIterable[str | int | Pool]"


def archive_many(
    port: Port,
    pool_ids: PoolIds,
    *,
    concurrency: int,
    wait: bool,
    timeout: Timeout,
    dry_run: bool,
    close_open: bool,
    hooks: Hooks,
) -> AsyncIterator[PoolReport]:
    """Archive (or, with ``dry_run``, check) each distinct pool; see ``run_many``."""

    async def work(admitted: tuple[str, Pool | None]) -> PoolReport:
        pool_id, listed = admitted
        if dry_run:
            return await check_one(port, pool_id, close_open=close_open)
        return await archive_one(
            port,
            pool_id,
            wait=wait,
            timeout=timeout,
            close_open=close_open,
            listed=listed,
            hooks=hooks,
        )

    admission = _DistinctPools(settled_when_listed=_listed_archive_outcome(close_open))
    return run_many(pool_ids, work, concurrency, admission.admit, hooks, _pool_of)


def close_many(
    port: Port,
    pool_ids: PoolIds,
    *,
    concurrency: int,
    wait: bool,
    timeout: Timeout,
    hooks: Hooks,
) -> AsyncIterator[PoolReport]:
    """Close each distinct pool; see ``run_many``."""

    async def work(admitted: tuple[str, Pool | None]) -> PoolReport:
        return await close_one(port, admitted[0], wait=wait, timeout=timeout, hooks=hooks)

    return run_many(pool_ids, work, concurrency, _DistinctPools().admit, hooks, _pool_of)


def follow_many(
    port: Port,
    operation_ids: Iterable[str] | AsyncIterable[str],
    *,
    concurrency: int,
    timeout: Timeout,
    on_progress: PoolProgress | None,
) -> AsyncIterator[PoolReport]:
    """Follow operations started earlier (after Ctrl-C, ``--no-wait`` or a restart)."""

    async def work(operation_id: str) -> PoolReport:
        return await follow_one(port, operation_id, timeout=timeout, on_progress=on_progress)

    return run_many(operation_ids, work, concurrency, _DistinctOperations().admit)


def _listed_archive_outcome(close_open: bool) -> Callable[[str, Pool], PoolReport | None]:
    """For archiving: the report of a listed pool whose status already says how it ends
    (archived; open, unless it is to be closed first), with nothing sent; None to work on it."""

    def settled(pool_id: str, pool: Pool) -> PoolReport | None:
        status = str(pool.status)
        if status == PoolStatus.ARCHIVED:
            return report_from_check(Archivability(pool_id, Verdict.ALREADY_ARCHIVED, status))
        if status == PoolStatus.OPEN and not close_open:
            return report_from_check(Archivability(pool_id, Verdict.WRONG_STATUS, status))
        return None

    return settled


class _DistinctPools:
    """Each distinct pool id once, checked; ``"21"`` and ``21`` are the same pool.

    A ``Pool`` (from ``find_pools``) comes with its listed status, which may already settle it
    (``settled_when_listed``). The set of ids seen grows with the number of distinct pools
    (ints, a few dozen bytes each); everything else about a run is bounded by ``concurrency``.
    """

    def __init__(
        self, settled_when_listed: Callable[[str, Pool], PoolReport | None] | None = None
    ) -> None:
        self._seen: set[int] = set()
        self._settled = settled_when_listed

    def admit(self, raw: object) -> tuple[str, Pool | None] | PoolReport | None:
        """The normalized id (and the listed pool), a report for an invalid or settled one, or
        None for a repeat."""
        listed = raw if isinstance(raw, Pool) else None
        try:
            pool_id = normalize_pool_id(raw if listed is None else listed.id)
        except InvalidPoolIdError as error:
            return PoolReport(str(raw), Outcome.INVALID_ID, str(error), error=error)
        key = int(pool_id)
        if key in self._seen:
            return None
        self._seen.add(key)
        if listed is not None and self._settled is not None:
            settled = self._settled(pool_id, listed)
            if settled is not None:
                return settled
        return pool_id, listed


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


async def _items(items: Iterable[object] | AsyncIterable[object]) -> AsyncIterator[object]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


class _Done:
    """A worker has no more ids."""


_DONE = _Done()


class _Admitted(Generic[A]):
    """An admitted id, as the work takes it (wrapped, so that a report is never mistaken for
    one)."""

    __slots__ = ("value",)

    def __init__(self, value: A) -> None:
        self.value = value


async def run_many(
    ids: Iterable[object] | AsyncIterable[object],
    work: Callable[[A], Awaitable[PoolReport]],
    concurrency: int,
    admit: Callable[[object], A | PoolReport | None],
    hooks: Hooks | None = None,
    subject: Callable[[A], str] = str,
) -> AsyncIterator[PoolReport]:
    """Run ``work`` for each distinct id, ``concurrency`` at a time; yield reports as they end.

    ``admit`` checks each id: what the work takes, a report for a bad or settled one, None for
    a repeat. ``hooks.on_begin`` hears of each id taken up, by its ``subject`` id, once it is
    admitted (a repeat is never announced). Workers pull ids one at a time from the shared
    source, so at most ``concurrency`` ids are in flight and the source is read only as fast
    as subjects finish. Closing the iterator early (or cancelling its task, as on Ctrl-C)
    cancels the workers: no new subject is started.

    When the source itself fails (a listing whose page failed for good: ``ListingError``), no
    new id is taken, the subjects in flight are finished and reported, and then the source's
    error is raised: one bad page never ends a run without saying what was started.
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    source = _items(ids).__aiter__()
    reports: asyncio.Queue[PoolReport | Exception | _Done] = asyncio.Queue(maxsize=concurrency)
    source_lock = asyncio.Lock()  # one reader of the source at a time
    on_begin = None if hooks is None else hooks.on_begin
    source_failure: list[Exception] = []  # what stopped the source, raised once all are done

    async def next_id() -> _Admitted[A] | PoolReport | None:
        async with source_lock:
            while not source_failure:
                try:
                    raw = await source.__anext__()
                except StopAsyncIteration:
                    return None
                except Exception as error:  # the ids' source failed: take no new ones
                    source_failure.append(error)
                    return None
                admitted = admit(raw)
                if isinstance(admitted, PoolReport):
                    return admitted
                if admitted is not None:
                    return _Admitted(admitted)
            return None

    async def worker() -> None:
        # A cancelled worker puts nothing: the consumer has stopped reading.
        try:
            while (item := await next_id()) is not None:
                if isinstance(item, PoolReport):
                    await reports.put(item)
                    continue
                if on_begin is not None:
                    on_begin(subject(item.value))
                await reports.put(await work(item.value))
        except Exception as error:  # handed to the consumer, which raises it
            await reports.put(error)
        await reports.put(_DONE)

    workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
    try:
        finished = 0
        while finished < concurrency:
            item = await reports.get()
            if isinstance(item, _Done):
                finished += 1
            elif isinstance(item, Exception):
                raise item
            else:
                yield item
        if source_failure:
            raise source_failure[0]
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)


def _pool_of(admitted: tuple[str, Pool | None]) -> str:
    return admitted[0]
