"""A fake Toloka on loopback, run as a real process, and a way to run the command against it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

API_KEY = "fake-api-key-0001"  # the default scenario's key: fake, not a secret


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str


def start_fake(scenario: Path | None = None) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "toloka_archive.testing", "--port", "0"]
    if scenario is not None:
        command += ["--scenario", str(scenario)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("listening on "):
        process.kill()
        process.wait()
        raise RuntimeError(
            f"the fake did not start: {line!r} {process.stderr.read() if process.stderr else ''}"
        )
    return process, line.removeprefix("listening on ").strip()


def stop(process: subprocess.Popen[str]) -> None:
    """Stop the fake we started (by its own handle) and close its pipes."""
    process.terminate()
    try:
        process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


@pytest.fixture
def fake_url() -> Iterator[str]:
    """A fresh fake per test: archiving changes its state."""
    process, url = start_fake()
    try:
        yield url
    finally:
        stop(process)


@pytest.fixture
def fake_factory() -> Iterator[Callable[[Path], str]]:
    started: list[subprocess.Popen[str]] = []

    def make(scenario: Path) -> str:
        process, url = start_fake(scenario)
        started.append(process)
        return url

    try:
        yield make
    finally:
        for process in started:
            stop(process)


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
