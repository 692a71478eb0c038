"""Operation kinds: what differs between archiving a pool, a training or a project, and closing a
pool or a training, said once per kind, so that everything else is written once for all of them.

Starting an operation and knowing what the start did, reconciling a lost answer, following a
lock, waiting, bulk runs and reports are the same machinery whatever the operation does (see
``_flows.starting`` and ``_engine``). What it needs to know of one kind (as azure-core's polling
strategies answer ``can_poll``/``get_status`` for their own kind of operation) is here:

- its request (``POST /pools/{id}/archive``, ...) and its operation type (``POOL.ARCHIVE``);
- its subject (``Subject``): a pool, a training or a project, the parameter that names it in
  the Operation (``parameters.pool_id``), how its id is checked, and how it is read
  (``GET /pools/{id}``);
- its states: the subject statuses from which it can start (a pool must be ``CLOSED`` to be
  archived), and those in which there is nothing to do (what a ``204`` means, and what a pool
  that reads ``ARCHIVED`` after a lost answer means);
- its words and outcomes: "archive", "archived", ``Outcome.ARCHIVED`` and
  ``Outcome.ALREADY_ARCHIVED`` for a ``204``;
- the meaning of a ``409`` code, where it differs from Toloka's general one (``_wire.refusals``).

``Lifecycle`` groups the kinds of one subject that has a status of its own (a pool, a
training): how to close it and how to archive it. The engine is handed a lifecycle and never
names a subject.

A new robust endpoint is a new ``OperationKind`` here, its request in ``endpoints``, and two
thin methods on each client.
"""

from __future__ import annotations

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
    normalize_training_id,
    same_id,
)
from toloka_archive._core.models import (
    Operation,
    OperationType,
    PoolStatus,
    ProjectStatus,
    Record,
)
from toloka_archive._wire import endpoints
from toloka_archive._wire.outcomes import Outcome
from toloka_archive._wire.refusals import Conflict, refusal
from toloka_archive._wire.response import read_pool, read_project, read_training


@dataclass(frozen=True, kw_only=True)
class Subject:
    """What an operation works on: a pool, a training or a project."""

    noun: str  # "pool", "training", "project"
    parameter: str  # the Operation parameter that names it: "pool_id"
    normalize: Callable[[object], str]  # checks an id (``InvalidIdError``) before any request
    read_request: Callable[[str], Request]  # GET /pools/{id}
    read: Callable[[httpx.Response], Record]  # ... and the object from the answer
    rejection_window: bool = False  # its archive waits 9 days after a rejection (pools)

    def named_by(self, operation: Operation) -> str | None:
        """The subject the operation's parameters name, if any."""
        value = operation.parameters.get(self.parameter)
        return value if isinstance(value, str) else None

    def __repr__(self) -> str:
        return f"<Subject {self.noun}>"


POOL = Subject(
    noun="pool",
    parameter="pool_id",
    normalize=normalize_pool_id,
    read_request=endpoints.get_pool_request,
    read=read_pool,
    rejection_window=True,
)
TRAINING = Subject(
    noun="training",
    parameter="training_id",
    normalize=normalize_training_id,
    read_request=endpoints.get_training_request,
    read=read_training,
)
PROJECT = Subject(
    noun="project",
    parameter="project_id",
    normalize=normalize_project_id,
    read_request=endpoints.get_project_request,
    read=read_project,
)


@dataclass(frozen=True, kw_only=True)
class OperationKind:
    """One kind of operation, as a strategy the shared machinery asks (see the module)."""

    type: OperationType
    subject: Subject
    verb: str  # "archive", "close": for messages
    past: str  # "archived", "closed": for messages
    doing: str  # "archiving", "closing": for messages
    request: Callable[[str], Request]
    ready_statuses: tuple[str, ...]  # the subject statuses from which it can start
    done_statuses: frozenset[str]  # the subject needs nothing more in these statuses
    done: Outcome  # how a subject ends when the operation succeeds
    already: Outcome  # ... and when Toloka answers 204: nothing to do
    conflicts: Mapping[str, Conflict] = field(default_factory=dict)  # where a code means more
    explained_by_check: bool = False  # a refusal is explained by the subject's pre-flight

    def on(self, subject_id: str) -> Job:
        return Job(self, subject_id)

    def conflict(self, code: str | None) -> Conflict | None:
        """What a 409 with this code means for this kind; None when it is not one we know."""
        if code is None:
            return None
        if code in self.conflicts:
            return self.conflicts[code]
        known = refusal(code)
        return None if known is None else known.meaning

    def done_in(self, status: str) -> bool:
        """Whether a subject in ``status`` needs nothing more of this kind."""
        return status in self.done_statuses

    def __repr__(self) -> str:
        return f"<OperationKind {self.type}>"


