"""Choosing pools by what they are: a project, a status, how long they have stood idle.

``PoolSelection`` says which pools a user means; ``pools_page_flow`` reads one page of
``GET /pools`` and ``next_pools_page`` says how to ask for the next (Toloka pages by id: sorted
by id, ``id_gt`` the last id seen), so the clients can stream 100,000 pools a page at a time in
constant memory. What Toloka's filters cannot say is checked on each pool (``wants``): a pool is
idle since a moment when it was neither created, started nor stopped after it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from toloka_api.models import KnownPoolStatus, Pool, PoolPage

from toloka_archive import _endpoints, _retrying
from toloka_archive._context import FlowContext
from toloka_archive._endpoints import PoolQuery
from toloka_archive._flow import Flow
from toloka_archive._ids import normalize_pool_id
from toloka_archive._response import read_model
from toloka_archive._snapshot import timestamp

ARCHIVABLE_STATUS = KnownPoolStatus.CLOSED.value


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
        project = None if self.project_id is None else normalize_pool_id(self.project_id)
        created_before = _earliest(self.created_before, self.idle_since)
        return PoolQuery(
            project_id=project,
            status=self.status,
            created_lt=created_before,
            last_started_lt=self.last_started_before,
        )

    def wants(self, pool: Pool) -> bool:
        """What Toloka's filters cannot express, checked on one pool of a page."""
        if self.idle_since is None:
            return True
        cutoff = timestamp(self.idle_since)
        moments = (
            timestamp(pool.created),
            timestamp(pool.last_started),
            timestamp(pool.last_stopped),
        )
        return cutoff is not None and all(m is None or m < cutoff for m in moments)


def pools_page_flow(query: PoolQuery, context: FlowContext) -> Flow[PoolPage]:
    """One page of ``GET /pools``."""
    response = yield from _retrying.send(_endpoints.list_pools_request(query), context)
    return read_model(response, PoolPage)


def next_pools_page(query: PoolQuery, page: PoolPage) -> PoolQuery | None:
    """The query for the page after ``page`` (by id, Toloka's way of paging), or None."""
    if not page.has_more or not page.items:
        return None
    return replace(query, id_gt=page.items[-1].id)


def _earliest(*moments: datetime | None) -> datetime | None:
    known = [timestamp(moment) for moment in moments if moment is not None]
    present = [moment for moment in known if moment is not None]
    return min(present, default=None)
