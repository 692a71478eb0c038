"""fake_process: the fake in a process of its own, stopped by its handle."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest
from toloka_archive.testing import fake_process

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


def test_serves_and_stops() -> None:
    with fake_process() as fake:
        answer = httpx.post(
            f"{fake.url}/pools/101/archive", headers={"Authorization": "ApiKey fake-api-key-0001"}
        )
        assert answer.status_code == 204
    assert fake.process.returncode == 0


def test_a_bad_scenario_says_why(tmp_path: Path) -> None:
    scenario = tmp_path / "bad.toml"
    scenario.write_text('[[pools]]\nid = "x"\n', encoding="utf-8")
    with (
        pytest.raises(RuntimeError, match=r"did not start: python -m \S+: error: .*bad\.toml"),
        fake_process(scenario),
    ):
        pass


def test_the_idle_timeout_reaches_the_process() -> None:
    with fake_process(idle_timeout=0.05) as fake:
        port = int(fake.url.rsplit(":", 1)[1].split("/")[0])
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.settimeout(10.0)  # generous: closed "eventually", not "in time"
            assert sock.recv(1) == b""  # the server hung up on a silent client


def test_the_header_timeout_reaches_the_process() -> None:
    with fake_process(header_timeout=0.05) as fake:
        port = int(fake.url.rsplit(":", 1)[1].split("/")[0])
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.settimeout(10.0)  # generous: answered "eventually", not "in time"
            sock.sendall(b"GET /api/v1/pools/101 HTTP/1.1\r\nHost: x\r\n")  # never ended
            assert sock.recv(65536).startswith(b"HTTP/1.1 408 ")
