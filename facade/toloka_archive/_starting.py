"""Starting an archive: one request (with retries), and what its answer means.

``POST /pools/{id}/archive`` answers ``202`` with the Operation to follow, or an empty ``204``
when the pool is already archived; ``start_flow`` sends it and ``read_start`` reads the answer.
Waiting for the operation is ``_waiting``'s business.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx
from toloka_api.models import Operation

from toloka_archive import _endpoints, _retrying
from toloka_archive._context import FlowContext
from toloka_archive._flow import Flow
from toloka_archive._response import read_operation

logger = logging.getLogger("toloka_archive")


@dataclass(frozen=True)
class Started:
    """The answer to an archive request: an operation to follow, or nothing to do."""

    pool_id: str
    operation: Operation | None

    @property
    def already_archived(self) -> bool:
        return self.operation is None


def read_start(pool_id: str, response: httpx.Response) -> Started:
    """204 means the pool is already archived; any other success must carry the Operation,
    a ``POOL.ARCHIVE`` of this very pool."""
    if response.status_code == httpx.codes.NO_CONTENT:
        return Started(pool_id, None)
    return Started(pool_id, read_operation(response, pool_id=pool_id))


def start_flow(pool_id: str, context: FlowContext) -> Flow[Started]:
    response = yield from _retrying.send(_endpoints.archive_pool_request(pool_id), context)
    started = read_start(pool_id, response)
    if started.operation is None:
        logger.debug("pool %s is already archived", pool_id)
    else:
        logger.debug("pool %s: archive operation %s started", pool_id, started.operation.id)
    return started
