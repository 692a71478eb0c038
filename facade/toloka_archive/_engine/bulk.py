"""Many subjects at once: bounded concurrency, one report per subject, nothing lost.

``run_many`` reads ids lazily (a generator of 100,000 ids is never held in memory), runs at
most ``concurrency`` at a time, and yields a ``Report`` as each one finishes, in the order
they finish. One subject's trouble becomes that subject's report and never stops the others;
only what no other subject could get past either (``RunEndingError``: a rejected key, Toloka
unreachable, a base URL that is not Toloka's) ends the run. ``archive_many``, ``close_many`` and
``follow_many`` are it, with the work of ``_engine.work`` for one ``Lifecycle`` (pools,
trainings, ...) and the subject's own check of each id.

All workers share their client's throttle, so a 429 slows every one of them down together.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from typing import Generic, TypeAlias, TypeVar

from toloka_archive._core.errors import InvalidIdError, InvalidOperationIdError
from toloka_archive._core.ids import id_key, normalize_operation_id
from toloka_archive._core.models import Record
from toloka_archive._core.policies import Timeout
from toloka_archive._engine.reports import Report
from toloka_archive._engine.work import (
    Hooks,
    PoolProgress,
    Port,
    archive_one,
    check_one,
    close_one,
    follow_one,
)
from toloka_archive._wire.kinds import Lifecycle
from toloka_archive._wire.outcomes import Outcome

A = TypeVar("A")  # what an admitted id is handed to the work as

SubjectIds: TypeAlias = "Iterable[str | int | Record] | AsyncIterable[str | int | Record]"
PoolIds = SubjectIds  # the 0.1 name

Admitted: TypeAlias = tuple[str, Record | None]  # the checked id, and the record if listed


def archive_many(
    port: Port,
    life: Lifecycle,
    ids: SubjectIds,
    *,
    concurrency: int,
    wait: bool,
    timeout: Timeout,
    dry_run: bool,
    close_open: bool,
    consent: bool,
    hooks: Hooks,
) -> AsyncIterator[Report]:
    """Archive (or, with ``dry_run``, check) each distinct subject; see ``run_many``."""

    async def work(admitted: Admitted) -> Report:
        subject_id, listed = admitted
        if dry_run:
            return await check_one(
                port, life, subject_id, close_open=close_open, consent=consent, listed=listed
            )
        return await archive_one(
            port,
            life,
            subject_id,
            wait=wait,
            timeout=timeout,
            close_open=close_open,
            consent=consent,
            listed=listed,
            hooks=hooks,
        )

    return run_many(ids, work, concurrency, _Distinct(life).admit, hooks, _id_of)


def close_many(
    port: Port,
    life: Lifecycle,
    ids: SubjectIds,
    *,
    concurrency: int,
    wait: bool,
    timeout: Timeout,
    hooks: Hooks,
) -> AsyncIterator[Report]:
    """Close each distinct subject; see ``run_many``."""

    async def work(admitted: Admitted) -> Report:
        return await close_one(port, life, admitted[0], wait=wait, timeout=timeout, hooks=hooks)

    return run_many(ids, work, concurrency, _Distinct(life).admit, hooks, _id_of)


def follow_many(
    port: Port,
    operation_ids: Iterable[str] | AsyncIterable[str],
    *,
    concurrency: int,
    timeout: Timeout,
    on_progress: PoolProgress | None,
) -> AsyncIterator[Report]:
    """Follow operations started earlier (after Ctrl-C, ``--no-wait`` or a restart)."""

    async def work(operation_id: str) -> Report:
        return await follow_one(port, operation_id, timeout=timeout, on_progress=on_progress)

    return run_many(operation_ids, work, concurrency, _DistinctOperations().admit)


class _Distinct:
    """Each distinct subject once, its id checked; ``"21"`` and ``21`` are the same one.

    A record (a ``Pool`` from ``find_pools``, a ``Training`` from ``find_trainings``) comes with
    its listed status, which the work may settle it by. The set of ids seen grows with the
    number of distinct subjects (a few dozen bytes each); everything else about a run is
    bounded by ``concurrency``.
    """

    def __init__(self, life: Lifecycle) -> None:
        self._seen: set[str] = set()
        self._life = life

    def admit(self, raw: object) -> Admitted | Report | None:
        """The checked id (and the listed record), a report for an invalid one, or None for a
        repeat."""
        listed = raw if isinstance(raw, Record) else None
        try:
            subject_id = self._life.subject.normalize(raw if listed is None else listed.id)
        except InvalidIdError as error:
            return Report(
                str(raw), Outcome.INVALID_ID, str(error), error=error, subject=self._life.noun
            )
        key = id_key(subject_id)
        if key in self._seen:
            return None
        self._seen.add(key)
        return subject_id, listed


class _DistinctOperations:
    """Each distinct operation id once; the command checks them before the run starts."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def admit(self, raw: object) -> str | Report | None:
        try:
            operation_id = normalize_operation_id(raw)
        except InvalidOperationIdError as error:
            return Report("", Outcome.INVALID_ID, str(error), error=error, subject="")
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
    work: Callable[[A], Awaitable[Report]],
    concurrency: int,
    admit: Callable[[object], A | Report | None],
    hooks: Hooks | None = None,
    subject: Callable[[A], str] = str,
) -> AsyncIterator[Report]:
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
    reports: asyncio.Queue[Report | Exception | _Done] = asyncio.Queue(maxsize=concurrency)
    source_lock = asyncio.Lock()  # one reader of the source at a time
    on_begin = None if hooks is None else hooks.on_begin
    source_failure: list[Exception] = []  # what stopped the source, raised once all are done

    async def next_id() -> _Admitted[A] | Report | None:
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
                if isinstance(admitted, Report):
                    return admitted
                if admitted is not None:
                    return _Admitted(admitted)
            return None

    async def worker() -> None:
        # A cancelled worker puts nothing: the consumer has stopped reading.
        try:
            while (item := await next_id()) is not None:
                if isinstance(item, Report):
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


def _id_of(admitted: Admitted) -> str:
    return admitted[0]
