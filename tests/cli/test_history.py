"""``toloka-archive history``: pools' and projects' archive operations, oldest first, narrowed
by pool, project, dates and a limit, and the same one-line answer as ``archive`` for a pool or
project that is not there or not this key's.

In this process against the fake Toloka on its manual clock (see ``inprocess``).
"""

from __future__ import annotations

import datetime

import pytest
from toloka_archive.testing import FakeToloka

from tests.cli.inprocess import API_KEY, PausingClock, run_command

START = datetime.datetime(2026, 11, 1, 12, 0, 0)


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> tuple[FakeToloka, PausingClock]:
    """Project 10 (pools 11, 12) and project 20 (pool 21) archived whole, pool 31 of project 30
    archived alone; another requester's pool 41."""
    clock = PausingClock(start=START)
    fake = FakeToloka(clock=clock, seed=2, rate_limit=None)
    fake.add_requester("me", api_keys=[API_KEY])
    fake.add_requester("them", api_keys=["fake-api-key-them"])
    for project, pools in (("10", ("11", "12")), ("20", ("21",)), ("30", ("31",))):
        fake.add_project(project, owner="me", archive_seconds=1.0)
        for pool in pools:
            fake.add_pool(pool, project_id=project, archive_seconds=1.0)
    fake.add_project("40", owner="them")
    fake.add_pool("41", project_id="40")
    for project in ("10", "20"):
        assert run_command(monkeypatch, fake, clock, "project", "archive", project).code == 0
        clock.advance(60)
    assert run_command(monkeypatch, fake, clock, "archive", "31").code == 0
    return fake, clock


def rows(stdout: str) -> list[str]:
    """The subject column of each row of the table."""
    return [" ".join(line.split()[:2]) for line in stdout.splitlines()[1:]]


def test_pools_and_projects_oldest_first(
    monkeypatch: pytest.MonkeyPatch, world: tuple[FakeToloka, PausingClock]
) -> None:
    result = run_command(monkeypatch, *world, "history")
    assert result.code == 0, result.stderr
    assert result.stdout.split()[0] == "subject"
    subjects = rows(result.stdout)
    assert sorted(subjects[:2]) == ["pool 11", "pool 12"]
    assert subjects[2:] == ["project 10", "pool 21", "project 20", "pool 31"]


def test_a_projects_history_is_its_pools_and_itself(
    monkeypatch: pytest.MonkeyPatch, world: tuple[FakeToloka, PausingClock]
) -> None:
    result = run_command(monkeypatch, *world, "history", "--project", "10", "--json")
    assert result.code == 0, result.stderr
    records = result.json_lines()
    assert [(r["type"], r["pool_id"] or r["project_id"]) for r in records][2:] == [
        ("PROJECT.ARCHIVE", "10")
    ]
    assert sorted(r["pool_id"] for r in records[:2]) == ["11", "12"]
    assert all(r["finished"].endswith("+00:00") for r in records)  # aware UTC


def test_a_limit_and_dates_narrow_it(
    monkeypatch: pytest.MonkeyPatch, world: tuple[FakeToloka, PausingClock]
) -> None:
    assert len(rows(run_command(monkeypatch, *world, "history", "--limit", "2").stdout)) == 2
    until = (START + datetime.timedelta(seconds=30)).isoformat()
    early = run_command(monkeypatch, *world, "history", "--until", until)
    assert sorted(rows(early.stdout)) == ["pool 11", "pool 12", "project 10"]
    since = (START + datetime.timedelta(seconds=90)).isoformat()
    late = run_command(monkeypatch, *world, "history", "--since", since)
    assert rows(late.stdout) == ["pool 31"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--pool", "999"), "toloka-archive: error: pool 999: no such pool"),
        (("--pool", "41"), "toloka-archive: error: pool 41: no access to this pool"),
        (("--project", "999"), "toloka-archive: error: no such project 999"),
        (("--project", "40"), "toloka-archive: error: no access to project 40 (not this key's)"),
    ],
)
def test_what_is_not_there_or_not_yours_is_said_once_with_exit_1(
    monkeypatch: pytest.MonkeyPatch,
    world: tuple[FakeToloka, PausingClock],
    args: tuple[str, ...],
    says: str,
) -> None:
    result = run_command(monkeypatch, *world, "history", *args)
    assert result.code == 1
    assert result.stderr.strip().splitlines()[-1] == says


def test_an_archived_pool_without_an_operation_on_record_is_explained(
    monkeypatch: pytest.MonkeyPatch, world: tuple[FakeToloka, PausingClock]
) -> None:
    fake, clock = world
    fake.add_pool("51", project_id="30", status="ARCHIVED")
    result = run_command(monkeypatch, fake, clock, "history", "--pool", "51")
    assert result.code == 0
    assert "pool 51: archived, with no archive operation on record" in result.stderr
