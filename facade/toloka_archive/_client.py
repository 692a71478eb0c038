"""``TolokaClient`` and ``AsyncTolokaClient``: the entry points services use.

Both are thin: ``_ClientCore`` resolves the settings once (environment, credentials, policies,
the generated low-level client), the flows in ``_polling`` decide everything, and each client
only supplies its driver, blocking or asyncio.
"""

from __future__ import annotations

import asyncio
import copy
import os
import time
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
)
from dataclasses import replace
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
from toloka_api import Client as RawClient
from toloka_api.models import Operation, OperationParameters

from toloka_archive import _polling
from toloka_archive._bulk import (
    PoolProgress,
    PoolReport,
    PoolStarted,
    archive_one,
    check_one,
    run_many,
)
from toloka_archive._context import FlowContext
from toloka_archive._environment import (
    Environment,
    resolve_credentials,
    resolve_target,
)
from toloka_archive._flow import Flow, Request, Runtime, run_async, run_sync
from toloka_archive._ids import normalize_operation_id, normalize_pool_id
from toloka_archive._operation import (
    DEFAULT_TIMEOUT,
    ArchiveOperation,
    ArchiveResult,
    AsyncArchiveOperation,
    Timeout,
)
from toloka_archive._policies import PollPolicy, RetryPolicy
from toloka_archive._polling import ProgressCallback
from toloka_archive._preflight import Archivability, preflight_flow
from toloka_archive._sync_bridge import ThreadedTransport, iterate_in_background
from toloka_archive._version import __version__

T = TypeVar("T")

USER_AGENT = f"toloka-archive/{__version__}"
DEFAULT_HTTP_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEFAULT_CONCURRENCY = 8


class _ClientCore:
    """Settings shared by the sync and async clients, resolved once and checked up front."""

    def __init__(
        self,
        *,
        api_key: str | None,
        oauth_token: str | None,
        environment: Environment | str | None,
        base_url: str | None,
        retry: RetryPolicy | None,
        max_retries: int | None,
        poll: PollPolicy | None,
        http_timeout: float | httpx.Timeout,
        env: Mapping[str, str] | None,
        runtime: Runtime | None,
        httpx_args: dict[str, Any],
    ) -> None:
        variables = os.environ if env is None else env
        target = resolve_target(base_url=base_url, environment=environment, env=variables)
        self.credentials = resolve_credentials(
            api_key=api_key, oauth_token=oauth_token, env=variables
        )
        self.base_url = target.base_url
        self.environment = target.environment
        retry = retry or RetryPolicy()
        self.context = FlowContext(
            retry=retry if max_retries is None else replace(retry, max_retries=max_retries),
            poll=poll or PollPolicy(),
            runtime=runtime or Runtime(),
        )
        self._timeout = (
            http_timeout if isinstance(http_timeout, httpx.Timeout) else httpx.Timeout(http_timeout)
        )
        self.raw = self._raw_client(httpx_args)

    def _raw_client(self, httpx_args: dict[str, Any]) -> RawClient:
        # The key travels as an httpx.Auth, never in a headers dict that a repr would print.
        return RawClient(
            base_url=self.base_url,
            headers={"User-Agent": USER_AGENT},
            timeout=self._timeout,
            follow_redirects=False,
            httpx_args={"auth": self.credentials, **httpx_args},
        )

    def twin(self, httpx_args: dict[str, Any]) -> _ClientCore:
        """The same settings and shared state (throttle, clocks) over another HTTP client."""
        twin = copy.copy(self)
        twin.raw = self._raw_client(httpx_args)
        return twin

    def describe(self, cls: type) -> str:
        where = self.environment.value if self.environment else "custom"
        return (
            f"{cls.__name__}(environment={where!r}, base_url={self.base_url!r}, "
            f"auth={self.credentials.scheme} ***)"
        )


def _pool_id_of(operation: Operation) -> str | None:
    parameters = operation.parameters
    if isinstance(parameters, OperationParameters) and isinstance(parameters.pool_id, str):
        return parameters.pool_id
    return None


