"""``python -m toloka_archive.testing``: a real process, started, used and stopped by a signal."""

from __future__ import annotations

import contextlib
import io
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import httpx
import pytest
from toloka_archive.testing.__main__ import PROG, _is_loopback, build_parser, main, run

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

READY_TIMEOUT = 20.0  # generous: a loaded CI machine; the server itself is ready far sooner
COMMAND = [sys.executable, "-m", "toloka_archive.testing"]
KEY = {"Authorization": "ApiKey fake-api-key-0001"}


def read_line(
    process: subprocess.Popen[str], timeout: float = READY_TIMEOUT, stream: TextIO | None = None
) -> str:
    """One line from the process's stdout (or ``stream``), within ``timeout``."""
    stream = process.stdout if stream is None else stream
    assert stream is not None
    ready, _, _ = select.select([stream], [], [], timeout)
    if not ready:
        raise AssertionError("the fake printed nothing")
    return stream.readline()


@contextmanager
def fake_process(*args: str) -> Iterator[subprocess.Popen[str]]:
    """The fake in a child process; killed on the way out if the test did not stop it."""
    with subprocess.Popen(
        [*COMMAND, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_serves_until_a_signal_and_exits_cleanly(signum: signal.Signals) -> None:
    with fake_process("--host", "127.0.0.1", "--port", "0", "--seed", "3") as process:
        line = read_line(process)
        assert line.startswith("listening on http://127.0.0.1:")
        assert line.endswith("/api/v1\n")
        url = line.removeprefix("listening on ").strip()
        response = httpx.post(
            f"{url}/pools/101/archive", headers={"Authorization": "ApiKey fake-api-key-0001"}
        )
        assert response.status_code == 204
        process.send_signal(signum)
        assert process.wait(timeout=READY_TIMEOUT) == 0
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.read() == ""  # exactly one line
        assert process.stderr.read() == ""


def test_bad_scenario_file_exits_2_with_one_line(tmp_path: Path) -> None:
    scenario = tmp_path / "bad.toml"
    scenario.write_text('[[pools]]\nid = "1"\nstatus = "CLOSSED"\n', encoding="utf-8")
    result = subprocess.run(
        [*COMMAND, "--port", "0", "--scenario", str(scenario)],
        capture_output=True,
        text=True,
        timeout=READY_TIMEOUT,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"{PROG}: error: {scenario}: pools[0].")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[pools]\n", "invalid TOML: "),
        ('[[faults]]\nkind = "meteor"\n', "faults[0].kind: unknown fault kind 'meteor'"),
        ("[settings]\nseed = 'x'\n", "settings.seed: expected an integer"),
    ],
)
def test_bad_scenarios_in_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    scenario = tmp_path / "bad.toml"
    scenario.write_text(text, encoding="utf-8")
    assert main(["--port", "0", "--scenario", str(scenario)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{PROG}: error: {scenario}: ")
    assert expected in captured.err
    assert captured.err.count("\n") == 1


def test_missing_scenario_file(tmp_path: Path) -> None:
    err = io.StringIO()
    assert run(port=0, scenario=tmp_path / "nope.toml", stderr=err) == 2
    assert "nope.toml: cannot read: No such file or directory" in err.getvalue()


def test_a_port_in_use_is_a_configuration_problem_exit_2_with_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out, err = io.StringIO(), io.StringIO()
        assert run(host="127.0.0.1", port=port, stdout=out, stderr=err) == 2
    assert out.getvalue() == ""
    assert err.getvalue() == (
        f"{PROG}: error: cannot listen on 127.0.0.1:{port}: port {port} is already in use "
        "(--port 0 picks a free one)\n"
    )


def test_help_names_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    usage = capsys.readouterr().out
    for option in ("--host", "--port", "--scenario", "--seed", "--idle-timeout"):
        assert option in usage


def test_idle_timeout_option() -> None:
    assert build_parser().parse_args([]).idle_timeout == 30.0
    assert build_parser().parse_args(["--idle-timeout", "0.25"]).idle_timeout == 0.25


@pytest.mark.parametrize("value", ["0", "-1", "inf", "nan", "soon"])
def test_bad_idle_timeout_is_a_usage_error(capsys: pytest.CaptureFixture[str], value: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--port", "0", "--idle-timeout", value])
    assert exit_info.value.code == 2
    assert "--idle-timeout" in capsys.readouterr().err


def test_header_timeout_option() -> None:
    assert build_parser().parse_args([]).header_timeout == 10.0
    assert build_parser().parse_args(["--header-timeout", "0.5"]).header_timeout == 0.5


@pytest.mark.parametrize("value", ["70000", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--port", value])
    assert exit_info.value.code == 2
    assert "--port" in capsys.readouterr().err


def test_run_refuses_a_port_out_of_range_in_one_line() -> None:
    err = io.StringIO()
    assert run(port=70000, stderr=err) == 2
    assert err.getvalue() == f"{PROG}: error: port: must be <= 65535, got 70000\n"


def test_sigterm_with_open_connections_exits_at_once() -> None:
    with fake_process("--port", "0") as process:
        url = read_line(process).removeprefix("listening on ").strip()
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        with contextlib.ExitStack() as stack:
            clients = [
                stack.enter_context(socket.create_connection(("127.0.0.1", port)))
                for _ in range(20)
            ]
            for sock in clients[::2]:  # half idle, half in the middle of a request head
                sock.sendall(b"GET /api/v1/pools/101 HTTP/1.1\r\nHost: x\r\n")
            with httpx.Client(base_url=url, headers=KEY) as client:  # proof they are accepted
                assert client.get("/pools/101").status_code == 200
            began = time.monotonic()
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=READY_TIMEOUT) == 0
            took = time.monotonic() - began
            for sock in clients:  # the server dropped every one of them
                sock.settimeout(READY_TIMEOUT)
                with contextlib.suppress(ConnectionResetError):
                    assert sock.recv(1) == b""
        assert process.stderr is not None
        assert process.stderr.read() == ""
    # Usually well under a second; the bound only catches a process that hangs on.
    assert took < 5.0


def run_patched(patch: str, *args: str) -> subprocess.Popen[str]:
    """The module in a child process, after ``patch`` (Python source) ran in it."""
    source = (
        "import sys, toloka_archive.testing.__main__ as m\n"
        f"{patch}\n"
        f"sys.exit(m.main({list(args)!r}))\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", source], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_a_host_not_on_loopback_is_served_with_a_warning() -> None:
    # Binding a real non-loopback address would open a port to the network: the test binds
    # loopback and makes the process take it for another address.
    process = run_patched("m._is_loopback = lambda host: False", "--port", "0")
    try:
        assert process.stderr is not None
        warning = read_line(process, stream=process.stderr)
        assert warning == (
            f"{PROG}: warning: 127.0.0.1 is not a loopback address: anyone who can reach it can "
            "use the fake Toloka, which has no real security (its API keys are fake and "
            "published, and there is no TLS)\n"
        )
        url = read_line(process).removeprefix("listening on ").strip()
        with httpx.Client(base_url=url, headers=KEY) as client:  # and it serves all the same
            assert client.get("/pools/101").status_code == 200
        process.terminate()
        assert process.wait(timeout=READY_TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("0.0.0.0", False),  # every interface  # noqa: S104 (only looked at, not bound)
        ("::", False),
        ("192.168.1.20", False),
        ("fe80::1%eth0", False),
        ("not-an-address", False),
    ],
)
def test_which_addresses_are_loopback(host: str, loopback: bool) -> None:
    assert _is_loopback(host) is loopback


def test_toloka_archive_fake_says_its_errors_as_toloka_archive() -> None:
    from toloka_archive.cli import main as command

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out, err = io.StringIO(), io.StringIO()
        assert command(["fake", "--port", str(port)], stdout=out, stderr=err) == 2
    assert out.getvalue() == ""
    assert err.getvalue() == (
        f"toloka-archive: error: cannot listen on 127.0.0.1:{port}: port {port} is already in "
        "use (--port 0 picks a free one)\n"
    )
