"""The fake over real HTTP on loopback: started and stopped by fixtures, driven by a ManualClock."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import re
import socket
import threading
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
