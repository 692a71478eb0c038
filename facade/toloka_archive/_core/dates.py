"""Dates and durations as people type them on a command line.

A moment is ISO 8601 (``2026-10-01``, ``2026-10-01T12:00``, ``2026-10-01T12:00:00+02:00``) or a
time ago (``30d``, ``12h``, ``90m``, ``2w``: that long before now); a moment without an offset
is UTC, as Toloka's own timestamps are. A duration is the relative form alone. Everything is
returned as an aware UTC datetime (or a timedelta), so it prints and compares unambiguously.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_UNITS = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1)}
_UNITS["m"] = timedelta(minutes=1)
_RELATIVE = re.compile(r"(\d{1,6})([wdhm])")
_EXAMPLES = "e.g. 30d, 12h, 2026-10-01 or 2026-10-01T12:00Z"


class DateError(ValueError):
    """A date or duration that cannot be read; the message says what is accepted."""


def parse_duration(text: str) -> timedelta:
    """``30d``, ``12h``, ``90m``, ``2w``."""
    match = _RELATIVE.fullmatch(text.strip().lower())
    if match is None:
        raise DateError(f"{text!r} is not a duration; use a number and a unit: 30d, 12h, 90m, 2w")
    count, unit = match.groups()
    return int(count) * _UNITS[unit]


def parse_moment(text: str, now: datetime) -> datetime:
    """A moment: ISO 8601 (UTC when no offset is given) or a time ago relative to ``now``."""
    stripped = text.strip()
    if _RELATIVE.fullmatch(stripped.lower()):
        return now.astimezone(UTC) - parse_duration(stripped)
    try:
        moment = datetime.fromisoformat(stripped.replace("z", "Z"))
    except ValueError:
        raise DateError(f"{text!r} is not a date or a time ago ({_EXAMPLES})") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def format_moment(moment: datetime) -> str:
    """``2026-10-01 12:00 UTC``: how the command prints every moment."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
