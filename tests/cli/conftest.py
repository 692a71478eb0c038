"""A fake Toloka on loopback, run as a real process, and a way to run the command against it."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from toloka_archive.testing import fake_process

API_KEY = "fake-api-key-0001"  # the default scenario's key: fake, not a secret


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def fake_url() -> Iterator[str]:
    """A fresh fake per test, in its own process: archiving changes its state."""
    with fake_process() as fake:
        yield fake.url


@pytest.fixture
def fake_factory() -> Iterator[Callable[[Path], str]]:
    """Start fakes with scenarios of a test's own; all are stopped at the end."""
    with ExitStack() as stack:
        yield lambda scenario: stack.enter_context(fake_process(scenario)).url


def command_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOLOKA_")}
    env.update(extra)
    return env


def run_cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    completed = subprocess.run(
        [sys.executable, "-m", "toloka_archive", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=command_env(TOLOKA_API_KEY=API_KEY) if env is None else env,
        timeout=120,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


def run_interrupted(
    *args: str,
    after: Callable[[str], bool],
    times: int,
    signum: signal.Signals = signal.SIGINT,
) -> Result:
    """Run the command with ``-vv``, press Ctrl-C (or send ``signum``) once ``after`` was true
    of ``times`` lines of its log (on stderr: waiting on the command's own words, not on a
    clock), and collect what it says on the way out."""
    process = subprocess.Popen(
        [sys.executable, "-m", "toloka_archive", *args, "-vv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=command_env(TOLOKA_API_KEY=API_KEY),
    )
    lines: queue.Queue[str] = queue.Queue()
    collected: list[str] = []

    def read_stderr() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)
        lines.put("")  # the end

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        seen = 0
        while seen < times:
            line = lines.get(timeout=30)
            assert line, f"the command ended before {times} lines like that: {collected}"
            collected.append(line)
            seen += after(line)
        process.send_signal(signum)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=10)
        assert process.stdout is not None
        assert process.stderr is not None
        stdout = process.stdout.read()
        process.stdout.close()
        process.stderr.close()
    while (line := lines.get(timeout=10)) != "":
        collected.append(line)
    return Result(process.returncode, stdout, "".join(collected))


def started_operation(line: str) -> bool:
    """A ``-vv`` log line saying that an operation was started for a pool."""
    return " operation " in line and line.rstrip().endswith("started")
