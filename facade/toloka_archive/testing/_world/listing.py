"""``GET /operations``, ``GET /pools`` and ``GET /trainings``: the lists' parameters, read and
checked, and one page cut from a list.

Nothing here knows about HTTP or requesters: `OperationQuery.parse` and `PoolQuery.parse` turn
the query (last value of each parameter wins, unknown parameters are ignored) into a query or
an `Invalid` naming the parameter, and ``page`` filters, sorts and cuts snapshots taken at the
fake's current clock (so ``status`` is the status a read of the object would give right now).

Operations (``GET /operations``):

- ``type``, ``status``: exact match; a value Toloka does not know matches nothing (no error).
- ``id_gt``/``_gte``/``_lt``/``_lte``: compared as strings. The fake's ids have a fixed width
  and grow as operations are made, so ``sort=id&id_gt=<last id>`` reads the next page.
- ``submitted_*``, ``finished_*``: a UTC date-time ``YYYY-MM-DDThh:mm:ss[.sss]`` or a date
  ``YYYY-MM-DD`` (midnight), compared with the moments as the operation reports them (to the
  millisecond). An operation that has not finished matches no ``finished_*`` filter.
- ``sort``: comma-separated ``id``, ``submitted``, ``finished``, ``-`` for descending (any
  other key, or an empty one, is refused); items equal on every key come in ascending ``id``
  order; no ``sort``: ascending ``id``. An unfinished operation sorts as finishing after every
  finished one (last ascending, first descending).
- ``limit``: 1 to 300, default 50 (Toloka's rule for every list); ``has_more`` says whether
  more items matched.

Pools and trainings (``GET /pools``, ``GET /trainings``: the same parameters):

- ``status``: exact match, as for operations (``LOCKED`` included; unknown: nothing).
- ``project_id``: decimal digits (anything else: 400), exact match.
- ``id_gt``/``_gte``/``_lt``/``_lte``: decimal digits (anything else: 400), compared as
  numbers, so ``sort=id&id_gt=<last id>`` reads the next page.
- ``created_*``, ``last_started_*``: as the date filters of operations; a pool never started
  matches no ``last_started_*`` filter.
- ``sort``: comma-separated ``id``, ``created``, ``last_started``, ``-`` for descending (any
  other key, or an empty one, is refused); ties by ascending id; no ``sort``: ascending id. A
  pool never started sorts after every started one (last ascending, first descending).
- ``limit``: 1 to 300, default 50.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from collections.abc import Mapping
from typing import TypeAlias, TypeVar

from toloka_archive.testing._world.state import OperationState, PoolState, TrainingState
from toloka_archive.testing._world.validation import is_digits

SORT_KEYS = ("id", "submitted", "finished")
DEFAULT_LIMIT = 50
MAX_LIMIT = 300  # Toloka's reference, "Pagination": 300 at most, for every list

POOL_SORT_KEYS = ("id", "created", "last_started")
POOL_DEFAULT_LIMIT = 50
POOL_MAX_LIMIT = 300

RELATIONS = ("gt", "gte", "lt", "lte")
ID_FILTERS = tuple(f"id_{relation}" for relation in RELATIONS)
MOMENT_FILTERS = tuple(
    f"{field}_{relation}" for field in ("submitted", "finished") for relation in RELATIONS
)
POOL_MOMENT_FILTERS = tuple(
    f"{field}_{relation}" for field in ("created", "last_started") for relation in RELATIONS
)

_Ordered = TypeVar("_Ordered", str, int, datetime.datetime)


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
    """The moment as the fake writes it: to the millisecond (see `clock.timestamp`)."""
    return moment.replace(microsecond=moment.microsecond - moment.microsecond % 1000)


def _sort_value(operation: OperationState, key: str) -> tuple[bool, object]:
    if key == "id":
        return (False, operation.id)
    moment = operation.submitted if key == "submitted" else operation.finished
    if moment is None:  # not finished yet: after every finished one
        return (True, datetime.datetime.min)
    return (False, _reported(moment))


def _last_values(query: Mapping[str, list[str]]) -> dict[str, str]:
    return {key: values[-1] for key, values in query.items() if values}


def _limit(last: Mapping[str, str], default: int, maximum: int) -> int | Invalid:
    text = last.get("limit", str(default))
    if not is_digits(text) or not 1 <= int(text) <= maximum:
        return Invalid("limit", f"must be an integer from 1 to {maximum}")
    return int(text)


def sort_keys(text: str, keys: tuple[str, ...]) -> tuple[str, ...] | Invalid:
    """``-submitted,id`` as its keys; a key not in ``keys``, or an empty one (``sort=``,
    ``id,``), is refused, as the spec's pattern for ``sort`` says."""
    sort = tuple(text.split(","))
    if any(key.removeprefix("-") not in keys for key in sort):
        return Invalid("sort", f"sort keys are {', '.join(keys)}, '-' to reverse")
    return sort


