"""Checking values given to the fake, with messages that name the field that is wrong.

The same checks serve the Python API (``FakeToloka.add_pool``, ``Fault(...)``) and the scenario
loader, so a mistake reads the same way wherever it was made; the loader only swaps the owner
(``Fault``) for the place in the file (``faults[2]``).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence

POOL_STATUSES = ("OPEN", "CLOSED", "ARCHIVED", "LOCKED")
PROJECT_STATUSES = ("ACTIVE", "ARCHIVED")
CLOSE_REASONS = (
    "MANUAL",
    "EXPIRED",
    "COMPLETED",
    "NOT_ENOUGH_BALANCE",
    "ASSIGNMENTS_LIMIT_EXCEEDED",
    "BLOCKED",
    "FOR_UPDATE",
)


class FieldError(ValueError):
    """A value given to the fake is wrong; ``field`` names it and ``reason`` says why."""

    def __init__(self, owner: str, field: str, reason: str) -> None:
        super().__init__(f"{owner}.{field}: {reason}" if owner else f"{field}: {reason}")
        self.owner = owner
        self.field = field
        self.reason = reason


def choices(values: Sequence[str]) -> str:
    """``OPEN, CLOSED, ARCHIVED or LOCKED``: the options, as a person would list them."""
    if len(values) == 1:
        return values[0]
    return ", ".join(values[:-1]) + " or " + values[-1]


def type_name(value: object) -> str:
    return type(value).__name__


def is_digits(text: str) -> bool:
    """ASCII decimal digits, at least one: the shape of Toloka's pool and project ids."""
    return text.isascii() and text.isdigit()


def subject_id(what: str, owner: str, field: str, value: object) -> str:
    """A pool, training or project id (``what``): decimal digits, given as a string (or, for
    convenience, a non-negative int)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and is_digits(value):
        return value
    raise FieldError(owner, field, f"a {what} id is a string of decimal digits, got {value!r}")


def pool_id(owner: str, field: str, value: object) -> str:
    """A pool id: decimal digits, given as a string (or, for convenience, a non-negative int)."""
    return subject_id("pool", owner, field, value)


def project_id(owner: str, field: str, value: object) -> str:
    """A project id: decimal digits, given as a string (or a non-negative int)."""
    return subject_id("project", owner, field, value)


def pool_status(owner: str, field: str, value: object) -> str:
    if value in POOL_STATUSES:
        return str(value)
    raise FieldError(owner, field, f"unknown status {value!r}; choose {choices(POOL_STATUSES)}")


def project_status(owner: str, field: str, value: object) -> str:
    if value in PROJECT_STATUSES:
        return str(value)
    raise FieldError(owner, field, f"unknown status {value!r}; choose {choices(PROJECT_STATUSES)}")


def one_of(owner: str, field: str, value: object, values: Sequence[str], what: str) -> str:
    if value in values:
        return str(value)
    raise FieldError(owner, field, f"unknown {what} {value!r}; choose {choices(values)}")


def close_reason(owner: str, field: str, value: object) -> str:
    if value in CLOSE_REASONS:
        return str(value)
    raise FieldError(
        owner, field, f"unknown close reason {value!r}; choose {choices(CLOSE_REASONS)}"
    )


def number(
    owner: str,
    field: str,
    value: object,
    *,
    minimum: float = 0.0,
    maximum: float | None = None,
    allow_minimum: bool = True,
) -> float:
    """A finite int or float in range. Booleans are refused although Python counts them as ints."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FieldError(owner, field, f"expected a number, got {type_name(value)} {value!r}")
    low_ok = value >= minimum if allow_minimum else value > minimum
    if not low_ok or (maximum is not None and value > maximum):
        bound = f">= {minimum:g}" if allow_minimum else f"> {minimum:g}"
        if maximum is not None:
            bound += f" and <= {maximum:g}"
        raise FieldError(owner, field, f"must be {bound}, got {value!r}")
    return float(value)


def integer(owner: str, field: str, value: object, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(owner, field, f"expected an integer, got {type_name(value)} {value!r}")
    if value < minimum:
        raise FieldError(owner, field, f"must be >= {minimum}, got {value!r}")
    return value


def boolean(owner: str, field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise FieldError(owner, field, f"expected true or false, got {type_name(value)} {value!r}")
    return value


def text(owner: str, field: str, value: object, *, secret: bool = False) -> str:
    if not isinstance(value, str) or not value:
        # A key or token is never repeated back, not even a malformed one.
        shown = "a secret value" if secret else repr(value)
        raise FieldError(owner, field, f"expected a non-empty string, got {shown}")
    return value


def utc_datetime(owner: str, field: str, value: object) -> datetime.datetime:
    """A naive datetime meaning UTC. An aware one is converted; an ISO 8601 string is parsed."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise FieldError(
                owner, field, f"expected an ISO 8601 date-time, got {value!r}"
            ) from None
    if not isinstance(value, datetime.datetime):
        raise FieldError(
            owner, field, f"expected a date-time (UTC), got {type_name(value)} {value!r}"
        )
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value
