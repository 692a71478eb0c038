"""A fake Toloka on loopback, run as a real process, and a way to run the command against it."""

from __future__ import annotations

import os
import subprocess
import sys
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
