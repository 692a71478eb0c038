"""The clocks the fake reads."""

from __future__ import annotations

import asyncio
import datetime

import pytest
from toloka_archive.testing import Clock, ManualClock, SystemClock


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(start=datetime.datetime(2026, 11, 1, 12, 0))
    assert clock.now() == datetime.datetime(2026, 11, 1, 12, 0)
    assert clock.monotonic() == 0.0
    clock.advance(1.25)
    clock.sleep(0.5)
    asyncio.run(clock.async_sleep(0.25))
    assert clock.monotonic() == 2.0
    assert clock.now() == datetime.datetime(2026, 11, 1, 12, 0, 2)
    assert "2026-11-01T12:00:02.000" in repr(clock)


def test_manual_clock_refuses_to_go_back() -> None:
    clock = ManualClock()
    with pytest.raises(ValueError, match="must be >= 0"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="must be >= 0"):
        clock.advance(float("nan"))


def test_manual_clock_defaults_and_aware_start() -> None:
    assert ManualClock().now() == ManualClock.DEFAULT_START
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    aware = ManualClock(start=datetime.datetime(2026, 11, 1, 14, 0, tzinfo=plus_two))
    assert aware.now() == datetime.datetime(2026, 11, 1, 12, 0)  # naive UTC


def test_system_clock_is_utc_and_can_start_elsewhere() -> None:
    real = SystemClock()
    utc_now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    assert abs((real.now() - utc_now).total_seconds()) < 60
    assert real.now().tzinfo is None
    shifted = SystemClock(start=datetime.datetime(2030, 1, 1))
    assert datetime.datetime(2030, 1, 1) <= shifted.now() < datetime.datetime(2030, 1, 2)
    assert shifted.monotonic() <= shifted.monotonic()


def test_both_are_clocks() -> None:
    assert isinstance(ManualClock(), Clock)
    assert isinstance(SystemClock(), Clock)
