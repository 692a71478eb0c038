"""The operator's arguments and its verdict, without Airflow: ids, selection, deadline, judge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from toloka_archive import Outcome
from toloka_archive.airflow._plan import (
    PlanError,
    acceptable_from,
    deadline_from,
    judge,
    pool_ids_from,
    selection_from,
    sorted_reports,
)

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("given", "ids"),
    [
        (None, []),
        ([], []),
        (101, ["101"]),
        ("101", ["101"]),
        ([101, "102"], ["101", "102"]),
        ("101, 102\n103", ["101", "102", "103"]),
        ('["101", "102"]', ["101", "102"]),  # a JSON list, as a template may render it
        ("['101', '102']", ["101", "102"]),  # a rendered Python list
        ([{"id": "101", "status": "OPEN"}, {"id": 102}], ["101", "102"]),  # created pools
        ({"id": "7"}, ["7"]),
        (("1", ["2", "3"]), ["1", "2", "3"]),
    ],
)
def test_pool_ids_in_every_form_a_dag_gives_them(given: object, ids: list[str]) -> None:
    assert pool_ids_from(given) == ids


@pytest.mark.parametrize(
    ("given", "named"),
    [
        (["101", "107x"], "'107x'"),
        ("101 -5", "'-5'"),
        ([True], "bool"),
        ([{"name": "x"}], "without an 'id'"),
        (3.5, "got 3.5"),
        ("1/../../projects/5", "'1/../../projects/5'"),
    ],
)
def test_a_bad_pool_id_is_named_before_anything_is_archived(given: object, named: str) -> None:
    with pytest.raises(PlanError, match="pool_ids") as caught:
        pool_ids_from(given)
    assert named in str(caught.value)


def choose(**given: object) -> object:
    options: dict[str, object] = {
        "project_id": None,
        "status": None,
        "idle_for": None,
        "idle_since": None,
        "created_before": None,
        "last_started_before": None,
    }
    options.update(given)
    return selection_from(now=NOW, **options)


def test_no_selection_without_its_options() -> None:
    assert choose() is None
    assert choose(project_id="  ") is None  # a template that rendered to nothing


def test_a_project_idle_for_30_days_reads_as_the_command_reads_it() -> None:
    selection = choose(project_id=" 1001 ", idle_for="30d")
    assert selection is not None
    assert selection.project_id == "1001"  # type: ignore[attr-defined]
    assert selection.status == "CLOSED"  # type: ignore[attr-defined]
    assert selection.idle_since == NOW - timedelta(days=30)  # type: ignore[attr-defined]


def test_dates_durations_and_status_any() -> None:
    selection = choose(
        project_id=5,
        status="any",
        idle_since=datetime(2026, 10, 1),  # naive: UTC
        created_before="2026-09-01T12:00+02:00",
        last_started_before=None,
    )
    assert selection.status is None  # type: ignore[attr-defined]
    assert selection.idle_since == datetime(2026, 10, 1, tzinfo=UTC)  # type: ignore[attr-defined]
    assert selection.created_before == datetime(2026, 9, 1, 10, tzinfo=UTC)  # type: ignore[attr-defined]
    by_delta = choose(project_id=5, idle_for=timedelta(hours=2), status="open")
    assert by_delta.status == "OPEN"  # type: ignore[attr-defined]
    assert by_delta.idle_since == NOW - timedelta(hours=2)  # type: ignore[attr-defined]
    ago = choose(last_started_before="2w")
    assert ago.last_started_before == NOW - timedelta(weeks=2)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"status": "CLOSED"}, "status chooses among the pools of project_id"),
        ({"project_id": "7", "idle_for": "30d", "idle_since": "2026-10-01"}, "not both"),
        ({"project_id": "7", "idle_for": "30 days"}, "idle_for: '30 days' is not a duration"),
        ({"project_id": "7", "created_before": "yesterday"}, "created_before: 'yesterday'"),
        ({"project_id": "7x"}, "project_id: project id must be"),
        ({"project_id": "7", "status": 3}, "status must be"),
    ],
)
def test_a_bad_selection_is_named(given: dict[str, object], message: str) -> None:
    with pytest.raises(PlanError, match=message):
        choose(**given)


def test_acceptable_outcomes_are_checked() -> None:
    assert acceptable_from(["not_archivable_yet", Outcome.WRONG_STATUS]) == {
        "not_archivable_yet",
        "wrong_status",
    }
    with pytest.raises(PlanError, match="unknown outcome 'not archivable'"):
        acceptable_from(["not archivable"])


def test_deadline_as_epoch_seconds_or_iso() -> None:
    epoch = datetime(2026, 11, 1, 13, 0, tzinfo=UTC).timestamp()
    assert deadline_from(None) is None
    assert deadline_from(epoch) == epoch
    assert deadline_from(int(epoch)) == epoch
    assert deadline_from("2026-11-01T13:00:00Z") == epoch
    assert deadline_from("2026-11-01T13:00:00") == epoch  # UTC unless it says otherwise
    assert deadline_from("2026-11-01T15:00:00+02:00") == epoch
    with pytest.raises(PlanError, match="not an ISO 8601"):
        deadline_from("tomorrow")
    with pytest.raises(PlanError):
        deadline_from(True)


def report(pool_id: str, outcome: str, ok: bool, operation_id: str | None = None) -> dict:  # type: ignore[type-arg]
    detail = {"archived": "archived", "timed_out": "still running"}.get(outcome, outcome)
    return {
        "pool_id": pool_id,
        "outcome": outcome,
        "ok": ok,
        "detail": detail,
        "operation_id": operation_id,
    }


def test_judge_lists_each_pool_in_the_way_with_its_operation() -> None:
    reports = [
        report("1", "archived", True, "op-1"),
        report("2", "already_archived", True),
        report("3", "not_archivable_yet", False),
        report("4", "timed_out", False, "op-4"),
    ]
    verdict = judge(reports, frozenset())
    assert not verdict.ok
    assert verdict.summary == (
        "4 pools: already_archived 1, archived 1, not_archivable_yet 1, timed_out 1"
    )
    assert verdict.problems == (
        "2 not archived:",
        "  pool 3: not_archivable_yet: not_archivable_yet",
        "  pool 4: timed_out: still running (operation op-4)",
    )
    assert not judge(reports, frozenset({"not_archivable_yet"})).ok
    assert judge(reports, frozenset({"not_archivable_yet", "timed_out"})).ok
    assert judge([], frozenset()).ok


def test_a_long_failure_message_is_capped_but_the_count_is_whole() -> None:
    reports = [report(str(n), "failed", False) for n in range(120)]
    verdict = judge(reports, frozenset())
    assert verdict.problems[0] == "120 not archived:"
    assert verdict.problems[-1] == "... and 70 more (the XCom report lists all)"
    assert len(verdict.problems) == 52


def test_reports_are_in_pool_id_order() -> None:
    shuffled = [
        report("10", "archived", True),
        report("9", "archived", True),
        report("", "not_found", False),
    ]
    assert [r["pool_id"] for r in sorted_reports(shuffled)] == ["", "9", "10"]