def _archive(
    type_: OperationType, subject: Subject, request: Callable[[str], Request]
) -> OperationKind:
    """Archiving a pool or a training: from ``CLOSED``, nothing to do once ``ARCHIVED``."""
    return OperationKind(
        type=type_,
        subject=subject,
        verb="archive",
        past="archived",
        doing="archiving",
        request=request,
        ready_statuses=(PoolStatus.CLOSED,),
        done_statuses=frozenset({PoolStatus.ARCHIVED}),
        done=Outcome.ARCHIVED,
        already=Outcome.ALREADY_ARCHIVED,
        explained_by_check=True,
    )


def _close(
    type_: OperationType, subject: Subject, request: Callable[[str], Request]
) -> OperationKind:
    """Closing a pool or a training: from ``OPEN``; an archived one is closed too."""
    return OperationKind(
        type=type_,
        subject=subject,
        verb="close",
        past="closed",
        doing="closing",
        request=request,
        ready_statuses=(PoolStatus.OPEN,),
        done_statuses=frozenset({PoolStatus.CLOSED, PoolStatus.ARCHIVED}),
        done=Outcome.CLOSED,
        already=Outcome.ALREADY_CLOSED,
    )


POOL_ARCHIVE = _archive(OperationType.POOL_ARCHIVE, POOL, endpoints.archive_pool_request)
POOL_CLOSE = _close(OperationType.POOL_CLOSE, POOL, endpoints.close_pool_request)
TRAINING_ARCHIVE = _archive(
    OperationType.TRAINING_ARCHIVE, TRAINING, endpoints.archive_training_request
)
TRAINING_CLOSE = _close(OperationType.TRAINING_CLOSE, TRAINING, endpoints.close_training_request)
PROJECT_ARCHIVE = OperationKind(
    type=OperationType.PROJECT_ARCHIVE,
    subject=PROJECT,
    verb="archive",
    past="archived",
    doing="archiving",
    request=endpoints.archive_project_request,
    ready_statuses=(ProjectStatus.ACTIVE,),
    done_statuses=frozenset({ProjectStatus.ARCHIVED}),
    done=Outcome.ARCHIVED,
    already=Outcome.ALREADY_ARCHIVED,
    # Toloka's general "the object's state refuses it": for a project, an archive of it is
    # still running (openapi.yaml, archiveProject), which is followed like a lock.
    conflicts={"CONFLICT_STATE": Conflict.LOCKED},
)

KINDS = (POOL_ARCHIVE, POOL_CLOSE, TRAINING_ARCHIVE, TRAINING_CLOSE, PROJECT_ARCHIVE)
_BY_TYPE = {kind.type.value: kind for kind in KINDS}


def kind_of(operation: Operation) -> OperationKind | None:
    """The kind ``operation`` is, among those this package starts; None for any other."""
    return _BY_TYPE.get(str(operation.type))


def kind_named(type_: str) -> OperationKind | None:
    """The kind of operation type ``type_`` (``"POOL.ARCHIVE"``); None for a type this package
    does not start."""
    return _BY_TYPE.get(type_)


def _requires_nothing(record: Record) -> str | None:
    return None


def _required_training(record: Record) -> str | None:
    training_id = getattr(record, "training_id", None)
    return training_id if isinstance(training_id, str) else None


@dataclass(frozen=True, kw_only=True)
class Lifecycle:
    """What can be done to one kind of subject that has a status of its own (a pool, a
    training): close it, archive it. The engine works on a lifecycle, never on a pool.

    ``requires`` names, for one subject's record, the subject of the next lifecycle in its
    container that it requires (a pool's training): Toloka archives that one only after every
    subject that requires it.
    """

    subject: Subject
    close: OperationKind
    archive: OperationKind
    requires: Callable[[Record], str | None] = _requires_nothing

    @property
    def noun(self) -> str:
        return self.subject.noun


@dataclass(frozen=True, kw_only=True)
class Container:
    """A subject archived only once its members are (a project: its pools, then its trainings),
    with the members' lifecycles in the order Toloka wants them archived."""

    archive: OperationKind
    members: tuple[Lifecycle, ...]


POOLS = Lifecycle(subject=POOL, close=POOL_CLOSE, archive=POOL_ARCHIVE, requires=_required_training)
TRAININGS = Lifecycle(subject=TRAINING, close=TRAINING_CLOSE, archive=TRAINING_ARCHIVE)
PROJECTS = Container(archive=PROJECT_ARCHIVE, members=(POOLS, TRAININGS))


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
