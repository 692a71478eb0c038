"""What every flow of one client shares: its policies, its clock, its rate-limit pause, and
what it has learned of Toloka (operations' durations, operations seen running)."""

from __future__ import annotations

import random as _random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from toloka_archive._core.clock import Clock, SystemClock
from toloka_archive._core.policies import (
    DEFAULT_RATE_LIMIT_BURST,
    DEFAULT_RATE_LIMIT_WINDOW,
    DurationMemory,
    PollPolicy,
    RetryPolicy,
)


class Throttle:
    """A pause shared by every request of one client, when the client as a whole is too fast.

    Toloka's limit is per account (300 requests a second). When a client goes over it, most of
    its requests meet 429, and the way out is for all of them to pause: with 32 pools in flight,
    31 others would otherwise keep hitting the limit, each backing off on its own. But a 429
    alone among successes (a proxy's hiccup, a limit on one kind of request) says nothing about
    the others, and pausing every worker for it would stall the whole run. So the throttle
    keeps the share of 429s among the client's last ``window`` answers: from ``burst`` on, a 429
    moves the shared "not before" mark forward, and every flow waits for it before it sends
    anything; below that, only the request that got it waits (both numbers are the
    ``RetryPolicy``'s). Pure state on the client's monotonic clock.
    """

    def __init__(
        self, window: int = DEFAULT_RATE_LIMIT_WINDOW, burst: int = DEFAULT_RATE_LIMIT_BURST
    ) -> None:
        self.burst = burst
        self._not_before = float("-inf")
        self._recent: deque[bool] = deque(maxlen=window)

    def remaining(self, now: float) -> float:
        return max(0.0, self._not_before - now)

    def note(self, rate_limited: bool) -> None:
        """Count one answer: a 429 (True) or anything else (False)."""
        self._recent.append(rate_limited)

    @property
    def over_limit(self) -> bool:
        return sum(self._recent) >= self.burst

    def hold_until(self, moment: float) -> None:
        self._not_before = max(self._not_before, moment)


class RunningOperations:
    """Operations this client has seen pending or running, by what they do to which subject.

    A 409 "locked by another operation" that does not name the operation is looked up among
    Toloka's running operations of that kind, newest first. After thousands of archives were
    started without waiting, every locked pool would page through that same list again, so
    each page read notes the operations on it and the next locked pool asks here first. A note
    is a hint, never the answer: one poll of the operation confirms it, and a note found wrong
    is forgotten. Past ``SIZE`` notes, the oldest make way. Keys are ``OperationKind.key``:
    the operation type and the subject's id.
    """

    SIZE = 50_000

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], str] = {}  # (type, subject) -> operation id

    def note(self, key: tuple[str, str], operation_id: str) -> None:
        self._ids.pop(key, None)  # a newer note goes to the back of the line
        self._ids[key] = operation_id
        if len(self._ids) > self.SIZE:
            del self._ids[next(iter(self._ids))]

    def get(self, key: tuple[str, str]) -> str | None:
        return self._ids.get(key)

    def forget(self, key: tuple[str, str], operation_id: str) -> None:
        if self._ids.get(key) == operation_id:
            del self._ids[key]


class Contact:
    """Whether this client has had any HTTP answer at all yet.

    Until it has, a connection that cannot be made (refused, DNS, TLS) on every try means
    Toloka is unreachable from here, which no pool can get past; after it has, the same failure
    is one request's bad luck. Shared by every flow of the client, like the throttle.
    """

    def __init__(self) -> None:
        self.answered = False


@dataclass(frozen=True)
class FlowContext:
    """The settings and shared state a flow reads. ``random`` draws the jitter, in [0, 1).

    The throttle is made on first use from the retry policy's ``rate_limit_window`` and
    ``rate_limit_burst``, and then shared like the rest.
    """

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    poll: PollPolicy = field(default_factory=PollPolicy)
    clock: Clock = field(default_factory=SystemClock)
    random: Callable[[], float] = _random.random
    contact: Contact = field(default_factory=Contact)
    durations: DurationMemory = field(default_factory=DurationMemory)
    running: RunningOperations = field(default_factory=RunningOperations)

    @cached_property
    def throttle(self) -> Throttle:
        return Throttle(self.retry.rate_limit_window, self.retry.rate_limit_burst)
