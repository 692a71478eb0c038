"""The fake over real HTTP on loopback: started and stopped by fixtures, driven by a ManualClock."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import inspect
import json
import re
import socket
import threading
import time
from collections.abc import Iterator, Mapping

import httpx
import pytest
from toloka_archive.testing import (
    FakeServer,
    FakeToloka,
    Fault,
    ManualClock,
    Reply,
    Scenario,
    serve,
)
from toloka_archive.testing._carriers.server import (
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT,
    MAX_HEADER_BYTES,
    LoopbackServer,
    _Connection,
)

from tests.fake.script import DISCONNECTED, run_sync

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

KEY = {"Authorization": "ApiKey fake-api-key-0001"}
THREAD_NAME = "toloka-fake-server"


def server_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == THREAD_NAME]


def quick_scenario() -> Scenario:
    """The default scenario with its slow fault shortened: the server really waits."""
    scenario = Scenario.load(None)
    faults = tuple(
        dataclasses.replace(fault, delay=0.01) if fault.kind == "slow" else fault
        for fault in scenario.faults
    )
    return dataclasses.replace(scenario, faults=faults)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def fake(clock: ManualClock) -> FakeToloka:
    return FakeToloka.from_scenario(quick_scenario(), clock=clock)


@pytest.fixture
def server(fake: FakeToloka) -> Iterator[FakeServer]:
    before = len(server_threads())
    with serve(fake, host="127.0.0.1", port=0) as running:
        yield running
    assert len(server_threads()) == before, "the server thread outlived its fixture"


def test_plain_httpx_archives_and_polls_to_success_then_204(
    server: FakeServer, fake: FakeToloka, clock: ManualClock
) -> None:
    assert server.url == f"http://127.0.0.1:{server.port}/api/v1"
    with httpx.Client(base_url=server.url, headers=KEY) as client:
        started = client.post("/pools/100/archive")
        assert started.status_code == 202
        operation = started.json()
        assert operation["status"] == "PENDING"
        seen = []
        while operation["status"] not in ("SUCCESS", "FAIL"):
            clock.advance(0.5)  # the server reads the same clock: no waiting
            response = client.get(f"/operations/{operation['id']}")
            assert response.status_code == 200
            operation = response.json()
            seen.append(operation["status"])
        assert seen[-1] == "SUCCESS"
        assert "RUNNING" in seen
        assert operation["progress"] == 100
        again = client.post("/pools/100/archive")
        assert again.status_code == 204
        assert again.content == b""
    assert fake.pool("100").status == "ARCHIVED"


def test_server_answers_exactly_what_the_in_process_transport_answers(
    server: FakeServer, clock: ManualClock
) -> None:
    # A second fake with the same scenario and seed, reached in-process. Its slow fault must not
    # move its clock, as the server's real wait does not move the server's.
    twin_clock = ManualClock()
    twin = FakeToloka.from_scenario(quick_scenario(), clock=twin_clock)
    with httpx.Client(
        transport=twin.transport(sleep=lambda _: None), base_url="http://fake.toloka/api/v1"
    ) as client:
        in_process = run_sync(client, twin_clock.advance)

    with httpx.Client(base_url=server.url) as client:
        over_http = run_sync(client, clock.advance)
    assert DISCONNECTED in over_http
    assert over_http == in_process


def test_disconnect_closes_the_socket_without_an_answer(server: FakeServer) -> None:
    with httpx.Client(base_url=server.url, headers=KEY) as client:
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            client.post("/pools/114/archive")
        assert client.post("/pools/114/archive").status_code == 202


def test_many_concurrent_clients_on_keep_alive_connections(server: FakeServer) -> None:
    # One client per thread: a single httpx.Client shared by threads has races of its own in its
    # connection pool (a "Bad file descriptor" now and then, against any server).
    def work(index: int) -> list[int]:
        path = "/pools/101/archive" if index % 2 else "/pools/102/archive"
        with httpx.Client(base_url=server.url, headers=KEY) as client:
            return [client.post(path).status_code for _ in range(10)]

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(work, range(16)))
    assert [set(codes) for codes in results] == [{409}, {204}] * 8


def test_many_concurrent_async_requests_on_one_pool(server: FakeServer) -> None:
    async def go() -> list[int]:
        limits = httpx.Limits(max_connections=8)
        async with httpx.AsyncClient(base_url=server.url, headers=KEY, limits=limits) as client:
            responses = await asyncio.gather(
                *(client.post("/pools/101/archive") for _ in range(100))
            )
        return [response.status_code for response in responses]

    assert asyncio.run(go()) == [204] * 100


def test_slow_answer_holds_back_only_its_own_connection(clock: ManualClock) -> None:
    fake = FakeToloka.from_scenario(Scenario.load(None), clock=clock)
    fake.add_fault(Fault("slow", pool="105", delay=60.0))
    server = serve(fake)
    try:
        with (
            concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool,
            httpx.Client(base_url=server.url, headers=KEY) as slow_client,
            httpx.Client(base_url=server.url, headers=KEY) as other,
        ):
            slow = pool.submit(slow_client.post, "/pools/105/archive")
            assert other.post("/pools/101/archive").status_code == 204
            # Wait until the slow request has reached the fake (it is in the log): it is being
            # held back, and the other connection is still answered meanwhile.
            while not any(r.path.endswith("/105/archive") for r in fake.requests):
                assert other.post("/pools/101/archive").status_code == 204
            assert not slow.done()
            server.close()  # drops the pending answer: the client sees a hang-up
            with pytest.raises(httpx.RemoteProtocolError):
                slow.result()
    finally:
        server.close()
    assert not server_threads()


def test_malformed_request_gets_a_json_400_and_the_connection_closes(server: FakeServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        data = receive_all(sock)
        with contextlib.suppress(OSError):  # more bytes after the answer are ignored
            sock.sendall(b"MORE GARBAGE\r\n\r\n")
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"content-type: application/json" in head
    assert b'"code":"VALIDATION_ERROR"' in body


def test_a_crash_in_the_core_answers_500_and_the_server_keeps_serving(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[str] = []

    def broken(method: str, path: str, query: str, headers: Mapping[str, str]) -> Reply:
        calls.append(path)
        if len(calls) == 1:
            raise ZeroDivisionError("a bug")
        return Reply(status=204)

    with FakeServer(broken, "127.0.0.1", 0) as server, httpx.Client(base_url=server.url) as client:
        crashed = client.get("/pools/1")
        assert crashed.status_code == 500
        assert crashed.json()["code"] == "INTERNAL_ERROR"
        assert client.get("/pools/1").status_code == 204
    assert "failed to answer" in caplog.text


def test_pipelined_requests_are_answered_in_order(server: FakeServer) -> None:
    request = (
        b"POST /api/v1/pools/%s/archive HTTP/1.1\r\nHost: x\r\n"
        b"Authorization: ApiKey fake-api-key-0001\r\nContent-Length: 0\r\n\r\n"
    )
    closing = b"GET /api/v1/pools/101 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(request % b"101" + request % b"102" + closing)
        data = receive_all(sock)  # ends because the last request asked to close
    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", data)
    assert statuses == [b"204", b"409", b"401"]


def test_head_gets_405_without_a_body(server: FakeServer) -> None:
    with httpx.Client(base_url=server.url, headers=KEY) as client:
        response = client.head("/operations/x")
    assert response.status_code == 405
    assert response.content == b""


def test_busy_port_raises_in_the_caller_and_leaves_no_thread(server: FakeServer) -> None:
    fake = FakeToloka(clock=ManualClock())
    before = len(server_threads())
    with pytest.raises(OSError, match="in use"):
        serve(fake, port=server.port)
    assert len(server_threads()) == before


def test_close_is_idempotent_and_stops_listening(fake: FakeToloka) -> None:
    server = serve(fake)
    url = server.url
    server.close()
    server.close()
    assert "closed" in repr(server)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/pools/101", headers=KEY)


def receive_all(sock: socket.socket) -> bytes:
    sock.settimeout(10)
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


# -- keeping up: idle connections ---------------------------------------------------------------

IDLE = 0.05  # seconds; the tests below wait for "closed", never for "closed in time"
EVENTUALLY = 10.0  # a generous bound for "eventually", on a loaded machine


def closed_by_server(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (within `EVENTUALLY`)."""
    sock.settimeout(EVENTUALLY)
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def impatient(fake: FakeToloka) -> Iterator[FakeServer]:
    with serve(fake, idle_timeout=IDLE) as running:
        yield running


