"""``AsyncTolokaClient``: the asyncio twin of ``TolokaClient``, and home of bulk archiving."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Mapping
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from toloka_archive import _polling
from toloka_archive._bulk import (
    PoolProgress,
    PoolReport,
    PoolStarted,
    archive_one,
    check_one,
    run_many,
)
from toloka_archive._client_core import (
    DEFAULT_CONCURRENCY,
    DEFAULT_HTTP_TIMEOUT,
    _ClientBase,
    _ClientCore,
    pool_id_of,
)
from toloka_archive._environment import Environment
from toloka_archive._flow import Flow, Request, Runtime, run_async
from toloka_archive._ids import normalize_operation_id, normalize_pool_id
from toloka_archive._operation import (
    DEFAULT_TIMEOUT,
    ArchiveResult,
    AsyncArchiveOperation,
    Timeout,
)
from toloka_archive._policies import PollPolicy, RetryPolicy
from toloka_archive._polling import ProgressCallback
from toloka_archive._preflight import Archivability, preflight_flow

T = TypeVar("T")


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
        http_timeout: float | httpx.Timeout = DEFAULT_HTTP_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        env: Mapping[str, str] | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        runtime: Runtime | None = None,
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
            runtime=runtime,
            httpx_args={} if transport is None else {"transport": transport},
        )
        self._sleep = sleep
        self._http = self._core.raw.get_async_httpx_client()

    async def start_archive_pool(self, pool_id: str | int) -> AsyncArchiveOperation:
        pool = normalize_pool_id(pool_id)
        started = await self._run(_polling.start_flow(pool, self._core.context))
        return AsyncArchiveOperation(self, pool, started.operation)

    async def archive_pool(
        self,
        pool_id: str | int,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> ArchiveResult:
        operation = await self.start_archive_pool(pool_id)
        return await operation.wait(timeout, on_progress=on_progress)

    async def get_operation(self, operation_id: str) -> AsyncArchiveOperation:
        operation_key = normalize_operation_id(operation_id)
        operation = await self._run(_polling.fetch_flow(operation_key, self._core.context))
        return AsyncArchiveOperation(self, pool_id_of(operation), operation)

    @classmethod
    def _from_core(
        cls, core: _ClientCore, sleep: Callable[[float], Awaitable[Any]]
    ) -> AsyncTolokaClient:
        client = cls.__new__(cls)
        client._core = core
        client._sleep = sleep
        client._http = core.raw.get_async_httpx_client()
        return client

    async def check_archivable(self, pool_id: str | int) -> Archivability:
        """The pre-flight: can the pool be archived now, and if not, why and from when."""
        pool = normalize_pool_id(pool_id)
        return await self._run(preflight_flow(pool, self._core.context))

    def archive_pools(
        self,
        pool_ids: Iterable[object] | AsyncIterable[object],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        wait: bool = True,
        timeout: Timeout = DEFAULT_TIMEOUT,
        dry_run: bool = False,
        on_started: PoolStarted | None = None,
        on_progress: PoolProgress | None = None,
    ) -> AsyncIterator[PoolReport]:
        """Archive many pools, ``concurrency`` at a time; yield a report as each one ends.

        Ids are read lazily and each distinct id is archived once. Every pool gets a report,
        whatever happened to it (``PoolReport.outcome``); only a rejected key
        (``AuthenticationError``) ends the run early. ``wait=False`` starts archiving and
        reports ``STARTED`` without waiting; ``dry_run=True`` runs only the pre-flight.
        ``on_started(pool_id, operation_id)`` is called as soon as an operation exists, and
        ``on_progress(pool_id, snapshot)`` with every snapshot while waiting.
        """

        async def work(pool_id: str) -> PoolReport:
            if dry_run:
                return await check_one(self, pool_id)
            return await archive_one(
                self,
                pool_id,
                wait=wait,
                timeout=timeout,
                on_started=on_started,
                on_progress=on_progress,
            )

        return run_many(pool_ids, work, concurrency)

    async def _run(self, flow: Flow[T]) -> T:
        return await run_async(flow, self._send, self._sleep)

    async def _send(self, request: Request) -> httpx.Response:
        return await self._http.request(request.method, request.url, params=request.params or None)

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