def _sort(last: Mapping[str, str], keys: tuple[str, ...]) -> tuple[str, ...] | Invalid:
    return sort_keys(last["sort"], keys) if "sort" in last else ("id",)


def _moments(
    last: Mapping[str, str], names: tuple[str, ...]
) -> tuple[tuple[str, str, datetime.datetime], ...] | Invalid:
    """``(field, relation, moment)`` for each date filter given, e.g. ``created_gte``."""
    moments: list[tuple[str, str, datetime.datetime]] = []
    for name in names:
        if name in last:
            moment = parse_moment(last[name])
            if moment is None:
                return Invalid(name, MOMENT_HELP)
            field, _, relation = name.rpartition("_")
            moments.append((field, relation, moment))
    return tuple(moments)


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
        last = _last_values(query)
        limit = _limit(last, DEFAULT_LIMIT, MAX_LIMIT)
        if isinstance(limit, Invalid):
            return limit
        sort = _sort(last, SORT_KEYS)
        if isinstance(sort, Invalid):
            return sort
        moments = _moments(last, MOMENT_FILTERS)
        if isinstance(moments, Invalid):
            return moments
        return cls(
            type=last.get("type"),
            status=last.get("status"),
            ids=tuple(
                (name.removeprefix("id_"), last[name]) for name in ID_FILTERS if name in last
            ),
            moments=moments,
            sort=sort,
            limit=limit,
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


PoolOrTraining: TypeAlias = PoolState | TrainingState
_Listed = TypeVar("_Listed", bound=PoolOrTraining)


def _pool_moment(pool: PoolOrTraining, field: str) -> datetime.datetime | None:
    return pool.created if field == "created" else pool.last_started


def _pool_sort_value(pool: PoolOrTraining, key: str) -> tuple[bool, object]:
    if key == "id":
        return (False, int(pool.id))
    moment = _pool_moment(pool, key)
    if moment is None:  # never started: after every started one
        return (True, datetime.datetime.min)
    return (False, _reported(moment))


@dataclasses.dataclass(frozen=True, slots=True)
class PoolQuery:
    """The parameters of ``GET /pools``, and of ``GET /trainings``, which takes the same."""

    status: str | None = None
    project_id: str | None = None
    ids: tuple[tuple[str, int], ...] = ()  # (relation, id as a number)
    moments: tuple[tuple[str, str, datetime.datetime], ...] = ()  # (field, relation, moment)
    sort: tuple[str, ...] = ("id",)
    limit: int = POOL_DEFAULT_LIMIT

    @classmethod
    def parse(cls, query: Mapping[str, list[str]]) -> PoolQuery | Invalid:
        last = _last_values(query)
        limit = _limit(last, POOL_DEFAULT_LIMIT, POOL_MAX_LIMIT)
        if isinstance(limit, Invalid):
            return limit
        sort = _sort(last, POOL_SORT_KEYS)
        if isinstance(sort, Invalid):
            return sort
        project_id = last.get("project_id")
        if project_id is not None and not is_digits(project_id):
            return Invalid("project_id", "must be decimal digits")
        ids: list[tuple[str, int]] = []
        for name in ID_FILTERS:
            if name in last:
                if not is_digits(last[name]):
                    return Invalid(name, "must be decimal digits")
                ids.append((name.removeprefix("id_"), int(last[name])))
        moments = _moments(last, POOL_MOMENT_FILTERS)
        if isinstance(moments, Invalid):
            return moments
        return cls(
            status=last.get("status"),
            project_id=project_id,
            ids=tuple(ids),
            moments=moments,
            sort=sort,
            limit=limit,
        )

    def matches(self, pool: PoolOrTraining) -> bool:
        if self.status is not None and pool.status != self.status:
            return False
        if self.project_id is not None and pool.project_id != self.project_id:
            return False
        for relation, bound in self.ids:
            if not _holds(relation, int(pool.id), bound):
                return False
        for field, relation, moment in self.moments:
            actual = _pool_moment(pool, field)
            if actual is None or not _holds(relation, _reported(actual), moment):
                return False
        return True

    def page(self, pools: list[_Listed]) -> tuple[list[_Listed], bool]:
        """The pools (or trainings) on the page, in order, and whether more matched."""
        found = sorted((pool for pool in pools if self.matches(pool)), key=lambda p: int(p.id))
        for key in reversed(self.sort):  # stable sorts, last key first; ties stay by id
            by = functools.partial(_pool_sort_value, key=key.removeprefix("-"))
            found.sort(key=by, reverse=key.startswith("-"))
        return found[: self.limit], len(found) > self.limit