def test_a_connection_on_which_nothing_is_sent_is_closed(impatient: FakeServer) -> None:
    with socket.create_connection(("127.0.0.1", impatient.port)) as sock:
        assert closed_by_server(sock) == b""


def test_a_client_that_stops_in_the_middle_of_a_request_is_dropped(
    impatient: FakeServer,
) -> None:
    with socket.create_connection(("127.0.0.1", impatient.port)) as sock:
        sock.sendall(b"GET /api/v1/pools/101 HTTP/1.1\r\nHost: x\r\nAuthor")
        assert closed_by_server(sock) == b""


def test_an_idle_keep_alive_connection_is_closed_after_its_answer(
    impatient: FakeServer,
) -> None:
    request = (
        b"POST /api/v1/pools/101/archive HTTP/1.1\r\nHost: x\r\n"
        b"Authorization: ApiKey fake-api-key-0001\r\nContent-Length: 0\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", impatient.port)) as sock:
        sock.sendall(request)
        data = closed_by_server(sock)  # the answer, then the server hangs up: keep-alive idle
    assert re.findall(rb"HTTP/1\.1 (\d{3}) ", data) == [b"204"]
    assert b"connection: close" not in data.lower()  # it was kept alive, then dropped


def test_an_answer_held_back_is_not_idleness(fake: FakeToloka) -> None:
    # The answer comes later than the idle timeout: the connection waits for it all the same.
    fake.add_fault(Fault("slow", pool="101", delay=0.3))
    with (
        serve(fake, idle_timeout=0.1) as server,
        httpx.Client(base_url=server.url, headers=KEY) as client,
    ):
        assert client.post("/pools/101/archive").status_code == 204


