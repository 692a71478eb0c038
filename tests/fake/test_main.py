"""``python -m toloka_archive.testing``: a real process, started, used and stopped by a signal."""

from __future__ import annotations

import io
import select
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from toloka_archive.testing.__main__ import build_parser, main, run

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

READY_TIMEOUT = 20.0  # generous: a loaded CI machine; the server itself is ready far sooner
COMMAND = [sys.executable, "-m", "toloka_archive.testing"]


def read_line(process: subprocess.Popen[str], timeout: float = READY_TIMEOUT) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    if not ready:
        raise AssertionError("the fake printed nothing")
    return process.stdout.readline()


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
    assert result.stderr.startswith(f"error: {scenario}: pools[0].")
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
    assert captured.err.startswith(f"error: {scenario}: ")
    assert expected in captured.err
    assert captured.err.count("\n") == 1


def test_missing_scenario_file(tmp_path: Path) -> None:
    err = io.StringIO()
    assert run(port=0, scenario=tmp_path / "nope.toml", stderr=err) == 2
    assert "nope.toml: cannot read: No such file or directory" in err.getvalue()


def test_port_in_use_exits_1_with_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out, err = io.StringIO(), io.StringIO()
        assert run(host="127.0.0.1", port=port, stdout=out, stderr=err) == 1
    assert out.getvalue() == ""
    assert err.getvalue().startswith(f"error: cannot listen on 127.0.0.1:{port}: ")
    assert err.getvalue().count("\n") == 1


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
