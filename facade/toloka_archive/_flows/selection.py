"""Choosing pools by what they are: a project, a status, how long they have stood idle.

``PoolSelection`` says which pools a user means; ``pools_listing`` reads them from ``GET /pools``
a page at a time (Toloka pages by id: sorted by id, ``id_gt`` the last id seen; see
``_paging``), so the clients can stream 100,000 pools in constant memory. What Toloka's filters
cannot say is checked on each pool (``wants``): a pool is idle since a moment when it was
neither created, started nor stopped after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from toloka_archive._core.context import FlowContext
from toloka_archive._core.flow import Flow
from toloka_archive._core.ids import normalize_pool_id
from toloka_archive._flows import sending
from toloka_archive._wire import endpoints, generated
from toloka_archive._wire.endpoints import PoolQuery
from toloka_archive._wire.paging import Listing
from toloka_archive._wire.response import read_model
from toloka_archive._wire.snapshot import timestamp

if TYPE_CHECKING:
    from toloka_api.models import Pool

ARCHIVABLE_STATUS = "CLOSED"  # KnownPoolStatus.CLOSED, the pools that can be archived


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


def pools_listing(selection: PoolSelection) -> Listing[PoolQuery, Pool]:
    """What ``find_pools`` reads: ``GET /pools`` in id order, kept by ``selection.wants``."""
    return Listing(selection.first_query(), pools_page_flow, selection.wants)


def pools_page_flow(
    query: PoolQuery, context: FlowContext
) -> Flow[tuple[Sequence[Pool], PoolQuery | None]]:
    """One page of ``GET /pools``, and the query for the next one (by id, Toloka's way of
    paging; None at the end)."""
    response = yield from sending.send(endpoints.list_pools_request(query), context)
    page = read_model(response, generated.PoolPage)
    if not page.has_more or not page.items:
        return page.items, None
    return page.items, replace(query, id_gt=page.items[-1].id)


def _earliest(*moments: datetime | None) -> datetime | None:
    known = [timestamp(moment) for moment in moments if moment is not None]
    present = [moment for moment in known if moment is not None]
    return min(present, default=None)