def test_the_idle_timeout_is_checked_and_defaults_to_30_seconds(fake: FakeToloka) -> None:
    assert DEFAULT_IDLE_TIMEOUT == 30.0
    for call in (serve, FakeServer, LoopbackServer.start):
        assert inspect.signature(call).parameters["idle_timeout"].default == 30.0
    before = len(server_threads())
    for bad in (0, -1.0, float("inf"), "1"):
        with pytest.raises(ValueError, match=r"^FakeServer\.idle_timeout: "):
            serve(fake, idle_timeout=bad)  # type: ignore[arg-type]
    assert len(server_threads()) == before


# -- keeping up: the deadline of a request head -------------------------------------------------

HEAD_DEADLINE = 0.2  # seconds; long enough for a whole head sent at once on a loaded machine
PARTIAL_HEAD = b"GET /api/v1/pools/101 HTTP/1.1\r\nHost: x\r\n"
WHOLE_REQUEST = (
    b"GET /api/v1/pools/101 HTTP/1.1\r\nHost: x\r\nAuthorization: ApiKey fake-api-key-0001\r\n\r\n"
)


@pytest.fixture
def strict(fake: FakeToloka) -> Iterator[FakeServer]:
    # The idle timeout stays long: only the head's deadline can close these connections.
    with serve(fake, header_timeout=HEAD_DEADLINE) as running:
        yield running


