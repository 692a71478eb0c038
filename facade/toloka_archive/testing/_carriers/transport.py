"""In-process httpx transports: the fake with no sockets, for unit tests.

``httpx.Client(transport=fake.transport(), base_url="http://fake.toloka/api/v1")`` (or the
generated client with ``httpx_args={"transport": ...}``) talks to the fake directly. A
``disconnect`` or ``drop_after_commit`` fault raises the same `httpx.RemoteProtocolError` httpx
raises when a real server hangs up; a ``timeout_after_commit`` fault raises `httpx.ReadTimeout`
at once (no time passes: the transport does not wait out the client's timeout); and a ``slow``
fault calls the injected ``sleep`` (by default `time.sleep` / `asyncio.sleep`; pass
``clock.sleep`` / ``clock.async_sleep`` of a `ManualClock` to let the fake's time pass instead,
or a recorder to see what was asked).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx

from toloka_archive.testing._carriers.wire import Handler, Reply

DISCONNECTED_MESSAGE = "Server disconnected without sending a response."
TIMED_OUT_MESSAGE = "timed out"  # what httpx says when a read times out on a real socket


def _call(handler: Handler, request: httpx.Request) -> Reply:
    raw_path, _, raw_query = request.url.raw_path.partition(b"?")
    headers = {name.lower(): value for name, value in request.headers.items()}
    return handler(request.method, raw_path.decode("ascii"), raw_query.decode("ascii"), headers)


def _response(reply: Reply, request: httpx.Request) -> httpx.Response:
    if reply.disconnect:
        raise httpx.RemoteProtocolError(DISCONNECTED_MESSAGE, request=request)
    if reply.silence is not None:
        raise httpx.ReadTimeout(TIMED_OUT_MESSAGE, request=request)
    # A stream (not ``content=``) keeps httpx from adding headers of its own: the in-process
    # answer carries exactly the headers the loopback server sends.
    return httpx.Response(
        reply.status,
        headers=list(reply.headers),
        stream=httpx.ByteStream(reply.body),
        request=request,
    )


class FakeTransport(httpx.BaseTransport):
    """A synchronous httpx transport answered by a fake Toloka."""

    def __init__(self, handler: Handler, sleep: Callable[[float], object] | None = None) -> None:
        self._handler = handler
        self._sleep = time.sleep if sleep is None else sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        reply = _call(self._handler, request)
        if reply.delay > 0:
            self._sleep(reply.delay)
        return _response(reply, request)


class AsyncFakeTransport(httpx.AsyncBaseTransport):
    """An asynchronous httpx transport answered by a fake Toloka."""

    def __init__(
        self, handler: Handler, sleep: Callable[[float], Awaitable[object]] | None = None
    ) -> None:
        self._handler = handler
        self._sleep = asyncio.sleep if sleep is None else sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        reply = _call(self._handler, request)
        if reply.delay > 0:
            await self._sleep(reply.delay)
        return _response(reply, request)
