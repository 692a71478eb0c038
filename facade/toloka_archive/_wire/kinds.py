"""Operation kinds: what differs between archiving a pool, archiving a project and closing a
pool, said once per kind, so that everything else is written once for all of them.

Starting an operation and knowing what the start did, reconciling a lost answer, following a
lock, waiting, bulk runs and reports are the same machinery whatever the operation does (see
``_flows.starting``). What it needs to know of one kind (as azure-core's polling strategies
answer ``can_poll``/``get_status`` for their own kind of operation) is here:

- its request (``POST /pools/{id}/archive``, ...) and its operation type (``POOL.ARCHIVE``);
- its subject: a pool or a project, the parameter that names it in the Operation
  (``parameters.pool_id``), how its id is checked, and how its status is read
  (``GET /pools/{id}``);
- its states: the subject statuses from which it can start (a pool must be ``CLOSED`` to be
  archived), and those in which there is nothing to do (what a ``204`` means, and what a pool
  that reads ``ARCHIVED`` after a lost answer means);
- the meaning of each ``409`` code Toloka answers it with (locked by another operation, wrong
  status, not yet, blocked).

A new robust endpoint is a new ``OperationKind`` here, its request in ``endpoints``, and two
thin methods on each client.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from toloka_archive._core.errors import InvalidOperationIdError
from toloka_archive._core.flow import Request
from toloka_archive._core.ids import (
    id_key,
    normalize_operation_id,
    normalize_pool_id,
    normalize_project_id,
    same_id,
)
from toloka_archive._core.models import Operation, OperationType, PoolStatus, ProjectStatus
from toloka_archive._wire import endpoints
from toloka_archive._wire.response import read_pool, read_project


@dataclass(frozen=True)
class Subject:
    """What an operation works on: a pool or a project."""

    noun: str  # "pool", "project"
    parameter: str  # the Operation parameter that names it: "pool_id"
    normalize: Callable[[object], str]  # checks an id (``InvalidIdError``) before any request
    status_request: Callable[[str], Request]  # GET /pools/{id}
    read_status: Callable[[httpx.Response], str]  # ... and its status from the answer

    def named_by(self, operation: Operation) -> str | None:
        """The subject the operation's parameters name, if any."""
        value = operation.parameters.get(self.parameter)
        return value if isinstance(value, str) else None


POOL = Subject(
    "pool",
    "pool_id",
    normalize_pool_id,
    endpoints.get_pool_request,
    lambda response: str(read_pool(response).status),
)
PROJECT = Subject(
    "project",
    "project_id",
    normalize_project_id,
    endpoints.get_project_request,
    lambda response: str(read_project(response).status),
)


class Conflict(enum.Enum):
    """What a ``409`` means for the operation that got it."""

    LOCKED = "locked"  # another operation runs on the subject: find it, follow it or outwait it
    WRONG_STATUS = "wrong_status"  # the subject is not in a status that allows this
    NOT_YET = "not_yet"  # a pool with rejections in the last 9 days: archivable later
    BLOCKED = "blocked"  # a project with pools not archived yet


_LOCKED_SUFFIX = "_LOCKED_BY_ANOTHER_OPERATION"  # POOL_LOCKED_BY_ANOTHER_OPERATION and its kin


@dataclass(frozen=True)
class OperationKind:
    """One kind of operation, as a strategy the shared machinery asks (see the module)."""

    type: OperationType
    subject: Subject
    verb: str  # "archive", "close": for messages
    past: str  # "archived", "closed": for messages and report outcomes
    doing: str  # "archiving", "closing": for messages
    request: Callable[[str], Request]
    ready_statuses: tuple[str, ...]  # the subject statuses from which it can start
    done_statuses: frozenset[str]  # the subject needs nothing more in these statuses
    conflicts: Mapping[str, Conflict] = field(default_factory=dict)

    def on(self, subject_id: str) -> Job:
        return Job(self, subject_id)

    def conflict(self, code: str | None) -> Conflict | None:
        """What a 409 with this code means for this kind; None when it is not one we know."""
        if code is None:
            return None
        if code.endswith(_LOCKED_SUFFIX):
            return Conflict.LOCKED
        return self.conflicts.get(code)

    def done_in(self, status: str) -> bool:
        """Whether a subject in ``status`` needs nothing more of this kind."""
        return status in self.done_statuses

    def __repr__(self) -> str:
        return f"<OperationKind {self.type}>"