def trickle_until_closed(sock: socket.socket, every: float = 0.02) -> bytes:
    """Send one more header line every ``every`` seconds, never the blank line that ends the
    head, until the server answers and hangs up (within `EVENTUALLY`); what it sent."""
    received = bytearray()
    deadline = time.monotonic() + EVENTUALLY
    sock.settimeout(every)
    line = 0
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):  # the server has stopped reading: it is closing
            sock.sendall(b"X-Slow-%d: one more\r\n" % line)
            line += 1
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            break
        if not chunk:
            break
        received += chunk
    else:
        raise AssertionError(f"the server did not hang up; it sent {bytes(received)[:100]!r}")
    return bytes(received)


def test_a_head_trickled_past_its_deadline_is_answered_408_and_closed(strict: FakeServer) -> None:
    with socket.create_connection(("127.0.0.1", strict.port)) as sock:
        began = time.monotonic()
        sock.sendall(PARTIAL_HEAD)
        data = trickle_until_closed(sock)
        took = time.monotonic() - began
    assert answer_of(data) == b"408"
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"connection: close" in head
    assert json.loads(body) == {
        "request_id": "fake-server",
        "code": "REQUEST_TIMEOUT",
        "message": "The request line and headers did not arrive within 0.2 seconds",
    }
    assert took >= HEAD_DEADLINE  # never before the deadline (no upper bound: a loaded machine)


def test_the_deadline_runs_from_a_heads_first_byte_not_from_the_connection(
    fake: FakeToloka,
) -> None:
    # Silence before a request, on a new connection or between requests, is the idle timeout's
    # business: a head that then arrives whole is served however late it starts.
    with (
        serve(fake, header_timeout=0.1) as server,
        socket.create_connection(("127.0.0.1", server.port)) as sock,
    ):
        sock.settimeout(EVENTUALLY)
        for _ in range(2):  # the first request of a connection, then one on keep-alive
            time.sleep(0.15)
            sock.sendall(WHOLE_REQUEST)
            assert answer_of(sock.recv(65536)) == b"200"


def test_a_partial_head_after_a_pipelined_request_has_a_deadline_too(strict: FakeServer) -> None:
    with socket.create_connection(("127.0.0.1", strict.port)) as sock:
        sock.sendall(WHOLE_REQUEST + PARTIAL_HEAD)
        data = closed_by_server(sock)
    assert re.findall(rb"HTTP/1\.1 (\d{3}) ", data) == [b"200", b"408"]


def test_the_header_timeout_is_checked_and_defaults_to_10_seconds(fake: FakeToloka) -> None:
    assert DEFAULT_HEADER_TIMEOUT == 10.0
    for call in (serve, FakeServer, LoopbackServer.start):
        assert inspect.signature(call).parameters["header_timeout"].default == 10.0
    before = len(server_threads())
    for bad in (0, -1.0, float("nan"), "1"):
        with pytest.raises(ValueError, match=r"^FakeServer\.header_timeout: "):
            serve(fake, header_timeout=bad)  # type: ignore[arg-type]
    assert len(server_threads()) == before


def test_a_port_out_of_range_is_refused_rather_than_wrapped_around(fake: FakeToloka) -> None:
    # getaddrinfo takes 70000 as 70000 - 65536 = 4464: the server would listen elsewhere.
    for bad in (70000, -1):
        with pytest.raises(ValueError, match=r"^FakeServer\.port: "):
            serve(fake, port=bad)


# -- keeping up: the header-size limit ----------------------------------------------------------


def head(*headers: bytes, target: bytes = b"/api/v1/pools/101/archive") -> bytes:
    lines = [b"POST " + target + b" HTTP/1.1", b"Host: x", b"Content-Length: 0", *headers]
    return b"\r\n".join(lines) + b"\r\n\r\n"


AUTH = b"Authorization: ApiKey fake-api-key-0001"


