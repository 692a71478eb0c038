"""Running the async bulk engine behind a blocking iterator.

Bulk archiving is written once, for asyncio. ``TolokaClient.archive_pools`` runs it on an event
loop in a background thread and hands each report over as the caller asks for it, so the sync
API gets the same concurrency, back-off and ordering with no second implementation.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TypeVar

import httpx

T = TypeVar("T")


def iterate_in_background(
    items: AsyncIterator[T], close: Callable[[], Awaitable[None]]
) -> Iterator[T]:
    """Yield what ``items`` yields, driving it on a private loop; ``close`` runs at the end.

    Leaving the loop early (``break``, an exception, Ctrl-C in the caller's thread) closes the
    async iterator, which cancels its workers, before the loop and its thread stop.
    """
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="toloka-archive-bulk", daemon=True)
    thread.start()

    async def step() -> T:
        return await items.__anext__()

    async def finish() -> None:
        try:
            aclose = getattr(items, "aclose", None)
            if aclose is not None:
                await aclose()
        finally:
            await close()

    try:
        while True:
            try:
                item = asyncio.run_coroutine_threadsafe(step(), loop).result()
            except StopAsyncIteration:
                return
            yield item
    finally:
        try:
            asyncio.run_coroutine_threadsafe(finish(), loop).result()
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()


def call_in_background(call: Awaitable[T], close: Callable[[], Awaitable[None]]) -> T:
    """The result of ``call``, awaited on a private loop like ``iterate_in_background``'s."""

    async def once() -> AsyncIterator[T]:
        yield await call

    (result,) = iterate_in_background(once(), close)
    return result


class ThreadedTransport(httpx.AsyncBaseTransport):
    """An async face on a blocking transport: each request runs in a worker thread."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await asyncio.to_thread(self._handle, request)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        try:
            content = response.read()
        finally:
            response.close()
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            content=content,
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await asyncio.to_thread(self._inner.close)


def async_transport_for(
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None,
) -> httpx.AsyncBaseTransport | None:
    """The transport a blocking client's bulk work runs on: its own, given an async face.

    None keeps httpx's default async transport.
    """
    if transport is None or isinstance(transport, httpx.AsyncBaseTransport):
        return transport
    return ThreadedTransport(transport)
