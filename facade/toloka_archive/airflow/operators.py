"""Archive Toloka pools and trainings from a DAG, freeing the worker while Toloka works.

``TolokaArchivePoolsOperator`` archives pools, ``TolokaArchiveTrainingsOperator`` trainings
(training pools); they share one body (``_TolokaArchiveOperator``) and differ only in the
subject they hand it. Each task starts the archives in the worker (the facade's bulk engine with
``wait=False``: one archive request per subject, the pre-flight's reason for each one that
cannot go), logs every operation id, and then either defers to ``TolokaArchiveTrigger``, which
follows the operations on the triggerer (``deferrable=True``, the default), or follows them
itself with the blocking client. Either way it ends with one report per pool or training
(``Report.to_json()``, as the command's ``--json``: ``subject``, ``subject_id``, ...), pushed to
XCom, and fails, naming each one and why, when one was not archived and its outcome is not among
``acceptable_outcomes``.

Why two operators rather than one with a ``subject="training"`` argument: the ids read as what
they are (``training_ids=``, not ``pool_ids=`` that hold trainings), each class declares the
extra links its subject has (Airflow takes links from the class), and a DAG's graph shows which
one a task archives. Toloka archives a training only once every pool that requires it is
archived, so the two are naturally two tasks: ``archive_pools >> archive_trainings``. The
command line's single ``archive`` with ``--trainings`` is the same choice made for a shell.

A pool or training someone closed to edit it (``FOR_UPDATE``) is left alone and reported
``being_edited``, unless ``include_editing=True``.

When a retry cannot help, the task fails without one (``AirflowFailException``): the
connection is missing or wrong, Toloka refused the key, or archives were started and could not
be followed (they go on at Toloka, and the next run finds and follows them instead of starting
them again). Toloka unreachable before anything started is worth a retry.

Their extra links open the project's page and, when a task handled one pool (or training), its
page in Toloka's web interface (``links``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from itertools import chain
from typing import Any, ClassVar, NoReturn

from airflow.sdk import BaseOperator, Context

from toloka_archive import (
    APIConnectionError,
    ConfigurationError,
    InternalServerError,
    Outcome,
    Pool,
    PoolSelection,
    RateLimitError,
    Report,
    RunEndingError,
    TolokaClient,
    TolokaError,
    Training,
)
from toloka_archive._core.clock import utc_now
from toloka_archive._core.ids import normalize_project_id
from toloka_archive._core.policies import DEFAULT_CONCURRENCY, DEFAULT_WAIT_TIMEOUT
from toloka_archive.airflow._compat import (
    AirflowException,
    AirflowFailException,
    AirflowNotFoundException,
)
from toloka_archive.airflow._following import (
    Started,
    deadline_after,
    find,
    follow_blocking,
    format_deadline,
    start_archives,
    unfollowed,
)
from toloka_archive.airflow._plan import (
    POOLS,
    TRAININGS,
    PlanError,
    Subjects,
    Verdict,
    acceptable_from,
    ids_from,
    judge,
    label_of,
    selection_from,
    sorted_reports,
)
from toloka_archive.airflow._settings import DEFAULT_CONN_ID
from toloka_archive.airflow.hooks import TolokaHook
from toloka_archive.airflow.links import (
    PAGES_ATTRIBUTE,
    TolokaPoolLink,
    TolokaProjectLink,
    TolokaTrainingLink,
    pages_for,
    to_look_up,
)
from toloka_archive.airflow.triggers import TolokaArchiveTrigger

# What a retry a little later may get past: no answer, or Toloka's "not now".
_PASSING = (APIConnectionError, InternalServerError, RateLimitError)
DEFER_GRACE = 600.0  # Airflow's own defer timeout: the trigger's deadline, and this much more
REPORTS_KEY = "toloka_reports"  # the XCom key that always holds the run's reports
SELECTION_FIELDS = (
    "project_id",
    "status",
    "idle_for",
    "idle_since",
    "created_before",
    "last_started_before",
    "toloka_conn_id",
)

Moment = datetime | str | None


class _TolokaArchiveOperator(BaseOperator):
    """What archiving pools and archiving trainings share: all of it but the subject.

    A subclass names its ``subjects`` (``POOLS``, ``TRAININGS``), keeps the ids it is given
    under ``subjects.ids_argument`` (a templated field), and declares its extra links.
    """

    subjects: ClassVar[Subjects]
    ui_color = "#e8f4fd"

    def __init__(
        self,
        *,
        ids: Any = None,
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
        include_editing: bool = False,
        acceptable_outcomes: Iterable[str | Outcome] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        subjects = self.subjects
        selected = (project_id, idle_for, idle_since, created_before, last_started_before)
        if ids is None and all(option is None for option in selected):
            raise ValueError(
                f"{self.task_id}: give {subjects.ids_argument}, or choose {subjects.plural} "
                "with project_id, idle_for, idle_since, created_before or last_started_before"
            )
        if idle_for is not None and idle_since is not None:
            raise ValueError(f"{self.task_id}: give idle_for or idle_since, not both")
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(f"{self.task_id}: concurrency must be at least 1, got {concurrency!r}")
        if timeout is not None and (isinstance(timeout, bool) or not timeout >= 0):
            raise ValueError(f"{self.task_id}: timeout must be None or >= 0, got {timeout!r}")
        if not isinstance(include_editing, bool):
            raise ValueError(
                f"{self.task_id}: include_editing must be True or False, got {include_editing!r}"
            )
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
        self.include_editing = include_editing
        try:
            self.acceptable_outcomes = sorted(acceptable_from(acceptable_outcomes))
        except PlanError as error:
            raise ValueError(f"{self.task_id}: {error}") from None

    def _given_ids(self) -> Any:
        """The ids as given, or as Airflow rendered them (``pool_ids``, ``training_ids``)."""
        return getattr(self, self.subjects.ids_argument)

    # -- the worker's part ---------------------------------------------------------------

    def execute(self, context: Context) -> list[dict[str, Any]]:
        hook = TolokaHook(self.toloka_conn_id)
        subjects = self.subjects
        try:
            subject_ids = ids_from(self._given_ids(), subjects)
            selection = self._selection(hook)
        except PlanError as error:
            raise AirflowFailException(f"nothing was archived: {error}") from None
        started_ids: dict[str, str] = {}

        def on_started(subject_id: str, operation_id: str) -> None:
            started_ids[subject_id] = operation_id
            self.log.info(
                "%s: archiving started, operation %s", subjects.label(subject_id), operation_id
            )

        try:
            connected = hook.get_client()
        except (ConfigurationError, AirflowNotFoundException) as error:
            raise AirflowFailException(f"nothing was archived: {error}") from None
        with connected as client:
            base_url = client.base_url
            project_id = _project_of(selection)
            projects: dict[str, str | None] = dict.fromkeys(subject_ids)
            self._keep_pages(client, project_id, {})
            self.log.info(
                "archiving %s on %s (connection %r), %d at a time%s",
                self._describe(subject_ids, selection),
                client.environment.value if client.environment else base_url,
                self.toloka_conn_id,
                self.concurrency,
                f"; {subjects.plural} closed for editing too" if self.include_editing else "",
            )
            source: Iterable[Any] = subject_ids
            if selection is not None:
                listed = find(client, selection, subjects)
                source = chain(subject_ids, _noting_projects(listed, projects))
            try:
                started = start_archives(
                    client,
                    source,
                    concurrency=self.concurrency,
                    subjects=subjects,
                    include_editing=self.include_editing,
                    on_started=on_started,
                    on_report=self._log_report,
                )
            except TolokaError as error:  # none got past it, or the selection was not listed
                raise self._stopped(error, started_ids) from None
            finally:
                self._keep_pages(client, project_id, projects)
            if self._look_up_project(client, projects):
                self._keep_pages(client, project_id, projects)
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
        self, client: TolokaClient, project_id: str | None, projects: dict[str, str | None]
    ) -> None:
        """The Toloka pages the extra links open, worked out while the client is at hand.
        ``projects``: each pool (or training) handled, with its project when known."""
        pages = pages_for(
            client.environment,
            project_id=project_id,
            pool_projects=projects if self.subjects is POOLS else None,
            training_projects=projects if self.subjects is TRAININGS else None,
        )
        setattr(self, PAGES_ATTRIBUTE, pages)

    def _look_up_project(self, client: TolokaClient, projects: dict[str, str | None]) -> bool:
        """The project of the one pool (or training) handled, given by id, read once for its
        page (the answer is kept in ``projects``); no request when it is known, when several
        were handled, or for a custom base URL. A failed read only leaves the link out."""
        member_id = to_look_up(client.environment, projects)
        if member_id is None:
            return False
        read = client.get_training if self.subjects is TRAININGS else client.get_pool
        try:
            projects[member_id] = read(member_id).project_id
        except TolokaError as error:
            self.log.info(
                "no %s link: %s could not be read (%s: %s)",
                self.subjects.noun,
                self.subjects.label(member_id),
                type(error).__name__,
                error,
            )
            return False
        return True

    def _stopped(self, error: TolokaError, started: dict[str, str]) -> AirflowException:
        """The task's end when starting stopped at ``error``: none could get past it (a refused
        key, Toloka unreachable), or the selection could not be listed.

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
            subject=self.subjects.noun,
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
            subjects=self.subjects,
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
                subjects=self.subjects,
            ):
                reports.append(report)
                self._log_json(report)
        except RunEndingError as error:
            message = f"{type(error).__name__}: {error}"
            rest = list(unfollowed(started.operations, message, reports, self.subjects))
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
                + self._judge(reports).message()
            )
        return self._finish(context, reports)

    # -- both ----------------------------------------------------------------------------

    def _finish(self, context: Context, reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ordered = sorted_reports(reports)
        self._push(context, ordered)
        verdict = self._judge(ordered)
        if not verdict.ok:
            raise AirflowException(verdict.message())
        self.log.info("%s", verdict.message())
        return ordered

    def _judge(self, reports: list[dict[str, Any]]) -> Verdict:
        return judge(reports, frozenset(self.acceptable_outcomes), self.subjects)

    def _push(self, context: Context, reports: list[dict[str, Any]]) -> None:
        context["ti"].xcom_push(key=REPORTS_KEY, value=sorted_reports(reports))

    def _log_report(self, report: Report) -> None:
        if report.outcome is not Outcome.STARTED:  # those are logged as they start
            self._log_json(report.to_json())

    def _log_json(self, report: dict[str, Any]) -> None:
        outcome, detail = report["outcome"], report["detail"]
        said = detail if detail == outcome.replace("_", " ") else f"{outcome}: {detail}"
        self.log.info("%s: %s", label_of(report, self.subjects), said)

    def _ended_early(self, error: Exception, started: dict[str, str]) -> str:
        notes = "".join(f"; {note}" for note in getattr(error, "__notes__", ()))
        text = f"stopped: {type(error).__name__}: {error}{notes}"
        if started:
            label = self.subjects.label
            operations = ", ".join(f"{label(key)} {op}" for key, op in started.items())
            text += f"\narchives already started (they go on at Toloka): {operations}"
        return text

    def _describe(self, subject_ids: list[str], selection: PoolSelection | None) -> str:
        parts = [f"{len(subject_ids)} {self.subjects.plural} by id"] if subject_ids else []
        if selection is not None:
            parts.append(selection.describe(self.subjects.noun))
        return " and ".join(parts) or f"no {self.subjects.plural}"


class TolokaArchivePoolsOperator(_TolokaArchiveOperator):
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
    :param toloka_conn_id: a Toloka connection (default ``toloka_default``): ours (type
        ``toloka_archive``) or one airflow-provider-toloka wrote (type ``toloka``), read as that
        provider reads it.
    :param concurrency: how many pools at once, in starting and in following (default 8).
    :param timeout: seconds to follow the archives once started (default 600); ``None`` follows
        them to their end. Operations still running then are reported ``timed_out`` with their
        id; they go on at Toloka.
    :param deferrable: follow on the triggerer, freeing the worker (default); ``False`` follows
        in the worker.
    :param include_editing: archive pools closed for editing too (someone closed them to change
        them; Toloka reopens them by itself); by default they are left alone, ``being_edited``.
    :param acceptable_outcomes: outcomes that do not fail the task besides ``archived`` and
        ``already_archived``, e.g. ``["not_archivable_yet"]`` for a nightly clean-up, or
        ``"being_edited"``, ``"blocked"``.

    The report (a list of ``Report.to_json()`` dicts, in pool id order) is pushed to XCom under
    ``toloka_reports``, and is the task's return value when it succeeds.

    Extra links: "Toloka project" (the project asked for, or the one project of every pool
    handled) and "Toloka pool" (when the task handled one pool; a pool given by id is read once
    for its project), in Toloka's web interface for the connection's environment; none for a
    custom base URL.
    """

    subjects = POOLS
    template_fields: Sequence[str] = ("pool_ids", *SELECTION_FIELDS)
    operator_extra_links = (TolokaProjectLink(), TolokaPoolLink())

    def __init__(self, *, pool_ids: Any = None, **kwargs: Any) -> None:
        super().__init__(ids=pool_ids, **kwargs)
        self.pool_ids = pool_ids


class TolokaArchiveTrainingsOperator(_TolokaArchiveOperator):
    """Archive Toloka trainings (training pools), given by id or chosen by what they are.

    The arguments are those of ``TolokaArchivePoolsOperator``, about trainings: ``training_ids``
    (templated; an ``XComArg`` works), or a selection by ``project_id``, ``status``, ``idle_for``
    / ``idle_since``, ``created_before``, ``last_started_before`` (the project's ``CLOSED``
    trainings by default); ``include_editing`` archives trainings closed for editing too.

    Toloka archives a training only once every pool that requires it is archived; until then
    the training is reported ``blocked`` (Toloka's ``TRAINING_ARCHIVE_CONFLICT``). So archive
    the pools first (``archive_pools >> archive_trainings``), or accept ``"blocked"`` in a
    clean-up that a later run completes.

    The report (``Report.to_json()`` dicts with ``subject`` ``"training"`` and ``subject_id``,
    in training id order) is pushed to XCom under ``toloka_reports``. Extra links: "Toloka
    project" and "Toloka training" (when the task handled one training; one given by id is read
    once for its project).
    """

    subjects = TRAININGS
    template_fields: Sequence[str] = ("training_ids", *SELECTION_FIELDS)
    operator_extra_links = (TolokaProjectLink(), TolokaTrainingLink())

    def __init__(self, *, training_ids: Any = None, **kwargs: Any) -> None:
        super().__init__(ids=training_ids, **kwargs)
        self.training_ids = training_ids


def _noting_projects(
    listed: Iterable[Pool | Training], projects: dict[str, str | None]
) -> Iterator[Pool | Training]:
    """The listed pools (or trainings) as they come, each one's project noted (for the links)."""
    for member in listed:
        projects[member.id] = member.project_id
        yield member


def _project_of(selection: PoolSelection | None) -> str | None:
    if selection is None or selection.project_id is None:
        return None
    return normalize_project_id(selection.project_id)
