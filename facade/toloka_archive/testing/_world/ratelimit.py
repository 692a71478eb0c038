"""Toloka's rate limit: more than N requests within one second answers 429.

A sliding one-second window on the fake's clock. Only admitted requests count, so a client that
backs off is let in again a second later rather than being locked out by its own refusals.

A refusal says when to come back: `RateLimiter.wait` is the time until the oldest admitted
request leaves the window, which the 429 rounds up to whole seconds for ``Retry-After``.
"""

from __future__ import annotations

import collections
import math

DEFAULT_RATE_LIMIT = 300
"""Requests per second, as Toloka documents it."""

WINDOW_SECONDS = 1.0
WINDOW_NAME = "SEC"
"""How a 429's ``payload.interval`` names the window. Toloka's quotas per method name theirs
``MIN``, ``HOUR`` and ``DAY`` (toloka-kit's ``TolokaRetry`` reads these); what it says for the
per-second limit is not documented, so the fake assumes the same style: ``SEC``."""


class RateLimiter:
    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self._admitted: collections.deque[float] = collections.deque()

    def admit(self, now: float) -> bool:
        """Count a request made at monotonic time ``now``; ``False`` if it is over the limit."""
        if self.limit is None:
            return True
        self._forget(now)
        if len(self._admitted) >= self.limit:
            return False
        self._admitted.append(now)
        return True

    def wait(self, now: float) -> float:
        """Seconds from ``now`` until a request would be admitted (0: at once)."""
        if self.limit is None:
            return 0.0
        self._forget(now)
        over = len(self._admitted) - self.limit
        if over < 0:
            return 0.0
        return max(0.0, self._admitted[over] + WINDOW_SECONDS - now)

    def retry_after(self, now: float) -> int:
        """`wait` in whole seconds, rounded up, for a ``Retry-After`` header: at least 1, so
        that a client which honours it is let in."""
        return max(1, math.ceil(self.wait(now)))

    def _forget(self, now: float) -> None:
        admitted = self._admitted
        while admitted and admitted[0] <= now - WINDOW_SECONDS:
            admitted.popleft()
