"""Starting the archives, and following them to a deadline: the two halves of the operator.

Both halves are the facade's bulk engine. Starting is ``archive_pools(..., wait=False)`` (or
``archive_trainings``): each subject gets its archive started (or its reason why not), and
nothing is waited for. Following is ``follow_operations(operation ids)``, the same for
``POOL.ARCHIVE`` and ``TRAINING.ARCHIVE``: it only reads operations, so it never starts a
second archive, however often it is run again (after a triggerer restart, say). The trigger
runs the async half on the triggerer's loop; a non-deferrable task runs the same with the
blocking client. No Airflow here: reports come back as ``Report.to_json()`` dicts, each naming
its subject (``subject``, ``subject_id``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from toloka_archive import AsyncTolokaClient, Outcome, Report, TolokaClient
from toloka_archive._core.clock import Clock
from toloka_archive.airflow._plan import POOLS, TRAININGS, Subjects

if TYPE_CHECKING:
    from toloka_archive import Pool, PoolSelection, Training

JSONReport = dict[str, Any]
OnStarted = Callable[[str, str], object]


@dataclass
class Started:
    """What starting left: the operations to follow (subject id -> operation id), and the
    reports of subjects that need no following (already archived, open, in the 9-day window,
    closed for editing, ...)."""

    operations: dict[str, str] = field(default_factory=dict)
    settled: list[JSONReport] = field(default_factory=list)

    def add(self, report: Report) -> None:
        if report.outcome is Outcome.STARTED and report.operation_id:
            self.operations[report.subject_id] = report.operation_id
        else:
            self.settled.append(report.to_json())


def find(
    client: TolokaClient, selection: PoolSelection, subjects: Subjects = POOLS
) -> Iterator[Pool] | Iterator[Training]:
    """What ``selection`` chooses among pools (``find_pools``) or trainings
    (``find_trainings``), read a page at a time."""
    if subjects is TRAININGS:
        return client.find_trainings(**selection.as_filters())
    return client.find_pools(**selection.as_filters())


def start_archives(
    client: TolokaClient,
    subject_ids: Iterable[str | int | Pool | Training],
    *,
    concurrency: int,
    subjects: Subjects = POOLS,
    include_editing: bool = False,
    on_started: OnStarted | None = None,
    on_report: Callable[[Report], object] | None = None,
) -> Started:
    """Start archiving every pool or training (``wait=False``); a ``RunEndingError`` ends it,
    as in the command, after ``on_started`` has been told of every operation already started.
    ``include_editing``: archive those closed for editing too (else left alone,
    ``being_edited``)."""
    started = Started()
    if subjects is TRAININGS:
        reports = client.archive_trainings(
            cast("Iterable[str | int | Training]", subject_ids),
            concurrency=concurrency,
            wait=False,
            include_editing=include_editing,
            on_started=on_started,
        )
    else:
        reports = client.archive_pools(
            cast("Iterable[str | int | Pool]", subject_ids),
            concurrency=concurrency,
            wait=False,
            include_editing=include_editing,
            on_started=on_started,
        )
    for report in reports:
        started.add(report)
        if on_report is not None:
            on_report(report)
    return started


def remaining(deadline: float | None, clock: Clock) -> float | None:
    """Seconds left until ``deadline`` (epoch seconds) on ``clock``; never below zero, so a
    deadline already passed still gets one look at each operation."""
    if deadline is None:
        return None
    return max(0.0, deadline - _epoch(clock))


def deadline_after(seconds: float | None, clock: Clock) -> float | None:
    """The deadline ``seconds`` from now on ``clock``, as epoch seconds; None for no deadline."""
    return None if seconds is None else _epoch(clock) + seconds


def _epoch(clock: Clock) -> float:
    now = clock.now()
    return (now.replace(tzinfo=UTC) if now.tzinfo is None else now).timestamp()


def format_deadline(deadline: float | None) -> str:
    if deadline is None:
        return "no deadline"
    return datetime.fromtimestamp(deadline, UTC).isoformat(timespec="seconds")


async def follow_async(
    client: AsyncTolokaClient,
    operations: Mapping[str, str],
    *,
    deadline: float | None,
    concurrency: int,
    clock: Clock,
    subjects: Subjects = POOLS,
) -> AsyncIterator[JSONReport]:
    """Follow the operations (subject id -> operation id) until each ends or the deadline; a
    report as each one ends."""
    by_operation = {operation_id: subject_id for subject_id, operation_id in operations.items()}
    async for report in client.follow_operations(
        list(by_operation), concurrency=concurrency, timeout=remaining(deadline, clock)
    ):
        yield _for_subject(report, by_operation, deadline, subjects)


def follow_blocking(
    client: TolokaClient,
    operations: Mapping[str, str],
    *,
    deadline: float | None,
    concurrency: int,
    clock: Clock,
    subjects: Subjects = POOLS,
) -> Iterator[JSONReport]:
    """``follow_async`` with the blocking client, for a task that does not defer."""
    by_operation = {operation_id: subject_id for subject_id, operation_id in operations.items()}
    for report in client.follow_operations(
        list(by_operation), concurrency=concurrency, timeout=remaining(deadline, clock)
    ):
        yield _for_subject(report, by_operation, deadline, subjects)


def _for_subject(
    report: Report, by_operation: Mapping[str, str], deadline: float | None, subjects: Subjects
) -> JSONReport:
    """The report as the subject's that was started: its id and noun from what was started
    (an operation that could not be read names none), and a timed-out one says until when it
    was followed."""
    subject_id = by_operation.get(report.operation_id or "")
    if subject_id is not None:
        report = replace(report, subject_id=subject_id, subject=subjects.noun)
    data = report.to_json()
    if report.outcome is Outcome.TIMED_OUT:
        data["detail"] = (
            f"still running at the deadline ({format_deadline(deadline)}); it goes on at Toloka: "
            f"follow operation {report.operation_id}"
        )
    return data


def unfollowed(
    operations: Mapping[str, str],
    reason: str,
    followed: Iterable[JSONReport] = (),
    subjects: Subjects = POOLS,
) -> Iterator[JSONReport]:
    """Reports for the operations not followed to their end (those not in ``followed``): each
    names its operation, so that nothing started is lost (``toloka-archive wait ID ...``)."""
    done = {report.get("operation_id") for report in followed}
    for subject_id, operation_id in operations.items():
        if operation_id in done:
            continue
        yield Report(
            subject_id,
            Outcome.UNKNOWN,
            f"archiving started, but it could not be followed ({reason}); it goes on at "
            f"Toloka: follow operation {operation_id}, or run the task again",
            operation_id,
            subject=subjects.noun,
        ).to_json()
