"""The requests the facade sends, described by the generated client.

The generated ``sync_detailed``/``asyncio_detailed`` functions are not used for sending: they
parse inside the call, so a non-JSON 500 raises ``JSONDecodeError`` and a status such as 520
raises ``ValueError`` from deep inside, with the response lost. Instead the facade takes each
call's request description from the generated module (its path template and quoting, so the
spec stays the single source of truth), sends it itself, and reads the answer with the
generated models where the contract says they apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from toloka_archive._core.dates import toloka_text
from toloka_archive._core.flow import Request
from toloka_archive._wire import generated

MAX_PAGE_SIZE = 300
"""The most Toloka returns in one page of any list: its reference's general rule ("50 by
default, 300 at most"); ``openapi.yaml`` says the same for each list, and a contract test
checks that no request the client sends asks for more."""


def _request(kwargs: dict[str, Any]) -> Request:
    params = tuple((str(key), str(value)) for key, value in kwargs.get("params", {}).items())
    return Request(method=str(kwargs["method"]).upper(), url=str(kwargs["url"]), params=params)


def archive_pool_request(pool_id: str) -> Request:
    return _request(generated.archive_pool._get_kwargs(pool_id))


def close_pool_request(pool_id: str) -> Request:
    return _request(generated.close_pool._get_kwargs(pool_id))


def get_operation_request(operation_id: str) -> Request:
    return _request(generated.get_operation._get_kwargs(operation_id))


def get_operation_log_request(operation_id: str) -> Request:
    return _request(generated.get_operation_log._get_kwargs(operation_id))


def get_pool_request(pool_id: str) -> Request:
    return _request(generated.get_pool._get_kwargs(pool_id))


def last_rejection_request(pool_id: str) -> Request:
    """The pool's most recent rejected assignment: all the 9-day rule needs to know."""
    return _request(
        generated.get_assignments._get_kwargs(
            pool_id=pool_id, status="REJECTED", sort="-rejected", limit=1
        )
    )


@dataclass(frozen=True)
class OperationQuery:
    """One ``GET /operations`` page: filters (None: no filter), order and size.

    Times are sent as Toloka writes them, UTC without an offset.
    """

    type: str | None = None
    status: str | None = None
    submitted_gte: datetime | None = None
    submitted_lte: datetime | None = None
    id_gt: str | None = None
    sort: str = "id"
    limit: int = MAX_PAGE_SIZE


def list_operations_request(query: OperationQuery) -> Request:
    return _request(
        generated.get_operations._get_kwargs(
            type_=_given(query.type),
            status=_given(query.status),
            sort=query.sort,
            limit=query.limit,
            id_gt=_given(query.id_gt),
            submitted_gte=_moment(query.submitted_gte),
            submitted_lte=_moment(query.submitted_lte),
        )
    )


@dataclass(frozen=True)
class PoolQuery:
    """One ``GET /pools`` page: filters (None: no filter), in id order, ``limit`` a page."""

    project_id: str | None = None
    status: str | None = None
    created_lt: datetime | None = None
    last_started_lt: datetime | None = None
    id_gt: str | None = None
    limit: int = MAX_PAGE_SIZE


def list_pools_request(query: PoolQuery) -> Request:
    return _request(
        generated.get_pools._get_kwargs(
            project_id=_given(query.project_id),
            status=_given(query.status),
            created_lt=_moment(query.created_lt),
            last_started_lt=_moment(query.last_started_lt),
            id_gt=_given(query.id_gt),
            sort="id",
            limit=query.limit,
        )
    )


@dataclass(frozen=True)
class TrainingQuery:
    """One ``GET /trainings`` page: filters (None: no filter), in id order, ``limit`` a page."""

    project_id: str | None = None
    status: str | None = None
    id_gt: str | None = None
    limit: int = MAX_PAGE_SIZE


def list_trainings_request(query: TrainingQuery) -> Request:
    return _request(
        generated.get_trainings._get_kwargs(
            project_id=_given(query.project_id),
            status=_given(query.status),
            id_gt=_given(query.id_gt),
            sort="id",
            limit=query.limit,
        )
    )


def get_training_request(training_id: str) -> Request:
    return _request(generated.get_training._get_kwargs(training_id))


def archive_training_request(training_id: str) -> Request:
    return _request(generated.archive_training._get_kwargs(training_id))


def close_training_request(training_id: str) -> Request:
    return _request(generated.close_training._get_kwargs(training_id))


def get_project_request(project_id: str) -> Request:
    return _request(generated.get_project._get_kwargs(project_id))


def archive_project_request(project_id: str) -> Request:
    return _request(generated.archive_project._get_kwargs(project_id))


def _given(value: str | None) -> Any:
    """A filter's value, or the generated client's "leave it out" marker for None."""
    return generated.UNSET if value is None else value


def _moment(value: datetime | None) -> Any:
    return generated.UNSET if value is None else toloka_text(value)