def sized_head(size: int) -> bytes:
    """A head of exactly ``size`` bytes, padded with one big header."""
    bare = head(AUTH, b"X-Pad: ")
    padded = head(AUTH, b"X-Pad: " + b"p" * (size - len(bare)))
    assert len(padded) == size
    return padded


def many_headers(total: int) -> list[bytes]:
    """Small header lines (about 40 bytes each) adding up to more than ``total`` bytes."""
    lines = []
    while sum(map(len, lines)) <= total:
        lines.append(b"X-Small-%05d: %s\r\n" % (len(lines), b"v" * 20))
    return lines


def answer_of(data: bytes) -> bytes:
    status = re.match(rb"HTTP/1\.1 (\d{3}) ", data)
    assert status is not None, data[:200]
    return status.group(1)


def test_a_big_header_in_one_piece_gets_431(server: FakeServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(sized_head(MAX_HEADER_BYTES + 4096))
        data = closed_by_server(sock)
    assert answer_of(data) == b"431"
    assert b'"code":"REQUEST_HEADER_FIELDS_TOO_LARGE"' in data


def test_many_small_headers_in_one_piece_get_431(server: FakeServer) -> None:
    lines = many_headers(MAX_HEADER_BYTES)
    request = head(AUTH)[:-2] + b"".join(lines) + b"\r\n"
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(request)
        assert answer_of(closed_by_server(sock)) == b"431"


def test_many_small_headers_in_many_small_pieces_get_431(server: FakeServer) -> None:
    # Never the blank line that ends the head: the server refuses it before it is complete.
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(head(AUTH)[:-2])
        for line in many_headers(MAX_HEADER_BYTES):
            sock.sendall(line)
        assert answer_of(closed_by_server(sock)) == b"431"


def test_a_head_of_exactly_the_limit_is_served_and_one_byte_more_is_not(
    impatient: FakeServer,
) -> None:
    for size, expected in ((MAX_HEADER_BYTES, b"204"), (MAX_HEADER_BYTES + 1, b"431")):
        with socket.create_connection(("127.0.0.1", impatient.port)) as sock:
            sock.sendall(sized_head(size))
            assert answer_of(closed_by_server(sock)) == expected, size


class _Recorder(asyncio.Transport):
    """A transport that keeps what the server writes (for driving one connection by hand)."""

    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


def received_in_pieces(*pieces: bytes) -> bytes:
    """What one server connection answers when ``pieces`` arrive, each in one read."""

    def answer(method: str, path: str, query: str, headers: Mapping[str, str]) -> Reply:
        return Reply(status=204)

    async def go() -> bytes:
        connection = _Connection(answer, set())
        transport = _Recorder()
        connection.connection_made(transport)
        for piece in pieces:
            connection.data_received(piece)
        connection.connection_lost(None)
        return bytes(transport.written)

    return asyncio.run(go())


def test_the_limit_holds_for_a_whole_head_in_one_read_to_the_byte() -> None:
    assert answer_of(received_in_pieces(sized_head(MAX_HEADER_BYTES))) == b"204"
    assert answer_of(received_in_pieces(sized_head(MAX_HEADER_BYTES + 1))) == b"431"
    lines = many_headers(MAX_HEADER_BYTES)
    assert answer_of(received_in_pieces(head(*[line[:-2] for line in lines]))) == b"431"


def test_the_limit_holds_for_a_head_in_many_reads() -> None:
    whole = sized_head(MAX_HEADER_BYTES + 1)
    pieces = [whole[start : start + 100] for start in range(0, len(whole), 100)]
    assert answer_of(received_in_pieces(*pieces)) == b"431"
    lines = many_headers(MAX_HEADER_BYTES)
    assert answer_of(received_in_pieces(head(AUTH)[:-2], *lines)) == b"431"
    exact = sized_head(MAX_HEADER_BYTES)
    pieces = [exact[start : start + 100] for start in range(0, len(exact), 100)]
    assert answer_of(received_in_pieces(*pieces)) == b"204"
