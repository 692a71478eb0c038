"""Archiving by what pools are, from a shell: a project's idle pools, the project, history."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import run_cli


def test_a_dry_run_lists_a_projects_idle_closed_pools(fake_url: str) -> None:
    result = run_cli(
        "archive", "--project", "1002", "--idle-for", "30d", "--dry-run", "--base-url", fake_url
    )
    assert result.code == 0, result.stderr
    assert "the CLOSED pools of project 1002 idle since " in result.stderr
    assert sorted(result.stdout.splitlines()[:2]) == [
        "pool 301: can be archived now",
        "pool 307: can be archived now",
    ]


def test_a_query_combines_with_ids(fake_url: str) -> None:
    result = run_cli(
        "archive",
        "106",
        "--project",
        "1002",
        "--idle-for",
        "30d",
        "--json",
        "--base-url",
        fake_url,
    )
    assert result.code == 0, result.stderr
    reports = {json.loads(line)["pool_id"]: json.loads(line) for line in result.stdout.splitlines()}
    assert set(reports) == {"106", "301", "307"}
    assert {r["outcome"] for r in reports.values()} == {"archived"}


def test_a_project_with_blocking_pools_is_left_and_says_why(fake_url: str) -> None:
    result = run_cli("project", "archive", "1002", "--base-url", fake_url)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert "pool 303: status OPEN, close it first" in lines
    assert any(line.startswith("pool 304: has rejected tasks, archivable from ") for line in lines)
    assert lines[-1].startswith("Project 1002: not archived: 3 pools of it are not archived")


def test_a_project_whose_pools_can_go_is_archived_last(fake_url: str) -> None:
    result = run_cli("project", "archive", "1003", "--json", "--base-url", fake_url)
    assert result.code == 0, result.stderr
    *pools, project = [json.loads(line) for line in result.stdout.splitlines()]
    assert {p["pool_id"]: p["outcome"] for p in pools} == {
        "311": "archived",
        "312": "archived",
        "313": "already_archived",
    }
    assert (project["project_id"], project["outcome"]) == ("1003", "archived")
    assert project["operation_id"]
    again = run_cli("project", "archive", "1003", "--base-url", fake_url)
    assert again.code == 0
    assert "Project 1003: already archived" in again.stdout


def test_history_after_archiving(fake_url: str) -> None:
    run_cli("archive", "106", "--base-url", fake_url)
    result = run_cli("history", "--pool", "106", "--json", "--base-url", fake_url)
    assert result.code == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (record["pool_id"], record["status"]) == ("106", "SUCCESS")
    assert record["finished"].endswith("+00:00")
    never = run_cli("history", "--pool", "101", "--base-url", fake_url)
    assert "archived, with no archive operation on record" in never.stderr


def test_an_unknown_project_is_said_plainly(fake_url: str) -> None:
    result = run_cli("project", "archive", "99999", "--base-url", fake_url)
    assert result.code == 1
    assert "Project 99999: no such project" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["archive", "--project", "1002", "--idle-for", "3x"],
            "--idle-for: '3x' is not a duration",
        ),
        (
            ["archive", "--created-before", "yesterday"],
            "--created-before: 'yesterday' is not a date",
        ),
        (["archive", "--status", "CLOSED"], "--status chooses among the pools of --project"),
        (["archive", "--project", "12x"], "'12x' is not a project id"),
        (["project", "archive", "12x"], "'12x' is not a project id"),
        (["history", "--since", "soon"], "--since: 'soon' is not a date"),
        (["history", "--pool", "abc"], "--pool: 'abc' is not a pool id"),
    ],
)
def test_bad_selection_input_is_a_usage_error_naming_the_option(
    args: list[str], message: str
) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
