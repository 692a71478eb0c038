"""`FakeToloka`: the public face of the fake, composing its state, faults and carriers.

This module knows nothing of scenario files: `_scenario` reads them and builds a fake through
the declaring methods here, so the dependency runs one way (scenarios on top of the fake).
"""

from __future__ import annotations

import collections
import datetime
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Protocol

from toloka_archive.testing._api.app import RecordedRequest, TolokaApp
from toloka_archive.testing._api.faults import Fault
from toloka_archive.testing._carriers.server import (
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT,
    FakeServer,
)
from toloka_archive.testing._carriers.transport import AsyncFakeTransport, FakeTransport
from toloka_archive.testing._carriers.wire import Reply
from toloka_archive.testing._world import validation as check
from toloka_archive.testing._world.clock import Clock, SystemClock
from toloka_archive.testing._world.ratelimit import DEFAULT_RATE_LIMIT
from toloka_archive.testing._world.state import (
    DEFAULT_ARCHIVE_SECONDS,
    DEFAULT_CLOSE_SECONDS,
    OperationState,
    PoolState,
    ProjectState,
)


class Blueprint(Protocol):
    """Anything that builds a fake, such as a `Scenario` (see `Scenario.build`)."""

    def build(self, *, clock: Clock | None = None, seed: int | None = None) -> FakeToloka: ...


