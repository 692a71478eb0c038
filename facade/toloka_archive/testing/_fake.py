"""`FakeToloka`: the public face of the fake, composing its state, faults and carriers.

This module knows nothing of scenario files: `_scenario` reads them and builds a fake through
the declaring methods here, so the dependency runs one way (scenarios on top of the fake).
"""

from __future__ import annotations

import collections
import datetime
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Protocol

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
    ARCHIVE_REFUSALS,
    DEFAULT_ARCHIVE_SECONDS,
    DEFAULT_CLOSE_SECONDS,
    OperationState,
    PoolState,
    ProjectState,
    SubjectKind,
    SubjectState,
    TrainingState,
)


class Blueprint(Protocol):
    """Anything that builds a fake, such as a `Scenario` (see `Scenario.build`)."""

    def build(self, *, clock: Clock | None = None, seed: int | None = None) -> FakeToloka: ...


class FakeToloka:
    """A stateful emulator of Toloka's API for closing and archiving pools, trainings and projects.

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
            if self._app.state.has("project", project_id):
                default_of = self._app.state.default_project_owner(project_id)
                also = "" if default_of is None else f" (the default project of {default_of!r})"
                raise check.FieldError(
                    where, "project_id", f"project {project_id!r} already exists{also}"
                )
            self._app.state.add(
                "project",
                project_id,
                owner=self._owner(where, owner),
                status=check.project_status(where, "status", status),
                name=f"Fake project {project_id}"
                if public_name is None
                else check.text(where, "public_name", public_name),
                created=self._moment(where, "created", created) or self._app.clock.now(),
                archive_seconds=check.number(where, "archive_seconds", archive_seconds),
                fail=check.boolean(where, "fail", fail),
            )
        return self.project(project_id)

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
        training_id: str | None = None,
        archive_refusal: str | None = None,
    ) -> PoolState:
        """A pool of a project.

        ``project_id`` names a project added before; left out, the pool goes to its owner's
        default project (made on first need, ids from ``900000001`` up). ``owner`` may be left
        out when the project is given (the project's owner) or when there is exactly one
        requester; a pool's owner is always its project's. An archived project holds only
        ``ARCHIVED`` pools. ``status``: ``OPEN``, ``CLOSED`` (the default), ``ARCHIVED`` or
        ``LOCKED`` (no action possible: archiving and closing answer 409
        ``INAPPROPRIATE_STATUS``). Pools and trainings share one space of ids.

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

        ``training_id``: a training of the same project (added before) that the pool requires
        (its ``quality_control.training_requirement``); the training cannot be archived until
        this pool is. ``archive_refusal``: a code Toloka refuses the pool's archive with, once
        every other check has passed (`ARCHIVE_REFUSALS`), e.g. ``THERE_IS_ACTIVE_ASSIGNMENT``.

        Closed for editing: ``status="CLOSED", last_close_reason="FOR_UPDATE"``; Toloka reopens
        the pool 15 minutes after ``last_stopped`` (default: now), unless it was archived
        meanwhile or an operation was running on it then.
        """
        state = self._add_member(
            "add_pool",
            "pool",
            pool_id,
            owner=owner,
            project_id=project_id,
            status=status,
            last_rejected=last_rejected,
            archive_seconds=archive_seconds,
            fail=fail,
            private_name=private_name,
            created=created,
            last_started=last_started,
            last_stopped=last_stopped,
            last_close_reason=last_close_reason,
            close_seconds=close_seconds,
            training_id=training_id,
            archive_refusal=archive_refusal,
        )
        assert isinstance(state, PoolState)
        return state

    def add_training(
        self,
        training_id: str,
        *,
        owner: str | None = None,
        project_id: str | None = None,
        status: str = "CLOSED",
        private_name: str | None = None,
        created: datetime.datetime | None = None,
        last_started: datetime.datetime | None = None,
        last_stopped: datetime.datetime | None = None,
        last_close_reason: str | None = None,
        archive_seconds: float = DEFAULT_ARCHIVE_SECONDS,
        close_seconds: float = DEFAULT_CLOSE_SECONDS,
        fail: bool = False,
        archive_refusal: str | None = None,
    ) -> TrainingState:
        """A training (a training pool) of a project: the fields of `add_pool` that a training
        has, with the same meanings and defaults (``private_name``: ``Fake training <id>``).

        ``GET /trainings`` lists it; ``POST /trainings/{id}/close`` and ``/archive`` start
        ``TRAINING.CLOSE`` and ``TRAINING.ARCHIVE`` operations as a pool's do. Archiving it is
        refused (409 ``TRAINING_ARCHIVE_CONFLICT``) while a pool that requires it (``add_pool(...,
        training_id=...)``) is not archived.
        """
        state = self._add_member(
            "add_training",
            "training",
            training_id,
            owner=owner,
            project_id=project_id,
            status=status,
            private_name=private_name,
            created=created,
            last_started=last_started,
            last_stopped=last_stopped,
            last_close_reason=last_close_reason,
            archive_seconds=archive_seconds,
            close_seconds=close_seconds,
            fail=fail,
            archive_refusal=archive_refusal,
        )
        assert isinstance(state, TrainingState)
        return state

    def _add_member(
        self, where: str, kind: SubjectKind, subject_id: str, **given: Any
    ) -> SubjectState:
        """A pool or a training: one set of checks and defaults for both."""
        state = self._app.state
        with self._app.lock:
            subject_id = check.subject_id(kind, where, f"{kind}_id", subject_id)
            for other in ("pool", "training"):
                if state.has(other, subject_id):
                    shared = "" if other == kind else " (pools and trainings share one id space)"
                    raise check.FieldError(
                        where, f"{kind}_id", f"{other} {subject_id!r} already exists{shared}"
                    )
            status = check.pool_status(where, "status", given.pop("status"))
            project_id, owner = self._project_of(where, given.pop("project_id"), given.pop("owner"))
            if project_id is None:
                project_id = state.default_project(owner, DEFAULT_ARCHIVE_SECONDS)
            project = state.project(project_id)
            assert project is not None
            if status != "ARCHIVED" and project.status == "ARCHIVED":
                raise check.FieldError(
                    where, "status", f"project {project_id!r} is archived, so its {kind}s are too"
                )
            fields: dict[str, Any] = {"owner": owner, "project_id": project_id, "status": status}
            for name in ("created", "last_started", "last_stopped", "last_rejected"):
                fields[name] = self._moment(where, name, given.pop(name, None))
            fields["created"] = fields["created"] or self._app.clock.now()
            if fields["last_started"] is None and status == "OPEN":
                fields["last_started"] = fields["created"]
            name, reason = given.pop("private_name"), given.pop("last_close_reason")
            fields["name"] = (
                f"Fake {kind} {subject_id}"
                if name is None
                else check.text(where, "private_name", name)
            )
            if reason is not None:
                reason = check.close_reason(where, "last_close_reason", reason)
            fields["last_close_reason"] = (
                "MANUAL" if reason is None and status != "OPEN" else reason
            )
            for name in ("archive_seconds", "close_seconds"):
                fields[name] = check.number(where, name, given.pop(name))
            fields["fail"] = check.boolean(where, "fail", given.pop("fail"))
            training_id = given.pop("training_id", None)
            if training_id is not None:
                fields["training_id"] = self._required_training(where, training_id, project_id)
            refusal = given.pop("archive_refusal")
            if refusal is not None:
                fields["archive_refusal"] = check.one_of(
                    where, "archive_refusal", refusal, ARCHIVE_REFUSALS, "refusal"
                )
            state.add(kind, subject_id, **fields)
            found = state.get(kind, subject_id)
        assert found is not None
        return found

    def _project_of(
        self, where: str, project_id: str | None, owner: str | None
    ) -> tuple[str | None, str]:
        """The project a pool or training joins (None: its owner's default one), and its owner."""
        if project_id is None:
            return None, self._owner(where, owner)
        project_id = check.project_id(where, "project_id", project_id)
        if not self._app.state.has("project", project_id):
            raise check.FieldError(
                where, "project_id", f"unknown project {project_id!r}; add it first"
            )
        project_owner = self._app.state.owner("project", project_id)
        if owner is not None and self._owner(where, owner) != project_owner:
            raise check.FieldError(
                where,
                "owner",
                f"project {project_id!r} belongs to {project_owner!r}, and so do its pools",
            )
        return project_id, project_owner

    def _required_training(self, where: str, training_id: object, project_id: str) -> str:
        training_id = check.subject_id("training", where, "training_id", training_id)
        training = self._app.state.training(training_id)
        if training is None:
            raise check.FieldError(
                where, "training_id", f"unknown training {training_id!r}; add it first"
            )
        if training.project_id != project_id:
            raise check.FieldError(
                where,
                "training_id",
                f"training {training_id!r} is in project {training.project_id!r}, "
                f"not {project_id!r}: a pool requires a training of its own project",
            )
        return training_id

    @staticmethod
    def _moment(where: str, field: str, value: object) -> datetime.datetime | None:
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
            if fault.subject is not None and not self._app.state.has(*fault.subject):
                kind, subject_id = fault.subject
                raise check.FieldError("add_fault", kind, f"unknown {kind} {subject_id!r}")
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
        state = self._get("pool", pool_id)
        assert isinstance(state, PoolState)
        return state

    def training(self, training_id: str) -> TrainingState:
        """The training as it is now on the fake's clock. `KeyError` for an unknown one."""
        state = self._get("training", training_id)
        assert isinstance(state, TrainingState)
        return state

    def project(self, project_id: str) -> ProjectState:
        """The project as it is now on the fake's clock. `KeyError` for an unknown project."""
        state = self._get("project", project_id)
        assert isinstance(state, ProjectState)
        return state

    def _get(self, kind: SubjectKind, subject_id: str) -> SubjectState:
        with self._app.lock:
            state = self._app.state.get(kind, subject_id)
        if state is None:
            raise KeyError(subject_id)
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
        training_id: str | None = None,
        type: str | None = None,
    ) -> tuple[OperationState, ...]:
        """Every operation the fake has started (for ``pool_id`` (its archives and closes), for
        ``training_id`` (likewise), for ``project_id`` (its ``PROJECT.ARCHIVE`` operations), or
        all of them), oldest first, as each is now on the fake's clock: finished ones too, and
        those started by a ``locked_by_other`` fault or whose answer a fault lost. ``type``
        keeps only those of one type (``POOL.ARCHIVE``, ``POOL.CLOSE``, ``TRAINING.ARCHIVE``,
        ``TRAINING.CLOSE`` or ``PROJECT.ARCHIVE``), as the ``type`` filter of
        ``GET /operations`` does. `KeyError` for an unknown subject.

        For assertions such as "exactly one archive operation per pool"::

            assert [op.type for op in fake.operations("21")] == ["POOL.ARCHIVE"]
            assert len(fake.operations("21", type="POOL.CLOSE")) == 1
        """
        given: tuple[tuple[SubjectKind, str | None], ...] = (
            ("pool", pool_id),
            ("training", training_id),
            ("project", project_id),
        )
        named = [(kind, ident) for kind, ident in given if ident is not None]
        if len(named) > 1:
            raise ValueError(
                "operations: give one of pool_id, training_id and project_id, not both"
            )
        subject = named[0] if named else None
        with self._app.lock:
            if subject is not None and not self._app.state.has(*subject):
                raise KeyError(subject[1])
            return tuple(self._app.state.operations(subject=subject, type_=type))

    def operation_counts(
        self,
        pool_id: str | None = None,
        *,
        project_id: str | None = None,
        training_id: str | None = None,
    ) -> collections.Counter[str]:
        """How many operations of each type the fake has started (for ``pool_id``, for
        ``training_id``, for ``project_id``, or in all), whatever became of them: a
        `collections.Counter`, so a type never started counts 0. `KeyError` for an unknown
        subject::

            counts = fake.operation_counts("21")
            assert (counts["POOL.CLOSE"], counts["POOL.ARCHIVE"]) == (1, 1)
        """
        found = self.operations(pool_id, project_id=project_id, training_id=training_id)
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
            f"<FakeToloka pools={self._app.state.count('pool')} seed={self.seed} "
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
