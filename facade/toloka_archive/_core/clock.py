"""The one clock a client reads: its pauses, its deadlines and its timestamps.

A client asks the time for three things: how long to pause (``sleep``), whether a wait's budget
is spent (``monotonic``), and what the date is (``now``, for ``Retry-After`` dates and the 9-day
rule). They come from one object so that a test which moves time moves all three together: the
fake Toloka's ``ManualClock`` fits this protocol as it is, and with it a ``timeout=60`` wait on a
500 s operation times out after 60 s of the fake's time, with no real sleeping.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol

from toloka_archive._core.dates import as_utc


class Clock(Protocol):
    """What a client needs of a clock. ``toloka_archive.testing.ManualClock`` is one."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin that never go back; budgets are measured on it."""
        ...

    def now(self) -> datetime:
        """The wall time in UTC; a naive ``datetime`` is taken to mean UTC (as Toloka's are)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Pause a blocking client."""
        ...

    async def async_sleep(self, seconds: float) -> None:
        """Pause an asyncio client."""
        ...


class SystemClock:
    """The real clock: ``time.monotonic``, ``datetime.now(UTC)``, ``time.sleep`` and
    ``asyncio.sleep``."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    async def async_sleep(self, seconds: float) -> None:
        import asyncio  # only asyncio users pay for importing it

        await asyncio.sleep(seconds)

    def __repr__(self) -> str:
        return "SystemClock()"


def utc_now(clock: Clock) -> datetime:
    """The clock's time as an aware UTC datetime (a naive clock's time is taken as UTC)."""
    return as_utc(clock.now())
