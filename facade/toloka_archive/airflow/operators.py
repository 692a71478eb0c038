"""``TolokaArchivePoolsOperator``: archive pools from a DAG, freeing the worker while Toloka works.

The task starts the archives in the worker (the facade's bulk engine with ``wait=False``: one
archive request per pool, the pre-flight's reason for each pool that cannot go), logs every
operation id, and then either defers to ``TolokaArchiveTrigger``, which follows the operations
on the triggerer (``deferrable=True``, the default), or follows them itself with the blocking
client. Either way it ends with one report per pool (``PoolReport.to_json()``, as the command's
``--json``), pushed to XCom, and fails, naming each pool and why, when a pool was not archived
and its outcome is not among ``acceptable_outcomes``.

When a retry cannot help, the task fails without one (``AirflowFailException``): the
connection is missing or wrong, Toloka refused the key, or archives were started and could not
be followed (they go on at Toloka, and the next run finds and follows them instead of starting
them again). Toloka unreachable before anything started is worth a retry.

Its extra links open the project's page and, when it handled one pool, the pool's page in
Toloka's web interface (``links``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from itertools import chain
from typing import Any, NoReturn

from airflow.sdk import BaseOperator, Context
from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowNotFoundException

from toloka_archive import (
    APIConnectionError,
    ConfigurationError,
    InternalServerError,
    Outcome,
    Pool,
    PoolReport,
    PoolSelection,
    RateLimitError,
    RunEndingError,
    TolokaClient,
    TolokaError,
)
from toloka_archive._core.clock import utc_now
from toloka_archive._core.ids import normalize_project_id
from toloka_archive._core.policies import DEFAULT_CONCURRENCY, DEFAULT_WAIT_TIMEOUT
from toloka_archive.airflow._following import (
    Started,
    deadline_after,
    follow_blocking,
    format_deadline,
    start_archives,
    unfollowed,
)
from toloka_archive.airflow._plan import (
    PlanError,
    acceptable_from,
    judge,
    pool_ids_from,
    selection_from,
    sorted_reports,
)
from toloka_archive.airflow._settings import DEFAULT_CONN_ID
from toloka_archive.airflow.hooks import TolokaHook
from toloka_archive.airflow.links import (
    PAGES_ATTRIBUTE,
    TolokaPoolLink,
    TolokaProjectLink,
    pages_for,
)
from toloka_archive.airflow.triggers import TolokaArchiveTrigger

# What a retry a little later may get past: no answer, or Toloka's "not now".
_PASSING = (APIConnectionError, InternalServerError, RateLimitError)
DEFER_GRACE = 600.0  # Airflow's own defer timeout: the trigger's deadline, and this much more
REPORTS_KEY = "toloka_reports"  # the XCom key that always holds the run's reports

Moment = datetime | str | None


class TolokaArchivePoolsOperator(BaseOperator):
    """Archive Toloka pools, given by id or chosen by what they are.

    :param pool_ids: ids (``str`` digits or ``int``), one or a list; templated, and an
        ``XComArg`` works too (``pool_ids=create_pools.output``); text is split on commas and
        blanks, so a rendered list (``"['101', '102']"``) reads as well. Every id is checked
        before anything is archived.
    :param project_id: also the pools of this project (``status`` decides which; ``CLOSED`` ones
        by default), as the command's ``--project``.
    :param status: a pool status among the selection, or ``"any"``; only with a selection.
    :param idle_for: pools neither created, started nor stopped for this long (``"30d"``,
        ``"12h"``, a ``timedelta``); or ``idle_since``: not since that moment.
    :param created_before, last_started_before: by the pool's dates: ISO 8601 (UTC unless an
        offset is given), a time ago (``"30d"``), or a ``datetime``.
    :param toloka_conn_id: a connection of type ``toloka``.
    :param concurrency: how many pools at once, in starting and in following (default 8).
    :param timeout: seconds to follow the archives once started (default 600); ``None`` follows
        them to their end. Operations still running then are reported ``timed_out`` with their
        id; they go on at Toloka.
    :param deferrable: follow on the triggerer, freeing the worker (default); ``False`` follows
        in the worker.
    :param acceptable_outcomes: outcomes that do not fail the task besides ``archived`` and
        ``already_archived``, e.g. ``["not_archivable_yet"]`` for a nightly clean-up.

    The report (a list of ``PoolReport.to_json()`` dicts, in pool id order) is pushed to XCom
    under ``toloka_reports``, and is the task's return value when it succeeds.

    Extra links: "Toloka project" (the project asked for, or the one project of every pool
    handled) and "Toloka pool" (when the task handled one pool whose project it knows), in
    Toloka's web interface for the connection's environment; none for a custom base URL.
    """

    template_fields: Sequence[str] = (
        "pool_ids",
        "project_id",
        "status",
        "idle_for",
        "idle_since",
        "created_before",
        "last_started_before",
        "toloka_conn_id",
    )
    ui_color = "#e8f4fd"
    operator_extra_links = (TolokaProjectLink(), TolokaPoolLink())

    def __init__(
        self,
        *,
        pool_ids: Any = None,
        project_id: str | int | None = None,
        status: str | None = None,
        idle_for: str | timedelta | None = None,
        idle_since: Moment = None,
        created_before: Moment = None,
        last_started_before: Moment = None,
        toloka_conn_id: str = DEFAULT_CONN_ID,
        concurrency: int = DEFAULT_CONCURRENCY,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        deferrable: bool = True,
        acceptable_outcomes: Iterable[str | Outcome] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        selected = (project_id, idle_for, idle_since, created_before, last_started_before)
        if pool_ids is None and all(option is None for option in selected):
            raise ValueError(
                f"{self.task_id}: give pool_ids, or choose pools with project_id, idle_for, "
                "idle_since, created_before or last_started_before"
            )
        if idle_for is not None and idle_since is not None:
            raise ValueError(f"{self.task_id}: give idle_for or idle_since, not both")
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(f"{self.task_id}: concurrency must be at least 1, got {concurrency!r}")
        if timeout is not None and (isinstance(timeout, bool) or not timeout >= 0):
            raise ValueError(f"{self.task_id}: timeout must be None or >= 0, got {timeout!r}")
        self.pool_ids = pool_ids
        self.project_id = project_id
        self.status = status
        self.idle_for = idle_for
        self.idle_since = idle_since
        self.created_before = created_before
        self.last_started_before = last_started_before
        self.toloka_conn_id = toloka_conn_id
        self.concurrency = concurrency
        self.timeout = None if timeout is None else float(timeout)
        self.deferrable = deferrable
        try:
            self.acceptable_outcomes = sorted(acceptable_from(acceptable_outcomes))
        except PlanError as error:
            raise ValueError(f"{self.task_id}: {error}") from None

    # -- the worker's part ---------------------------------------------------------------

    def execute(self, context: Context) -> list[dict[str, Any]]:
        hook = TolokaHook(self.toloka_conn_id)
        try:
            pool_ids = pool_ids_from(self.pool_ids)
            selection = self._selection(hook)
        except PlanError as error:
            raise AirflowFailException(f"nothing was archived: {error}") from None
        started_ids: dict[str, str] = {}

        def on_started(pool_id: str, operation_id: str) -> None:
            started_ids[pool_id] = operation_id
            self.log.info("pool %s: archiving started, operation %s", pool_id, operation_id)

        try:
            connected = hook.get_client()
        except (ConfigurationError, AirflowNotFoundException) as error:
            raise AirflowFailException(f"nothing was archived: {error}") from None
        with connected as client:
            base_url = client.base_url
            project_id = _project_of(selection)
            pool_projects: dict[str, str | None] = dict.fromkeys(pool_ids)
            self._keep_pages(client, project_id, {})
            self.log.info(
                "archiving %s on %s (connection %r), %d at a time",
                self._describe(pool_ids, selection),
                client.environment.value if client.environment else base_url,
                self.toloka_conn_id,
                self.concurrency,
            )
            source: Iterable[Any] = pool_ids
            if selection is not None:
                listed = client.find_pools(**selection.as_filters())
                source = chain(pool_ids, _noting_projects(listed, pool_projects))
            try:
                started = start_archives(
                    client,
                    source,
                    concurrency=self.concurrency,
                    on_started=on_started,
                    on_report=self._log_report,
                )
            except TolokaError as error:  # no pool got past it, or the pools were not listed
                raise self._stopped(error, started_ids) from None
            finally:
                self._keep_pages(client, project_id, pool_projects)
            deadline = deadline_after(self.timeout, hook.clock)
            if not started.operations:
                return self._finish(context, started.settled)
            self.log.info(
                "%d archives started; following them until %s",
                len(started.operations),
                format_deadline(deadline),
            )
            if not self.deferrable:
                followed = self._follow_here(context, client, started, deadline, hook)
                return self._finish(context, followed)
        return self._defer(started, deadline, base_url)

    def _keep_pages(
        self, client: TolokaClient, project_id: str | None, pool_projects: dict[str, str | None]
    ) -> None:
        """The Toloka pages the extra links open, worked out while the client is at hand."""
        pages = pages_for(client.environment, project_id=project_id, pool_projects=pool_projects)
        setattr(self, PAGES_ATTRIBUTE, pages)

    def _stopped(self, error: TolokaError, started: dict[str, str]) -> AirflowException:
        """The task's end when starting stopped at ``error``: no pool could get past it (a
        refused key, Toloka unreachable), or the selection's pools could not be listed.

        A retry may help only when Toloka did not answer, or answered that it could not, and
        nothing was started; archives already started are found and followed by the next
        run, and a refused key or a missing project stay what they are."""
        message = self._ended_early(error, started)
        if isinstance(error, _PASSING) and not started:
            return AirflowException(message)
        return AirflowFailException(message)

    def _defer(self, started: Started, deadline: float | None, base_url: str) -> NoReturn:
        """Hand the started operations to the triggerer, with plain data only."""
        trigger = TolokaArchiveTrigger(
            operations=started.operations,
            toloka_conn_id=self.toloka_conn_id,
            deadline=deadline,
            base_url=base_url,
            concurrency=self.concurrency,
            settled=started.settled,
        )
        grace = None if self.timeout is None else timedelta(seconds=self.timeout + DEFER_GRACE)
        self.defer(trigger=trigger, method_name="execute_complete", timeout=grace)

    def _selection(self, hook: TolokaHook) -> PoolSelection | None:
        return selection_from(
            project_id=self.project_id,
            status=self.status,
            idle_for=self.idle_for,
            idle_since=self.idle_since,
            created_before=self.created_before,
            last_started_before=self.last_started_before,
            now=utc_now(hook.clock),
        )

    def _follow_here(
        self,
        context: Context,
        client: TolokaClient,
        started: Started,
        deadline: float | None,
        hook: TolokaHook,
    ) -> list[dict[str, Any]]:
        """Follow the started archives in the worker (``deferrable=False``)."""
        reports: list[dict[str, Any]] = []
        try:
            for report in follow_blocking(
                client,
                started.operations,
                deadline=deadline,
                concurrency=self.concurrency,
                clock=hook.clock,
            ):
                reports.append(report)
                self._log_json(report)
        except RunEndingError as error:
            message = f"{type(error).__name__}: {error}"
            rest = list(unfollowed(started.operations, message, reports))
            self._push(context, [*started.settled, *reports, *rest])
            raise AirflowFailException(self._ended_early(error, dict(started.operations))) from None
        return [*started.settled, *reports]

    # -- back from the triggerer ---------------------------------------------------------

    def execute_complete(
        self, context: Context, event: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Turn the trigger's event into the report and the task's success or failure."""
        if not isinstance(event, dict) or "reports" not in event:
            raise AirflowException(f"the Toloka trigger sent no report: {event!r}")
        reports = [dict(report) for report in event["reports"]]
        for report in reports:
            if report.get("operation_id"):
                self._log_json(report)
        if event.get("status") != "success":
            # No retry: the archives go on at Toloka, and the next run finds and follows them.
            self._push(context, reports)
            raise AirflowFailException(
                f"the archives could not be followed: {event.get('message')}\n"
                + judge(reports, frozenset(self.acceptable_outcomes)).message()
            )
        return self._finish(context, reports)

    # -- both ----------------------------------------------------------------------------

    def _finish(self, context: Context, reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ordered = sorted_reports(reports)
        self._push(context, ordered)
        verdict = judge(ordered, frozenset(self.acceptable_outcomes))
        if not verdict.ok:
            raise AirflowException(verdict.message())
        self.log.info("%s", verdict.message())
        return ordered

    def _push(self, context: Context, reports: list[dict[str, Any]]) -> None:
        context["ti"].xcom_push(key=REPORTS_KEY, value=sorted_reports(reports))

    def _log_report(self, report: PoolReport) -> None:
        if report.outcome is not Outcome.STARTED:  # those are logged as they start
            self._log_json(report.to_json())

    def _log_json(self, report: dict[str, Any]) -> None:
        outcome, detail = report["outcome"], report["detail"]
        said = detail if detail == outcome.replace("_", " ") else f"{outcome}: {detail}"
        self.log.info("pool %s: %s", report["pool_id"], said)

    def _ended_early(self, error: Exception, started: dict[str, str]) -> str:
        notes = "".join(f"; {note}" for note in getattr(error, "__notes__", ()))
        text = f"stopped: {type(error).__name__}: {error}{notes}"
        if started:
            operations = ", ".join(f"pool {pool} {op}" for pool, op in started.items())
            text += f"\narchives already started (they go on at Toloka): {operations}"
        return text

    @staticmethod
    def _describe(pool_ids: list[str], selection: PoolSelection | None) -> str:
        parts = [f"{len(pool_ids)} pools by id"] if pool_ids else []
        if selection is not None:
            parts.append(selection.describe())
        return " and ".join(parts) or "no pools"


def _noting_projects(pools: Iterable[Pool], projects: dict[str, str | None]) -> Iterator[Pool]:
    """The listed pools as they come, each one's project noted (for the extra links)."""
    for pool in pools:
        projects[pool.id] = pool.project_id
        yield pool


def _project_of(selection: PoolSelection | None) -> str | None:
    if selection is None or selection.project_id is None:
        return None
    return normalize_project_id(selection.project_id)
