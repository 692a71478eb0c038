"""Handles on an operation: what ``start_archive_pool``, ``start_close_pool`` and
``get_operation`` return.

A handle holds the last snapshot it saw and builds the waiting flow. It knows nothing of the
client that made it: it is given the flow context and a ``run`` callable ("drive this flow"),
as google-api-core's ``Operation`` is given a ``refresh`` callable. ``OperationHandle`` and
``AsyncOperationHandle`` differ only in whether ``run`` blocks or is awaited, and neither in
what the operation does: the kind (``_wire.kinds``) says that. A subject that needed nothing
(Toloka's ``204``: the pool was already archived, or already closed) gets a handle that is
done from the start: waiting on it returns at once, with no request.
"""

from __future__ import annotations

from dataclasses import dataclass

from toloka_archive._core.context import FlowContext
from toloka_archive._core.flow import Flow, RunFlow, RunFlowAsync
from toloka_archive._core.models import Operation, OperationType
from toloka_archive._core.policies import DEFAULT_TIMEOUT, Timeout
from toloka_archive._flows.waiting import ProgressCallback, wait_flow
from toloka_archive._wire.kinds import Job, kind_named
from toloka_archive._wire.outcomes import Outcome


@dataclass(frozen=True)
class OperationResult:
    """How an operation on a pool, training or project ended, when it ended well.

    ``operation`` is the final Operation (status ``SUCCESS``), or None when Toloka had nothing
    to do (its ``204``: the subject was already archived, or already closed). ``type`` is what
    the operation does (``POOL.ARCHIVE``, ``TRAINING.CLOSE``, ``PROJECT.ARCHIVE``, ...);
    ``subject_id`` is its subject's id, None only for an operation resumed by id whose
    parameters do not name one.
    """

    type: OperationType | str
    subject_id: str | None
    operation: Operation | None

    @property
    def already_done(self) -> bool:
        """True when Toloka answered 204: there was nothing to do, and nothing was started."""
        return self.operation is None

    @property
    def already_archived(self) -> bool:
        """For an archive: True when the subject was archived before this call."""
        kind = kind_named(str(self.type))
        return self.already_done and kind is not None and kind.already is Outcome.ALREADY_ARCHIVED

    @property
    def subject(self) -> str | None:
        """What the operation works on: "pool", "training", "project"; None for a type this
        package does not start."""
        kind = kind_named(str(self.type))
        return None if kind is None else kind.subject.noun

    @property
    def pool_id(self) -> str | None:
        """The pool, for an operation on a pool; None otherwise (the 0.1 name)."""
        kind = kind_named(str(self.type))
        on_pool = kind is not None and kind.subject.parameter == _POOL_PARAMETER
        return self.subject_id if on_pool else None

    def __repr__(self) -> str:
        # Operation's own repr lists every field; one line says what matters here.
        operation = "None" if self.operation is None else str(self.operation)
        return (
            f"OperationResult(type={str(self.type)!r}, subject_id={self.subject_id!r}, "
            f"already_done={self.already_done}, operation={operation})"
        )


_POOL_PARAMETER = "pool_id"  # the Operation parameter ``pool_id`` names, for the 0.1 name

ArchiveResult = OperationResult
"""The 0.1 name of ``OperationResult``, from when archiving was the only operation."""


