"""``GET /operations``: the list's parameters, read and checked, and one page cut from the list.

Nothing here knows about HTTP or requesters: `OperationQuery.parse` turns the query (last value
of each parameter wins, unknown parameters are ignored) into a query or an `Invalid` naming the
parameter, and `OperationQuery.page` filters, sorts and cuts snapshots taken at the fake's
current clock (so ``status`` is the status ``GET /operations/{id}`` would give right now).

- ``type``, ``status``: exact match; a value Toloka does not know matches nothing (no error).
- ``id_gt``/``_gte``/``_lt``/``_lte``: compared as strings. The fake's ids have a fixed width
  and grow as operations are made, so ``sort=id&id_gt=<last id>`` reads the next page.
- ``submitted_*``, ``finished_*``: a UTC date-time ``YYYY-MM-DDThh:mm:ss[.sss]`` or a date
  ``YYYY-MM-DD`` (midnight), compared with the moments as the operation reports them (to the
  millisecond). An operation that has not finished matches no ``finished_*`` filter.
- ``sort``: comma-separated ``id``, ``submitted``, ``finished``, ``-`` for descending; items
  equal on every key come in ascending ``id`` order; no ``sort``: ascending ``id``. An
  unfinished operation sorts as finishing after every finished one (last ascending, first
  descending).
- ``limit``: 1 to 500, default 50; ``has_more`` says whether more items matched.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from collections.abc import Mapping
from typing import TypeVar

from toloka_archive.testing._state import OperationState

SORT_KEYS = ("id", "submitted", "finished")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500

RELATIONS = ("gt", "gte", "lt", "lte")
ID_FILTERS = tuple(f"id_{relation}" for relation in RELATIONS)
MOMENT_FILTERS = tuple(
    f"{field}_{relation}" for field in ("submitted", "finished") for relation in RELATIONS
)

_Ordered = TypeVar("_Ordered", str, datetime.datetime)


def _holds(relation: str, actual: _Ordered, bound: _Ordered) -> bool:
    if relation == "gt":
        return actual > bound
    if relation == "gte":
        return actual >= bound
    if relation == "lt":
        return actual < bound
    return actual <= bound


_MOMENT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?)?",
    re.ASCII,
)
MOMENT_HELP = "expected a UTC date-time, YYYY-MM-DDThh:mm:ss[.sss], or a date, YYYY-MM-DD"


@dataclasses.dataclass(frozen=True, slots=True)
class Invalid:
    """A parameter that cannot be used, and why (Toloka's 400 ``VALIDATION_ERROR`` says so)."""

    field: str
    message: str


def parse_moment(text: str) -> datetime.datetime | None:
    """``2022-12-01``, ``2022-12-01T10:00:00`` or ``2022-12-01T10:00:00.250`` as a naive UTC
    datetime (fractions past microseconds are dropped); ``None`` for anything else."""
    match = _MOMENT.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction = match.groups()
    micro = 0 if fraction is None else int((fraction + "000000")[:6])
    try:
        return datetime.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            micro,
        )
    except ValueError:  # e.g. month 13 or 25 o'clock
        return None


def _reported(moment: datetime.datetime) -> datetime.datetime:
    """The moment as the fake writes it: to the millisecond (see `_wire.timestamp`)."""
    return moment.replace(microsecond=moment.microsecond - moment.microsecond % 1000)


def _sort_value(operation: OperationState, key: str) -> tuple[bool, object]:
    if key == "id":
        return (False, operation.id)
    moment = operation.submitted if key == "submitted" else operation.finished
    if moment is None:  # not finished yet: after every finished one
        return (True, datetime.datetime.min)
    return (False, _reported(moment))


@dataclasses.dataclass(frozen=True, slots=True)
class OperationQuery:
    type: str | None = None
    status: str | None = None
    ids: tuple[tuple[str, str], ...] = ()  # (relation, id)
    moments: tuple[tuple[str, str, datetime.datetime], ...] = ()  # (field, relation, moment)
    sort: tuple[str, ...] = ("id",)
    limit: int = DEFAULT_LIMIT

    @classmethod
    def parse(cls, query: Mapping[str, list[str]]) -> OperationQuery | Invalid:
        last = {key: values[-1] for key, values in query.items() if values}
        limit_text = last.get("limit", str(DEFAULT_LIMIT))
        if not (limit_text.isascii() and limit_text.isdigit()) or not (
            1 <= int(limit_text) <= MAX_LIMIT
        ):
            return Invalid("limit", f"must be an integer from 1 to {MAX_LIMIT}")
        sort = tuple(key for key in last.get("sort", "id").split(",") if key)
        if any(key.removeprefix("-") not in SORT_KEYS for key in sort):
            return Invalid("sort", f"sort keys are {', '.join(SORT_KEYS)}, '-' to reverse")
        moments: list[tuple[str, str, datetime.datetime]] = []
        for name in MOMENT_FILTERS:
            if name in last:
                moment = parse_moment(last[name])
                if moment is None:
                    return Invalid(name, MOMENT_HELP)
                field, _, relation = name.partition("_")
                moments.append((field, relation, moment))
        return cls(
            type=last.get("type"),
            status=last.get("status"),
            ids=tuple(
                (name.removeprefix("id_"), last[name]) for name in ID_FILTERS if name in last
            ),
            moments=tuple(moments),
            sort=sort or ("id",),
            limit=int(limit_text),
        )

    def matches(self, operation: OperationState) -> bool:
        if self.type is not None and operation.type != self.type:
            return False
        if self.status is not None and operation.status != self.status:
            return False
        for relation, operation_id in self.ids:
            if not _holds(relation, operation.id, operation_id):
                return False
        for field, relation, moment in self.moments:
            actual = operation.submitted if field == "submitted" else operation.finished
            if actual is None or not _holds(relation, _reported(actual), moment):
                return False
        return True

    def page(self, operations: list[OperationState]) -> tuple[list[OperationState], bool]:
        """The operations on the page, in order, and whether more matched."""
        found = sorted(
            (operation for operation in operations if self.matches(operation)),
            key=lambda operation: operation.id,
        )
        for key in reversed(self.sort):  # stable sorts, last key first; ties stay by id
            by = functools.partial(_sort_value, key=key.removeprefix("-"))
            found.sort(key=by, reverse=key.startswith("-"))
        return found[: self.limit], len(found) > self.limit
