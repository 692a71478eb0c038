"""Starting the archives, and following them to a deadline: the two halves of the operator.

Both halves are the facade's bulk engine. Starting is ``archive_pools(..., wait=False)``: each
pool gets its archive started (or its reason why not), and nothing is waited for. Following is
``follow_operations(operation ids)``: it only reads operations, so it never starts a second
archive, however often it is run again (after a triggerer restart, say). The trigger runs the
async half on the triggerer's loop; a non-deferrable task runs the same with the blocking
client. No Airflow here: reports come back as ``PoolReport.to_json()`` dicts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from toloka_archive import AsyncTolokaClient, Outcome, PoolReport, TolokaClient
from toloka_archive._core.clock import Clock

if TYPE_CHECKING:
    from toloka_archive import Pool

Report = dict[str, Any]
OnStarted = Callable[[str, str], object]


@dataclass
class Started:
    """What starting left: the operations to follow (pool id -> operation id), and the reports
    of pools that need no following (already archived, open, in the 9-day window, ...)."""

    operations: dict[str, str] = field(default_factory=dict)
    settled: list[Report] = field(default_factory=list)

    def add(self, report: PoolReport) -> None:
        if report.outcome is Outcome.STARTED and report.operation_id:
            self.operations[report.pool_id] = report.operation_id
        else:
            self.settled.append(report.to_json())


def start_archives(
    client: TolokaClient,
    pool_ids: Iterable[str | int | Pool],
    *,
    concurrency: int,
    on_started: OnStarted | None = None,
    on_report: Callable[[PoolReport], object] | None = None,
) -> Started:
    """Start archiving every pool (``wait=False``); a ``RunEndingError`` ends it, as in the
    command, after ``on_started`` has been told of every operation already started."""
    started = Started()
    reports = client.archive_pools(
        pool_ids,
        concurrency=concurrency,
        wait=False,
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
) -> AsyncIterator[Report]:
    """Follow the operations (pool id -> operation id) until each ends or the deadline; a
    report as each one ends."""
    by_operation = {operation_id: pool_id for pool_id, operation_id in operations.items()}
    async for report in client.follow_operations(
        list(by_operation), concurrency=concurrency, timeout=remaining(deadline, clock)
    ):
        yield _for_pool(report, by_operation, deadline)


def follow_blocking(
    client: TolokaClient,
    operations: Mapping[str, str],
    *,
    deadline: float | None,
    concurrency: int,
    clock: Clock,
) -> Iterator[Report]:
    """``follow_async`` with the blocking client, for a task that does not defer."""
    by_operation = {operation_id: pool_id for pool_id, operation_id in operations.items()}
    for report in client.follow_operations(
        list(by_operation), concurrency=concurrency, timeout=remaining(deadline, clock)
    ):
        yield _for_pool(report, by_operation, deadline)


def _for_pool(
    report: PoolReport, by_operation: Mapping[str, str], deadline: float | None
) -> Report:
    """The report as the pool's: its id from what was started (an operation that could not be
    read names no pool), and a timed-out one says until when it was followed."""
    data = report.to_json()
    pool_id = by_operation.get(report.operation_id or "")
    if pool_id is not None:
        data["pool_id"] = pool_id
    if report.outcome is Outcome.TIMED_OUT:
        data["detail"] = (
            f"still running at the deadline ({format_deadline(deadline)}); it goes on at Toloka: "
            f"follow operation {report.operation_id}"
        )
    return data


def unfollowed(
    operations: Mapping[str, str], reason: str, followed: Iterable[Report] = ()
) -> Iterator[Report]:
    """Reports for the operations not followed to their end (those not in ``followed``): each
    names its operation, so that nothing started is lost (``toloka-archive wait ID ...``)."""
    done = {report.get("operation_id") for report in followed}
    for pool_id, operation_id in operations.items():
        if operation_id in done:
            continue
        yield PoolReport(
            pool_id,
            Outcome.UNKNOWN,
            f"archiving started, but it could not be followed ({reason}); it goes on at "
            f"Toloka: follow operation {operation_id}, or run the task again",
            operation_id,
        ).to_json()
