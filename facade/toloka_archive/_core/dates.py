"""Every date the facade reads or writes: Toloka's timestamps, and what people type.

Toloka writes its timestamps in UTC without an offset (``2016-04-07T16:06:15.902``) and reads
its date filters the same way. People type a moment as ISO 8601 (``2026-10-01``,
``2026-10-01T12:00``, ``2026-10-01T12:00:00+02:00``) or as a time ago (``30d``, ``12h``,
``90m``, ``2w``: that long before now); a moment without an offset is UTC, as Toloka's are.
Everything is handed out as an aware UTC datetime (or a timedelta), so it prints and compares
unambiguously, and printed one way: ``2026-10-01 12:00 UTC``.
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


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to mean UTC (as Toloka's are)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_timestamp(value: object) -> datetime | None:
    """A Toloka timestamp (or a datetime) as an aware UTC datetime; None when absent or
    unreadable, so one odd field never makes a whole answer unreadable."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    return as_utc(value) if isinstance(value, datetime) else None


def toloka_text(moment: datetime) -> str:
    """A moment as Toloka's filters take it: UTC, no offset, milliseconds."""
    return as_utc(moment).replace(tzinfo=None).isoformat(timespec="milliseconds")


def format_moment(moment: datetime) -> str:
    """``2026-10-01 12:00 UTC``: how every moment is printed for people."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M UTC")


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
        return as_utc(now) - parse_duration(stripped)
    try:
        moment = datetime.fromisoformat(stripped.replace("z", "Z"))
    except ValueError:
        raise DateError(f"{text!r} is not a date or a time ago ({_EXAMPLES})") from None
    return as_utc(moment)
