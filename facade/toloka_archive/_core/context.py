"""What every flow of one client shares: its policies, its clock, its rate-limit pause, and
what it has learned of Toloka (operations' durations, archives seen running)."""

from __future__ import annotations

import random as _random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from toloka_archive._core.clock import Clock, SystemClock
from toloka_archive._core.policies import PollPolicy, RetryPolicy


class Throttle:
    """A pause shared by every request of one client, when the client as a whole is too fast.

    Toloka's limit is per account (300 requests a second). When a client goes over it, most of
    its requests meet 429, and the way out is for all of them to pause: with 32 pools in flight,
    31 others would otherwise keep hitting the limit, each backing off on its own. But a 429
    alone among successes (a proxy's hiccup, a limit on one kind of request) says nothing about
    the others, and pausing every worker for it would stall the whole run. So the throttle
    keeps the share of 429s among the client's last ``WINDOW`` answers: from ``BURST`` on, a 429
    moves the shared "not before" mark forward, and every flow waits for it before it sends
    anything; below that, only the request that got it waits. Pure state on the client's
    monotonic clock.
    """

    WINDOW = 12
    BURST = 4  # 429s among the last WINDOW answers that mean "over the account's limit"

    def __init__(self) -> None:
        self._not_before = float("-inf")
        self._recent: deque[bool] = deque(maxlen=self.WINDOW)

    def remaining(self, now: float) -> float:
        return max(0.0, self._not_before - now)

    def note(self, rate_limited: bool) -> None:
        """Count one answer: a 429 (True) or anything else (False)."""
        self._recent.append(rate_limited)

    @property
    def over_limit(self) -> bool:
        return sum(self._recent) >= self.BURST

    def hold_until(self, moment: float) -> None:
        self._not_before = max(self._not_before, moment)


class DurationMemory:
    """How long this client's recent archive operations took at Toloka.

    A bulk run's operations tend to resemble each other, so the first few teach the rest when
    to look: the waiter's first poll comes when an operation like the recent ones would be done
    (see ``PollTimer``), instead of on a fixed beat that leaves short operations waiting. It
    keeps the last ``SIZE`` durations and answers with their median, which one odd operation
    does not move.
    """

    SIZE = 16
    MAX_SECONDS = 24 * 3600.0  # anything longer is not a duration worth learning from

    def __init__(self) -> None:
        self._recent: deque[float] = deque(maxlen=self.SIZE)

    def note(self, seconds: float) -> None:
        if 0.0 <= seconds <= self.MAX_SECONDS:
            self._recent.append(seconds)

    def typical(self) -> float | None:
        """The median of the recent durations; None before the first one is known."""
        if not self._recent:
            return None
        ordered = sorted(self._recent)
        middle = len(ordered) // 2
        if len(ordered) % 2:
            return ordered[middle]
        return (ordered[middle - 1] + ordered[middle]) / 2


class RunningArchives:
    """Archive operations this client has seen pending or running, by the archive they are.

    A 409 "locked by another operation" that does not name the operation is looked up among
    Toloka's running archives, newest first. After thousands of archives were started without
    waiting, every locked pool would page through that same list again, so each page read notes
    the archives on it and the next locked pool asks here first. A note is a hint, never the
    answer: one poll of the operation confirms it, and a note found wrong is forgotten. Past
    ``SIZE`` notes, the oldest make way.
    """

    SIZE = 50_000

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], str] = {}  # archive's key -> operation id

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
    """The settings and shared state a flow reads. ``random`` draws the jitter, in [0, 1)."""

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    poll: PollPolicy = field(default_factory=PollPolicy)
    clock: Clock = field(default_factory=SystemClock)
    random: Callable[[], float] = _random.random
    throttle: Throttle = field(default_factory=Throttle)
    contact: Contact = field(default_factory=Contact)
    durations: DurationMemory = field(default_factory=DurationMemory)
    running: RunningArchives = field(default_factory=RunningArchives)
