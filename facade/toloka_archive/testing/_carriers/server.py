"""The fake on a real socket: a small asyncio HTTP/1.1 server on loopback.

HTTP framing is left to h11 (already installed as a dependency of httpx), so keep-alive,
pipelining, ``Connection: close``, HEAD and malformed requests are handled by a proven parser;
each parsed request goes to the same core as the in-process transports. One event loop serves
every connection; a ``slow`` fault holds back only its own connection (a timer, not a sleeping
thread), a ``disconnect`` (or ``drop_after_commit``) fault closes the socket without a byte, and
a ``timeout_after_commit`` fault keeps the connection silent until the client gives up (closes
it) or the fault's ``delay`` has passed, and then closes it.

The server keeps up with clients that misbehave:

- a connection on which the client sends nothing for ``idle_timeout`` seconds (default 30) is
  closed, whether it is idle between requests (keep-alive) or stopped in the middle of one; a
  connection waiting for an answer the fake holds back is not idle;
- a request head (request line and header fields) must arrive whole within ``header_timeout``
  seconds (default 10) of its first byte, however the client spaces its bytes out (one header
  line every few seconds keeps a connection from being idle, not from this deadline); a head
  still incomplete then is answered ``408`` and the connection closed;
- a request whose head (request line and header fields, as parsed) is larger than
  `MAX_HEADER_BYTES` is answered ``431`` and the connection closed, however the bytes arrive:
  in one piece, in many small ones, or as many small headers;
- when the process runs out of file descriptors (``EMFILE``; the system, ``ENFILE``; or memory
  for sockets, ``ENOBUFS``/``ENOMEM``; or accepting fails in any other way that is not about
  one lost connection), a new connection cannot be accepted: the server stops accepting for a
  short pause (0.05 s, doubling to 1 s while the failures go on), serving the connections it
  has meanwhile, and logs one warning for the whole burst of failures rather than one per
  attempt (asyncio's own accept loop logs a traceback per attempt, thousands a second). New
  connections wait in the listening queue and are taken as soon as descriptors free up.

`LoopbackServer` is the asyncio server itself (``python -m toloka_archive.testing`` runs it in the
main thread); `serve` runs one in a background thread for tests and benchmarks, as a context
manager that stops it and joins the thread on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import http
import json
import logging
import socket
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

import h11

from toloka_archive.testing._carriers.wire import JSON_CONTENT_TYPE, Handler, Reply
from toloka_archive.testing._world import validation as check

logger = logging.getLogger("toloka_archive.testing")

BACKLOG = 1024
MAX_HEADER_BYTES = 64 * 1024
"""The largest request head accepted: request line and header fields, as parsed."""
DEFAULT_IDLE_TIMEOUT = 30.0
"""Seconds a connection may stay silent (between requests or within one) before it is closed."""
DEFAULT_HEADER_TIMEOUT = 10.0
"""Seconds a request head may take to arrive whole, from its first byte to the blank line that
ends it (a slowloris client sends a header line every few seconds and never ends the head)."""
ACCEPT_BATCH = 128
"""At most this many connections are accepted each time the listening socket is ready, so that
a flood of new connections cannot starve the open ones."""
ACCEPT_PAUSE_FIRST = 0.05
ACCEPT_PAUSE_MAX = 1.0
"""When accepting fails for want of resources, the server stops accepting for a pause that
starts at `ACCEPT_PAUSE_FIRST` seconds and doubles, up to `ACCEPT_PAUSE_MAX`, while the failures
go on; an accepted connection resets it."""
ACCEPT_BURST_QUIET = 5.0
"""A burst of accept failures ends this many seconds after its last failure (longer than the
longest pause, so a burst that goes on is never cut in two): one warning when a burst begins,
one info line with its count when it ends."""
_TRY_NEXT = frozenset(
    getattr(errno, name)
    for name in (
        # The connection at the head of the queue was lost before it was accepted (Linux
        # passes on the network errors pending on it): the next one may be fine.
        "ECONNABORTED",
        "EPROTO",
        "EPERM",
        "ENETDOWN",
        "ENETUNREACH",
        "ENONET",
        "ENOPROTOOPT",
        "EHOSTDOWN",
        "EHOSTUNREACH",
        "EOPNOTSUPP",
    )
    if hasattr(errno, name)
)
LINGER_SECONDS = 2.0
"""After refusing a request it could not read, how long the server keeps reading (and dropping)
what the client still sends, so that closing does not reset the connection before the client
has read the refusal; less if the idle timeout is shorter."""


def _static_error(status: int, code: str, message: str) -> Reply:
    # For failures outside the core (a malformed request, a bug): no request id from the
    # seeded sequence, so that such an event does not shift the ids of later answers.
    body = json.dumps(
        {"request_id": "fake-server", "code": code, "message": message}, separators=(",", ":")
    ).encode()
    headers = (
        ("content-type", JSON_CONTENT_TYPE),
        ("content-length", str(len(body))),
        ("connection", "close"),
    )
    return Reply(status=status, headers=headers, body=body)


_MALFORMED = _static_error(400, "VALIDATION_ERROR", "Malformed HTTP request")
_TOO_LARGE = _static_error(
    431,
    "REQUEST_HEADER_FIELDS_TOO_LARGE",
    f"The request line and headers exceed {MAX_HEADER_BYTES} bytes",
)
_CRASHED = _static_error(500, "INTERNAL_ERROR", "The fake failed to answer; see its log")


@functools.cache
def _head_too_slow(header_timeout: float) -> Reply:
    return _static_error(
        408,
        "REQUEST_TIMEOUT",
        f"The request line and headers did not arrive within {header_timeout:g} seconds",
    )


def _head_size(request: h11.Request) -> int:
    """The bytes of a request head as h11 parsed it: ``METHOD SP target SP HTTP/1.1 CRLF``,
    ``name: value CRLF`` for each field, and the final CRLF."""
    size = len(request.method) + len(request.target) + len(b"  HTTP/1.1\r\n\r\n")
    return size + sum(len(name) + len(value) + 4 for name, value in request.headers)


@functools.cache
def _reason(status: int) -> bytes:
    try:
        return http.HTTPStatus(status).phrase.encode("ascii")
    except ValueError:
        return b""


class _Connection(asyncio.Protocol):
    """One client connection: bytes in, h11 events, the core, bytes out."""

    def __init__(
        self,
        handler: Handler,
        connections: set[_Connection],
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    ) -> None:
        self._handler = handler
        self._connections = connections
        self._idle_timeout = idle_timeout
        self._header_timeout = header_timeout
        # h11 refuses an incomplete head that grows past the limit (a head sent in pieces);
        # `_advance` checks the size of every complete one (a head sent in one piece).
        self._h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEADER_BYTES)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._transport: asyncio.Transport | None = None
        self._request: h11.Request | None = None
        # A reply held back by a slow fault, or the end of a silence (timeout_after_commit).
        self._pending: asyncio.TimerHandle | None = None
        self._silent = False
        self._idle: asyncio.TimerHandle | None = None
        # The deadline of the request head being received, from its first byte on.
        self._head_deadline: asyncio.TimerHandle | None = None
        self._linger: asyncio.TimerHandle | None = None
        self._last_seen = 0.0  # loop time of the last bytes in or out
        self._closing = False  # once we hang up, whatever else the client sends is ignored

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._connections.add(self)
        self._loop = asyncio.get_running_loop()
        self._last_seen = self._loop.time()
        self._idle = self._loop.call_later(self._idle_timeout, self._check_idle)

    def connection_lost(self, exc: Exception | None) -> None:
        for timer in (self._pending, self._idle, self._head_deadline, self._linger):
            if timer is not None:
                timer.cancel()
        self._pending = self._idle = self._head_deadline = self._linger = None
        self._transport = None
        self._connections.discard(self)

    def _check_idle(self) -> None:
        """Close the connection if the client has sent nothing for the idle timeout.

        One timer per connection, moved on lazily: bytes only note the time they came, and the
        timer, when it fires, sleeps again for whatever is left.
        """
        self._idle = None
        loop = self._loop
        if loop is None or self._transport is None or self._closing:
            return
        if self._pending is not None:  # the client is waiting for us, not idle
            remaining = self._idle_timeout
        else:
            remaining = self._last_seen + self._idle_timeout - loop.time()
            if remaining <= 0:
                self._close()
                return
        self._idle = loop.call_later(remaining, self._check_idle)

    def _watch_head(self) -> None:
        """Start the head's deadline when part of a request head is in (once per head)."""
        if self._head_deadline is not None or self._loop is None:
            return
        if self._h11.their_state is not h11.IDLE or not self._h11.trailing_data[0]:
            return  # no request head begun: waiting for one is the idle timeout's business
        self._head_deadline = self._loop.call_later(self._header_timeout, self._head_too_slow)

    def _head_seen(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        """The head's deadline passed before its end: answer 408 (nothing else is in flight on
        the connection while a head is being read) and hang up."""
        self._head_deadline = None
        if self._transport is None or self._closing:
            return
        self._write_raw(_head_too_slow(self._header_timeout))

    def data_received(self, data: bytes) -> None:
        if self._closing:
            return
        if self._loop is not None:
            self._last_seen = self._loop.time()
        try:
            self._h11.receive_data(data)
        except RuntimeError:  # bytes after the connection was already finished
            self.abort()
            return
        self._advance()

    def eof_received(self) -> bool | None:
        if self._closing:  # the client has read our last word and hung up too
            return None
        try:
            self._h11.receive_data(b"")
        except RuntimeError:
            return None
        self._advance()
        # Keep the socket open while a delayed answer is still to be written; a silence ends
        # when the client gives up, so its end of the connection closes ours.
        return True if self._pending is not None and not self._silent else None

    def abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()

    def _close(self) -> None:
        self._closing = True
        if self._transport is not None:
            self._transport.close()

    def _advance(self) -> None:
        """Handle every complete request buffered so far, one at a time, in order.

        A loop, not recursion, so that a client pipelining thousands of requests in one write
        cannot exhaust the stack; a held-back answer resumes it from its timer.
        """
        while self._pending is None and self._transport is not None and not self._closing:
            try:
                event = self._h11.next_event()
            except h11.RemoteProtocolError as error:
                # 431: an incomplete head already longer than the limit.
                self._write_raw(_TOO_LARGE if error.error_status_hint == 431 else _MALFORMED)
                return
            if event is h11.NEED_DATA:
                self._watch_head()
                return
            if event is h11.PAUSED:
                return
            if isinstance(event, h11.Request):
                self._head_seen()
                if _head_size(event) > MAX_HEADER_BYTES:
                    self._write_raw(_TOO_LARGE)
                    return
                self._request = event
            elif isinstance(event, h11.EndOfMessage):
                reply = self._answer()
                if reply.delay > 0:
                    loop = asyncio.get_running_loop()
                    self._pending = loop.call_later(reply.delay, self._deliver_late, reply)
                    return
                if not self._deliver(reply):
                    return
            elif isinstance(event, h11.ConnectionClosed):
                self._close()
                return
            # h11.Data: a request body; no endpoint of the fake reads one.

    def _answer(self) -> Reply:
        request = self._request
        assert request is not None
        raw_path, _, raw_query = request.target.partition(b"?")
        headers = {
            name.decode("latin-1"): value.decode("latin-1") for name, value in request.headers
        }
        try:
            return self._handler(
                request.method.decode("ascii"),
                raw_path.decode("latin-1"),
                raw_query.decode("latin-1"),
                headers,
            )
        except Exception:
            logger.exception("the fake Toloka failed to answer a request")
            return _CRASHED

    def _deliver_late(self, reply: Reply) -> None:
        self._pending = None
        if self._deliver(reply):
            self._advance()

    def _deliver(self, reply: Reply) -> bool:
        """Write the answer; True if the connection stays open for the next request."""
        transport = self._transport
        if transport is None or self._closing:
            return False
        if reply.disconnect:
            self._close()
            return False
        if reply.silence is not None:
            loop = asyncio.get_running_loop()
            self._silent = True
            self._pending = loop.call_later(reply.silence, self._end_silence)
            return False
        request = self._request
        head = h11.Response(
            status_code=reply.status, headers=list(reply.headers), reason=_reason(reply.status)
        )
        chunks = [self._h11.send(head)]
        if reply.body and request is not None and request.method != b"HEAD":
            chunks.append(self._h11.send(h11.Data(data=reply.body)))
        chunks.append(self._h11.send(h11.EndOfMessage()))
        transport.write(b"".join(chunks))
        if self._loop is not None:
            self._last_seen = self._loop.time()
        if self._h11.our_state is h11.MUST_CLOSE:
            self._close()
            return False
        self._h11.start_next_cycle()
        self._request = None
        return True

    def _end_silence(self) -> None:
        self._pending = None
        self._close()

    def _write_raw(self, reply: Reply) -> None:
        """Answer a request h11 could not read, bypassing h11's state machine, and hang up.

        The client may still be sending (the rest of a huge head): closing a socket with
        unread bytes resets the connection, and the client could lose the answer with it. So
        the server stops writing (FIN), drops whatever still comes, and closes when the client
        does, or after `LINGER_SECONDS` at the most.
        """
        transport = self._transport
        if transport is None or self._closing:
            return
        lines = [f"HTTP/1.1 {reply.status} {_reason(reply.status).decode()}"]
        lines += [f"{name}: {value}" for name, value in reply.headers]
        transport.write("\r\n".join(lines).encode() + b"\r\n\r\n" + reply.body)
        self._closing = True
        if not transport.can_write_eof() or self._loop is None:
            transport.close()
            return
        transport.write_eof()
        linger = min(LINGER_SECONDS, self._idle_timeout)
        self._linger = self._loop.call_later(linger, self.abort)


def check_idle_timeout(owner: str, value: object) -> float:
    return check.number(owner, "idle_timeout", value, allow_minimum=False)


def check_header_timeout(owner: str, value: object) -> float:
    return check.number(owner, "header_timeout", value, allow_minimum=False)


def check_port(owner: str, value: object) -> int:
    # getaddrinfo takes a port modulo 65536: 70000 would quietly listen on 4464.
    port = check.integer(owner, "port", value)
    if port > 65535:
        raise check.FieldError(owner, "port", f"must be <= 65535, got {port!r}")
    return port


def _bind(host: str, port: int) -> socket.socket:
    # One socket, bound here rather than by asyncio: for port 0, a host with several addresses
    # ("localhost") would otherwise get a different free port on each of them.
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except BaseException:
        sock.close()
        raise
    return sock


class LoopbackServer:
    """The asyncio HTTP server. Start it with `LoopbackServer.start` inside a running loop.

    It accepts connections itself rather than through ``loop.create_server``, to get through
    running out of file descriptors (see the module's notes); on an event loop that cannot watch
    a socket (Windows' proactor loop) it falls back to asyncio's server.
    """

    def __init__(
        self,
        sock: socket.socket,
        protocol: Callable[[], _Connection],
        connections: set[_Connection],
    ) -> None:
        self._loop = asyncio.get_running_loop()
        self._socket = sock
        self._protocol = protocol
        self._connections = connections
        # The one call that accepts a connection: a seam, so that a test can make it fail.
        self._accept: Callable[[], tuple[socket.socket, Any]] = sock.accept
        self._fallback: asyncio.Server | None = None
        self._starting: set[asyncio.Task[Any]] = set()  # accepted, transport not made yet
        self._closed = False
        self._watching = False
        self._pause = ACCEPT_PAUSE_FIRST
        self._resume: asyncio.TimerHandle | None = None
        self._burst: _Burst | None = None
        host, port = sock.getsockname()[:2]
        self.host: str = host
        self.port: int = port

    @classmethod
    async def start(
        cls,
        handler: Handler,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    ) -> LoopbackServer:
        """Listen on ``host:port`` (0: a free port). ``idle_timeout``: seconds a connection may
        stay silent, between requests or in the middle of one, before it is closed;
        ``header_timeout``: seconds a request head may take from its first byte to its end."""
        owner = "LoopbackServer.start"
        idle_timeout = check_idle_timeout(owner, idle_timeout)
        header_timeout = check_header_timeout(owner, header_timeout)
        port = check_port(owner, port)
        connections: set[_Connection] = set()

        def protocol() -> _Connection:
            return _Connection(handler, connections, idle_timeout, header_timeout)

        sock = _bind(host, port)
        try:
            server = cls(sock, protocol, connections)
            await server._listen()
        except BaseException:
            sock.close()
            raise
        return server

    async def _listen(self) -> None:
        self._socket.listen(BACKLOG)
        self._socket.setblocking(False)
        try:
            self._loop.add_reader(self._socket, self._on_readable)
        except NotImplementedError:
            self._fallback = await self._loop.create_server(
                self._protocol, sock=self._socket, backlog=BACKLOG
            )
            return
        self._watching = True

    @property
    def url(self) -> str:
        """The base URL clients use, e.g. ``http://127.0.0.1:54321/api/v1``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/api/v1"

    def _on_readable(self) -> None:
        for _ in range(ACCEPT_BATCH):
            try:
                connection, _ = self._accept()
            except (BlockingIOError, InterruptedError):
                return  # nobody else is waiting (or a signal came): wait for the next one
            except OSError as error:
                if error.errno in _TRY_NEXT:
                    continue
                self._pause_accepting(error)
                return
            self._pause = ACCEPT_PAUSE_FIRST
            self._open(connection)

    def _open(self, connection: socket.socket) -> None:
        try:
            connection.setblocking(False)
            made = self._loop.connect_accepted_socket(self._protocol, sock=connection)
        except BaseException:
            connection.close()
            raise
        task = self._loop.create_task(made)
        self._starting.add(task)
        task.add_done_callback(functools.partial(self._opened, connection))

    def _opened(self, connection: socket.socket, task: asyncio.Task[Any]) -> None:
        self._starting.discard(task)
        if task.cancelled() or task.exception() is not None:
            connection.close()  # the connection is lost; the server goes on

    def _pause_accepting(self, error: OSError) -> None:
        """Stop accepting for a while: on Linux the listening socket stays ready while the
        process has no descriptor left, so watching it would spin (and log) without end."""
        if self._watching:
            self._loop.remove_reader(self._socket)
            self._watching = False
        now = self._loop.time()
        if self._burst is None:
            self._burst = _Burst(self._loop, now, self._end_burst)
            logger.warning(
                "cannot accept new connections (%s): they wait in the queue, the open ones are "
                "served, and accepting is tried again after pauses of up to %g s (logged once "
                "per burst)",
                _describe(error),
                ACCEPT_PAUSE_MAX,
            )
        self._burst.failed(now)
        self._resume = self._loop.call_later(self._pause, self._resume_accepting)
        self._pause = min(self._pause * 2, ACCEPT_PAUSE_MAX)

    def _resume_accepting(self) -> None:
        self._resume = None
        if not self._closed and not self._watching:
            self._loop.add_reader(self._socket, self._on_readable)
            self._watching = True

    def _end_burst(self) -> None:
        burst, self._burst = self._burst, None
        self._pause = ACCEPT_PAUSE_FIRST
        if burst is not None:
            logger.info(
                "accepting connections again: %d attempts failed over %.1f s",
                burst.failures,
                burst.last - burst.began,
            )

    async def aclose(self) -> None:
        """Stop listening and drop every open connection (pending slow answers included)."""
        self._closed = True
        if self._watching:
            self._loop.remove_reader(self._socket)
            self._watching = False
        if self._resume is not None:
            self._resume.cancel()
            self._resume = None
        if self._burst is not None:
            self._burst.cancel()
            self._burst = None
        if self._fallback is not None:
            self._fallback.close()
        else:
            self._socket.close()
        # Connections accepted a moment ago get their transport within a loop iteration or two.
        if self._starting:
            await asyncio.gather(*self._starting, return_exceptions=True)
        for connection in list(self._connections):
            connection.abort()
        if self._fallback is not None:
            await self._fallback.wait_closed()
        # Let the transports run their connection_lost callbacks before the loop goes away.
        while self._connections:
            await asyncio.sleep(0)


class _Burst:
    """Accept failures that follow one another closely: counted, and ended by a quiet spell."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, now: float, end: Callable[[], None]
    ) -> None:
        self._loop = loop
        self._end = end
        self.began = self.last = now
        self.failures = 0
        self._timer: asyncio.TimerHandle | None = None

    def failed(self, now: float) -> None:
        self.failures += 1
        self.last = now
        self.cancel()
        self._timer = self._loop.call_later(ACCEPT_BURST_QUIET, self._end)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _describe(error: OSError) -> str:
    name = errno.errorcode.get(error.errno or 0)
    reason = error.strerror or str(error)
    return f"{name}: {reason}" if name else reason


