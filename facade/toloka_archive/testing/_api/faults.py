"""Fault injection: declared misbehaviour, applied to matching requests, the same way every run.

A `Fault` says *what* goes wrong (``kind``), *where* (``pool``, ``training`` or ``project``,
and ``endpoint``) and *how often* (``first`` N matching requests, each with ``probability``).
`FaultBook` keeps the counters and draws derived from the fake's seed (`_world.seeded`), so
the same scenario, seed and request sequence give the same faults run after run.

Kinds:

- ``operation_fail``: the operation (an archive or a close) started by a matching request ends
  ``FAIL`` (the request itself answers 202 as usual; the subject keeps its status, ``CLOSED`` or
  ``OPEN``; the log says why);
- ``rate_limit``: 429 ``TOO_MANY_REQUESTS`` with ``Retry-After: <retry_after>`` (default 1;
  an int is seconds, a string is sent as is, e.g. an HTTP date) and, if ``retry_after_ms`` is
  set, ``retry-after-ms``;
- ``internal_error``: 500 ``INTERNAL_ERROR``, Toloka's JSON body;
- ``unavailable``: 503 ``REMOTE_SERVICE_UNAVAILABLE``, Toloka's JSON body;
- ``bad_gateway``: 502 with a short HTML body, as a proxy would send;
- ``disconnect``: the connection is closed with no response at all;
- ``slow``: the answer (whatever it is) comes ``delay`` seconds late (default 1.0).

Kinds where Toloka did the work but the answer was lost (`START_KINDS`). They apply to the
requests that start an operation, `START_ENDPOINTS`: archive and close requests for pools
(``"archive"``, ``"close"``) and trainings (``"training_archive"``, ``"training_close"``),
and project archives (``"project_archive"``), all alike; a fault with no ``endpoint`` applies to
all of them. Like ``operation_fail``, they are decided when a request is about to start its
operation (the subject is the requester's, not locked, and in a status it can start from, past
every other refusal), so ``first=N`` counts those requests only, and a fault that fires always
finds an operation to start:

- ``drop_after_commit``: the operation is started, then the connection is closed without an
  answer (in-process: `httpx.RemoteProtocolError`; on a socket: closed without a byte);
- ``timeout_after_commit``: the operation is started, then nothing is answered (in-process:
  `httpx.ReadTimeout` at once; on a socket: silence until the client gives up, or for
  ``delay`` seconds (default 10.0), after which the server closes the connection);
- ``truncated_202``: the operation is started, and the 202 is cut short: a JSON body missing
  its end, with a ``Content-Length`` that matches the bytes sent (a readable HTTP response
  whose body cannot be parsed);
- ``invalid_json_202``: the operation is started, and the 202's body (labelled JSON) is not JSON;
- ``locked_by_other``: just before this request starts its operation, the fake starts the same
  one on the same subject itself (as another client of the same requester would have, a moment
  earlier), so the request meets the 409 any request meets while an operation runs on it
  (``POOL_LOCKED_BY_ANOTHER_OPERATION``, ``TRAINING_LOCKED_BY_ANOTHER_OPERATION``, a project's
  ``CONFLICT_STATE``). The operation it starts is an ordinary one: an ``operation_fail`` fault
  can make it fail (and counts it).

Where: ``pool``, ``training`` or ``project`` (at most one) keeps a fault to the requests about
that subject: its reads, its archive and close requests, and its operations
(``GET /operations/{id}`` and the log); ``GET /assignments`` is about the pool its ``pool_id``
names; the lists are about no one subject.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Literal, get_args

from toloka_archive.testing._world import validation as check
from toloka_archive.testing._world.seeded import SeededSequence
from toloka_archive.testing._world.state import SUBJECT_KINDS, SubjectKind

FaultKind = Literal[
    "operation_fail",
    "rate_limit",
    "internal_error",
    "unavailable",
    "bad_gateway",
    "disconnect",
    "slow",
    "drop_after_commit",
    "timeout_after_commit",
    "truncated_202",
    "invalid_json_202",
    "locked_by_other",
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)  # the one list of kinds is the type

LOST_ANSWER_KINDS: tuple[str, ...] = (
    "drop_after_commit",
    "timeout_after_commit",
    "truncated_202",
    "invalid_json_202",
)
"""The operation is started, and then its answer is lost or spoiled on the way back."""

START_KINDS: tuple[str, ...] = ("operation_fail", *LOST_ANSWER_KINDS, "locked_by_other")
"""Decided when an operation is about to start, not when the request arrives."""

Endpoint = Literal[
    "archive",
    "close",
    "operation",
    "log",
    "operations",
    "pool",
    "assignments",
    "pools",
    "project",
    "project_archive",
    "training",
    "trainings",
    "training_archive",
    "training_close",
]
ENDPOINTS: tuple[str, ...] = get_args(Endpoint)

StartEndpoint = Literal["archive", "close", "training_archive", "training_close", "project_archive"]
START_ENDPOINTS: tuple[str, ...] = get_args(StartEndpoint)
"""The endpoints whose requests start an operation: where `START_KINDS` apply."""

Subject = tuple[SubjectKind, str]
"""What a request is about: ``("pool", "21")``, ``("training", "41")``, ``("project", "7")``."""

DEFAULT_RETRY_AFTER = 1
DEFAULT_DELAY = 1.0
DEFAULT_SILENCE = 10.0
"""How long the loopback server stays silent on a ``timeout_after_commit`` before it hangs up."""


@dataclasses.dataclass(frozen=True, slots=True)
class Fault:
    """One kind of misbehaviour and the requests it applies to.

    ``pool``, ``training``, ``project``: at most one; ``None`` for every request, or a subject's
    id: the requests about it match (its reads, its archive and close requests, its operations;
    ``GET /assignments`` by its ``pool_id``); the lists never do.
    ``endpoint``: ``None`` for every request, or one of `ENDPOINTS`: ``"archive"``
    (``POST /pools/{id}/archive``), ``"close"`` (``POST /pools/{id}/close``), ``"operation"``,
    ``"log"``, ``"operations"`` (the list, ``GET /operations``), ``"pool"``
    (``GET /pools/{id}``), ``"assignments"`` (``GET /assignments``), ``"pools"`` (the list,
    ``GET /pools``), ``"project"`` (``GET /projects/{id}``), ``"project_archive"``
    (``POST /projects/{id}/archive``), ``"training"`` (``GET /trainings/{id}``),
    ``"trainings"`` (the list, ``GET /trainings``), ``"training_archive"`` and
    ``"training_close"`` (``POST /trainings/{id}/archive`` and ``/close``).
    ``first``: apply to the first N matching requests only (``None``: to all); counting matching
    requests, so ``first=2`` then succeeds from the third on, which is how a retry is tested.
    ``probability``: the chance (0..1) that a matching request is hit, drawn from the seeded
    generator. ``retry_after``/``retry_after_ms`` only for ``rate_limit``; ``delay`` only for
    ``slow`` (how late the answer comes) and ``timeout_after_commit`` (how long the loopback
    server stays silent before it hangs up). The kinds in `START_KINDS` apply to the requests
    that start an operation only: their ``endpoint`` is ``None`` (all of them) or one of
    `START_ENDPOINTS`. Anything else wrong raises `ValueError` naming the field.
    """

    kind: FaultKind
    pool: str | None = None
    endpoint: Endpoint | None = None
    first: int | None = None
    probability: float = 1.0
    retry_after: int | str | None = None
    retry_after_ms: int | None = None
    delay: float | None = None
    training: str | None = None
    project: str | None = None

    def __post_init__(self) -> None:
        owner = "Fault"
        if self.kind not in FAULT_KINDS:
            raise check.FieldError(
                owner,
                "kind",
                f"unknown fault kind {self.kind!r}; choose {check.choices(FAULT_KINDS)}",
            )
        named = [n for n in ("pool", "training", "project") if getattr(self, n) is not None]
        if len(named) > 1:
            raise check.FieldError(owner, named[1], f"give {named[0]} or this, not both")
        for name in named:
            object.__setattr__(self, name, check.subject_id(name, owner, name, getattr(self, name)))
        if self.endpoint is not None and self.endpoint not in ENDPOINTS:
            raise check.FieldError(
                owner,
                "endpoint",
                f"unknown endpoint {self.endpoint!r}; choose {check.choices(ENDPOINTS)} "
                "(or leave it out for every request)",
            )
        if self.kind in START_KINDS and not (
            self.endpoint is None or self.endpoint in START_ENDPOINTS
        ):
            raise check.FieldError(
                owner,
                "endpoint",
                f"{self.kind} applies to the requests that start an operation only "
                f"(endpoint {check.choices(START_ENDPOINTS)}, or leave it out for all of them)",
            )
        if self.first is not None:
            check.integer(owner, "first", self.first, minimum=1)
        probability = check.number(owner, "probability", self.probability, maximum=1.0)
        object.__setattr__(self, "probability", probability)
        self._check_kind_fields(owner)

    def _check_kind_fields(self, owner: str) -> None:
        if self.kind != "rate_limit":
            for name in ("retry_after", "retry_after_ms"):
                if getattr(self, name) is not None:
                    raise check.FieldError(owner, name, "only a rate_limit fault has it")
        elif isinstance(self.retry_after, str):
            check.text(owner, "retry_after", self.retry_after)
        elif self.retry_after is not None:
            check.integer(owner, "retry_after", self.retry_after)
        if self.retry_after_ms is not None:
            check.integer(owner, "retry_after_ms", self.retry_after_ms)
        if self.kind not in ("slow", "timeout_after_commit"):
            if self.delay is not None:
                raise check.FieldError(
                    owner, "delay", "only a slow or a timeout_after_commit fault has it"
                )
        elif self.delay is not None:
            delay = check.number(owner, "delay", self.delay, allow_minimum=False)
            object.__setattr__(self, "delay", delay)

    def retry_after_headers(self) -> tuple[tuple[str, str], ...]:
        retry_after = DEFAULT_RETRY_AFTER if self.retry_after is None else self.retry_after
        headers = [("retry-after", str(retry_after))]
        if self.retry_after_ms is not None:
            headers.append(("retry-after-ms", str(self.retry_after_ms)))
        return tuple(headers)

    @property
    def subject(self) -> Subject | None:
        """The subject it keeps to, if any: ``("pool", "21")``."""
        for name in SUBJECT_KINDS:
            value = getattr(self, name)
            if value is not None:
                return (name, value)
        return None

    @property
    def delay_seconds(self) -> float:
        return DEFAULT_DELAY if self.delay is None else self.delay

    @property
    def silence_seconds(self) -> float:
        return DEFAULT_SILENCE if self.delay is None else self.delay


@dataclasses.dataclass(frozen=True, slots=True)
class Verdict:
    """What the faults decided for one request: a late answer, and/or an answer that replaces it."""

    delay: float = 0.0
    fault: Fault | None = None


NO_FAULT = Verdict()


class FaultBook:
    """The declared faults, how many requests each has matched, and the seeded draws."""

    def __init__(self, seed: int) -> None:
        self._faults: list[Fault] = []
        self._matched: list[int] = []
        self._draws = SeededSequence(seed, "faults")

    def add(self, fault: Fault) -> None:
        self._faults.append(fault)
        self._matched.append(0)

    @property
    def faults(self) -> Sequence[Fault]:
        return tuple(self._faults)

    def _fires(
        self, index: int, fault: Fault, endpoint: str | None, subject: Subject | None
    ) -> bool:
        if fault.subject is not None and fault.subject != subject:
            return False
        if fault.endpoint is not None and fault.endpoint != endpoint:
            return False
        self._matched[index] += 1
        if fault.first is not None and self._matched[index] > fault.first:
            return False
        # Draw only for real chances: a certain fault leaves the generator untouched.
        return fault.probability >= 1.0 or self._draws.next_float() < fault.probability

    def for_request(self, endpoint: str | None, subject: Subject | None) -> Verdict:
        """The faults for one request, in the order declared: every slow fault adds its delay;
        the first other fault that fires decides the answer."""
        if not self._faults:
            return NO_FAULT
        delay = 0.0
        chosen: Fault | None = None
        for index, fault in enumerate(self._faults):
            if fault.kind in START_KINDS or (chosen is not None and fault.kind != "slow"):
                continue
            if self._fires(index, fault, endpoint, subject):
                if fault.kind == "slow":
                    delay += fault.delay_seconds
                else:
                    chosen = fault
        return Verdict(delay=delay, fault=chosen)

    def _any_fires(self, kind: str, subject: Subject, endpoint: str) -> bool:
        """Whether any fault of ``kind`` fires for the operation of ``endpoint`` being started
        on ``subject`` (each one counts it)."""
        fires = False
        for index, fault in enumerate(self._faults):
            if fault.kind == kind and self._fires(index, fault, endpoint, subject):
                fires = True
        return fires

    def operation_fails(self, subject: Subject, endpoint: str) -> bool:
        """Whether the operation (of an ``endpoint`` request) being started is set to fail."""
        return self._any_fires("operation_fail", subject, endpoint)

    def locked_by_other(self, subject: Subject, endpoint: str) -> bool:
        """Whether another client starts the same operation on ``subject`` just before this
        request (to ``endpoint``) does."""
        return self._any_fires("locked_by_other", subject, endpoint)

    def lost_answer(self, subject: Subject, endpoint: str) -> Fault | None:
        """The fault that loses or spoils the answer to the operation (of an ``endpoint``
        request) being started on ``subject``: in the order declared, the first of
        `LOST_ANSWER_KINDS` that fires (the later ones do not see the request, as in
        `for_request`)."""
        for index, fault in enumerate(self._faults):
            if fault.kind in LOST_ANSWER_KINDS and self._fires(index, fault, endpoint, subject):
                return fault
        return None
