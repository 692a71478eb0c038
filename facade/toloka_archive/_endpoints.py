"""The requests the facade sends, described by the generated client.

The generated ``sync_detailed``/``asyncio_detailed`` functions are not used for sending: they
parse inside the call, so a non-JSON 500 raises ``JSONDecodeError`` and a status such as 520
raises ``ValueError`` from deep inside, with the response lost. Instead the facade takes each
call's request description from the generated module (its path template and quoting, so the
spec stays the single source of truth), sends it itself, and reads the answer with the
generated models where the contract says they apply.
"""

from __future__ import annotations

from typing import Any

from toloka_api.api.assignment import get_assignments
from toloka_api.api.operation import get_operation, get_operation_log
from toloka_api.api.pool import archive_pool, get_pool

from toloka_archive._flow import Request


def _request(kwargs: dict[str, Any]) -> Request:
    params = tuple((str(key), str(value)) for key, value in kwargs.get("params", {}).items())
    return Request(method=str(kwargs["method"]).upper(), url=str(kwargs["url"]), params=params)


def archive_pool_request(pool_id: str) -> Request:
    return _request(archive_pool._get_kwargs(pool_id))


def get_operation_request(operation_id: str) -> Request:
    return _request(get_operation._get_kwargs(operation_id))


def get_operation_log_request(operation_id: str) -> Request:
    return _request(get_operation_log._get_kwargs(operation_id))


def get_pool_request(pool_id: str) -> Request:
    return _request(get_pool._get_kwargs(pool_id))


def last_rejection_request(pool_id: str) -> Request:
    """The pool's most recent rejected assignment: all the 9-day rule needs to know."""
    return _request(
        get_assignments._get_kwargs(pool_id=pool_id, status="REJECTED", sort="-rejected", limit=1)
    )