class FakeServer:
    """A `LoopbackServer` running in a background thread; see `serve`."""

    def __init__(
        self,
        handler: Handler,
        host: str,
        port: int,
        *,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    ) -> None:
        self._handler = handler
        self._host = host
        self._port = check_port("FakeServer", port)
        self._idle_timeout = check_idle_timeout("FakeServer", idle_timeout)
        self._header_timeout = check_header_timeout("FakeServer", header_timeout)
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._server: LoopbackServer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._main(),), name="toloka-fake-server", daemon=True
        )
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            self._thread.join()
            raise self._error

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            self._server = await LoopbackServer.start(
                self._handler,
                self._host,
                self._port,
                idle_timeout=self._idle_timeout,
                header_timeout=self._header_timeout,
            )
        except BaseException as error:
            self._error = error
            return
        finally:
            self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await self._server.aclose()

    @property
    def url(self) -> str:
        assert self._server is not None
        return self._server.url

    @property
    def host(self) -> str:
        assert self._server is not None
        return self._server.host

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.port

    def close(self) -> None:
        """Stop the server and wait for its thread to end. Calling it again does nothing."""
        if not self._thread.is_alive():
            return
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                loop.call_soon_threadsafe(stop.set)
        self._thread.join()

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "running" if self._thread.is_alive() else "closed"
        return f"<FakeServer {self.url} {state}>"
