"""The pre-flight check: can this pool (or training) be archived now, and if not, why and from
when?

Toloka archives only ``CLOSED`` pools and trainings, and a pool with rejected assignments only 9
days after the last rejection (the Tolokers' appeal window). Reads answer both questions
without changing anything: the subject itself (its status, and why it was closed), and, for a
subject with the rejection window, its most recent rejected assignment. A pool someone closed to
edit it (``FOR_UPDATE``) is not archived from under them without consent (``consent``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from toloka_archive._core.clock import utc_now
from toloka_archive._core.context import FlowContext
from toloka_archive._core.dates import as_utc, format_moment, parse_timestamp
from toloka_archive._core.flow import Flow
from toloka_archive._core.models import PoolStatus, Record, closed_for_editing
from toloka_archive._flows import sending
from toloka_archive._flows.lookup import record_flow
from toloka_archive._wire import endpoints, generated
from toloka_archive._wire.kinds import Subject
from toloka_archive._wire.response import read_model

APPEAL_WINDOW = timedelta(days=9)

EDITING_ADVICE = "someone closed it to edit it; Toloka reopens it within 15 minutes"


class Verdict(enum.Enum):
    ARCHIVABLE = "archivable"
    ALREADY_ARCHIVED = "already_archived"
    WRONG_STATUS = "wrong_status"
    REJECTION_WINDOW = "rejection_window"
    CLOSED_FOR_EDITING = "closed_for_editing"  # CLOSED for editing (FOR_UPDATE), no consent


@dataclass(frozen=True)
class Archivability:
    """What the pre-flight found for one pool (or training: ``noun``).

    ``archivable_from`` (UTC, timezone-aware) is set when recent rejections block the pool:
    the last rejection plus 9 days.
    """

    subject_id: str
    verdict: Verdict
    subject_status: str
    last_rejected: datetime | None = None
    archivable_from: datetime | None = None
    noun: str = "pool"

    @property
    def pool_id(self) -> str:
        """The 0.1 name of ``subject_id``."""
        return self.subject_id

    @property
    def pool_status(self) -> str:
        """The 0.1 name of ``subject_status``."""
        return self.subject_status

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
        if self.verdict is Verdict.CLOSED_FOR_EDITING:
            return (
                f"closed for editing: {EDITING_ADVICE}; left as it is "
                "(--include-editing, include_editing=True, archives it anyway)"
            )
        if self.verdict is Verdict.WRONG_STATUS:
            advice = (
                "close it first"
                if self.subject_status == PoolStatus.OPEN
                else f"only CLOSED {self.noun}s can be archived"
            )
            return f"status {self.subject_status}, {advice}"
        assert self.archivable_from is not None
        return f"has rejected tasks, archivable from {format_moment(self.archivable_from)}"


def judge(
    subject_id: str,
    record: Record,
    last_rejected: datetime | None,
    now: datetime,
    *,
    noun: str = "pool",
    consent: bool = False,
) -> Archivability:
    """The pure decision, from what the reads returned. ``consent``: archive a subject closed
    for editing all the same."""
    status = str(record.status)
    if status == PoolStatus.ARCHIVED:
        return Archivability(subject_id, Verdict.ALREADY_ARCHIVED, status, noun=noun)
    if status != PoolStatus.CLOSED:
        return Archivability(subject_id, Verdict.WRONG_STATUS, status, noun=noun)
    if closed_for_editing(record) and not consent:
        return Archivability(subject_id, Verdict.CLOSED_FOR_EDITING, status, noun=noun)
    rejected = None if last_rejected is None else as_utc(last_rejected)
    if rejected is not None and now < rejected + APPEAL_WINDOW:
        return Archivability(
            subject_id, Verdict.REJECTION_WINDOW, status, rejected, rejected + APPEAL_WINDOW, noun
        )
    return Archivability(subject_id, Verdict.ARCHIVABLE, status, rejected, noun=noun)


def preflight_flow(
    subject: Subject, subject_id: str, context: FlowContext, *, consent: bool = False
) -> Flow[Archivability]:
    """Read the subject, and its last rejection when it is closed and has the 9-day rule;
    judge by the client's clock."""
    record = yield from record_flow(subject, subject_id, context)
    last_rejected: datetime | None = None
    if subject.rejection_window and record.status == PoolStatus.CLOSED:
        response = yield from sending.send(endpoints.last_rejection_request(subject_id), context)
        page = read_model(response, generated.AssignmentPage)
        moments = [parse_timestamp(item.rejected) for item in page.items]
        last_rejected = max((moment for moment in moments if moment is not None), default=None)
    return judge(
        subject_id,
        record,
        last_rejected,
        utc_now(context.clock),
        noun=subject.noun,
        consent=consent,
    )
