"""The request-handling core: one request in, one `Reply` out, for every way of reaching the fake.

Endpoints (under ``/api/v1``): ``POST /pools/{id}/archive``, ``POST /pools/{id}/close``,
``GET /operations/{id}``,
``GET /operations/{id}/log``, ``GET /operations`` (the requester's operations, filtered,
sorted and paged; see `_world.listing`), the two reads of the facade's pre-flight check,
``GET /pools/{id}`` and ``GET /assignments?pool_id=&status=&sort=&limit=``, and archiving by
project: ``GET /pools`` (the requester's pools, filtered, sorted and paged), ``GET
/projects/{id}`` and ``POST /projects/{id}/archive``.

`TolokaApp.handle` takes what any HTTP carrier can give (method, raw path, raw query, headers)
and returns a `Reply`; it never touches a socket and never sleeps. The in-process transports
and the loopback server are thin adapters around it, so a behaviour tested through one of them
holds for all.

A request goes through the layers a real request to Toloka meets, in this order:

1. routing (which endpoint, which pool, so that faults can be matched);
2. injected faults (the infrastructure in front of Toloka: proxies, overload, lost
   connections); a ``slow`` fault only delays whatever comes next;
3. the rate limit (429 ``TOO_MANY_REQUESTS`` with ``Retry-After`` and
   ``payload: {"interval": "SEC", "limit": N}``; see `_world.ratelimit`);
4. authentication (401), then the endpoint: validation (400), existence (404), ownership (403),
   and the pool's or project's state (204, 409 or 202);
5. for an archive or a close about to start, the faults decided at that moment
   (`faults.START_KINDS`): another client starting it first (``locked_by_other``), the
   operation failing (``operation_fail``), and the answer lost or spoiled after the start
   (``drop_after_commit``, ``timeout_after_commit``, ``truncated_202``, ``invalid_json_202``).

Closing a pool: Toloka documents the 202 (a ``POOL.CLOSE`` operation) and the 204 for a pool
already ``CLOSED``; the rest is assumed, as openapi.yaml says. While any operation runs on the
pool (an archive or a close) the request answers 409 ``POOL_LOCKED_BY_ANOTHER_OPERATION`` with
``payload.operation_id``, as archiving does, and before the 204 (a pool being archived is still
``CLOSED``: it is locked, not idle); an ``ARCHIVED`` or ``LOCKED`` pool answers 409
``INAPPROPRIATE_STATUS`` with ``payload.appropriate_statuses`` ``["OPEN"]``, the one status a
close starts from (archiving likewise lists only ``CLOSED``, not the ``ARCHIVED`` of its 204).
While a close runs, archiving the pool meets the same lock 409.
"""

from __future__ import annotations

import collections
import dataclasses
import threading
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote

from toloka_archive.testing._api.faults import Fault, FaultBook, StartEndpoint
from toloka_archive.testing._carriers.wire import (
    DISCONNECT,
    Reply,
    bad_gateway,
    error_reply,
    json_reply,
    no_content,
    not_json,
    page_not_found,
    silent,
    truncated,
)
from toloka_archive.testing._world.auth import Requesters
from toloka_archive.testing._world.clock import Clock, timestamp
from toloka_archive.testing._world.listing import Invalid, OperationQuery, PoolQuery, sort_keys
from toloka_archive.testing._world.ratelimit import WINDOW_NAME, RateLimiter
from toloka_archive.testing._world.seeded import SeededSequence
from toloka_archive.testing._world.state import OperationState, PoolState, ProjectState, WorldState
from toloka_archive.testing._world.validation import is_digits

BASE_PATH = "/api/v1"

INAPPROPRIATE_STATUS_MESSAGE = (
    "This or related resource is in inappropriate status, operation is not allowed"
)

SORT_KEYS = ("id", "created", "submitted", "skipped", "expired", "accepted", "rejected")

REQUEST_LOG_SIZE = 10_000
"""How many recent requests `TolokaApp.requests` keeps (the count is kept for all of them)."""


