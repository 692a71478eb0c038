"""``AsyncTolokaClient``: the asyncio twin of ``TolokaClient``, and the home of bulk work.

Every public method is a thin driver: it checks its arguments, hands the flows of ``_flows``
(or the engine of ``_engine``) to the asyncio driver, and wraps what comes back. An operation
on a pool or project is two twin methods, ``start_<job>`` (no waiting) and ``<job>`` (start,
then wait), over the one ``_start(kind, subject_id)``: all the robustness (retries, a lost
answer reconciled, a lock followed) is the kind's, inherited from ``_flows.starting``.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Mapping
from datetime import datetime
from types import TracebackType
from typing import Self, TypeVar

import httpx

from toloka_archive._clients.core import HTTP_TIMEOUT, _ClientBase, _ClientCore
from toloka_archive._core.clock import Clock
from toloka_archive._core.environment import Environment
from toloka_archive._core.flow import Flow, Request, run_async
from toloka_archive._core.ids import (
    normalize_operation_id,
    normalize_pool_id,
    normalize_project_id,
    normalize_training_id,
)
from toloka_archive._core.models import Operation, Pool, Project, Record, Training
from toloka_archive._core.policies import (
    DEFAULT_CONCURRENCY,
    DEFAULT_TIMEOUT,
    PollPolicy,
    RetryPolicy,
    Timeout,
)
from toloka_archive._engine.bulk import SubjectIds, archive_many, close_many, follow_many
from toloka_archive._engine.handles import AsyncOperationHandle, OperationResult
from toloka_archive._engine.project import PoolReported, ProjectStarted, archive_project
from toloka_archive._engine.reports import ProjectReport, Report
from toloka_archive._engine.work import Hooks, PoolBegun, PoolProgress, PoolStarted, Port
from toloka_archive._flows.lookup import operations_listing, project_flow, record_flow
from toloka_archive._flows.preflight import Archivability, preflight_flow
from toloka_archive._flows.selection import (
    ARCHIVABLE_STATUS,
    PoolSelection,
    pools_listing,
    trainings_listing,
)
from toloka_archive._flows.starting import start_flow
from toloka_archive._flows.waiting import ProgressCallback, fetch_flow
from toloka_archive._wire.kinds import (
    POOL,
    POOL_ARCHIVE,
    POOL_CLOSE,
    POOLS,
    PROJECT_ARCHIVE,
    PROJECTS,
    TRAINING,
    TRAINING_ARCHIVE,
    TRAINING_CLOSE,
    TRAININGS,
    Job,
    Lifecycle,
    OperationKind,
    Subject,
)
from toloka_archive._wire.paging import Listing, Pager
from toloka_archive._wire.response import aread_capped

T = TypeVar("T")
Q = TypeVar("Q")
I = TypeVar("I")  # noqa: E741 - an item, as in Generic containers


class AsyncTolokaClient(_ClientBase):
    """The asyncio twin of ``TolokaClient``: the same settings, the same behaviour."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        oauth_token: str | None = None,
        environment: Environment | str | None = None,
        base_url: str | None = None,
        retry: RetryPolicy | None = None,
        max_retries: int | None = None,
        poll: PollPolicy | None = None,
        http_timeout: float | httpx.Timeout = HTTP_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        env: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        random: Callable[[], float] | None = None,
    ) -> None:
        self._attach(
            _ClientCore(
                api_key=api_key,
                oauth_token=oauth_token,
                environment=environment,
                base_url=base_url,
                retry=retry,
                max_retries=max_retries,
                poll=poll,
                http_timeout=http_timeout,
                env=env,
                clock=clock,
                random=random,
                httpx_args={} if transport is None else {"transport": transport},
            )
        )

    def _attach(self, core: _ClientCore) -> None:
        self._core = core
        self._http = core.raw.get_async_httpx_client()

    # Operations on one pool or project: two twin methods each.

    async def start_archive_pool(self, pool_id: str | int) -> AsyncOperationHandle:
        """Ask Toloka to archive a pool: one request (plus retries), no waiting."""
        return await self._start(POOL_ARCHIVE, pool_id)

    async def archive_pool(
        self,
        pool_id: str | int,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> OperationResult:
        """Archive a pool and wait for the operation to end; see ``AsyncOperationHandle.wait``."""
        handle = await self.start_archive_pool(pool_id)
        return await handle.wait(timeout, on_progress=on_progress)

    async def start_close_pool(self, pool_id: str | int) -> AsyncOperationHandle:
        """Ask Toloka to close a pool (it stops taking work); no waiting. Only when asked."""
        return await self._start(POOL_CLOSE, pool_id)

    async def close_pool(
        self,
        pool_id: str | int,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> OperationResult:
        """Close a pool and wait for the operation to end (``already_done`` when it was)."""
        handle = await self.start_close_pool(pool_id)
        return await handle.wait(timeout, on_progress=on_progress)

    async def start_archive_training(self, training_id: str | int) -> AsyncOperationHandle:
        """Ask Toloka to archive a training (it must be CLOSED, and every pool that requires it
        archived): one request (plus retries), no waiting."""
        return await self._start(TRAINING_ARCHIVE, training_id)

    async def archive_training(
        self,
        training_id: str | int,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> OperationResult:
        """Archive a training and wait for the operation to end (``already_archived`` when it
        was)."""
        handle = await self.start_archive_training(training_id)
        return await handle.wait(timeout, on_progress=on_progress)

    async def start_close_training(self, training_id: str | int) -> AsyncOperationHandle:
        """Ask Toloka to close a training (Tolokers stop taking it); no waiting. Only when
        asked."""
        return await self._start(TRAINING_CLOSE, training_id)

    async def close_training(
        self,
        training_id: str | int,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> OperationResult:
        """Close a training and wait for the operation to end (``already_done`` when it was)."""
        handle = await self.start_close_training(training_id)
        return await handle.wait(timeout, on_progress=on_progress)

    async def start_archive_project(self, project_id: str | int) -> AsyncOperationHandle:
        """Ask Toloka to archive a project (all its pools must be archived); no waiting."""
        return await self._start(PROJECT_ARCHIVE, project_id)

    async def get_operation(self, operation_id: str) -> AsyncOperationHandle:
        """A handle on an operation started earlier, with its current snapshot."""
        operation_key = normalize_operation_id(operation_id)
        operation = await self._run(fetch_flow(operation_key, self._core.context))
        return self._handle(Job.of(operation), operation)

    async def check_archivable(
        self, pool_id: str | int, *, include_editing: bool = False
    ) -> Archivability:
        """The pre-flight: can the pool be archived now, and if not, why and from when. A pool
        closed for editing reads ``CLOSED_FOR_EDITING`` unless ``include_editing``."""
        return await self._check(POOL, normalize_pool_id(pool_id), include_editing)

    async def check_archivable_training(
        self, training_id: str | int, *, include_editing: bool = False
    ) -> Archivability:
        """The pre-flight of a training: its status (and whether it is closed for editing).
        Whether the pools that require it are archived is not read (``archive_project`` knows
        it from its listing)."""
        return await self._check(TRAINING, normalize_training_id(training_id), include_editing)

    async def get_pool(self, pool_id: str | int) -> Pool:
        """The pool as Toloka has it now."""
        pool = await self._read(POOL, normalize_pool_id(pool_id))
        assert isinstance(pool, Pool)
        return pool

    async def get_training(self, training_id: str | int) -> Training:
        """The training as Toloka has it now."""
        training = await self._read(TRAINING, normalize_training_id(training_id))
        assert isinstance(training, Training)
        return training

    async def get_project(self, project_id: str | int) -> Project:
        """The project as Toloka has it now (``status``: ``ACTIVE`` or ``ARCHIVED``)."""
        project = normalize_project_id(project_id)
        return await self._run(project_flow(project, self._core.context))

    # Many at once: the engine.

    def archive_pools(
        self,
        pool_ids: SubjectIds,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        wait: bool = True,
        timeout: Timeout = DEFAULT_TIMEOUT,
        dry_run: bool = False,
        close_open: bool = False,
        include_editing: bool = False,
        on_begin: PoolBegun | None = None,
        on_started: PoolStarted | None = None,
        on_progress: PoolProgress | None = None,
    ) -> AsyncIterator[Report]:
        """Archive many pools, ``concurrency`` at a time; yield a report as each one ends.

        Ids (``str`` or ``int``, or ``Pool`` from ``find_pools``, from a plain or an async
        iterable) are read lazily and each distinct pool is archived once. Every pool gets a
        report, whatever happened to it (``PoolReport.outcome``); only a problem no pool can get
        past (``RunEndingError``) ends the run early. ``wait=False`` starts archiving and
        reports ``STARTED`` without waiting; ``dry_run=True`` runs only the pre-flight.
        ``close_open=True`` closes an open pool first (``POST /pools/{id}/close``, waited for),
        then archives it; without it an open pool is never closed. A pool someone closed to
        edit it (``FOR_UPDATE``) is left alone (``being_edited``) unless ``include_editing``:
        so a pool given by id is read before its archive is asked for, unless
        ``include_editing``. ``on_begin(pool_id)`` is called as a pool is taken up,
        ``on_started(pool_id, operation_id)`` as soon as an operation exists (a close, then the
        archive), and ``on_progress(pool_id, snapshot)`` with every snapshot while waiting.
        """
        return self._archive_many(
            POOLS,
            pool_ids,
            concurrency=concurrency,
            wait=wait,
            timeout=timeout,
            dry_run=dry_run,
            close_open=close_open,
            include_editing=include_editing,
            hooks=Hooks(on_begin, on_started, on_progress),
        )

    def archive_trainings(
        self,
        training_ids: SubjectIds,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        wait: bool = True,
        timeout: Timeout = DEFAULT_TIMEOUT,
        dry_run: bool = False,
        close_open: bool = False,
        include_editing: bool = False,
        on_begin: PoolBegun | None = None,
        on_started: PoolStarted | None = None,
        on_progress: PoolProgress | None = None,
    ) -> AsyncIterator[Report]:
        """Archive many trainings as ``archive_pools`` archives pools: ids or ``Training``
        objects from ``find_trainings``, one report each (``subject`` is ``"training"``).
        Toloka refuses a training while a pool that requires it is not archived
        (``blocked``); ``archive_project`` takes them in order."""
        return self._archive_many(
            TRAININGS,
            training_ids,
            concurrency=concurrency,
            wait=wait,
            timeout=timeout,
            dry_run=dry_run,
            close_open=close_open,
            include_editing=include_editing,
            hooks=Hooks(on_begin, on_started, on_progress),
        )

    def close_pools(
        self,
        pool_ids: SubjectIds,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        wait: bool = True,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_begin: PoolBegun | None = None,
        on_started: PoolStarted | None = None,
        on_progress: PoolProgress | None = None,
    ) -> AsyncIterator[Report]:
        """Close many pools, as ``archive_pools`` archives them: one report per pool
        (``closed``, ``already_closed``, ``wrong_status``, ...)."""
        hooks = Hooks(on_begin, on_started, on_progress)
        port = self._port()
        return close_many(
            port, POOLS, pool_ids, concurrency=concurrency, wait=wait, timeout=timeout, hooks=hooks
        )

    def close_trainings(
        self,
        training_ids: SubjectIds,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        wait: bool = True,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_begin: PoolBegun | None = None,
        on_started: PoolStarted | None = None,
        on_progress: PoolProgress | None = None,
    ) -> AsyncIterator[Report]:
        """Close many trainings, as ``close_pools`` closes pools."""
        hooks = Hooks(on_begin, on_started, on_progress)
        port = self._port()
        return close_many(
            port,
            TRAININGS,
            training_ids,
            concurrency=concurrency,
            wait=wait,
            timeout=timeout,
            hooks=hooks,
        )

    def follow_operations(
        self,
        operation_ids: Iterable[str] | AsyncIterable[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_progress: PoolProgress | None = None,
    ) -> AsyncIterator[Report]:
        """Follow operations started earlier to their end; a report for each.

        For the operations listed after Ctrl-C, a crash or ``wait=False`` (archives, closes,
        a project's archive): each distinct id is polled until its operation ends
        (``archived``, ``closed``, ``failed``) or ``timeout`` passes (``timed_out``),
        ``concurrency`` at a time. The report names the operation's pool.
        """
        return follow_many(
            self._port(),
            operation_ids,
            concurrency=concurrency,
            timeout=timeout,
            on_progress=on_progress,
        )

    async def archive_project(
        self,
        project_id: str | int,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: Timeout = DEFAULT_TIMEOUT,
        dry_run: bool = False,
        close_open: bool = False,
        include_editing: bool = False,
        on_report: PoolReported | None = None,
        on_begin: PoolBegun | None = None,
        on_started: PoolStarted | None = None,
        on_progress: PoolProgress | None = None,
        on_project_started: ProjectStarted | None = None,
    ) -> ProjectReport:
        """Archive the whole project in Toloka's order: every pool that is not archived yet,
        then the trainings they require, then the project.

        Open pools and trainings are closed first only with ``close_open=True``; ones closed
        for editing are left alone unless ``include_editing=True``; pools in the 9-day
        rejection window are not forced. Each is reported (``on_report`` gets every pool's and
        training's report as it ends), and the project is then left as it is, its report
        saying what blocks it. A training is not asked for while a pool that requires it is not
        archived. ``dry_run`` archives nothing and says whether the project could be archived.
        ``on_project_started(project_id, operation_id)`` hears of the project's own archive as
        soon as it exists.
        """
        return await archive_project(
            self._port(),
            PROJECTS,
            normalize_project_id(project_id),
            concurrency=concurrency,
            timeout=timeout,
            dry_run=dry_run,
            close_open=close_open,
            consent=include_editing,
            on_report=on_report,
            on_project_started=on_project_started,
            hooks=Hooks(on_begin, on_started, on_progress),
        )

    # Lists, read a page at a time.

    def find_operations(
        self,
        *,
        type: str | None = None,  # Toloka's name for the filter
        status: str | None = None,
        pool_id: str | int | None = None,
        project_id: str | int | None = None,
        submitted_since: datetime | None = None,
        submitted_until: datetime | None = None,
        training_id: str | int | None = None,
    ) -> AsyncIterator[Operation]:
        """Toloka's operations matching the filters, oldest first, read a page at a time.

        ``pool_id``, ``training_id`` and ``project_id`` keep the operations whose parameters
        name that pool, training or project (Toloka's list has no such filter; it is applied
        to each page). Times are UTC;
        naive ones are taken as UTC.
        """
        return self._list(
            operations_listing(
                type=type,
                status=status,
                pool_id=pool_id,
                project_id=project_id,
                submitted_since=submitted_since,
                submitted_until=submitted_until,
                training_id=training_id,
            )
        )

    def find_pools(
        self,
        *,
        project_id: str | int | None = None,
        status: str | None = ARCHIVABLE_STATUS,
        created_before: datetime | None = None,
        last_started_before: datetime | None = None,
        idle_since: datetime | None = None,
    ) -> AsyncIterator[Pool]:
        """The pools matching every filter, in id order, read a page at a time.

        ``status`` is ``CLOSED`` by default (the pools that can be archived); None means any.
        ``idle_since``: pools neither created, started nor stopped since that moment. Times are
        UTC; naive ones are taken as UTC. Hand the result to ``archive_pools`` as it is.
        """
        selection = PoolSelection(
            project_id=project_id,
            status=status,
            created_before=created_before,
            last_started_before=last_started_before,
            idle_since=idle_since,
        )
        return self._list(pools_listing(selection))

    def find_trainings(
        self,
        *,
        project_id: str | int | None = None,
        status: str | None = ARCHIVABLE_STATUS,
        created_before: datetime | None = None,
        last_started_before: datetime | None = None,
        idle_since: datetime | None = None,
    ) -> AsyncIterator[Training]:
        """The trainings matching every filter, in id order, read a page at a time; the same
        filters as ``find_pools``. Hand the result to ``archive_trainings`` as it is."""
        selection = PoolSelection(
            project_id=project_id,
            status=status,
            created_before=created_before,
            last_started_before=last_started_before,
            idle_since=idle_since,
        )
        return self._list(trainings_listing(selection))

    # The driver.

    async def _start(self, kind: OperationKind, subject_id: object) -> AsyncOperationHandle:
        return await self._start_job(self._core.job(kind, subject_id))

    async def _start_job(self, job: Job) -> AsyncOperationHandle:
        started = await self._run(start_flow(job, self._core.context))
        return self._handle(job, started.operation, reconciled=started.reconciled)

    def _archive_many(
        self,
        life: Lifecycle,
        ids: SubjectIds,
        *,
        concurrency: int,
        wait: bool,
        timeout: Timeout,
        dry_run: bool,
        close_open: bool,
        include_editing: bool,
        hooks: Hooks,
    ) -> AsyncIterator[Report]:
        return archive_many(
            self._port(),
            life,
            ids,
            concurrency=concurrency,
            wait=wait,
            timeout=timeout,
            dry_run=dry_run,
            close_open=close_open,
            consent=include_editing,
            hooks=hooks,
        )

    async def _check(self, subject: Subject, subject_id: str, consent: bool) -> Archivability:
        return await self._run(
            preflight_flow(subject, subject_id, self._core.context, consent=consent)
        )

    async def _read(self, subject: Subject, subject_id: str) -> Record:
        return await self._run(record_flow(subject, subject_id, self._core.context))

    def _port(self) -> Port:
        """What the engine is given of this client."""
        return Port(
            start=self._start_job,
            check=self._check,
            read=self._read,
            get_operation=self.get_operation,
            get_project=self.get_project,
            members=self._members,
        )

    def _members(self, subject: Subject, project_id: str) -> AsyncIterator[Record]:
        """Every pool (or training) of a project just read (so it is not read again before the
        list), any status."""
        selection = PoolSelection(project_id=project_id, status=None)
        if subject is TRAINING:
            return self._list(trainings_listing(selection, check_project=False))
        return self._list(pools_listing(selection, check_project=False))

    async def _list(self, listing: Listing[Q, I]) -> AsyncIterator[I]:
        """Read ``listing`` a page at a time, yielding the items it keeps."""
        pager = Pager(listing)
        while (page := pager.next_page()) is not None:
            for item in await self._run(page(self._core.context)):
                yield item

    def _handle(
        self, job: Job | None, operation: Operation | None, *, reconciled: bool = False
    ) -> AsyncOperationHandle:
        return AsyncOperationHandle(
            job, operation, context=self._core.context, run=self._run, reconciled=reconciled
        )

    async def _run(self, flow: Flow[T]) -> T:
        return await run_async(flow, self._send, self._core.context.clock.async_sleep)

    async def _send(self, request: Request) -> httpx.Response:
        outgoing = self._http.build_request(
            request.method, request.url, params=request.params or None
        )
        response = await self._http.send(outgoing, stream=True)
        try:
            return await aread_capped(response)
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def async_twin(core: _ClientCore, transport: httpx.AsyncBaseTransport | None) -> AsyncTolokaClient:
    """An async client with ``core``'s settings, clock and throttle over ``transport``.

    This is how the blocking client runs bulk work on the async engine.
    """
    twin = AsyncTolokaClient.__new__(AsyncTolokaClient)
    twin._attach(core.twin({} if transport is None else {"transport": transport}))
    return twin