class _Handle:
    def __init__(
        self,
        job: Job | None,
        operation: Operation | None,
        *,
        context: FlowContext,
        reconciled: bool = False,
    ) -> None:
        # job is None only for an operation resumed by id that is of no kind we start, or whose
        # parameters name no subject; operation is None only for a 204, whose job is known.
        assert job is not None or operation is not None
        self._job = job
        self._operation = operation
        self._context = context
        self._reconciled = reconciled

    @property
    def reconciled(self) -> bool:
        """True when the operation was found by asking Toloka rather than read from the answer.

        The answer to the request was lost, or the same operation was already under way (a
        re-run after Ctrl-C or ``--no-wait``): either way, this is the operation that does the
        job, and no second one was started.
        """
        return self._reconciled

    @property
    def type(self) -> OperationType | str:
        """What the operation does: ``POOL.ARCHIVE``, ``POOL.CLOSE``, ``PROJECT.ARCHIVE``, ..."""
        if self._job is not None:
            return self._job.kind.type
        assert self._operation is not None
        return self._operation.type

    @property
    def subject_id(self) -> str | None:
        """The subject's id (a pool's, training's, project's); None when the operation's
        parameters do not name one."""
        return None if self._job is None else self._job.subject_id

    @property
    def pool_id(self) -> str | None:
        """The pool, for an operation on a pool; None otherwise (the 0.1 name)."""
        if self._job is not None:
            on_pool = self._job.kind.subject.parameter == _POOL_PARAMETER
            return self._job.subject_id if on_pool else None
        return None if self._operation is None else self._operation.pool_id

    @property
    def already_done(self) -> bool:
        """True when Toloka answered 204: there was nothing to do (already archived, closed)."""
        return self._operation is None

    @property
    def already_archived(self) -> bool:
        """For an archive: True when Toloka answered 204, the subject was archived already."""
        return self._result().already_archived

    @property
    def operation(self) -> Operation | None:
        """The last snapshot seen; None when there was nothing to do."""
        return self._operation

    @property
    def operation_id(self) -> str | None:
        """Keep this to resume waiting later, e.g. after a timeout or a restart."""
        return None if self._operation is None else self._operation.id

    @property
    def done(self) -> bool:
        return self._operation is None or self._operation.done

    def _result(self) -> OperationResult:
        return OperationResult(self.type, self.subject_id, self._operation)

    def _wait_flow(
        self, timeout: Timeout, on_progress: ProgressCallback | None
    ) -> Flow[OperationResult]:
        if self._operation is None:
            return self._result()

        def remember(snapshot: Operation) -> None:
            self._operation = snapshot
            if on_progress is not None:
                on_progress(snapshot)

        yield from wait_flow(
            self._operation,
            timeout=self._context.poll.budget(timeout),
            context=self._context,
            on_progress=remember,
        )
        return self._result()

    def __repr__(self) -> str:
        what = "" if self._job is None else f" {self._job}"
        if self._operation is None:
            return f"<{type(self).__name__}{what}: nothing to do>"
        return f"<{type(self).__name__} {self._operation.id}{what}: {self._operation.status}>"


class OperationHandle(_Handle):
    """An operation on a pool or project, followed with blocking calls."""

    def __init__(
        self,
        job: Job | None,
        operation: Operation | None,
        *,
        context: FlowContext,
        run: RunFlow,
        reconciled: bool = False,
    ) -> None:
        super().__init__(job, operation, context=context, reconciled=reconciled)
        self._run = run

    def wait(
        self,
        timeout: Timeout = DEFAULT_TIMEOUT,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> OperationResult:
        """Poll until the operation ends; ``timeout=None`` waits forever.

        Returns on ``SUCCESS``; raises ``OperationFailedError`` on ``FAIL`` and
        ``OperationTimeoutError`` when the budget is spent. ``on_progress`` gets every snapshot.
        """
        return self._run(self._wait_flow(timeout, on_progress))


class AsyncOperationHandle(_Handle):
    """An operation on a pool or project, followed with ``await``."""

    def __init__(
        self,
        job: Job | None,
        operation: Operation | None,
        *,
        context: FlowContext,
        run: RunFlowAsync,
        reconciled: bool = False,
    ) -> None:
        super().__init__(job, operation, context=context, reconciled=reconciled)
        self._run = run

    async def wait(
        self,
        timeout: Timeout = DEFAULT_TIMEOUT,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> OperationResult:
        """The async twin of ``OperationHandle.wait``."""
        return await self._run(self._wait_flow(timeout, on_progress))


ArchiveOperation = OperationHandle
"""The 0.1 name of ``OperationHandle``."""
AsyncArchiveOperation = AsyncOperationHandle
"""The 0.1 name of ``AsyncOperationHandle``."""