@dataclasses.dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request the fake answered. Credentials are never recorded."""

    method: str
    path: str
    status: int | None  # None: no answer (the connection was dropped, or left silent)
    fault: str | None  # the kind of the injected fault that decided the answer, if any
    delay: float  # seconds the answer was held back by ``slow`` faults
    endpoint: str | None = None  # one of faults.ENDPOINTS, e.g. "close"; None: no known one
    ident: str | None = None  # the pool, project or operation id in the path, if any


@dataclasses.dataclass(frozen=True, slots=True)
class _Route:
    endpoint: str | None  # one of faults.ENDPOINTS; None for no known endpoint
    ident: str = ""  # the pool, project or operation id from the path, percent-decoded
    query: Mapping[str, list[str]] = dataclasses.field(default_factory=dict)
    allowed: str | None = None  # the method the path answers to, when the method was wrong
    outside_api: bool = False  # the path is not under /api/v1: the web site, not the API


_NOT_FOUND = _Route(endpoint=None)
_OUTSIDE_API = _Route(endpoint=None, outside_api=True)


def _route(method: str, path: str, query: str) -> _Route:
    if not path.startswith(BASE_PATH + "/"):
        return _OUTSIDE_API
    parts = [unquote(part) for part in path[len(BASE_PATH) + 1 :].split("/")]
    ident = parts[1] if len(parts) > 1 else ""
    if len(parts) == 3 and parts[0] == "pools" and parts[2] == "archive":
        endpoint, expected = "archive", "POST"
    elif len(parts) == 3 and parts[0] == "pools" and parts[2] == "close":
        endpoint, expected = "close", "POST"
    elif len(parts) == 2 and parts[0] == "pools":
        endpoint, expected = "pool", "GET"
    elif parts == ["pools"]:
        endpoint, expected = "pools", "GET"
    elif len(parts) == 3 and parts[0] == "projects" and parts[2] == "archive":
        endpoint, expected = "project_archive", "POST"
    elif len(parts) == 2 and parts[0] == "projects":
        endpoint, expected = "project", "GET"
    elif parts == ["assignments"]:
        endpoint, expected = "assignments", "GET"
    elif parts == ["operations"]:
        endpoint, expected = "operations", "GET"
    elif len(parts) == 2 and parts[0] == "operations" and ident:
        endpoint, expected = "operation", "GET"
    elif len(parts) == 3 and parts[0] == "operations" and ident and parts[2] == "log":
        endpoint, expected = "log", "GET"
    else:
        return _NOT_FOUND
    if method != expected:
        return _Route(endpoint=None, allowed=expected)
    reads_query = endpoint in ("assignments", "operations", "pools")
    parsed = parse_qs(query, keep_blank_values=True) if reads_query else {}
    return _Route(endpoint=endpoint, ident=ident, query=parsed)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    for key, candidate in headers.items():
        if key.lower() == name:
            return candidate
    return None


class TolokaApp:
    """Toloka's API over a `WorldState`. Thread-safe: one lock around each request."""

    def __init__(self, clock: Clock, seed: int, rate_limit: int | None) -> None:
        self.clock = clock
        self.seed = seed
        self.state = WorldState(clock)
        self.requesters = Requesters()
        self.faults = FaultBook(seed)
        self.limiter = RateLimiter(rate_limit)
        self.lock = threading.Lock()
        self.request_count = 0
        self.log: collections.deque[RecordedRequest] = collections.deque(maxlen=REQUEST_LOG_SIZE)
        self._request_ids = SeededSequence(seed, "request-id")
        self._operation_ids = SeededSequence(seed, "operation-id")
        # The kind of a fault decided while the endpoint ran (an operation about to start), if any.
        self._decided_by: str | None = None

    def handle(self, method: str, path: str, query: str, headers: Mapping[str, str]) -> Reply:
        """Answer one request. ``path`` and ``query`` are raw (still percent-encoded)."""
        method = method.upper()
        with self.lock:
            route = _route(method, path, query)
            verdict = self.faults.for_request(route.endpoint, self._pool_of(route))
            self._decided_by = None if verdict.fault is None else verdict.fault.kind
            if verdict.fault is not None:
                reply = self._fault_reply(verdict.fault)
            elif not self.limiter.admit(now := self.clock.monotonic()):
                reply = self._over_the_limit(now)
            else:
                reply = self._dispatch(method, route, headers)
            reply = reply.delayed(verdict.delay)
            self.request_count += 1
            self.log.append(
                RecordedRequest(
                    method=method,
                    path=path,
                    status=reply.status if reply.answered else None,
                    fault=self._decided_by,
                    delay=reply.delay,
                    endpoint=route.endpoint,
                    ident=route.ident or None,
                )
            )
            return reply

    def _pool_of(self, route: _Route) -> str | None:
        """The pool a request is about, for matching per-pool faults."""
        if route.endpoint in ("archive", "close", "pool"):
            return route.ident
        if route.endpoint == "assignments":
            values = route.query.get("pool_id")
            return values[-1] if values else None
        if route.endpoint in ("operation", "log"):
            return self.state.pool_of_operation(route.ident)
        return None

    def _over_the_limit(self, now: float) -> Reply:
        """The rate limit's 429: Toloka's error body, with which limit in ``payload``, and
        ``Retry-After``: the seconds until the window has room again, rounded up."""
        limit = self.limiter.limit
        return self._error(
            429,
            "TOO_MANY_REQUESTS",
            f"Too many requests: more than {limit} a second",
            payload={"interval": WINDOW_NAME, "limit": limit},
            headers=(("retry-after", str(self.limiter.retry_after(now))),),
        )

    def _fault_reply(self, fault: Fault) -> Reply:
        kind = fault.kind
        if kind == "rate_limit":
            return self._error(
                429, "TOO_MANY_REQUESTS", "Too many requests", headers=fault.retry_after_headers()
            )
        if kind == "internal_error":
            return self._error(500, "INTERNAL_ERROR", "Internal server error")
        if kind == "unavailable":
            return self._error(
                503, "REMOTE_SERVICE_UNAVAILABLE", "Remote service is temporarily unavailable"
            )
        if kind == "bad_gateway":
            return bad_gateway()
        if kind == "disconnect":
            return DISCONNECT
        raise AssertionError(f"fault kind {kind!r} does not replace an answer")

    def _error(
        self,
        status: int,
        code: str,
        message: str,
        payload: dict[str, Any] | None = None,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> Reply:
        request_id = self._request_ids.next_uuid()
        return error_reply(status, request_id, code, message, payload, headers)

    def _dispatch(self, method: str, route: _Route, headers: Mapping[str, str]) -> Reply:
        if route.endpoint is None:
            if route.allowed is not None:
                return self._error(
                    405,
                    "METHOD_NOT_ALLOWED",
                    f"Method {method} is not allowed here; use {route.allowed}",
                    headers=(("allow", route.allowed),),
                )
            if route.outside_api:
                return page_not_found()
            return self._error(404, "DOES_NOT_EXIST", "Resource does not exist")
        requester = self.requesters.identify(_header(headers, "authorization"))
        if requester is None:
            return self._error(
                401,
                "AUTHENTICATION_ERROR",
                "Authentication failed: the Authorization header is missing or not valid",
            )
        if route.endpoint == "archive":
            return self._archive(requester, route.ident)
        if route.endpoint == "close":
            return self._close(requester, route.ident)
        if route.endpoint == "pool":
            return self._read_pool(requester, route.ident)
        if route.endpoint == "assignments":
            return self._assignments(requester, route.query)
        if route.endpoint == "operations":
            return self._list_operations(requester, route.query)
        if route.endpoint == "pools":
            return self._list_pools(requester, route.query)
        if route.endpoint == "project":
            return self._read_project(requester, route.ident)
        if route.endpoint == "project_archive":
            return self._archive_project(requester, route.ident)
        return self._read_operation(requester, route.ident, log=route.endpoint == "log")

    def _invalid(self, field: str, message: str) -> Reply:
        return self._error(
            400,
            "VALIDATION_ERROR",
            "Validation failed",
            {field: {"code": "VALUE_INVALID", "message": message}},
        )

    def _own_pool(self, requester: str, pool_id: str) -> PoolState | Reply:
        """The requester's pool, or the error that says why it is not available."""
        if not is_digits(pool_id):
            return self._invalid("pool_id", "must be decimal digits")
        pool = self.state.pool(pool_id)
        if pool is None:
            return self._error(404, "DOES_NOT_EXIST", "Pool does not exist")
        if pool.owner != requester:
            return self._error(403, "ACCESS_DENIED", "Access denied")
        return pool

    def _read_pool(self, requester: str, pool_id: str) -> Reply:
        pool = self._own_pool(requester, pool_id)
        if isinstance(pool, Reply):
            return pool
        return json_reply(200, pool.to_json())

    def _list_pools(self, requester: str, query: Mapping[str, list[str]]) -> Reply:
        """``GET /pools``: the requester's pools, filtered, sorted and paged as `_world.listing`
        describes; a bad parameter answers 400."""
        parsed = PoolQuery.parse(query)
        if isinstance(parsed, Invalid):
            return self._invalid(parsed.field, parsed.message)
        items, has_more = parsed.page(self.state.pools(owner=requester))
        return json_reply(200, {"items": [item.to_json() for item in items], "has_more": has_more})

    def _own_project(self, requester: str, project_id: str) -> ProjectState | Reply:
        """The requester's project, or the error that says why it is not available."""
        if not is_digits(project_id):
            return self._invalid("project_id", "must be decimal digits")
        project = self.state.project(project_id)
        if project is None:
            return self._error(404, "DOES_NOT_EXIST", "Project does not exist")
        if project.owner != requester:
            return self._error(403, "ACCESS_DENIED", "Access denied")
        return project

    def _read_project(self, requester: str, project_id: str) -> Reply:
        project = self._own_project(requester, project_id)
        if isinstance(project, Reply):
            return project
        return json_reply(200, project.to_json())

    def _archive_project(self, requester: str, project_id: str) -> Reply:
        """``POST /projects/{id}/archive``. Toloka documents only the 202; the rest is assumed
        (see openapi.yaml): 204 when archived already, 409 ``CONFLICT_STATE`` while an archive
        of the project runs, 409 ``UNARCHIVED_POOLS_CONFLICT`` while a pool is not archived."""
        project = self._own_project(requester, project_id)
        if isinstance(project, Reply):
            return project
        if project.status == "ARCHIVED":
            return no_content()
        active = self.state.active_project_operation(project_id)
        if active is not None:
            return self._error(
                409,
                "CONFLICT_STATE",
                "The project is being archived by another operation",
                {"operation_id": active},
            )
        if self.state.unarchived_pools(project_id):
            return self._error(
                409, "UNARCHIVED_POOLS_CONFLICT", "The project has pools that are not archived"
            )
        operation = self.state.start_project_archive(
            project_id, self._operation_ids.next_ordered_id(), fails=False
        )
        return json_reply(202, operation.to_json())

    def _assignments(self, requester: str, query: Mapping[str, list[str]]) -> Reply:
        """The rejected assignments of one of the requester's pools: the fake knows one per
        pool, its last rejection, so a page holds at most one item.

        ``pool_id`` is required (Toloka wants a pool, a task or a task suite; the fake knows
        only pools); another requester's pool, or an unknown one, lists nothing. ``status``
        (comma-separated) filters; ``sort`` (comma-separated keys, ``-`` for descending) and
        ``limit`` (1..300, default 50) are checked, an unknown or empty sort key refused; other
        parameters are ignored, as they would not change what the fake knows.
        """
        last = {key: values[-1] for key, values in query.items() if values}
        pool_id = last.get("pool_id")
        if pool_id is None:
            return self._invalid("pool_id", "required: the pool whose assignments to list")
        if not is_digits(pool_id):
            return self._invalid("pool_id", "must be decimal digits")
        limit_text = last.get("limit", "50")
        if not (is_digits(limit_text) and 1 <= int(limit_text) <= 300):
            return self._invalid("limit", "must be an integer from 1 to 300")
        if "sort" in last:
            sorting = sort_keys(last["sort"], SORT_KEYS)
            if isinstance(sorting, Invalid):
                return self._invalid(sorting.field, sorting.message)
        items: list[dict[str, Any]] = []
        statuses = set(last["status"].split(",")) if "status" in last else {"REJECTED"}
        pool = self.state.pool(pool_id)
        if (
            "REJECTED" in statuses
            and pool is not None
            and pool.owner == requester
            and pool.last_rejected is not None
        ):
            items.append(self._rejected_assignment(pool))
        return json_reply(200, {"items": items, "has_more": False})

    def _rejected_assignment(self, pool: PoolState) -> dict[str, Any]:
        assert pool.last_rejected is not None
        # Stable per pool and seed, so that the same scenario lists the same ids.
        assignment_id = uuid.uuid5(uuid.NAMESPACE_URL, f"fake-toloka/{self.seed}/{pool.id}")
        return {
            "id": str(assignment_id),
            "pool_id": pool.id,
            "status": "REJECTED",
            "rejected": timestamp(pool.last_rejected),
        }

    def _archive(self, requester: str, pool_id: str) -> Reply:
        return self._start_on_pool(requester, pool_id, "archive")

    def _close(self, requester: str, pool_id: str) -> Reply:
        return self._start_on_pool(requester, pool_id, "close")

    def _start_on_pool(self, requester: str, pool_id: str, endpoint: StartEndpoint) -> Reply:
        """``POST /pools/{id}/archive`` or ``/close``: the same steps, the pool's own rules."""
        pool = self._own_pool(requester, pool_id)
        if isinstance(pool, Reply):
            return pool
        refused = self._refusal(pool, endpoint)
        if refused is not None:
            return refused
        # The operation would start now: this is where the start faults are decided.
        if self.faults.locked_by_other(pool_id, endpoint):
            self._start(pool_id, endpoint)  # another client's request, a moment earlier
            # Now the request meets exactly what any request meets after that one.
            now = self.state.pool(pool_id)
            assert now is not None
            refused = self._refusal(now, endpoint)
            if refused is not None:
                self._decided_by = "locked_by_other"
                return refused
        operation = self._start(pool_id, endpoint)
        reply = json_reply(202, operation.to_json())
        lost = self.faults.lost_answer(pool_id, endpoint)
        if lost is None:
            return reply
        self._decided_by = lost.kind
        if lost.kind == "drop_after_commit":
            return DISCONNECT
        if lost.kind == "timeout_after_commit":
            return silent(lost.silence_seconds)
        if lost.kind == "truncated_202":
            return truncated(reply)
        return not_json(reply)

    def _start(self, pool_id: str, endpoint: StartEndpoint) -> OperationState:
        start = self.state.start_archive if endpoint == "archive" else self.state.start_close
        return start(
            pool_id,
            self._operation_ids.next_ordered_id(),
            fails=self.faults.operation_fails(pool_id, endpoint),
        )

    def _refusal(self, pool: PoolState, endpoint: StartEndpoint) -> Reply | None:
        if endpoint == "archive":
            return self._archive_refusal(pool)
        return self._close_refusal(pool)

    def _archive_refusal(self, pool: PoolState) -> Reply | None:
        """Why the pool cannot be archived now (204 included), or None if it can."""
        if pool.status == "ARCHIVED":
            return no_content()
        locked = self._lock(pool)
        if locked is not None:
            return locked
        if pool.status != "CLOSED":
            return self._inappropriate_status("CLOSED")
        return self._rejection_block(pool)

    def _close_refusal(self, pool: PoolState) -> Reply | None:
        """Why the pool cannot be closed now (204 included), or None if it can. Only the 204
        is Toloka's; the order and the 409s are assumed (see the module's docstring)."""
        locked = self._lock(pool)
        if locked is not None:
            return locked
        if pool.status == "CLOSED":
            return no_content()
        if pool.status != "OPEN":
            return self._inappropriate_status("OPEN")
        return None

    def _lock(self, pool: PoolState) -> Reply | None:
        """The 409 of a pool an operation (an archive or a close) is running on, if one is."""
        active = self.state.active_operation(pool.id)
        if active is None:
            return None
        return self._error(
            409,
            "POOL_LOCKED_BY_ANOTHER_OPERATION",
            "The pool is locked by another operation",
            {"operation_id": active},
        )

    def _inappropriate_status(self, *appropriate: str) -> Reply:
        return self._error(
            409,
            "INAPPROPRIATE_STATUS",
            INAPPROPRIATE_STATUS_MESSAGE,
            {"appropriate_statuses": list(appropriate)},
        )

    def _rejection_block(self, pool: PoolState) -> Reply | None:
        archivable_from = pool.archivable_from
        if pool.last_rejected is None or archivable_from is None:
            return None
        if self.clock.now() >= archivable_from:
            return None
        return self._error(
            409,
            "THERE_IS_REJECTED_ASSIGNMENT",
            "The pool has assignments rejected less than 9 days ago; "
            "it can be archived when the appeal period is over",
            {
                "last_rejected": timestamp(pool.last_rejected),
                "archivable_from": timestamp(archivable_from),
            },
        )

    def _list_operations(self, requester: str, query: Mapping[str, list[str]]) -> Reply:
        """``GET /operations``: the requester's operations (those on its pools), filtered,
        sorted and paged as `_world.listing` describes; a bad parameter answers 400."""
        parsed = OperationQuery.parse(query)
        if isinstance(parsed, Invalid):
            return self._invalid(parsed.field, parsed.message)
        items, has_more = parsed.page(self.state.operations(owner=requester))
        return json_reply(200, {"items": [item.to_json() for item in items], "has_more": has_more})

    def _read_operation(self, requester: str, operation_id: str, *, log: bool) -> Reply:
        operation = self.state.operation(operation_id)
        if operation is None:
            return self._error(404, "DOES_NOT_EXIST", "Operation does not exist")
        if operation.owner != requester:
            return self._error(403, "ACCESS_DENIED", "Access denied")
        if log:
            return json_reply(200, list(operation.log))
        return json_reply(200, operation.to_json())
