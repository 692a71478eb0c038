"""The request-handling core: one request in, one `Reply` out, for every way of reaching the fake.

Endpoints (under ``/api/v1``; `_PATHS` lists them with their names): for pools and trainings,
``GET /pools``, ``GET /pools/{id}``, ``POST /pools/{id}/archive`` and ``/close``, and the same
under ``/trainings``; ``GET /projects/{id}`` and ``POST /projects/{id}/archive``; the operations,
``GET /operations`` (the requester's, filtered, sorted and paged; see `_world.listing`),
``GET /operations/{id}`` and ``GET /operations/{id}/log``; and the pre-flight's
``GET /assignments?pool_id=&status=&sort=&limit=``. The five requests that start an operation
are one routine (`TolokaApp._start_on`) driven by the operation's kind (`STARTS`); what each
subject allows is the world's to say (`WorldState.refusal`).

`TolokaApp.handle` takes what any HTTP carrier can give (method, raw path, raw query, headers)
and returns a `Reply`; it never touches a socket and never sleeps. The in-process transports
and the loopback server are thin adapters around it, so a behaviour tested through one of them
holds for all.

A request goes through the layers a real request to Toloka meets, in this order:

1. routing (which endpoint, which subject, so that faults can be matched);
2. injected faults (the infrastructure in front of Toloka: proxies, overload, lost
   connections); a ``slow`` fault only delays whatever comes next;
3. the rate limit (429 ``TOO_MANY_REQUESTS`` with ``Retry-After`` and
   ``payload: {"interval": "SEC", "limit": N}``; see `_world.ratelimit`);
4. authentication (401), then the endpoint: validation (400), existence (404), ownership (403),
   and the subject's state (204, 409 or 202);
5. for an operation about to start, the faults decided at that moment
   (`faults.START_KINDS`): another client starting it first (``locked_by_other``), the
   operation failing (``operation_fail``), and the answer lost or spoiled after the start
   (``drop_after_commit``, ``timeout_after_commit``, ``truncated_202``, ``invalid_json_202``).

Beyond Toloka's reference (assumed, as openapi.yaml says): while any operation runs on a subject
every start request answers 409 with the lock of its kind (``POOL_LOCKED_BY_ANOTHER_OPERATION``,
``TRAINING_LOCKED_BY_ANOTHER_OPERATION``, a project's ``CONFLICT_STATE``) and
``payload.operation_id``, before the 204 (a pool being archived is still ``CLOSED``: it is
locked, not idle); a subject in a status the operation does not start from answers 409
``INAPPROPRIATE_STATUS`` with ``payload.appropriate_statuses`` (``["CLOSED"]`` to an archive,
``["OPEN"]`` to a close).
"""

from __future__ import annotations

import collections
import dataclasses
import threading
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote

from toloka_archive.testing._api.faults import Fault, FaultBook, Subject
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
from toloka_archive.testing._world.state import (
    ALREADY_DONE,
    POOL_ARCHIVE,
    POOL_CLOSE,
    PROJECT_ARCHIVE,
    TRAINING_ARCHIVE,
    TRAINING_CLOSE,
    OperationKind,
    OperationState,
    PoolState,
    ProjectState,
    SubjectKind,
    SubjectState,
    WorldState,
)
from toloka_archive.testing._world.validation import is_digits

BASE_PATH = "/api/v1"

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
    ident: str | None = None  # the pool, training, project or operation id in the path, if any


@dataclasses.dataclass(frozen=True, slots=True)
class _Route:
    endpoint: str | None  # one of faults.ENDPOINTS; None for no known endpoint
    ident: str = ""  # the pool, training, project or operation id from the path, decoded
    query: Mapping[str, list[str]] = dataclasses.field(default_factory=dict)
    allowed: str | None = None  # the method the path answers to, when the method was wrong
    outside_api: bool = False  # the path is not under /api/v1: the web site, not the API


_NOT_FOUND = _Route(endpoint=None)
_OUTSIDE_API = _Route(endpoint=None, outside_api=True)

_PATHS: dict[tuple[str, str | None], tuple[str, str]] = {
    # (collection, what follows the id: None for the collection itself, "" for the item)
    ("pools", None): ("pools", "GET"),
    ("pools", ""): ("pool", "GET"),
    ("pools", "archive"): ("archive", "POST"),
    ("pools", "close"): ("close", "POST"),
    ("trainings", None): ("trainings", "GET"),
    ("trainings", ""): ("training", "GET"),
    ("trainings", "archive"): ("training_archive", "POST"),
    ("trainings", "close"): ("training_close", "POST"),
    ("projects", ""): ("project", "GET"),
    ("projects", "archive"): ("project_archive", "POST"),
    ("operations", None): ("operations", "GET"),
    ("operations", ""): ("operation", "GET"),
    ("operations", "log"): ("log", "GET"),
    ("assignments", None): ("assignments", "GET"),
}
"""Every path the fake answers, and its endpoint's name and method."""

