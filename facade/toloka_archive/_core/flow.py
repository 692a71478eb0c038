"""One core for sync and async: flows that ask for I/O, and the two drivers that do it.

Everything that decides (read a response, retry or not, how long to pause, finished or not) is
written once, as a generator: a *flow*. A flow never touches the network or the clock's sleep; it
yields an action and gets the reply back::

    reply = yield Send(request)         # an httpx.Response, or the httpx.TransportError raised
    yield Sleep(1.5)                    # the driver pauses, then resumes the flow

The sync driver and the async driver below differ only in ``sleep`` versus ``await sleep`` and
``send`` versus ``await send``, which is what makes their behaviour the same by construction
(and a parity test checks it). Because a flow is a plain generator, a test can also step one by
hand (``next``/``send``) and check each request and pause it asks for, with no client at all.

``RunFlow`` and ``RunFlowAsync`` are what a client hands to the objects it creates (operation
handles) instead of itself: "run this flow", and nothing else of the client.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

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
# What a driver answers: the response or transport error for a Send, None after a Sleep.
Reply = httpx.Response | httpx.TransportError | None
Flow = Generator[Action, Reply, T]


class RunFlow(Protocol):
    """Drive a flow to its end with blocking I/O and return its result."""

    def __call__(self, flow: Flow[T], /) -> T: ...


class RunFlowAsync(Protocol):
    """Drive a flow to its end with asyncio I/O and return its result."""

    def __call__(self, flow: Flow[T], /) -> Awaitable[T]: ...


def run_sync(
    flow: Flow[T],
    send: Callable[[Request], httpx.Response],
    sleep: Callable[[float], None],
) -> T:
    """Drive a flow with blocking I/O."""
    reply: Reply = None
    while True:
        try:
            action = flow.send(reply)
        except StopIteration as finished:
            result: T = finished.value
            return result
        if isinstance(action, Sleep):
            sleep(action.seconds)
            reply = None
        else:
            try:
                reply = send(action.request)
            except httpx.TransportError as error:
                reply = error


async def run_async(
    flow: Flow[T],
    send: Callable[[Request], Awaitable[httpx.Response]],
    sleep: Callable[[float], Awaitable[Any]],
) -> T:
    """Drive a flow with asyncio I/O; the twin of ``run_sync``."""
    reply: Reply = None
    while True:
        try:
            action = flow.send(reply)
        except StopIteration as finished:
            result: T = finished.value
            return result
        if isinstance(action, Sleep):
            await sleep(action.seconds)
            reply = None
        else:
            try:
                reply = await send(action.request)
            except httpx.TransportError as error:
                reply = error
