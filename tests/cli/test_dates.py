"""Dates and durations as typed on the command line: ISO 8601 or a time ago, always UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from toloka_archive._core.dates import DateError, format_moment, parse_duration, parse_moment

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30d", timedelta(days=30)),
        ("12h", timedelta(hours=12)),
        ("90m", timedelta(minutes=90)),
        ("2w", timedelta(weeks=2)),
        (" 7D ", timedelta(days=7)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30d", datetime(2026, 10, 30, 12, 0, tzinfo=UTC)),
        ("12h", datetime(2026, 11, 29, 0, 0, tzinfo=UTC)),
        ("2026-10-01", datetime(2026, 10, 1, tzinfo=UTC)),
        ("2026-10-01T12:30", datetime(2026, 10, 1, 12, 30, tzinfo=UTC)),
        ("2026-10-01T12:30Z", datetime(2026, 10, 1, 12, 30, tzinfo=UTC)),
        ("2026-10-01T14:30+02:00", datetime(2026, 10, 1, 12, 30, tzinfo=UTC)),
    ],
)
def test_moments_are_utc(text: str, expected: datetime) -> None:
    moment = parse_moment(text, NOW)
    assert moment == expected
    assert moment.tzinfo is UTC


@pytest.mark.parametrize("text", ["", "yesterday", "30", "30x", "-5d", "2026-13-01", "1e3d"])
def test_what_cannot_be_read_says_what_can(text: str) -> None:
    with pytest.raises(DateError, match="30d"):
        parse_moment(text, NOW)


def test_a_duration_is_not_a_date() -> None:
    with pytest.raises(DateError, match="not a duration"):
        parse_duration("2026-10-01")


def test_moments_print_in_utc() -> None:
    moment = datetime(2026, 10, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    assert format_moment(moment) == "2026-10-01 12:30 UTC"
