"""Handles on an archive operation: what ``start_archive_pool`` and ``get_operation`` return.

A handle holds the last snapshot it saw and builds the waiting flow. It knows nothing of the
client that made it: it is given the flow context and a ``run`` callable ("drive this flow"),
as google-api-core's ``Operation`` is given a ``refresh`` callable. ``ArchiveOperation`` and
``AsyncArchiveOperation`` differ only in whether ``run`` blocks or is awaited. A pool that was
already archived gets a handle that is done from the start: waiting on it returns at once, with
no request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from toloka_archive._core.context import FlowContext
from toloka_archive._core.flow import Flow, RunFlow, RunFlowAsync
from toloka_archive._flows.waiting import ProgressCallback, wait_flow
from toloka_archive._wire.snapshot import Phase, phase_of, status_name, summary

if TYPE_CHECKING:
    from toloka_api.models import Operation


class _DefaultTimeout:
    def __repr__(self) -> str:
        return "DEFAULT_TIMEOUT"


DEFAULT_TIMEOUT: Final = _DefaultTimeout()
"""Wait as long as the client's ``PollPolicy.timeout`` says (600 s unless changed)."""

Timeout = float | None | _DefaultTimeout


@dataclass(frozen=True)
class ArchiveResult:
    """How archiving a pool ended, when it ended well.

    ``operation`` is the final Operation (status ``SUCCESS``), or None when the pool was
    already archived and Toloka started nothing. ``pool_id`` is None only for an operation
    resumed by id whose parameters do not name a pool.
    """

    pool_id: str | None
    already_archived: bool
    operation: Operation | None

    def __repr__(self) -> str:
        # The generated model's own repr lists every unset field as an opaque object.
        operation = "None" if self.operation is None else summary(self.operation)
        return (
            f"ArchiveResult(pool_id={self.pool_id!r}, already_archived={self.already_archived}, "
            f"operation={operation})"
        )


class _Handle:
    def __init__(
        self,
        pool_id: str | None,
        operation: Operation | None,
        *,
        context: FlowContext,
        reconciled: bool = False,
    ) -> None:
        self._pool_id = pool_id
        self._operation = operation
        self._context = context
        self._reconciled = reconciled

    @property
    def reconciled(self) -> bool:
        """True when the operation was found by asking Toloka rather than read from the answer.

        The answer to the archive request was lost, or an archive of the pool was already
        under way (a re-run after Ctrl-C or ``--no-wait``): either way, this is the operation
        that archives the pool, and no second one was started.
        """
        return self._reconciled

    @property
    def pool_id(self) -> str | None:
        return self._pool_id

    @property
    def already_archived(self) -> bool:
        """True when Toloka answered 204: the pool was archived before this call."""
        return self._operation is None

    @property
    def operation(self) -> Operation | None:
        """The last snapshot seen; None for an already archived pool."""
        return self._operation

    @property
    def operation_id(self) -> str | None:
        """Keep this to resume waiting later, e.g. after a timeout or a restart."""
        return None if self._operation is None else self._operation.id

    @property
    def done(self) -> bool:
        return self._operation is None or phase_of(self._operation) is not Phase.WAITING

    def _result(self) -> ArchiveResult:
        return ArchiveResult(self._pool_id, self.already_archived, self._operation)

    def _wait_flow(
        self, timeout: Timeout, on_progress: ProgressCallback | None
    ) -> Flow[ArchiveResult]:
        if self._operation is None:
            return self._result()

        def remember(snapshot: Operation) -> None:
            self._operation = snapshot
            if on_progress is not None:
                on_progress(snapshot)

        poll = self._context.poll
        yield from wait_flow(
            self._operation,
            timeout=poll.timeout if isinstance(timeout, _DefaultTimeout) else timeout,
            context=self._context,
            on_progress=remember,
        )
        return self._result()

    def __repr__(self) -> str:
        if self._operation is None:
            return f"<{type(self).__name__} pool {self._pool_id}: already archived>"
        return (
            f"<{type(self).__name__} {self._operation.id} pool {self._pool_id}: "
            f"{status_name(self._operation)}>"
        )


class ArchiveOperation(_Handle):
    """A pool's archive operation, followed with blocking calls."""

    def __init__(
        self,
        pool_id: str | None,
        operation: Operation | None,
        *,
        context: FlowContext,
        run: RunFlow,
        reconciled: bool = False,
    ) -> None:
        super().__init__(pool_id, operation, context=context, reconciled=reconciled)
        self._run = run

    def wait(
        self,
        timeout: Timeout = DEFAULT_TIMEOUT,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> ArchiveResult:
        """Poll until the operation ends; ``timeout=None`` waits forever.

        Returns on ``SUCCESS``; raises ``OperationFailedError`` on ``FAIL`` and
        ``OperationTimeoutError`` when the budget is spent. ``on_progress`` gets every snapshot.
        """
        return self._run(self._wait_flow(timeout, on_progress))


class AsyncArchiveOperation(_Handle):
    """A pool's archive operation, followed with ``await``."""

    def __init__(
        self,
        pool_id: str | None,
        operation: Operation | None,
        *,
        context: FlowContext,
        run: RunFlowAsync,
        reconciled: bool = False,
    ) -> None:
        super().__init__(pool_id, operation, context=context, reconciled=reconciled)
        self._run = run

    async def wait(
        self,
        timeout: Timeout = DEFAULT_TIMEOUT,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> ArchiveResult:
        """The async twin of ``ArchiveOperation.wait``."""
        return await self._run(self._wait_flow(timeout, on_progress))