STARTS: dict[str, OperationKind] = {
    "archive": POOL_ARCHIVE,
    "close": POOL_CLOSE,
    "training_archive": TRAINING_ARCHIVE,
    "training_close": TRAINING_CLOSE,
    "project_archive": PROJECT_ARCHIVE,
}
"""The endpoints that start an operation, and its kind (the subject's kind comes with it)."""
READS: dict[str, SubjectKind] = {"pool": "pool", "training": "training", "project": "project"}
LISTS: dict[str, SubjectKind] = {"pools": "pool", "trainings": "training"}
_QUERIED = ("assignments", "operations", *LISTS)


def _route(method: str, path: str, query: str) -> _Route:
    if not path.startswith(BASE_PATH + "/"):
        return _OUTSIDE_API
    parts = [unquote(part) for part in path[len(BASE_PATH) + 1 :].split("/")]
    after = None if len(parts) == 1 else "" if len(parts) == 2 else parts[2] or "/"
    missing_id = parts[0] == "operations" and len(parts) > 1 and not parts[1]
    found = None if len(parts) > 3 or missing_id else _PATHS.get((parts[0], after))
    if found is None:
        return _NOT_FOUND
    endpoint, expected = found
    if method != expected:
        return _Route(endpoint=None, allowed=expected)
    parsed = parse_qs(query, keep_blank_values=True) if endpoint in _QUERIED else {}
    return _Route(endpoint=endpoint, ident=parts[1] if len(parts) > 1 else "", query=parsed)


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
            verdict = self.faults.for_request(route.endpoint, self._subject_of(route))
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

    def _subject_of(self, route: _Route) -> Subject | None:
        """The subject a request is about, for matching faults that keep to one."""
        if route.endpoint in STARTS:
            return (STARTS[route.endpoint].subject, route.ident)
        if route.endpoint in READS:
            return (READS[route.endpoint], route.ident)
        if route.endpoint == "assignments":
            values = route.query.get("pool_id")
            return ("pool", values[-1]) if values else None
        if route.endpoint in ("operation", "log"):
            return self.state.subject_of_operation(route.ident)
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
        endpoint = route.endpoint
        if endpoint in STARTS:
            return self._start_on(requester, STARTS[endpoint], route.ident, endpoint)
        if endpoint in READS:
            subject = self._own(requester, READS[endpoint], route.ident)
            return subject if isinstance(subject, Reply) else json_reply(200, subject.to_json())
        if endpoint in LISTS:
            return self._list(requester, LISTS[endpoint], route.query)
        if endpoint == "assignments":
            return self._assignments(requester, route.query)
        if endpoint == "operations":
            return self._list_operations(requester, route.query)
        return self._read_operation(requester, route.ident, log=endpoint == "log")

    def _invalid(self, field: str, message: str) -> Reply:
        return self._error(
            400,
            "VALIDATION_ERROR",
            "Validation failed",
            {field: {"code": "VALUE_INVALID", "message": message}},
        )

    def _own(self, requester: str, kind: SubjectKind, subject_id: str) -> SubjectState | Reply:
        """The requester's subject, or the error that says why it is not available."""
        if not is_digits(subject_id):
            return self._invalid(f"{kind}_id", "must be decimal digits")
        subject = self.state.get(kind, subject_id)
        if subject is None:
            return self._error(404, "DOES_NOT_EXIST", f"{kind.capitalize()} does not exist")
        if subject.owner != requester:
            return self._error(403, "ACCESS_DENIED", "Access denied")
        return subject

    def _list(self, requester: str, kind: SubjectKind, query: Mapping[str, list[str]]) -> Reply:
        """``GET /pools`` or ``GET /trainings``: the requester's, filtered, sorted and paged as
        `_world.listing` describes; a bad parameter answers 400."""
        parsed = PoolQuery.parse(query)
        if isinstance(parsed, Invalid):
            return self._invalid(parsed.field, parsed.message)
        listed = self.state.listing(kind, owner=requester)
        items, has_more = parsed.page([s for s in listed if not isinstance(s, ProjectState)])
        return json_reply(200, {"items": [item.to_json() for item in items], "has_more": has_more})

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

    def _start_on(
        self, requester: str, kind: OperationKind, subject_id: str, endpoint: str
    ) -> Reply:
        """A request that starts an operation of ``kind``: the same steps for every kind, each
        subject's own rules (`WorldState.refusal`), and the start faults decided at the moment
        the operation would start."""
        subject = self._own(requester, kind.subject, subject_id)
        if isinstance(subject, Reply):
            return subject
        about: Subject = (kind.subject, subject_id)
        refused = self.state.refusal(kind, subject_id)
        if refused is None and self.faults.locked_by_other(about, endpoint):
            self._start(kind, subject_id, endpoint)  # another client's request, a moment earlier
            # Now the request meets exactly what any request meets after that one.
            refused = self.state.refusal(kind, subject_id)
            if refused is not None:
                self._decided_by = "locked_by_other"
        if refused is ALREADY_DONE:
            return no_content()
        if refused is not None:
            return self._error(409, refused.code, refused.message, refused.payload)
        reply = json_reply(202, self._start(kind, subject_id, endpoint).to_json())
        lost = self.faults.lost_answer(about, endpoint)
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

    def _start(self, kind: OperationKind, subject_id: str, endpoint: str) -> OperationState:
        fails = self.faults.operation_fails((kind.subject, subject_id), endpoint)
        operation_id = self._operation_ids.next_ordered_id()
        return self.state.start(kind, subject_id, operation_id, fails=fails)

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
