"""Choosing pools by what they are: a project, a status, how long they have stood idle.

``PoolSelection`` says which pools a user means; ``pools_listing`` reads them from ``GET /pools``
a page at a time (Toloka pages by id: sorted by id, ``id_gt`` the last id seen; see
``_wire.paging``), so the clients can stream 100,000 pools in constant memory. What Toloka's filters
cannot say is checked on each pool (``wants``): a pool is idle since a moment when it was
neither created, started nor stopped after it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

import httpx

from toloka_archive._core.context import FlowContext
from toloka_archive._core.dates import as_utc, format_moment
from toloka_archive._core.errors import (
    NotFoundError,
    PermissionDeniedError,
)
from toloka_archive._core.flow import Flow
from toloka_archive._core.ids import normalize_pool_id, normalize_project_id
from toloka_archive._core.models import Pool, PoolStatus, Record, Training
from toloka_archive._flows import sending
from toloka_archive._flows.lookup import project_flow
from toloka_archive._wire import endpoints
from toloka_archive._wire.endpoints import PoolQuery, TrainingQuery
from toloka_archive._wire.paging import Listing, Page, refuse_unless_moving_forward
from toloka_archive._wire.response import read_pool_page, read_training_page

ARCHIVABLE_STATUS = PoolStatus.CLOSED.value  # the pools that can be archived


@dataclass(frozen=True)
class PoolSelection:
    """Which pools: all filters must hold. ``status=None`` means any status.

    The default, ``CLOSED``, is the pools that can be archived. Moments are UTC (naive ones are
    taken as UTC). ``idle_since``: no creation, start or stop after that moment.
    """

    project_id: str | int | None = None
    status: str | None = ARCHIVABLE_STATUS
    created_before: datetime | None = None
    last_started_before: datetime | None = None
    idle_since: datetime | None = None

    def as_filters(self) -> dict[str, Any]:
        """The selection as ``find_pools`` keywords."""
        return {
            "project_id": self.project_id,
            "status": self.status,
            "created_before": self.created_before,
            "last_started_before": self.last_started_before,
            "idle_since": self.idle_since,
        }

    def first_query(self) -> PoolQuery:
        project = None if self.project_id is None else normalize_project_id(self.project_id)
        created_before = _earliest(self.created_before, self.idle_since)
        return PoolQuery(
            project_id=project,
            status=self.status,
            created_lt=created_before,
            last_started_lt=self.last_started_before,
        )

    def wants(self, pool: Pool | Training) -> bool:
        """What Toloka's filters cannot express, checked on one pool (or training) of a page."""
        if self.idle_since is None:
            return True
        cutoff = as_utc(self.idle_since)
        moments = (pool.created, pool.last_started, pool.last_stopped)
        return all(moment is None or moment < cutoff for moment in moments)

    def wants_training(self, training: Training) -> bool:
        """``wants``, and the filters ``GET /trainings`` does not take, checked on each one."""
        if not _before(training.created, self.created_before):
            return False
        return _before(training.last_started, self.last_started_before) and self.wants(training)

    def describe(self, noun: str = "pool") -> str:
        """The selection in words: "the CLOSED pools of project 7 idle since ..."; ``noun``
        says what is chosen (the same filters choose trainings)."""
        text = f"every {noun}" if self.status is None else f"the {self.status} {noun}s"
        if self.project_id is not None:
            text += f" of project {self.project_id}"
        if self.idle_since is not None:
            text += f" idle since {format_moment(self.idle_since)}"
        if self.last_started_before is not None:
            text += f" last started before {format_moment(self.last_started_before)}"
        if self.created_before is not None:
            text += f" created before {format_moment(self.created_before)}"
        return text


def pools_listing(
    selection: PoolSelection, *, check_project: bool = True
) -> Listing[PoolQuery, Pool]:
    """What ``find_pools`` reads: ``GET /pools`` in id order, kept by ``selection.wants``.

    A selection that names a project reads the project first (unless the caller just did):
    Toloka would answer a list of no pools for a project that does not exist, or is not
    yours, and that silence must not pass for "nothing to archive".
    """
    query = selection.first_query()
    before = _project_first(query.project_id, check_project, "pools")
    return Listing("pool", query, pools_page_flow, _record_id, selection.wants, before)


def trainings_listing(
    selection: PoolSelection, *, check_project: bool = True
) -> Listing[TrainingQuery, Training]:
    """What ``find_trainings`` reads: ``GET /trainings`` in id order, by the same selection as
    pools (the filters its list does not take are checked on each training)."""
    project = selection.first_query().project_id
    query = TrainingQuery(project_id=project, status=selection.status)
    before = _project_first(project, check_project, "trainings")
    return Listing(
        "training", query, trainings_page_flow, _record_id, selection.wants_training, before
    )


def pools_page_flow(
    query: PoolQuery, context: FlowContext
) -> Flow[tuple[Sequence[Pool], PoolQuery | None]]:
    """One page of ``GET /pools``, and the query for the next one (None at the end)."""
    response = yield from sending.send(endpoints.list_pools_request(query), context)
    return _by_id(query, response, read_pool_page(response))


def trainings_page_flow(
    query: TrainingQuery, context: FlowContext
) -> Flow[tuple[Sequence[Training], TrainingQuery | None]]:
    """One page of ``GET /trainings``, and the query for the next one (None at the end)."""
    response = yield from sending.send(endpoints.list_trainings_request(query), context)
    return _by_id(query, response, read_training_page(response))


Q = TypeVar("Q", PoolQuery, TrainingQuery)
R = TypeVar("R", Pool, Training)


def _by_id(query: Q, response: httpx.Response, page: Page[R]) -> tuple[Sequence[R], Q | None]:
    """A page of a list in id order (which must move forward past ``id_gt``), and the query for
    the next one (by id, Toloka's way of paging; None at the end)."""
    ids = [item.id for item in page.items]
    refuse_unless_moving_forward(response, ids, query.id_gt, _pool_order)
    if not page.has_more or not page.items:
        return page.items, None
    return page.items, replace(query, id_gt=page.items[-1].id)


def _record_id(record: Record) -> str:
    return record.id


def _project_first(
    project_id: str | None, check_project: bool, what: str
) -> Callable[[FlowContext], Flow[object]] | None:
    """The read of the project a list is filtered by, to run before its first page (see
    ``pools_listing``); None when there is no project, or the caller has just read it."""
    if project_id is None or not check_project:
        return None
    return partial(_project_of_the_pools, project_id, what=what)


def _before(moment: datetime | None, bound: datetime | None) -> bool:
    return bound is None or (moment is not None and moment < as_utc(bound))


def _project_of_the_pools(
    project_id: str, context: FlowContext, what: str = "pools"
) -> Flow[object]:
    """The project whose pools are asked for; its 404 or 403 says so in a note."""
    try:
        return (yield from project_flow(project_id, context))
    except (NotFoundError, PermissionDeniedError) as error:
        missing = "does not exist" if isinstance(error, NotFoundError) else "is not this key's"
        error.add_note(f"the {what} of project {project_id} were asked for: the project {missing}")
        raise


def _pool_order(pool_id: str) -> int:
    return int(normalize_pool_id(pool_id))  # InvalidPoolIdError is a ValueError


def _earliest(*moments: datetime | None) -> datetime | None:
    return min((as_utc(moment) for moment in moments if moment is not None), default=None)
