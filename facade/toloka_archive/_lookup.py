"""Asking Toloka what happened: a pool's archive operation, and the pool's status.

When the answer to an archive request is lost (a read timeout, a dropped connection, a 202
that cannot be read), the request may still have started an archive, and Toloka is the only
one who knows. These flows ask it: the operations list (``GET /operations``, archives only,
newest first) for an operation of this pool, and the pool itself (``GET /pools/{id}``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from toloka_api.models import KnownOperationType, KnownPoolStatus, Operation, OperationPage, Pool

from toloka_archive import _endpoints, _retrying
from toloka_archive._context import FlowContext
from toloka_archive._endpoints import MAX_PAGE_SIZE, OperationQuery
from toloka_archive._errors import InvalidOperationIdError
from toloka_archive._flow import Flow
from toloka_archive._ids import normalize_operation_id, normalize_pool_id
from toloka_archive._response import read_model, same_pool
from toloka_archive._snapshot import pool_id_of

ARCHIVE = KnownOperationType.POOL_ARCHIVE.value
ACTIVE_STATUSES = ("PENDING", "RUNNING")

FIRST_LOOKUP_PAGE = 50
"""The operation looked for is among the newest, so the look-up starts with a small page (a
page of 500 costs both sides far more than the few items needed) and grows it 4x a page."""

CLOCK_SKEW = timedelta(minutes=2)
"""How far Toloka's clock and ours may disagree: an operation our request started is looked
for from this long before we sent it."""


def page_flow(query: OperationQuery, context: FlowContext) -> Flow[OperationPage]:
    """One page of ``GET /operations``."""
    response = yield from _retrying.send(_endpoints.list_operations_request(query), context)
    return read_model(response, OperationPage)


def next_page(query: OperationQuery, page: OperationPage) -> OperationQuery | None:
    """The query for the page after ``page`` in id order (Toloka's way of paging), or None."""
    if not page.has_more or not page.items:
        return None
    return replace(query, id_gt=page.items[-1].id, sort="id")


def operations_query(
    *,
    type: str | None,  # Toloka's name for the filter
    status: str | None,
    pool_id: str | int | None,
    submitted_since: datetime | None,
    submitted_until: datetime | None,
) -> tuple[OperationQuery, Callable[[Operation], bool]]:
    """The first page's query for ``find_operations``, and the test each item must pass.

    Ids go through the same checks as everywhere (``pool_id`` digits); the pool is matched on
    each item, since Toloka's list cannot filter by it.
    """
    wanted_pool = None if pool_id is None else normalize_pool_id(pool_id)
    query = OperationQuery(
        type=type, status=status, submitted_gte=submitted_since, submitted_lte=submitted_until
    )

    def wanted(operation: Operation) -> bool:
        return wanted_pool is None or same_pool(pool_id_of(operation), wanted_pool)

    return query, wanted


def find_archive_flow(
    pool_id: str,
    *,
    since: datetime | None,
    statuses: Iterable[str | None],
    context: FlowContext,
) -> Flow[Operation | None]:
    """The newest ``POOL.ARCHIVE`` operation of ``pool_id`` submitted at or after ``since``.

    For each status in ``statuses`` (None: any), the list is read newest first, a page at a
    time, until an operation of the pool turns up or the list ends. An operation whose id
    could not be polled safely is passed over, as any answer that cannot be trusted.
    """
    for status in statuses:
        query = OperationQuery(
            type=ARCHIVE,
            status=status,
            submitted_gte=since,
            sort="-submitted",
            limit=FIRST_LOOKUP_PAGE,
        )
        seen: set[str] = set()
        while True:
            page = yield from page_flow(query, context)
            fresh = [item for item in page.items if item.id not in seen]
            for operation in fresh:
                if is_archive_of(operation, pool_id):
                    return operation
            if not page.has_more or not fresh:
                break
            # Newest first, so the next page is at or before the oldest seen; ties are skipped
            # by id, as paging by time alone could repeat or lose them.
            seen.update(item.id for item in fresh)
            query = replace(
                query,
                submitted_lte=min(item.submitted for item in fresh),
                limit=min(MAX_PAGE_SIZE, query.limit * 4),
            )
    return None


def pool_status_flow(pool_id: str, context: FlowContext) -> Flow[str]:
    """The pool's status as Toloka reports it now: ``CLOSED``, ``ARCHIVED``, ..."""
    response = yield from _retrying.send(_endpoints.get_pool_request(pool_id), context)
    status = read_model(response, Pool).status
    return status.value if isinstance(status, KnownPoolStatus) else str(status)


def is_archive_of(operation: Operation, pool_id: str) -> bool:
    if operation.type_ is not KnownOperationType.POOL_ARCHIVE:
        return False
    if not same_pool(pool_id_of(operation), pool_id):
        return False
    try:
        normalize_operation_id(operation.id)
    except InvalidOperationIdError:
        return False
    return True
