"""``TolokaClient``: Toloka with blocking calls.

The client is thin: ``_ClientCore`` holds the settings, the flows in ``_flows`` decide
everything, and this class only drives them with blocking I/O. An operation on a pool or
project is two twin methods over the one ``_start(kind, subject_id)``, as on the async client.
Bulk work runs on the async engine, on a background event loop (``_clients.bridge``); asyncio
is imported only then, so a plain blocking user never pays for it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar

import httpx

from toloka_archive._clients.core import HTTP_TIMEOUT, _ClientBase, _ClientCore
from toloka_archive._core.clock import Clock
from toloka_archive._core.environment import Environment
from toloka_archive._core.flow import Flow, Request, run_sync
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
from toloka_archive._engine.handles import OperationHandle, OperationResult
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
    PROJECT_ARCHIVE,
    TRAINING,
    TRAINING_ARCHIVE,
    TRAINING_CLOSE,
    Job,
    OperationKind,
    Subject,
)
from toloka_archive._wire.paging import Listing, Pager
from toloka_archive._wire.response import read_capped

if TYPE_CHECKING:
    from toloka_archive._clients.async_client import AsyncTolokaClient
    from toloka_archive._engine.project import PoolReported, ProjectStarted
    from toloka_archive._engine.reports import ProjectReport, Report
    from toloka_archive._engine.work import PoolBegun, PoolProgress, PoolStarted

T = TypeVar("T")
Q = TypeVar("Q")
I = TypeVar("I")  # noqa: E741 - an item, as in Generic containers


class TolokaClient(_ClientBase):
    """Archive Toloka pools with blocking calls.

    ``environment`` is ``"sandbox"`` (the default) or ``"production"``; ``base_url`` points
    anywhere else (a proxy, the fake Toloka). Credentials come from ``api_key`` /
    ``oauth_token`` or ``TOLOKA_API_KEY`` / ``TOLOKA_OAUTH_TOKEN``. ``transport`` plugs in any
    httpx transport, such as the fake's. ``clock`` is where pauses, deadlines and dates come
    from (the fake's ``ManualClock`` makes waiting instant in tests); ``random`` draws the jitter.
    """

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
        transport: httpx.BaseTransport | None = None,
        env: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        random: Callable[[], float] | None = None,
    ) -> None:
        self._core = _ClientCore(
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
        self._transport = transport
        self._http = self._core.raw.get_httpx_client()

    # Operations on one pool or project: two twin methods each.

    def start_archive_pool(self, pool_id: str | int) -> OperationHandle:
        """Ask Toloka to archive a pool: one request (plus retries), no waiting."""
        return self._start(POOL_ARCHIVE, pool_id)

    def archive_pool(
        self,
        pool_id: str | int,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> OperationResult:
        """Archive a pool and wait for the operation to end; see ``OperationHandle.wait``."""
        return self.start_archive_pool(pool_id).wait(timeout, on_progress=on_progress)

    def start_close_pool(self, pool_id: str | int) -> OperationHandle:
        """Ask Toloka to close a pool (it stops taking work); no waiting. Only when asked."""
        return self._start(POOL_CLOSE, pool_id)

    def close_pool(
        self,
        pool_id: str | int,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> OperationResult:
        """Close a pool and wait for the operation to end (``already_done`` when it was)."""
        return self.start_close_pool(pool_id).wait(timeout, on_progress=on_progress)

    def start_archive_training(self, training_id: str | int) -> OperationHandle:
        """Ask Toloka to archive a training (it must be CLOSED, and every pool that requires it
        archived): one request (plus retries), no waiting."""
        return self._start(TRAINING_ARCHIVE, training_id)

    def archive_training(
        self,
        training_id: str | int,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> OperationResult:
        """Archive a training and wait for the operation to end (``already_archived`` when it
        was)."""
        return self.start_archive_training(training_id).wait(timeout, on_progress=on_progress)

    def start_close_training(self, training_id: str | int) -> OperationHandle:
        """Ask Toloka to close a training (Tolokers stop taking it); no waiting. Only when
        asked."""
        return self._start(TRAINING_CLOSE, training_id)

    def close_training(
        self,
        training_id: str | int,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> OperationResult:
        """Close a training and wait for the operation to end (``already_done`` when it was)."""
        return self.start_close_training(training_id).wait(timeout, on_progress=on_progress)

    def start_archive_project(self, project_id: str | int) -> OperationHandle:
        """Ask Toloka to archive a project (all its pools must be archived); no waiting."""
        return self._start(PROJECT_ARCHIVE, project_id)

    def get_operation(self, operation_id: str) -> OperationHandle:
        """A handle on an operation started earlier, with its current snapshot."""
        operation_key = normalize_operation_id(operation_id)
        operation = self._run(fetch_flow(operation_key, self._core.context))
        return self._handle(Job.of(operation), operation)

    def check_archivable(
        self, pool_id: str | int, *, include_editing: bool = False
    ) -> Archivability:
        """The pre-flight: can the pool be archived now, and if not, why and from when; see
        ``AsyncTolokaClient.check_archivable``."""
        return self._check(POOL, normalize_pool_id(pool_id), include_editing)

    def check_archivable_training(
        self, training_id: str | int, *, include_editing: bool = False
    ) -> Archivability:
        """The pre-flight of a training; see ``AsyncTolokaClient.check_archivable_training``."""
        return self._check(TRAINING, normalize_training_id(training_id), include_editing)

    def get_pool(self, pool_id: str | int) -> Pool:
        """The pool as Toloka has it now."""
        pool = self._read(POOL, normalize_pool_id(pool_id))
        assert isinstance(pool, Pool)
        return pool

    def get_training(self, training_id: str | int) -> Training:
        """The training as Toloka has it now."""
        training = self._read(TRAINING, normalize_training_id(training_id))
        assert isinstance(training, Training)
        return training

    def get_project(self, project_id: str | int) -> Project:
        """The project as Toloka has it now (``status``: ``ACTIVE`` or ``ARCHIVED``)."""
        return self._run(project_flow(normalize_project_id(project_id), self._core.context))

    # Many at once: the async engine, on a background loop.

    def archive_pools(
        self,
        pool_ids: Iterable[str | int | Pool],
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
    ) -> Iterator[Report]:
        """Archive many pools; see ``AsyncTolokaClient.archive_pools``, which this runs.

        The async engine runs on a private event loop in a background thread, with this
        client's settings, clock and rate-limit pause, so the callbacks are called from that
        thread.
        """
        twin = self._async_twin()
        return self._iterate(
            twin,
            twin.archive_pools(
                pool_ids,
                concurrency=concurrency,
                wait=wait,
                timeout=timeout,
                dry_run=dry_run,
                close_open=close_open,
                include_editing=include_editing,
                on_begin=on_begin,
                on_started=on_started,
                on_progress=on_progress,
            ),
        )

    def archive_trainings(
        self,
        training_ids: Iterable[str | int | Training],
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
    ) -> Iterator[Report]:
        """Archive many trainings; see ``AsyncTolokaClient.archive_trainings``, which this
        runs on a background event loop."""
        twin = self._async_twin()
        return self._iterate(
            twin,
            twin.archive_trainings(
                training_ids,
                concurrency=concurrency,
                wait=wait,
                timeout=timeout,
                dry_run=dry_run,
                close_open=close_open,
                include_editing=include_editing,
                on_begin=on_begin,
                on_started=on_started,
                on_progress=on_progress,
            ),
        )

    def close_trainings(
        self,
        training_ids: Iterable[str | int | Training],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        wait: bool = True,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_begin: PoolBegun | None = None,
        on_started: PoolStarted | None = None,
        on_progress: PoolProgress | None = None,
    ) -> Iterator[Report]:
        """Close many trainings; see ``AsyncTolokaClient.close_trainings``, which this runs."""
        twin = self._async_twin()
        return self._iterate(
            twin,
            twin.close_trainings(
                training_ids,
                concurrency=concurrency,
                wait=wait,
                timeout=timeout,
                on_begin=on_begin,
                on_started=on_started,
                on_progress=on_progress,
            ),
        )

    def close_pools(
        self,
        pool_ids: Iterable[str | int | Pool],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        wait: bool = True,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_begin: PoolBegun | None = None,
        on_started: PoolStarted | None = None,
        on_progress: PoolProgress | None = None,
    ) -> Iterator[Report]:
        """Close many pools; see ``AsyncTolokaClient.close_pools``, which this runs."""
        twin = self._async_twin()
        return self._iterate(
            twin,
            twin.close_pools(
                pool_ids,
                concurrency=concurrency,
                wait=wait,
                timeout=timeout,
                on_begin=on_begin,
                on_started=on_started,
                on_progress=on_progress,
            ),
        )

    def follow_operations(
        self,
        operation_ids: Iterable[str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_progress: PoolProgress | None = None,
    ) -> Iterator[Report]:
        """Follow operations started earlier; see ``AsyncTolokaClient.follow_operations``,
        which this runs on a background event loop."""
        twin = self._async_twin()
        return self._iterate(
            twin,
            twin.follow_operations(
                operation_ids, concurrency=concurrency, timeout=timeout, on_progress=on_progress
            ),
        )

    def archive_project(
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
        """Archive the project's pools, then their trainings, then the project; see
        ``AsyncTolokaClient.archive_project``, which this runs on a background event loop."""
        from toloka_archive._clients.bridge import call_in_background

        twin = self._async_twin()
        return call_in_background(
            twin.archive_project(
                project_id,
                concurrency=concurrency,
                timeout=timeout,
                dry_run=dry_run,
                close_open=close_open,
                include_editing=include_editing,
                on_report=on_report,
                on_begin=on_begin,
                on_started=on_started,
                on_progress=on_progress,
                on_project_started=on_project_started,
            ),
            twin.aclose,
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
    ) -> Iterator[Operation]:
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
    ) -> Iterator[Pool]:
        """The pools matching every filter; see ``AsyncTolokaClient.find_pools``."""
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
    ) -> Iterator[Training]:
        """The trainings matching every filter; see ``AsyncTolokaClient.find_trainings``."""
        selection = PoolSelection(
            project_id=project_id,
            status=status,
            created_before=created_before,
            last_started_before=last_started_before,
            idle_since=idle_since,
        )
        return self._list(trainings_listing(selection))

    # The driver.

    def _check(self, subject: Subject, subject_id: str, consent: bool) -> Archivability:
        return self._run(preflight_flow(subject, subject_id, self._core.context, consent=consent))

    def _read(self, subject: Subject, subject_id: str) -> Record:
        return self._run(record_flow(subject, subject_id, self._core.context))

    def _start(self, kind: OperationKind, subject_id: object) -> OperationHandle:
        job = self._core.job(kind, subject_id)
        started = self._run(start_flow(job, self._core.context))
        return self._handle(job, started.operation, reconciled=started.reconciled)

    def _async_twin(self) -> AsyncTolokaClient:
        """An async client with this one's settings, clock and throttle, over its transport:
        bulk work runs on the async engine, on a background loop (see ``bridge``)."""
        from toloka_archive._clients.async_client import async_twin  # asyncio only when needed
        from toloka_archive._clients.bridge import async_transport_for

        return async_twin(self._core, async_transport_for(self._transport))

    @staticmethod
    def _iterate(twin: AsyncTolokaClient, reports: AsyncIterator[Report]) -> Iterator[Report]:
        """``reports`` of the twin's engine, one at a time, as the caller asks for them."""
        from toloka_archive._clients.bridge import iterate_in_background

        return iterate_in_background(reports, twin.aclose)

    def _list(self, listing: Listing[Q, I]) -> Iterator[I]:
        """Read ``listing`` a page at a time, yielding the items it keeps."""
        pager = Pager(listing)
        while (page := pager.next_page()) is not None:
            yield from self._run(page(self._core.context))

    def _handle(
        self, job: Job | None, operation: Operation | None, *, reconciled: bool = False
    ) -> OperationHandle:
        return OperationHandle(
            job, operation, context=self._core.context, run=self._run, reconciled=reconciled
        )

    def _run(self, flow: Flow[T]) -> T:
        return run_sync(flow, self._send, self._core.context.clock.sleep)

    def _send(self, request: Request) -> httpx.Response:
        # params=None, not (): an empty tuple still makes httpx rebuild the URL.
        outgoing = self._http.build_request(
            request.method, request.url, params=request.params or None
        )
        response = self._http.send(outgoing, stream=True)
        try:
            return read_capped(response)
        finally:
            response.close()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