_WRONG_STATUS = {
    "INAPPROPRIATE_STATUS": Conflict.WRONG_STATUS,
    "POOL_INAPPROPRIATE_STATUS": Conflict.WRONG_STATUS,
}

POOL_ARCHIVE = OperationKind(
    OperationType.POOL_ARCHIVE,
    POOL,
    "archive",
    "archived",
    "archiving",
    endpoints.archive_pool_request,
    (PoolStatus.CLOSED,),
    frozenset({PoolStatus.ARCHIVED}),
    {**_WRONG_STATUS, "THERE_IS_REJECTED_ASSIGNMENT": Conflict.NOT_YET},
)
PROJECT_ARCHIVE = OperationKind(
    OperationType.PROJECT_ARCHIVE,
    PROJECT,
    "archive",
    "archived",
    "archiving",
    endpoints.archive_project_request,
    (ProjectStatus.ACTIVE,),
    frozenset({ProjectStatus.ARCHIVED}),
    {
        **_WRONG_STATUS,
        "UNARCHIVED_POOLS_CONFLICT": Conflict.BLOCKED,
        # Toloka's general "the object's state refuses it": for a project, an archive of it is
        # still running (openapi.yaml, archiveProject), which is followed like a lock.
        "CONFLICT_STATE": Conflict.LOCKED,
    },
)
POOL_CLOSE = OperationKind(
    OperationType.POOL_CLOSE,
    POOL,
    "close",
    "closed",
    "closing",
    endpoints.close_pool_request,
    (PoolStatus.OPEN,),
    # An archived pool is closed too: nothing to close.
    frozenset({PoolStatus.CLOSED, PoolStatus.ARCHIVED}),
    dict(_WRONG_STATUS),
)

KINDS = (POOL_ARCHIVE, PROJECT_ARCHIVE, POOL_CLOSE)
_BY_TYPE = {kind.type.value: kind for kind in KINDS}


def kind_of(operation: Operation) -> OperationKind | None:
    """The kind ``operation`` is, among those this package starts; None for any other."""
    return _BY_TYPE.get(str(operation.type))


@dataclass(frozen=True)
class Job:
    """One kind of operation on one subject: "archive pool 21", "close pool 21"."""

    kind: OperationKind
    subject_id: str

    @classmethod
    def of(cls, operation: Operation) -> Job | None:
        """The job ``operation`` does; None for a kind this package does not start, or when its
        parameters do not say on what."""
        kind = kind_of(operation)
        subject = None if kind is None else kind.subject.named_by(operation)
        return None if kind is None or subject is None else cls(kind, subject)

    @property
    def key(self) -> tuple[str, str]:
        """The same for the same job, however the subject's id is written (``"007"`` is 7)."""
        return (self.kind.type.value, id_key(self.subject_id))

    @property
    def noun(self) -> str:
        return self.kind.subject.noun

    def matches(self, operation: Operation) -> bool:
        """Whether ``operation`` is this very job (the right type, on the right subject), with
        an id that can be polled safely."""
        return self.contradiction(operation) is None

    def contradiction(self, operation: Operation) -> str | None:
        """What makes ``operation`` not this job, in words; None when it is."""
        if operation.type != self.kind.type:
            return f"a {operation.type} operation instead of {self.kind.type}"
        named = self.kind.subject.named_by(operation)
        if not same_id(named, self.subject_id):
            return f"an operation for {self.noun} {named!r} instead of {self.subject_id!r}"
        try:
            normalize_operation_id(operation.id)
        except InvalidOperationIdError:
            return "an operation id that cannot be used in a URL"
        return None

    def __str__(self) -> str:
        return f"{self.kind.verb} {self.noun} {self.subject_id}"
