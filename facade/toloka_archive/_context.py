"""What every flow of one client shares: its policies, its clock, and its rate-limit pause."""

from __future__ import annotations

import random as _random
from collections.abc import Callable
from dataclasses import dataclass, field

from toloka_archive._clock import Clock, SystemClock
from toloka_archive._policies import PollPolicy, RetryPolicy


class Throttle:
    """A pause shared by every request of one client.

    When Toloka answers 429, the request that got it is not the only one that should slow
    down: with 32 pools in flight, 31 others would otherwise keep hitting the limit, each
    backing off on its own. A 429 moves this shared "not before" mark forward, and every flow
    waits for it before it sends anything. Pure state on the client's monotonic clock.
    """

    def __init__(self) -> None:
        self._not_before = float("-inf")

    def remaining(self, now: float) -> float:
        return max(0.0, self._not_before - now)

    def hold_until(self, moment: float) -> None:
        self._not_before = max(self._not_before, moment)


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
