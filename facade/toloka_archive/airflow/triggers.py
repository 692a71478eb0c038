"""``TolokaArchiveTrigger``: follow archive operations already started, on the triggerer.

It holds plain data only (the subject, "pool" or "training"; their ids and operation ids; the
connection id; the deadline as epoch seconds; and the reports of those that needed no
following), so a triggerer that restarts rebuilds it from ``serialize()`` and simply follows the
same operations again: it reads operations and never starts an archive. It fires one event:
``{"status": "success", "reports": [...]}`` with a ``Report.to_json()`` per pool or training, or
``{"status": "error", "message": ..., "reports": [...]}`` when nothing could be followed (a
rejected key, Toloka unreachable, a connection that now points elsewhere); the operator turns
either into the task's end. A trigger serialized before trainings existed has no ``subject``:
it follows pools.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from toloka_archive._core.errors import ConfigurationError, RunEndingError
from toloka_archive._core.policies import DEFAULT_CONCURRENCY
from toloka_archive.airflow._following import (
    follow_async,
    format_deadline,
    unfollowed,
)
from toloka_archive.airflow._plan import POOLS, TRAININGS, deadline_from, sorted_reports
from toloka_archive.airflow._settings import DEFAULT_CONN_ID
from toloka_archive.airflow.hooks import TolokaHook

CLASSPATH = "toloka_archive.airflow.triggers.TolokaArchiveTrigger"
LISTED_IN_A_LINE = 20  # operation ids in the triggerer's first log line; the task logs them all
SUBJECTS = {subjects.noun: subjects for subjects in (POOLS, TRAININGS)}


class TolokaArchiveTrigger(BaseTrigger):
    """Follow ``operations`` (subject id -> operation id) until each ends or ``deadline`` passes.

    ``subject``: what was archived, ``"pool"`` (the default) or ``"training"``. ``deadline``:
    epoch seconds, an ISO 8601 string (UTC unless it says otherwise), or None to follow until
    the end. Those whose operation still runs at the deadline are reported ``timed_out`` with
    their operation id. ``base_url``: where the archives were started; when
    the connection now points elsewhere, nothing is followed and the event says so. ``settled``:
    reports of subjects that needed no following, handed back in the event so that it holds the
    whole run.
    """

    def __init__(
        self,
        *,
        operations: Mapping[str, str],
        toloka_conn_id: str = DEFAULT_CONN_ID,
        deadline: float | str | None = None,
        base_url: str | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        settled: Sequence[Mapping[str, Any]] = (),
        subject: str = POOLS.noun,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # BaseTrigger.__init__(**kwargs) is unannotated
        if subject not in SUBJECTS:
            raise ValueError(f"subject must be one of {', '.join(SUBJECTS)}, got {subject!r}")
        self.subjects = SUBJECTS[subject]
        self.operations = {str(key): str(operation) for key, operation in operations.items()}
        self.toloka_conn_id = toloka_conn_id
        self.deadline = deadline_from(deadline)
        self.base_url = base_url
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(f"concurrency must be an int of at least 1, got {concurrency!r}")
        self.concurrency = concurrency
        self.settled = [dict(report) for report in settled]

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            CLASSPATH,
            {
                "operations": dict(self.operations),
                "toloka_conn_id": self.toloka_conn_id,
                "deadline": self.deadline,
                "base_url": self.base_url,
                "concurrency": self.concurrency,
                "settled": [dict(report) for report in self.settled],
                "subject": self.subjects.noun,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        hook = TolokaHook(self.toloka_conn_id)
        noun = self.subjects.noun
        listed = [f"{noun} {subject} {op}" for subject, op in self.operations.items()]
        shown = ", ".join(listed[:LISTED_IN_A_LINE])
        more = len(listed) - LISTED_IN_A_LINE
        self.log.info(
            "following %d Toloka archive operations until %s: %s%s",
            len(listed),
            format_deadline(self.deadline),
            shown,
            f" and {more} more (each is in the task's log)" if more > 0 else "",
        )
        try:
            client = await hook.aget_async_client()
        except ConfigurationError as error:
            yield self._error(str(error))
            return
        except Exception as error:  # e.g. the connection was deleted while the task waited
            yield self._error(f"{type(error).__name__}: {error}")
            return
        async with client:
            if self.base_url is not None and client.base_url != self.base_url:
                yield self._error(
                    f"connection {self.toloka_conn_id!r} now points to {client.base_url}, but the "
                    f"archives were started on {self.base_url}; follow them there"
                )
                return
            reports: list[dict[str, Any]] = []
            try:
                async for report in follow_async(
                    client,
                    self.operations,
                    deadline=self.deadline,
                    concurrency=self.concurrency,
                    clock=hook.clock,
                    subjects=self.subjects,
                ):
                    reports.append(report)
            except RunEndingError as error:
                yield self._error(f"{type(error).__name__}: {error}", reports)
                return
        reports = sorted_reports([*self.settled, *reports])
        yield _event({"status": "success", "reports": reports})

    def _error(self, message: str, followed: Sequence[dict[str, Any]] = ()) -> TriggerEvent:
        """The event when following stopped early: what was followed, and every other
        operation as not followed, with its id."""
        rest = unfollowed(self.operations, message, followed, self.subjects)
        reports = sorted_reports([*self.settled, *followed, *rest])
        return _event({"status": "error", "message": message, "reports": reports})


def _event(payload: dict[str, Any]) -> TriggerEvent:
    # TriggerEvent is a pydantic model whose __init__(payload, **kwargs) Airflow leaves unannotated.
    return TriggerEvent(payload)  # type: ignore[no-untyped-call]
