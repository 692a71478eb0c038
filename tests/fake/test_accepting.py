"""The server runs out of file descriptors: it pauses accepting, keeps serving, logs once per
burst of failures, and takes the waiting connections when descriptors free up."""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import httpx
import pytest
from toloka_archive.testing import FakeServer, FakeToloka, ManualClock, Reply, Scenario, serve
from toloka_archive.testing._carriers import server as server_module
from toloka_archive.testing._carriers.server import LoopbackServer

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

KEY = {"Authorization": "ApiKey fake-api-key-0001"}
EVENTUALLY = 10.0  # a generous bound for "eventually", on a loaded machine
LOGGER = "toloka_archive.testing"


class FailingAccept:
    """Stands in for the listening socket's ``accept``: fails with ``error`` while ``failing``
    is set (without taking the waiting connection, as a real EMFILE does), counting."""

    def __init__(self, accept: Callable[[], tuple[socket.socket, Any]], error: OSError) -> None:
        self._accept = accept
        self._error = error
        self.failing = threading.Event()
        self.failures = 0

    def __call__(self) -> tuple[socket.socket, Any]:
        if self.failing.is_set():
            self.failures += 1
            raise self._error
        return self._accept()


@pytest.fixture
def quick_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pauses of a few milliseconds: a burst has many failures in a short test.
    monkeypatch.setattr(server_module, "ACCEPT_PAUSE_FIRST", 0.001)
    monkeypatch.setattr(server_module, "ACCEPT_PAUSE_MAX", 0.004)
    monkeypatch.setattr(server_module, "ACCEPT_BURST_QUIET", 0.1)


@pytest.fixture
def server(quick_pauses: None) -> Iterator[FakeServer]:
    fake = FakeToloka.from_scenario(Scenario.load(None), clock=ManualClock())
    with serve(fake) as running:
        yield running


def seam(server: FakeServer, error: OSError) -> FailingAccept:
    loopback = server._server
    assert loopback is not None
    failing = FailingAccept(loopback._accept, error)
    loopback._accept = failing
    return failing


def eventually(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + EVENTUALLY
    while not condition():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.005)


def warnings_in(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno >= logging.WARNING
    ]


def infos_in(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno == logging.INFO
    ]


def one_request(url: str, results: list[int]) -> threading.Thread:
    """A new connection's request, in a thread: it waits while the server cannot accept."""

    def go() -> None:
        with httpx.Client(base_url=url, headers=KEY, timeout=EVENTUALLY) as client:
            results.append(client.get("/pools/101").status_code)

    thread = threading.Thread(target=go)
    thread.start()
    return thread


def test_out_of_descriptors_it_serves_on_logs_once_per_burst_and_recovers(
    server: FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    accept = seam(server, OSError(errno.EMFILE, "Too many open files"))

    def burst(number: int, open_one: httpx.Client) -> None:
        accept.failing.set()
        failed_before = accept.failures
        results: list[int] = []
        waiting = one_request(server.url, results)
        eventually(lambda: accept.failures >= failed_before + 5)
        # The connection the server already has is served all along.
        assert open_one.get("/pools/101").status_code == 200
        assert not results  # the new one still waits in the queue
        accept.failing.clear()  # descriptors free up: it is taken and answered
        waiting.join(EVENTUALLY)
        assert results == [200]
        # One warning for the whole burst, however many attempts failed in it.
        assert len(warnings_in(caplog)) == number
        eventually(lambda: len(infos_in(caplog)) == number)  # ended by a quiet spell
        failed = accept.failures - failed_before
        assert infos_in(caplog)[-1].startswith(
            f"accepting connections again: {failed} attempts failed over "
        )

    with httpx.Client(base_url=server.url, headers=KEY) as open_one:
        assert open_one.get("/pools/101").status_code == 200  # connected before the trouble
        burst(1, open_one)
        burst(2, open_one)
    warning = (
        "cannot accept new connections (EMFILE: Too many open files): they wait in the queue, "
        "the open ones are served, and accepting is tried again after pauses of up to 0.004 s "
        "(logged once per burst)"
    )
    assert warnings_in(caplog) == [warning, warning]


@pytest.mark.parametrize("name", ["ENFILE", "ENOBUFS", "ENOMEM"])
def test_other_shortages_pause_accepting_the_same_way(
    server: FakeServer, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    code = getattr(errno, name)
    accept = seam(server, OSError(code, os.strerror(code)))
    accept.failing.set()
    results: list[int] = []
    waiting = one_request(server.url, results)
    eventually(lambda: accept.failures >= 3)
    accept.failing.clear()
    waiting.join(EVENTUALLY)
    assert results == [200]
    assert len(warnings_in(caplog)) == 1
    assert f"({name}: " in warnings_in(caplog)[0]


def test_a_connection_lost_before_it_was_accepted_is_skipped_without_a_pause(
    server: FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    loopback = server._server
    assert loopback is not None
    real = loopback._accept
    lost = [ConnectionAbortedError(errno.ECONNABORTED, "Software caused connection abort")]

    def accept() -> tuple[socket.socket, Any]:
        if lost:
            raise lost.pop()
        return real()

    loopback._accept = accept
    with httpx.Client(base_url=server.url, headers=KEY) as client:
        assert client.get("/pools/101").status_code == 200
    assert not lost
    assert warnings_in(caplog) == []


# -- for real: a process with a low descriptor limit -----------------------------------------

LIMITED = """
import resource, runpy, sys
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))
sys.argv = ["toloka_archive.testing", "--port", "0"]
runpy.run_module("toloka_archive.testing", run_name="__main__", alter_sys=True)
"""


def read_line(stream: Any, timeout: float = EVENTUALLY) -> str:
    ready, _, _ = select.select([stream], [], [], timeout)
    assert ready, "nothing came"
    line: str = stream.readline()
    return line


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX")
def test_a_process_out_of_descriptors_says_so_once_and_recovers() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", LIMITED], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    clients: list[socket.socket] = []
    try:
        url = read_line(process.stdout).strip().removeprefix("listening on ")
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        for _ in range(100):  # more than the 64 descriptors the process may have
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            clients.append(sock)
        warning = read_line(process.stderr)
        assert warning.startswith(
            "python -m toloka_archive.testing: warning: cannot accept new connections "
            "(EMFILE: Too many open files)"
        )
        for sock in clients:
            sock.close()  # the server's ends close in turn: descriptors free up
        with httpx.Client(base_url=url, headers=KEY, timeout=EVENTUALLY) as client:
            assert client.get("/pools/101").status_code == 200
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=EVENTUALLY)
        assert process.returncode == 0
        assert errors == ""  # nothing after the one line: no line per failed accept
    finally:
        for sock in clients:
            sock.close()
        if process.poll() is None:
            process.kill()
            process.communicate()


class _NoSocketWatching(asyncio.SelectorEventLoop):
    """Like Windows' proactor loop: ``add_reader`` is not available."""

    def add_reader(self, *args: Any) -> None:
        raise NotImplementedError


def test_on_a_loop_that_cannot_watch_a_socket_asyncio_accepts_instead() -> None:
    def answer(method: str, path: str, query: str, headers: Mapping[str, str]) -> Reply:
        return Reply(status=204)

    async def go() -> bytes:
        server = await LoopbackServer.start(answer, "127.0.0.1", 0)
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(b"GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = await asyncio.wait_for(reader.read(), EVENTUALLY)
            writer.close()
            return data
        finally:
            await server.aclose()

    loop = _NoSocketWatching()
    try:
        assert loop.run_until_complete(go()).startswith(b"HTTP/1.1 204 ")
    finally:
        loop.close()
