"""Stepping a flow by hand, as httpx's own auth tests step an auth flow: no client, no transport.

``step`` answers one action and returns the next; ``finish`` answers one and expects the end.
``drive`` plays a whole flow: it answers every ``Send`` with the next of ``replies`` and every
``Sleep`` by moving the fake clock, and records each action on the way, so a test can compare
the exact requests and pauses a flow asked for with what it should have asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx
from toloka_archive._core.flow import Action, Flow, Reply, Request, Send, Sleep

from tests.facade.scripted import FakeClock

T = TypeVar("T")
E = TypeVar("E", bound=BaseException)

ReplyOrError = httpx.Response | httpx.TransportError


def step(flow: Flow[Any], reply: Reply = None) -> Action:
    """Answer the flow's last action with ``reply`` (None to start it) and return its next one."""
    try:
        return flow.send(reply)
    except StopIteration as finished:
        raise AssertionError(f"the flow ended early, returning {finished.value!r}") from None


def finish(flow: Flow[T], reply: Reply = None) -> T:
    """Answer the flow's last action with ``reply`` and return what the flow then returns."""
    try:
        action = flow.send(reply)
    except StopIteration as finished:
        result: T = finished.value
        return result
    raise AssertionError(f"the flow went on with {action!r}")


@dataclass
class Trace(Generic[T]):
    """Everything one flow asked for, and how it ended: a result or an exception."""

    actions: list[Action] = field(default_factory=list)
    result: T | None = None
    error: BaseException | None = None

    @property
    def sleeps(self) -> list[float]:
        return [action.seconds for action in self.actions if isinstance(action, Sleep)]

    @property
    def requests(self) -> list[Request]:
        return [action.request for action in self.actions if isinstance(action, Send)]

    @property
    def labels(self) -> list[str]:
        return [request.label for request in self.requests]

    def raised(self, kind: type[E]) -> E:
        """The exception the flow ended with, checked to be a ``kind``."""
        assert isinstance(self.error, kind), f"expected {kind.__name__}, got {self!r}"
        return self.error


def drive(
    flow: Flow[T], replies: Iterable[ReplyOrError], clock: FakeClock | None = None
) -> Trace[T]:
    """Run ``flow`` to its end; every reply must be asked for, and no more than them."""
    pending = list(replies)
    trace: Trace[T] = Trace()
    reply: Reply = None
    while True:
        try:
            action = flow.send(reply)
        except StopIteration as finished:
            trace.result = finished.value
            break
        except Exception as raised:  # the flow's own error: what the test looks at
            trace.error = raised
            break
        trace.actions.append(action)
        if isinstance(action, Sleep):
            assert action.seconds >= 0, f"a negative pause: {action!r}"
            if clock is not None:
                clock.sleep(action.seconds)
            reply = None
        else:
            assert pending, f"unexpected extra request: {action.request.label}"
            reply = pending.pop(0)
    assert not pending, f"the flow ended with {len(pending)} replies unused: {trace!r}"
    return trace
