"""The pre-flight check: can this pool be archived now, and if not, why and from when?

Toloka archives only ``CLOSED`` pools, and a pool with rejected assignments only 9 days after
the last rejection (the Tolokers' appeal window). Two reads answer both questions without
changing anything: the pool (its status) and its most recent rejected assignment.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from toloka_archive._core.clock import utc_now
from toloka_archive._core.context import FlowContext
from toloka_archive._core.dates import as_utc, format_moment, parse_timestamp
from toloka_archive._core.flow import Flow
from toloka_archive._core.models import Pool, PoolStatus
from toloka_archive._flows import sending
from toloka_archive._wire import endpoints, generated
from toloka_archive._wire.response import read_model, read_pool

APPEAL_WINDOW = timedelta(days=9)


class Verdict(enum.Enum):
    ARCHIVABLE = "archivable"
    ALREADY_ARCHIVED = "already_archived"
    WRONG_STATUS = "wrong_status"
    REJECTION_WINDOW = "rejection_window"


@dataclass(frozen=True)
class Archivability:
    """What the pre-flight found for one pool.

    ``archivable_from`` (UTC, timezone-aware) is set when recent rejections block the pool:
    the last rejection plus 9 days.
    """

    pool_id: str
    verdict: Verdict
    pool_status: str
    last_rejected: datetime | None = None
    archivable_from: datetime | None = None

    @property
    def can_archive_now(self) -> bool:
        return self.verdict is Verdict.ARCHIVABLE

    @property
    def reason(self) -> str:
        """The verdict in plain words, for people."""
        if self.verdict is Verdict.ARCHIVABLE:
            return "can be archived now"
        if self.verdict is Verdict.ALREADY_ARCHIVED:
            return "already archived"
        if self.verdict is Verdict.WRONG_STATUS:
            advice = (
                "close it first"
                if self.pool_status == PoolStatus.OPEN
                else "only CLOSED pools can be archived"
            )
            return f"status {self.pool_status}, {advice}"
        assert self.archivable_from is not None
        return f"has rejected tasks, archivable from {format_moment(self.archivable_from)}"


def judge(pool_id: str, pool: Pool, last_rejected: datetime | None, now: datetime) -> Archivability:
    """The pure decision, from what the two reads returned."""
    status = str(pool.status)
    if status == PoolStatus.ARCHIVED:
        return Archivability(pool_id, Verdict.ALREADY_ARCHIVED, status)
    if status != PoolStatus.CLOSED:
        return Archivability(pool_id, Verdict.WRONG_STATUS, status)
    if last_rejected is not None:
        archivable_from = as_utc(last_rejected) + APPEAL_WINDOW
        if now < archivable_from:
            return Archivability(
                pool_id, Verdict.REJECTION_WINDOW, status, as_utc(last_rejected), archivable_from
            )
        return Archivability(pool_id, Verdict.ARCHIVABLE, status, as_utc(last_rejected))
    return Archivability(pool_id, Verdict.ARCHIVABLE, status)


def preflight_flow(pool_id: str, context: FlowContext) -> Flow[Archivability]:
    """Read the pool, and its last rejection when it is closed; judge by the client's clock."""
    response = yield from sending.send(endpoints.get_pool_request(pool_id), context)
    pool = read_pool(response)
    last_rejected: datetime | None = None
    if pool.status == PoolStatus.CLOSED:
        response = yield from sending.send(endpoints.last_rejection_request(pool_id), context)
        page = read_model(response, generated.AssignmentPage)
        moments = [parse_timestamp(item.rejected) for item in page.items]
        last_rejected = max((moment for moment in moments if moment is not None), default=None)
    return judge(pool_id, pool, last_rejected, utc_now(context.clock))
