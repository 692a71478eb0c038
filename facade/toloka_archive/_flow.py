"""One core for sync and async: flows that ask for I/O, and the two drivers that do it.

Everything that decides (read a response, retry or not, how long to pause, finished or not) is
written once, as a generator: a *flow*. A flow never touches the network or the clock's sleep; it
yields an action and gets the outcome back::

    response = yield Send(request)      # an httpx.Response, or the httpx.TransportError raised
    yield Sleep(1.5)                    # the driver pauses, then resumes the flow

The sync driver and the async driver below differ only in ``sleep`` versus ``await sleep`` and
``send`` versus ``await send``, which is what makes their behaviour the same by construction
(and a parity test checks it).
"""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

T = TypeVar("T")


@dataclass(frozen=True)
class Request:
    """One HTTP request as the generated client describes it: method, relative URL, query."""

    method: str
    url: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        query = "&".join(f"{key}={value}" for key, value in self.params)
        return f"{self.method.upper()} {self.url}{'?' + query if query else ''}"


@dataclass(frozen=True)
class Send:
    request: Request


@dataclass(frozen=True)
class Sleep:
    seconds: float


Action = Send | Sleep
Outcome = httpx.Response | httpx.TransportError | None
Flow = Generator[Action, Outcome, T]


@dataclass(frozen=True)
class Runtime:
    """What a flow reads from the world: clocks and a random source, injected for tests."""

    monotonic: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    random: Callable[[], float] = random.random


def run_sync(
    flow: Flow[T],
    send: Callable[[Request], httpx.Response],
    sleep: Callable[[float], None],
) -> T:
    """Drive a flow with blocking I/O."""
    outcome: Outcome = None
    while True:
        try:
            action = flow.send(outcome)
        except StopIteration as finished:
            result: T = finished.value
            return result
        if isinstance(action, Sleep):
            sleep(action.seconds)
            outcome = None
        else:
            try:
                outcome = send(action.request)
            except httpx.TransportError as error:
                outcome = error


async def run_async(
    flow: Flow[T],
    send: Callable[[Request], Awaitable[httpx.Response]],
    sleep: Callable[[float], Awaitable[Any]],
) -> T:
    """Drive a flow with asyncio I/O; the twin of ``run_sync``."""
    outcome: Outcome = None
    while True:
        try:
            action = flow.send(outcome)
        except StopIteration as finished:
            result: T = finished.value
            return result
        if isinstance(action, Sleep):
            await sleep(action.seconds)
            outcome = None
        else:
            try:
                outcome = await send(action.request)
            except httpx.TransportError as error:
                outcome = error
