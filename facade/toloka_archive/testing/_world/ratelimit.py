"""Toloka's rate limit: more than N requests within one second answers 429.

A sliding one-second window on the fake's clock. Only admitted requests count, so a client that
backs off is let in again a second later rather than being locked out by its own refusals.
"""

from __future__ import annotations

import collections

DEFAULT_RATE_LIMIT = 300
"""Requests per second, as Toloka documents it."""

WINDOW_SECONDS = 1.0


class RateLimiter:
    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self._admitted: collections.deque[float] = collections.deque()

    def admit(self, now: float) -> bool:
        """Count a request made at monotonic time ``now``; ``False`` if it is over the limit."""
        if self.limit is None:
            return True
        admitted = self._admitted
        while admitted and admitted[0] <= now - WINDOW_SECONDS:
            admitted.popleft()
        if len(admitted) >= self.limit:
            return False
        admitted.append(now)
        return True