class _ClientBase:
    """What both clients show of their settings."""

    _core: _ClientCore

    @property
    def environment(self) -> Environment | None:
        """The environment in use, or None for a custom base URL."""
        return self._core.environment

    @property
    def base_url(self) -> str:
        return self._core.base_url

    @property
    def raw(self) -> RawClient:
        """The generated ``toloka_api`` client, set up the same way, for calls of your own."""
        return self._core.raw

    def __repr__(self) -> str:
        return self._core.describe(type(self))


class TolokaClient(_ClientBase):
    """Archive Toloka pools with blocking calls.

    ``environment`` is ``"sandbox"`` (the default) or ``"production"``; ``base_url`` points
    anywhere else (a proxy, the fake Toloka). Credentials come from ``api_key`` /
    ``oauth_token`` or ``TOLOKA_API_KEY`` / ``TOLOKA_OAUTH_TOKEN``. ``transport`` plugs in any
    httpx transport, such as the fake's. ``sleep`` and ``runtime`` are for tests: they replace
    the pause between polls and the clocks and random source the flows read.
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
        http_timeout: float | httpx.Timeout = DEFAULT_HTTP_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        env: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
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
        self._transport = transport
        self._http = self._core.raw.get_httpx_client()

    def start_archive_pool(self, pool_id: str | int) -> ArchiveOperation:
        """Ask Toloka to archive a pool: one request (plus retries), no waiting."""
        pool = normalize_pool_id(pool_id)
        started = self._run(_polling.start_flow(pool, self._core.context))
        return ArchiveOperation(self, pool, started.operation)

    def archive_pool(
        self,
        pool_id: str | int,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> ArchiveResult:
        """Archive a pool and wait for the operation to end; see ``ArchiveOperation.wait``."""
        return self.start_archive_pool(pool_id).wait(timeout, on_progress=on_progress)

    def get_operation(self, operation_id: str) -> ArchiveOperation:
        """A handle on an operation started earlier, with its current snapshot."""
        operation_key = normalize_operation_id(operation_id)
        operation = self._run(_polling.fetch_flow(operation_key, self._core.context))
        return ArchiveOperation(self, _pool_id_of(operation), operation)

    def check_archivable(self, pool_id: str | int) -> Archivability:
        """The pre-flight: can the pool be archived now, and if not, why and from when."""
        pool = normalize_pool_id(pool_id)
        return self._run(preflight_flow(pool, self._core.context))

    def archive_pools(
        self,
        pool_ids: Iterable[object],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        wait: bool = True,
        timeout: Timeout = DEFAULT_TIMEOUT,
        dry_run: bool = False,
        on_started: PoolStarted | None = None,
        on_progress: PoolProgress | None = None,
    ) -> Iterator[PoolReport]:
        """Archive many pools; see ``AsyncTolokaClient.archive_pools``, which this runs.

        The async engine runs on a private event loop in a background thread, so the
        callbacks are called from that thread.
        """
        transport = self._transport
        twin_args: dict[str, Any] = {}
        if transport is not None:
            twin_args["transport"] = (
                transport
                if isinstance(transport, httpx.AsyncBaseTransport)
                else ThreadedTransport(transport)
            )
        sleep = self._sleep
        if sleep is time.sleep:
            async_sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep
        else:

            async def async_sleep(seconds: float) -> None:
                sleep(seconds)  # an injected test sleep: it only records and moves a fake clock

        twin = AsyncTolokaClient._from_core(self._core.twin(twin_args), async_sleep)
        reports = twin.archive_pools(
            pool_ids,
            concurrency=concurrency,
            wait=wait,
            timeout=timeout,
            dry_run=dry_run,
            on_started=on_started,
            on_progress=on_progress,
        )
        return iterate_in_background(reports, twin.aclose)

    def _run(self, flow: Flow[T]) -> T:
        return run_sync(flow, self._send, self._sleep)

    def _send(self, request: Request) -> httpx.Response:
        return self._http.request(request.method, request.url, params=request.params)

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
        return AsyncArchiveOperation(self, _pool_id_of(operation), operation)

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
        return await self._http.request(request.method, request.url, params=request.params)

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