class FakeToloka:
    """A stateful emulator of Toloka's API for closing and archiving pools and projects.

    Declare requesters, projects, pools and faults (or load a `Scenario`), then reach the fake
    through `transport` / `async_transport` (no sockets) or `serve` (loopback HTTP). All of them go
    through `handle`, so they behave the same. Time comes from ``clock`` (a `ManualClock` in
    tests); ``seed`` makes request ids, operation ids and probabilistic faults repeatable;
    ``rate_limit`` is requests per second of the fake's clock (``None``: no limit).
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        seed: int = 0,
        rate_limit: int | None = DEFAULT_RATE_LIMIT,
    ) -> None:
        check.integer("FakeToloka", "seed", seed, minimum=-(2**63))
        if rate_limit is not None:
            check.integer("FakeToloka", "rate_limit", rate_limit, minimum=1)
        self._app = TolokaApp(SystemClock() if clock is None else clock, seed, rate_limit)

    @classmethod
    def from_scenario(
        cls, scenario: Blueprint, *, clock: Clock | None = None, seed: int | None = None
    ) -> FakeToloka:
        """A fake set up as ``scenario`` declares. ``seed`` overrides the scenario's seed;
        without ``clock``, a real clock starting at the scenario's ``clock_start`` (if any)."""
        return scenario.build(clock=clock, seed=seed)

    # -- declaring the world ------------------------------------------------------------

    def add_requester(
        self, name: str, *, api_keys: Iterable[str] = (), oauth_tokens: Iterable[str] = ()
    ) -> None:
        """A requester, known by any of its API keys (``ApiKey``) or OAuth tokens (``OAuth``)."""
        with self._app.lock:
            self._app.requesters.add(name, list(api_keys), list(oauth_tokens))

    def add_project(
        self,
        project_id: str,
        *,
        owner: str | None = None,
        status: str = "ACTIVE",
        public_name: str | None = None,
        created: datetime.datetime | None = None,
        archive_seconds: float = DEFAULT_ARCHIVE_SECONDS,
        fail: bool = False,
    ) -> ProjectState:
        """A project. ``owner`` may be left out when there is exactly one requester.

        ``status`` is ``ACTIVE`` or ``ARCHIVED``; ``public_name`` defaults to ``Fake project
        <id>``, ``created`` (UTC) to the clock's now. ``archive_seconds`` is how long a
        ``PROJECT.ARCHIVE`` operation takes; with ``fail=True`` every one ends ``FAIL``.
        """
        where = "add_project"
        with self._app.lock:
            project_id = check.project_id(where, "project_id", project_id)
            if self._app.state.has_project(project_id):
                default_of = self._app.state.default_project_owner(project_id)
                also = "" if default_of is None else f" (the default project of {default_of!r})"
                raise check.FieldError(
                    where, "project_id", f"project {project_id!r} already exists{also}"
                )
            self._app.state.add_project(
                project_id,
                owner=self._owner(where, owner),
                status=check.project_status(where, "status", status),
                public_name=f"Fake project {project_id}"
                if public_name is None
                else check.text(where, "public_name", public_name),
                created=self._moment(where, "created", created) or self._app.clock.now(),
                archive_seconds=check.number(where, "archive_seconds", archive_seconds),
                fail=check.boolean(where, "fail", fail),
            )
            state = self._app.state.project(project_id)
        assert state is not None
        return state

    def add_pool(
        self,
        pool_id: str,
        *,
        owner: str | None = None,
        project_id: str | None = None,
        status: str = "CLOSED",
        last_rejected: datetime.datetime | None = None,
        archive_seconds: float = DEFAULT_ARCHIVE_SECONDS,
        fail: bool = False,
        private_name: str | None = None,
        created: datetime.datetime | None = None,
        last_started: datetime.datetime | None = None,
        last_stopped: datetime.datetime | None = None,
        last_close_reason: str | None = None,
        close_seconds: float = DEFAULT_CLOSE_SECONDS,
    ) -> PoolState:
        """A pool of a project.

        ``project_id`` names a project added before; left out, the pool goes to its owner's
        default project (made on first need, ids from ``900000001`` up). ``owner`` may be left
        out when the project is given (the project's owner) or when there is exactly one
        requester; a pool's owner is always its project's. An archived project holds only
        ``ARCHIVED`` pools. ``status``: ``OPEN``, ``CLOSED`` (the default), ``ARCHIVED`` or
        ``LOCKED`` (no action possible: archiving and closing answer 409
        ``INAPPROPRIATE_STATUS``).

        ``last_rejected`` (UTC) is the last rejected assignment: archiving is refused until
        9 days after it. ``archive_seconds`` is how long an archive operation takes; with
        ``fail=True`` every archive operation of this pool ends ``FAIL``. ``close_seconds`` is
        how long a close operation takes (``POST /pools/{id}/close`` on an ``OPEN`` pool; when
        it succeeds the pool is ``CLOSED``, ``last_stopped`` is its end and
        ``last_close_reason`` ``MANUAL``); make one fail with an ``operation_fail`` fault.

        What ``GET /pools`` shows: ``private_name`` (default ``Fake pool <id>``), ``created``
        (UTC; default: the clock's now), ``last_started`` (default: none, or ``created`` for an
        ``OPEN`` pool), ``last_stopped`` (default: none) and ``last_close_reason`` (default:
        ``MANUAL`` unless the pool is ``OPEN``).
        """
        where = "add_pool"
        with self._app.lock:
            state = self._app.state
            pool_id = check.pool_id(where, "pool_id", pool_id)
            if state.has_pool(pool_id):
                raise check.FieldError(where, "pool_id", f"pool {pool_id!r} already exists")
            status = check.pool_status(where, "status", status)
            if project_id is None:
                owner = self._owner(where, owner)
            else:
                project_id = check.project_id(where, "project_id", project_id)
                if not state.has_project(project_id):
                    raise check.FieldError(
                        where, "project_id", f"unknown project {project_id!r}; add it first"
                    )
                project_owner = state.project_owner(project_id)
                if owner is None:
                    owner = project_owner
                elif self._owner(where, owner) != project_owner:
                    raise check.FieldError(
                        where,
                        "owner",
                        f"project {project_id!r} belongs to {project_owner!r}, and so do its pools",
                    )
                project = state.project(project_id)
                assert project is not None
                if project.status == "ARCHIVED" and status != "ARCHIVED":
                    raise check.FieldError(
                        where,
                        "status",
                        f"project {project_id!r} is archived, so its pools are ARCHIVED too",
                    )
            created_at = self._moment(where, "created", created) or self._app.clock.now()
            started = self._moment(where, "last_started", last_started)
            if started is None and status == "OPEN":
                started = created_at
            state.add_pool(
                pool_id,
                owner=owner,
                project_id=project_id
                if project_id is not None
                else state.default_project(owner, DEFAULT_ARCHIVE_SECONDS),
                status=status,
                private_name=f"Fake pool {pool_id}"
                if private_name is None
                else check.text(where, "private_name", private_name),
                created=created_at,
                last_started=started,
                last_stopped=self._moment(where, "last_stopped", last_stopped),
                last_close_reason=("MANUAL" if status != "OPEN" else None)
                if last_close_reason is None
                else check.close_reason(where, "last_close_reason", last_close_reason),
                last_rejected=self._moment(where, "last_rejected", last_rejected),
                archive_seconds=check.number(where, "archive_seconds", archive_seconds),
                fail=check.boolean(where, "fail", fail),
                close_seconds=check.number(where, "close_seconds", close_seconds),
            )
            pool = state.pool(pool_id)
        assert pool is not None
        return pool

    @staticmethod
    def _moment(
        where: str, field: str, value: datetime.datetime | None
    ) -> datetime.datetime | None:
        return None if value is None else check.utc_datetime(where, field, value)

    def _owner(self, where: str, owner: str | None) -> str:
        names = self._app.requesters.names
        if owner is None:
            if len(names) != 1:
                raise check.FieldError(
                    where, "owner", "required unless exactly one requester is declared"
                )
            return names[0]
        if owner not in self._app.requesters:
            known = ", ".join(repr(name) for name in names) or "none yet"
            raise check.FieldError(
                where, "owner", f"unknown requester {owner!r}; declared: {known}"
            )
        return owner

    def add_fault(self, fault: Fault) -> None:
        """Inject a fault; faults apply in the order added (see `Fault`)."""
        if not isinstance(fault, Fault):
            raise TypeError(f"add_fault expects a Fault, got {type(fault).__name__}")
        with self._app.lock:
            if fault.pool is not None and not self._app.state.has_pool(fault.pool):
                raise check.FieldError("add_fault", "pool", f"unknown pool {fault.pool!r}")
            self._app.faults.add(fault)

    # -- looking at the world -----------------------------------------------------------

    @property
    def clock(self) -> Clock:
        return self._app.clock

    @property
    def seed(self) -> int:
        return self._app.seed

    @property
    def rate_limit(self) -> int | None:
        return self._app.limiter.limit

    @property
    def faults(self) -> tuple[Fault, ...]:
        return tuple(self._app.faults.faults)

    def pool(self, pool_id: str) -> PoolState:
        """The pool as it is now on the fake's clock. `KeyError` for an unknown pool."""
        with self._app.lock:
            state = self._app.state.pool(pool_id)
        if state is None:
            raise KeyError(pool_id)
        return state

    def project(self, project_id: str) -> ProjectState:
        """The project as it is now on the fake's clock. `KeyError` for an unknown project."""
        with self._app.lock:
            state = self._app.state.project(project_id)
        if state is None:
            raise KeyError(project_id)
        return state

    def operation(self, operation_id: str) -> OperationState:
        """The operation as it is now on the fake's clock. `KeyError` for an unknown one."""
        with self._app.lock:
            state = self._app.state.operation(operation_id)
        if state is None:
            raise KeyError(operation_id)
        return state

    def operations(
        self,
        pool_id: str | None = None,
        *,
        project_id: str | None = None,
        type: str | None = None,
    ) -> tuple[OperationState, ...]:
        """Every operation the fake has started (for ``pool_id`` (its archives and closes), for
        ``project_id`` (its ``PROJECT.ARCHIVE`` operations), or all of them), oldest first, as
        each is now on the fake's clock: finished ones too, and those started by a
        ``locked_by_other`` fault or whose answer a fault lost. ``type`` keeps only those of
        one type (``POOL.ARCHIVE``, ``POOL.CLOSE`` or ``PROJECT.ARCHIVE``), as the ``type``
        filter of ``GET /operations`` does. `KeyError` for an unknown pool or project.

        For assertions such as "exactly one archive operation per pool"::

            assert [op.type for op in fake.operations("21")] == ["POOL.ARCHIVE"]
            assert len(fake.operations("21", type="POOL.CLOSE")) == 1
        """
        if pool_id is not None and project_id is not None:
            raise ValueError("operations: give pool_id or project_id, not both")
        with self._app.lock:
            if pool_id is not None and not self._app.state.has_pool(pool_id):
                raise KeyError(pool_id)
            if project_id is not None and not self._app.state.has_project(project_id):
                raise KeyError(project_id)
            return tuple(
                self._app.state.operations(pool_id=pool_id, project_id=project_id, type_=type)
            )

    def operation_counts(
        self, pool_id: str | None = None, *, project_id: str | None = None
    ) -> collections.Counter[str]:
        """How many operations of each type the fake has started (for ``pool_id``, for
        ``project_id``, or in all), whatever became of them: a `collections.Counter`, so a
        type never started counts 0. `KeyError` for an unknown pool or project::

            counts = fake.operation_counts("21")
            assert (counts["POOL.CLOSE"], counts["POOL.ARCHIVE"]) == (1, 1)
        """
        found = self.operations(pool_id, project_id=project_id)
        return collections.Counter(operation.type for operation in found)

    @property
    def requests(self) -> tuple[RecordedRequest, ...]:
        """The most recent requests answered (up to 10,000), oldest first; no credentials.
        Each names its ``endpoint`` (e.g. ``"close"``) and the id in its path (``ident``)::

            closes = [r for r in fake.requests if (r.endpoint, r.ident) == ("close", "21")]
        """
        with self._app.lock:
            return tuple(self._app.log)

    @property
    def request_count(self) -> int:
        """How many requests have been answered in all."""
        return self._app.request_count

    # -- reaching it --------------------------------------------------------------------

    def handle(self, method: str, path: str, query: str, headers: Mapping[str, str]) -> Reply:
        """The request-handling core every carrier uses; see `TolokaApp.handle`."""
        return self._app.handle(method, path, query, headers)

    def transport(self, *, sleep: Callable[[float], object] | None = None) -> FakeTransport:
        """An `httpx.BaseTransport` answered in-process. ``sleep`` serves ``slow`` faults."""
        return FakeTransport(self._app.handle, sleep)

    def async_transport(
        self, *, sleep: Callable[[float], Awaitable[object]] | None = None
    ) -> AsyncFakeTransport:
        """An `httpx.AsyncBaseTransport` answered in-process. ``sleep`` serves ``slow`` faults."""
        return AsyncFakeTransport(self._app.handle, sleep)

    def __repr__(self) -> str:
        return (
            f"<FakeToloka pools={self._app.state.pool_count()} seed={self.seed} "
            f"clock={self._app.clock!r}>"
        )


def serve(
    fake: FakeToloka,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
    header_timeout: float = DEFAULT_HEADER_TIMEOUT,
) -> FakeServer:
    """Serve ``fake`` over HTTP on ``host:port`` (0: a free port) from a background thread.

    Use it as a context manager; ``server.url`` is the base URL (``http://127.0.0.1:PORT/api/v1``)::

        with serve(fake) as server:
            httpx.post(f"{server.url}/pools/21/archive", headers=...)

    ``idle_timeout``: seconds a connection may stay silent (between requests, or in the middle
    of one) before the server closes it; ``header_timeout``: seconds a request head may take
    to arrive whole, from its first byte, before the server answers 408 and closes the
    connection. Both are real time, not the fake's clock.
    """
    return FakeServer(
        fake.handle, host, port, idle_timeout=idle_timeout, header_timeout=header_timeout
    )
