"""The fake Toloka in a process of its own: for demos, benchmarks and tests of a command.

``serve`` runs the fake in a thread of the calling process; ``fake_process`` starts
``python -m toloka_archive.testing`` instead, so the fake gets its own interpreter (and core),
and stops exactly that process, by its own handle, however the ``with`` block ends::

    with fake_process(scenario="my.toml") as fake:
        subprocess.run(["toloka-archive", "archive", "21", "--base-url", fake.url])
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

STOP_TIMEOUT = 10.0


@dataclass(frozen=True)
class FakeProcess:
    """A running fake: ``url`` is its API root, e.g. ``http://127.0.0.1:PORT/api/v1``."""

    url: str
    process: subprocess.Popen[str]


@contextmanager
def fake_process(
    scenario: str | os.PathLike[str] | None = None,
    *,
    seed: int | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    idle_timeout: float | None = None,
    header_timeout: float | None = None,
) -> Iterator[FakeProcess]:
    """Start the fake on ``host:port`` (0: a free port), yield it, then stop it.

    ``idle_timeout``: seconds before the server closes a connection on which the client sends
    nothing (``None``: the server's default, 30); ``header_timeout``: seconds a request head
    may take from its first byte before the server answers 408 (``None``: the default, 10)."""
    command = [sys.executable, "-m", "toloka_archive.testing", "--host", host, "--port", str(port)]
    if scenario is not None:
        command += ["--scenario", os.fspath(scenario)]
    if seed is not None:
        command += ["--seed", str(seed)]
    if idle_timeout is not None:
        command += ["--idle-timeout", repr(float(idle_timeout))]
    if header_timeout is not None:
        command += ["--header-timeout", repr(float(header_timeout))]
    # Our own module on this interpreter, with arguments built here: nothing untrusted runs.
    process = subprocess.Popen(  # noqa: S603
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("listening on "):
            process.kill()
            _, errors = process.communicate()
            raise RuntimeError(f"the fake Toloka did not start: {(errors or line).strip()}")
        yield FakeProcess(line.removeprefix("listening on "), process)
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.communicate(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
