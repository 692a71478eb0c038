"""Clocks: where the fake reads the time, so that tests can move time by hand.

Everything in the fake that depends on time (an operation's progress, the 9-day rejection
window, the rate limit) reads one of these, never ``time`` or ``datetime`` directly. Nothing
runs in the background: state is computed from the clock when it is read, so a test that
advances a `ManualClock` sees exactly the state that much later, with no sleeping.
`timestamp` writes a moment as Toloka does.
"""

from __future__ import annotations

import datetime
import threading
import time
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """What the fake asks of a clock."""

    def now(self) -> datetime.datetime:
        """The wall time, as a naive `datetime` meaning UTC (as Toloka writes its timestamps)."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin; never goes back. Durations are measured on it."""
        ...


def timestamp(moment: datetime.datetime) -> str:
    """A moment as Toloka writes it: UTC, ISO 8601, no offset, milliseconds
    (``2026-11-01T12:00:03.250``)."""
    return moment.isoformat(timespec="milliseconds")


def _utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def _naive_utc(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


class SystemClock:
    """The real clock.

    With ``start``, the wall time begins at ``start`` and runs in real time from there (a
    scenario's ``clock_start`` for a server that should report a fixed date); durations always
    come from `time.monotonic`, so a wall-clock jump never makes an operation go back.
    """

    def __init__(self, start: datetime.datetime | None = None) -> None:
        self._start = None if start is None else _naive_utc(start)
        self._origin = time.monotonic()

    def now(self) -> datetime.datetime:
        if self._start is None:
            return _utc_now()
        return self._start + datetime.timedelta(seconds=time.monotonic() - self._origin)

    def monotonic(self) -> float:
        return time.monotonic()

    def __repr__(self) -> str:
        return f"SystemClock(start={self._start!r})"


class ManualClock:
    """A clock that moves only when told to: ``advance(seconds)``.

    ``sleep`` and ``async_sleep`` advance it too, so they can be handed to code under test (and
    to the fake's transports) in place of `time.sleep` / `asyncio.sleep`: the code "waits" and
    the fake sees the time pass, instantly. Safe to share between threads (a loopback server
    reads it while the test advances it).
    """

    DEFAULT_START = datetime.datetime(2026, 11, 1, 12, 0, 0)

    def __init__(self, start: datetime.datetime | None = None) -> None:
        self._start = self.DEFAULT_START if start is None else _naive_utc(start)
        self._elapsed = 0.0
        self._lock = threading.Lock()

    def now(self) -> datetime.datetime:
        with self._lock:
            elapsed = self._elapsed
        return self._start + datetime.timedelta(seconds=elapsed)

    def monotonic(self) -> float:
        with self._lock:
            return self._elapsed

    def advance(self, seconds: float) -> None:
        """Move time forward. Going back is refused: a monotonic clock never does."""
        if not seconds >= 0:
            raise ValueError(f"ManualClock.advance: seconds must be >= 0, got {seconds!r}")
        with self._lock:
            self._elapsed += seconds

    def sleep(self, seconds: float) -> None:
        """A stand-in for `time.sleep` that advances the clock instead of waiting."""
        self.advance(seconds)

    async def async_sleep(self, seconds: float) -> None:
        """A stand-in for `asyncio.sleep` that advances the clock instead of waiting."""
        self.advance(seconds)

    def __repr__(self) -> str:
        return f"ManualClock(now={self.now().isoformat(timespec='milliseconds')!r})"
