"""Asking Toloka what happened: the operation of a job, and a pool's or project's status.

When the answer to a request that starts an operation is lost (a read timeout, a dropped
connection, a 202 that cannot be read), the request may still have started it, and Toloka is
the only one who knows. These flows ask it, for a job of any kind (``kinds.Job``: "archive pool
21", "close pool 21"): the operations list (``GET /operations``, that type only, newest first)
for the job's operation, and the subject itself (``GET /pools/{id}``, ``GET /projects/{id}``).
The operations list is also what ``find_operations`` reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from toloka_archive._core.context import FlowContext
from toloka_archive._core.errors import NotFoundError, UnexpectedResponseError
from toloka_archive._core.flow import Flow
from toloka_archive._core.ids import (
    normalize_operation_id,
    normalize_pool_id,
    normalize_project_id,
    normalize_training_id,
    same_id,
)
from toloka_archive._core.models import Operation, OperationStatus, Phase, Project, Record
from toloka_archive._flows import sending
from toloka_archive._flows.waiting import fetch_flow
from toloka_archive._wire import endpoints
from toloka_archive._wire.endpoints import MAX_PAGE_SIZE, OperationQuery
from toloka_archive._wire.kinds import Job, Subject
from toloka_archive._wire.paging import Listing, Page, refuse_unless_moving_forward
from toloka_archive._wire.response import read_operation_page, read_project

ACTIVE_STATUSES = (OperationStatus.PENDING.value, OperationStatus.RUNNING.value)

FIRST_LOOKUP_PAGE = 50
"""The operation looked for is among the newest, so the look-up starts with a small page (a
full page costs both sides far more than the few items needed) and grows it 4x a page."""

CLOCK_SKEW = timedelta(minutes=2)
"""How far Toloka's clock and ours may disagree: an operation our request started is looked
for from this long before we sent it."""


def page_flow(query: OperationQuery, context: FlowContext) -> Flow[Page[Operation]]:
    """One page of ``GET /operations``."""
    response = yield from sending.send(endpoints.list_operations_request(query), context)
    return read_operation_page(response)


def next_page(query: OperationQuery, page: Page[Operation]) -> OperationQuery | None:
    """The query for the page after ``page`` in id order (Toloka's way of paging), or None."""
    if not page.has_more or not page.items:
        return None
    return replace(query, id_gt=page.items[-1].id, sort="id")


def operations_listing(
    *,
    type: str | None,  # Toloka's name for the filter
    status: str | None,
    pool_id: str | int | None,
    project_id: str | int | None,
    submitted_since: datetime | None,
    submitted_until: datetime | None,
    training_id: str | int | None = None,
) -> Listing[OperationQuery, Operation]:
    """What ``find_operations`` reads: the operations list in id order, filtered.

    Ids go through the same checks as everywhere (digits); the pool and the project are
    matched on each item, since Toloka's list cannot filter by them.
    """
    wanted_pool = None if pool_id is None else normalize_pool_id(pool_id)
    wanted_project = None if project_id is None else normalize_project_id(project_id)
    wanted_training = None if training_id is None else normalize_training_id(training_id)
    query = OperationQuery(
        type=type, status=status, submitted_gte=submitted_since, submitted_lte=submitted_until
    )

    def wanted(operation: Operation) -> bool:
        if wanted_pool is not None and not same_id(operation.pool_id, wanted_pool):
            return False
        if wanted_training is not None and not same_id(operation.training_id, wanted_training):
            return False
        return wanted_project is None or same_id(operation.project_id, wanted_project)

    return Listing("operation", query, _operations_page, _operation_id, wanted)


def _operation_id(operation: Operation) -> str:
    return operation.id


def _operations_page(
    query: OperationQuery, context: FlowContext
) -> Flow[tuple[Sequence[Operation], OperationQuery | None]]:
    """One page of the operations list in id order, which must move forward (operation ids
    are compared as text, as Toloka sorts them)."""
    response = yield from sending.send(endpoints.list_operations_request(query), context)
    page = read_operation_page(response)
    ids = [item.id for item in page.items]
    refuse_unless_moving_forward(response, ids, query.id_gt, normalize_operation_id)
    return page.items, next_page(query, page)


def find_operation_flow(
    job: Job,
    *,
    since: datetime | None,
    statuses: Iterable[str | None],
    context: FlowContext,
) -> Flow[Operation | None]:
    """The newest operation that is ``job`` (e.g. pool 21's ``POOL.ARCHIVE``), submitted at or
    after ``since``.

    For each status in ``statuses`` (None: any), the list is read newest first, a page at a
    time, until the operation turns up or the list ends. An operation whose id could not be
    polled safely is passed over, as any answer that cannot be trusted.
    """
    for status in statuses:
        query = OperationQuery(
            type=job.kind.type.value,
            status=status,
            submitted_gte=since,
            sort="-submitted",
            limit=FIRST_LOOKUP_PAGE,
        )
        seen: set[str] = set()
        while True:
            page = yield from page_flow(query, context)
            fresh = [item for item in page.items if item.id not in seen]
            _note_running(fresh, context)
            for operation in fresh:
                if job.matches(operation):
                    return operation
            moments = [item.submitted for item in fresh]
            oldest = min((moment for moment in moments if moment is not None), default=None)
            if not page.has_more or oldest is None:
                break
            # Newest first, so the next page is at or before the oldest seen; ties are skipped
            # by id, as paging by time alone could repeat or lose them.
            seen.update(item.id for item in fresh)
            query = replace(query, submitted_lte=oldest, limit=min(MAX_PAGE_SIZE, query.limit * 4))
    return None


def _note_running(operations: Iterable[Operation], context: FlowContext) -> None:
    """Note every pending or running operation of a known job on a page read (with an id that
    can be polled), for the next look-up."""
    for operation in operations:
        job = Job.of(operation)
        if job is not None and job.matches(operation) and operation.phase is Phase.WAITING:
            context.running.note(job.key, operation.id)


def running_operation_flow(job: Job, context: FlowContext) -> Flow[Operation | None]:
    """The pending or running operation that is ``job``, if Toloka has one.

    The client's notes (``RunningOperations``) are asked first, and one poll of the operation
    they name confirms it: still this job, and not failed (one that has just succeeded is the
    truth too). Otherwise, or when the note proves wrong, the running operations of the job's
    type are read newest first, and every page read adds to the notes.
    """
    noted = context.running.get(job.key)
    if noted is not None:
        operation = yield from operation_if_there_flow(noted, context)
        if operation is not None and job.matches(operation) and operation.phase is not Phase.FAILED:
            return operation
        context.running.forget(job.key, noted)
    return (
        yield from find_operation_flow(job, since=None, statuses=ACTIVE_STATUSES, context=context)
    )


def operation_if_there_flow(operation_id: str, context: FlowContext) -> Flow[Operation | None]:
    """The operation ``operation_id`` as Toloka shows it now; None when Toloka has none by that
    id or answers with something unusable (a hint that proves wrong is no worse than none)."""
    try:
        return (yield from fetch_flow(operation_id, context))
    except (NotFoundError, UnexpectedResponseError):
        return None


def status_flow(job: Job, context: FlowContext) -> Flow[str]:
    """The status of the job's subject as Toloka reports it now: ``ARCHIVED``, ``CLOSED``, ..."""
    record = yield from record_flow(job.kind.subject, job.subject_id, context)
    return str(record.status)


def record_flow(subject: Subject, subject_id: str, context: FlowContext) -> Flow[Record]:
    """The subject as Toloka has it now: ``GET /pools/{id}``, ``GET /trainings/{id}``, ..."""
    response = yield from sending.send(subject.read_request(subject_id), context)
    return subject.read(response)


def project_flow(project_id: str, context: FlowContext) -> Flow[Project]:
    """The project: ``GET /projects/{id}``."""
    response = yield from sending.send(endpoints.get_project_request(project_id), context)
    return read_project(response)
