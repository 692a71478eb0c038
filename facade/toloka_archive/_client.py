"""``TolokaClient``: archive pools with blocking calls.

The client is thin: ``_ClientCore`` holds the settings, the flows in ``_polling`` and
``_preflight`` decide everything, and this class only drives them with blocking I/O. asyncio is
imported only when bulk archiving needs it, so a plain blocking user never pays for it.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx

from toloka_archive import _polling
from toloka_archive._client_core import (
    DEFAULT_CONCURRENCY,
    DEFAULT_HTTP_TIMEOUT,
    _ClientBase,
    _ClientCore,
    pool_id_of,
)
from toloka_archive._environment import Environment
from toloka_archive._flow import Flow, Request, Runtime, run_sync
from toloka_archive._ids import normalize_operation_id, normalize_pool_id
from toloka_archive._operation import DEFAULT_TIMEOUT, ArchiveOperation, ArchiveResult, Timeout
from toloka_archive._policies import PollPolicy, RetryPolicy
from toloka_archive._polling import ProgressCallback
from toloka_archive._preflight import Archivability, preflight_flow

if TYPE_CHECKING:
    from toloka_archive._bulk import PoolProgress, PoolReport, PoolStarted

T = TypeVar("T")


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
        return ArchiveOperation(self, pool_id_of(operation), operation)

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
        import asyncio  # only bulk work needs an event loop

        from toloka_archive._async_client import AsyncTolokaClient
        from toloka_archive._sync_bridge import ThreadedTransport, iterate_in_background

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
        # params=None, not (): an empty tuple still makes httpx rebuild the URL.
        return self._http.request(request.method, request.url, params=request.params or None)

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
