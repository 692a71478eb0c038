"""What the operator was asked, checked; and how the reports decide the task. No Airflow here.

Everything the operator receives may have been rendered from a template or pulled from XCom, so
it is read leniently in form (a list, one id, ``"101, 102"``, ``"['101', '102']"``) and strictly
in content: every id is checked before anything is archived, as the command does.

The operators archive one kind of subject each (pools, or trainings): ``Subjects`` holds what
differs between them here, the noun and how an id is checked. A report names its subject by
``subject`` and ``subject_id`` (``Report.to_json()``); a report without them (from a version
that knew only pools) is a pool's, by its ``pool_id``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from toloka_archive import Outcome, PoolSelection
from toloka_archive._core.dates import DateError, parse_duration, parse_moment
from toloka_archive._core.errors import InvalidIdError
from toloka_archive._core.ids import (
    normalize_pool_id,
    normalize_project_id,
    normalize_training_id,
)
from toloka_archive._core.models import PoolStatus, pool_status_filter

OUTCOMES = tuple(outcome.value for outcome in Outcome)
SHOWN_IN_A_MESSAGE = 50  # pools listed in a failure message; the XCom report has them all
_SEPARATORS = re.compile(r"[\s,;\[\]()'\"]+")


class PlanError(ValueError):
    """An argument of the operator that cannot be used; the message names it."""


@dataclass(frozen=True)
class Subjects:
    """One kind of subject an operator archives: its noun (as reports and Toloka's web
    interface say it), the argument that takes its ids, and how an id is checked."""

    noun: str
    ids_argument: str
    normalize: Callable[[object], str]

    @property
    def plural(self) -> str:
        return f"{self.noun}s"

    def label(self, subject_id: object) -> str:
        """``pool 21``, ``training 7``."""
        return f"{self.noun} {subject_id}"


POOLS = Subjects("pool", "pool_ids", normalize_pool_id)
TRAININGS = Subjects("training", "training_ids", normalize_training_id)


def ids_from(value: object, subjects: Subjects = POOLS) -> list[str]:
    """Ids from what a DAG gives: None, an id, a list of ids (or of dicts with an ``id``, as a
    pool-creating task may return), or text (``"101 102"``, ``"101,102"``, a JSON list, or a
    rendered Python list). Each id is checked; the first bad one is named."""
    ids: list[str] = []
    for item in _flatten(value, subjects.ids_argument):
        try:
            ids.append(subjects.normalize(item))
        except InvalidIdError as error:
            raise PlanError(f"{subjects.ids_argument}: {error}") from None
    return ids


def pool_ids_from(value: object) -> list[str]:
    """Pool ids from what a DAG gives (``ids_from``)."""
    return ids_from(value, POOLS)


def _flatten(value: object, argument: str) -> Iterable[object]:
    if value is None:
        return []
    if isinstance(value, str):
        return [token for token in _SEPARATORS.split(value) if token]
    if isinstance(value, Mapping):
        if "id" not in value:
            raise PlanError(f"{argument}: a mapping without an 'id': {_shown(value)}")
        return [value["id"]]
    if isinstance(value, int):
        return [value]
    if isinstance(value, Iterable):
        items: list[object] = []
        for item in value:  # lists of lists too, as mapped tasks return them
            items.extend(_flatten(item, argument))
        return items
    raise PlanError(f"{argument}: expected ids, a list of ids or text, got {_shown(value)}")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def selection_from(
    *,
    project_id: object,
    status: object,
    idle_for: object,
    idle_since: object,
    created_before: object,
    last_started_before: object,
    now: datetime,
    subjects: Subjects = POOLS,
) -> PoolSelection | None:
    """The pools (or trainings) to choose by what they are, as the command's ``--project``,
    ``--status``, ``--idle-for``, ``--last-started-before`` and ``--created-before`` choose
    them; None when no selection was asked for. Moments are ISO 8601 (UTC unless an offset is
    given), a time ago (``30d``), or a ``datetime``; ``idle_for`` is a duration (``30d``) or a
    ``timedelta``. Trainings are chosen by the same filters (``find_trainings``)."""
    chosen = [project_id, idle_for, idle_since, created_before, last_started_before]
    if all(_blank(option) for option in chosen):
        if not _blank(status):
            raise PlanError(
                f"status chooses among the {subjects.plural} of project_id or of an idle_for, "
                "idle_since, last_started_before or created_before selection; give one of "
                "those too"
            )
        return None
    if not _blank(idle_for) and not _blank(idle_since):
        raise PlanError("give idle_for or idle_since, not both")
    idle_since_moment = _moment("idle_since", idle_since, now)
    if not _blank(idle_for):
        idle_since_moment = now - _duration("idle_for", idle_for)
    project = None
    if not _blank(project_id):
        try:
            project = normalize_project_id(
                project_id.strip() if isinstance(project_id, str) else project_id
            )
        except InvalidIdError as error:
            raise PlanError(f"project_id: {error}") from None
    return PoolSelection(
        project_id=project,
        status=_status(status, subjects),
        created_before=_moment("created_before", created_before, now),
        last_started_before=_moment("last_started_before", last_started_before, now),
        idle_since=idle_since_moment,
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _status(value: object, subjects: Subjects) -> str | None:
    """A status filter; trainings have the statuses pools have (``TrainingStatus``)."""
    if _blank(value):
        return PoolStatus.CLOSED.value
    noun = subjects.noun
    if not isinstance(value, str):
        raise PlanError(f"status must be a {noun} status or 'any', got {_shown(value)}")
    try:
        return pool_status_filter(value)
    except ValueError as error:
        raise PlanError(f"status: {str(error).replace('pool status', f'{noun} status')}") from None


def _moment(name: str, value: object, now: datetime) -> datetime | None:
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if not isinstance(value, str):
        raise PlanError(f"{name} must be a date, a time ago or a datetime, got {_shown(value)}")
    try:
        return parse_moment(value, now)
    except DateError as error:
        raise PlanError(f"{name}: {error}") from None


def _duration(name: str, value: object) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str):
        raise PlanError(f"{name} must be a duration (30d) or a timedelta, got {_shown(value)}")
    try:
        return parse_duration(value)
    except DateError as error:
        raise PlanError(f"{name}: {error}") from None


def acceptable_from(values: Iterable[object]) -> frozenset[str]:
    """Outcome names a caller accepts besides the ones that need nothing more."""
    names = set()
    for value in values:
        name = value.value if isinstance(value, Outcome) else str(value).strip().lower()
        if name not in OUTCOMES:
            choices = ", ".join(OUTCOMES)
            raise PlanError(f"acceptable_outcomes: unknown outcome {value!r}; choose {choices}")
        names.add(name)
    return frozenset(names)


def deadline_from(value: object) -> float | None:
    """A deadline as epoch seconds: from epoch seconds, an ISO 8601 string (UTC unless it
    says otherwise) or an aware ``datetime``; None means no deadline."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise PlanError(f"deadline must be epoch seconds or an ISO 8601 string, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
        except ValueError:
            raise PlanError(f"deadline {value!r} is not an ISO 8601 date-time") from None
        value = moment
    if isinstance(value, datetime):
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        return aware.timestamp()
    raise PlanError(f"deadline must be epoch seconds or an ISO 8601 string, got {_shown(value)}")


