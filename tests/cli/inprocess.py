"""The command run in this process against the fake Toloka in process, on its manual clock.

For runs that would take minutes of real pauses (faults, retries, long operations): the command
is ``cli.main`` as the console script calls it, and only its client is given the fake's
transport and clock (the two seams a client has), through the one place the command makes its
client. An ``outer`` transport can stand in front of the fake, to make a list page lie or fail.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from toloka_archive import AsyncTolokaClient, cli
from toloka_archive.testing import FakeToloka, ManualClock

API_KEY = "fake-api-key-0001"
BASE_URL = "http://127.0.0.1:9/api/v1"  # never dialled: the transport is in process


class PausingClock(ManualClock):
    """The fake's clock for the client too; an async pause also lets the other tasks run."""

    async def async_sleep(self, seconds: float) -> None:
        self.advance(seconds)
        await asyncio.sleep(0)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json_lines(self) -> list[dict[str, Any]]:
        import json

        return [json.loads(line) for line in self.stdout.splitlines()]


Outer = Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport]


def run_command(
    monkeypatch: pytest.MonkeyPatch,
    fake: FakeToloka,
    clock: PausingClock,
    *args: str,
    outer: Outer | None = None,
) -> Run:
    """``toloka-archive ARGS --base-url ...`` in this process, against ``fake``."""
    inner = fake.async_transport(sleep=clock.async_sleep)
    transport = inner if outer is None else outer(inner)

    def client(**options: Any) -> AsyncTolokaClient:
        return AsyncTolokaClient(**options, transport=transport, clock=clock, random=lambda: 0.5)

    monkeypatch.setattr("toloka_archive.cli.inputs.AsyncTolokaClient", client)
    out, err = io.StringIO(), io.StringIO()
    environ = {"TOLOKA_API_KEY": API_KEY}
    code = cli.main([*args, "--base-url", BASE_URL], stdout=out, stderr=err, environ=environ)
    return Run(code, out.getvalue(), err.getvalue())


class Hostile(httpx.AsyncBaseTransport):
    """A transport in front of another that answers some requests itself.

    ``answer(request)`` returns the answer to give instead, or None to pass the request on; it
    may also raise an ``httpx.TransportError`` to drop the connection.
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        answer: Callable[[httpx.Request], httpx.Response | None],
    ) -> None:
        self._inner = inner
        self._answer = answer
        self.answered = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        instead = self._answer(request)
        if instead is not None:
            self.answered += 1
            return instead
        return await self._inner.handle_async_request(request)