@dataclass(frozen=True)
class Verdict:
    """How a run ends for Airflow: ``ok``, and in words the counts and the pools in the way."""

    ok: bool
    summary: str
    problems: tuple[str, ...]

    def message(self) -> str:
        lines = [self.summary, *self.problems]
        return "\n".join(lines)


def judge(
    reports: Sequence[Mapping[str, Any]], acceptable: frozenset[str], subjects: Subjects = POOLS
) -> Verdict:
    """Success when every subject ended ``ok`` (archived, already archived) or in an accepted
    outcome; otherwise the ones that did not, each with its reason and operation id."""
    counts = Counter(str(report["outcome"]) for report in reports)
    in_the_way = [
        report for report in reports if not report["ok"] and report["outcome"] not in acceptable
    ]
    shown = ", ".join(f"{outcome} {count}" for outcome, count in sorted(counts.items()))
    plural = subjects.plural
    summary = f"{len(reports)} {plural}: {shown}" if reports else f"0 {plural}: nothing to archive"
    problems = [_problem(report, subjects) for report in in_the_way[:SHOWN_IN_A_MESSAGE]]
    if len(in_the_way) > SHOWN_IN_A_MESSAGE:
        problems.append(
            f"... and {len(in_the_way) - SHOWN_IN_A_MESSAGE} more (the XCom report lists all)"
        )
    if in_the_way:
        problems.insert(0, f"{len(in_the_way)} not archived:")
    return Verdict(ok=not in_the_way, summary=summary, problems=tuple(problems))


def subject_id_of(report: Mapping[str, Any]) -> str:
    """The id of the report's subject: ``subject_id``, or a pool's 0.1 ``pool_id``."""
    subject_id = report.get("subject_id")
    if subject_id is None:
        subject_id = report.get("pool_id")
    return "" if subject_id is None else str(subject_id)


def label_of(report: Mapping[str, Any], subjects: Subjects = POOLS) -> str:
    """``pool 21``, ``training 7``: the report's subject in words (its own noun when it says)."""
    noun = report.get("subject") or subjects.noun
    return f"{noun} {subject_id_of(report)}"


def _problem(report: Mapping[str, Any], subjects: Subjects) -> str:
    text = f"  {label_of(report, subjects)}: {report['outcome']}: {report['detail']}"
    operation_id = report.get("operation_id")
    if operation_id and str(operation_id) not in text:
        text += f" (operation {operation_id})"
    return text


def sorted_reports(reports: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Reports in subject id order (numeric), so that a report reads the same run after run."""

    def key(report: Mapping[str, Any]) -> tuple[int, str]:
        subject_id = subject_id_of(report)
        return (int(subject_id), "") if subject_id.isdigit() else (-1, subject_id)

    return [dict(report) for report in sorted(reports, key=key)]
