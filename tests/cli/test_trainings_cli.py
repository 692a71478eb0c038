"""The command on a project with trainings and a pool closed for editing, as a user runs it:
``project archive`` in Toloka's order, ``archive --trainings``, ``--include-editing``,
``history`` and ``wait`` with trainings, ``--json`` records that say what they are about.

In this process against the fake Toloka on its manual clock (see ``inprocess``).
"""

from __future__ import annotations

import datetime
import json

import pytest
from toloka_archive.testing import FakeToloka, Fault

from tests.cli.inprocess import API_KEY, PausingClock, run_command

START = datetime.datetime(2026, 11, 1, 12, 0, 0)


def world() -> tuple[FakeToloka, PausingClock]:
    """Project 90005: ten closed pools that require two trainings, one still open; project
    90006: a pool closed for editing beside an ordinary one."""
    clock = PausingClock(start=START)
    fake = FakeToloka(clock=clock, seed=9, rate_limit=None)
    fake.add_requester("me", api_keys=[API_KEY])
    fake.add_project("90005", archive_seconds=2.0)
    fake.add_training("9501", project_id="90005", status="CLOSED")
    fake.add_training("9502", project_id="90005", status="OPEN")
    for number in range(10):
        training = "9501" if number < 5 else "9502"
        fake.add_pool(str(9100 + number), project_id="90005", training_id=training)
    fake.add_project("90006")
    fake.add_pool("9601", project_id="90006")
    fake.add_pool("9602", project_id="90006", last_close_reason="FOR_UPDATE")
    return fake, clock


def test_project_archive_without_close_open_names_the_open_training_and_exits_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, clock = world()
    result = run_command(monkeypatch, fake, clock, "project", "archive", "90005")
    assert result.code == 1
    assert "training 9502: status OPEN, close it first" in result.stdout
    last = result.stdout.splitlines()[-1]
    assert last.startswith("Project 90005: not archived: 1 training of it is not archived")
    assert "--close-open" in last
    assert "run again" not in last
    assert fake.project("90005").status == "ACTIVE"


def test_project_archive_with_close_open_archives_it_whole_and_exits_0(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, clock = world()
    dry = run_command(
        monkeypatch, fake, clock, "project", "archive", "90005", "--close-open", "--dry-run"
    )
    assert dry.code == 0, dry.stdout
    assert "training 9502: status OPEN: would be closed, then archived" in dry.stdout
    assert fake.operations() == ()
    result = run_command(monkeypatch, fake, clock, "project", "archive", "90005", "--close-open")
    assert result.code == 0, result.stdout + result.stderr
    assert "Summary: 12 pools and trainings" in result.stdout
    assert "training 9502: closed, then archived" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Project 90005: archived")
    types = [operation.type for operation in fake.operations()]
    assert types.count("POOL.ARCHIVE") == 10
    assert types.count("TRAINING.ARCHIVE") == 2
    assert types.count("TRAINING.CLOSE") == 1
    assert types[-1] == "PROJECT.ARCHIVE"
    last_pool = max(i for i, kind in enumerate(types) if kind == "POOL.ARCHIVE")
    first_training = min(i for i, kind in enumerate(types) if kind.startswith("TRAINING."))
    assert last_pool < first_training  # pools, then their trainings, then the project
    again = run_command(monkeypatch, fake, clock, "project", "archive", "90005")
    assert again.code == 0
    assert "already archived" in again.stdout


def test_a_pool_closed_for_editing_survives_a_selection_and_an_id_without_the_flag(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, clock = world()
    selected = run_command(monkeypatch, fake, clock, "archive", "--project", "90006")
    assert selected.code == 1
    assert "pool 9602: closed for editing: someone closed it to edit it" in selected.stdout
    assert "closed for editing (left alone)" in selected.stdout
    assert fake.pool("9601").status == "ARCHIVED"
    assert fake.pool("9602").status == "CLOSED"
    named = run_command(monkeypatch, fake, clock, "archive", "9602")
    assert named.code == 1
    assert fake.pool("9602").status == "CLOSED"
    consented = run_command(monkeypatch, fake, clock, "archive", "9602", "--include-editing")
    assert consented.code == 0, consented.stdout
    assert fake.pool("9602").status == "ARCHIVED"


def test_archive_trainings_by_id_and_by_selection_then_history_and_json(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, clock = world()
    refused = run_command(monkeypatch, fake, clock, "archive", "--trainings", "9501")
    assert refused.code == 1
    assert "training 9501: not archived: a pool that requires this training is not archived" in (
        refused.stdout
    )
    pools = run_command(monkeypatch, fake, clock, "archive", "--project", "90005")
    assert pools.code == 0
    lines = run_command(
        monkeypatch, fake, clock, "archive", "--trainings", "--project", "90005", "--json"
    )
    assert lines.code == 0, lines.stdout + lines.stderr
    records = [json.loads(line) for line in lines.stdout.splitlines()]
    assert [(r["subject"], r["subject_id"], r["outcome"]) for r in records] == [
        ("training", "9501", "archived")
    ]  # the CLOSED ones by default; 9502 is open
    assert records[0]["pool_id"] is None
    history = run_command(monkeypatch, fake, clock, "history", "--project", "90005")
    assert history.code == 0
    assert "training 9501" in history.stdout
    assert sum(1 for line in history.stdout.splitlines() if line.startswith("pool ")) == 10
    one = run_command(monkeypatch, fake, clock, "history", "--training", "9501", "--json")
    [record] = [json.loads(line) for line in one.stdout.splitlines()]
    assert record["type"] == "TRAINING.ARCHIVE"
    assert record["training_id"] == "9501"


def test_wait_follows_a_training_archive_left_running(monkeypatch: pytest.MonkeyPatch) -> None:
    fake, clock = world()
    fake.add_project("90007")
    fake.add_training("9701", project_id="90007", archive_seconds=60.0)
    started = run_command(monkeypatch, fake, clock, "archive", "--trainings", "9701", "--no-wait")
    assert started.code == 0, started.stdout
    [operation] = [o.id for o in fake.operations() if o.type == "TRAINING.ARCHIVE"]
    followed = run_command(monkeypatch, fake, clock, "wait", operation)
    assert followed.code == 0, followed.stdout
    assert f"training 9701: archived (operation {operation})" in followed.stdout


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_project_archive_with_trainings_through_faults_on_every_route_exits_0(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """30 % of every request kind fails (reads, lists, starts, polls, the project's own
    archive), a third of them after Toloka acted: the verdict is the clean run's, one operation
    per pool, training and project, in Toloka's order."""
    clock = PausingClock(start=START)
    fake = FakeToloka(clock=clock, seed=seed, rate_limit=None)
    fake.add_requester("me", api_keys=[API_KEY])
    fake.add_project("90005", archive_seconds=2.0)
    fake.add_training("9501", project_id="90005", status="CLOSED")
    fake.add_training("9502", project_id="90005", status="OPEN")
    for number in range(10):
        training = "9501" if number < 5 else "9502"
        fake.add_pool(str(9100 + number), project_id="90005", training_id=training)
    for kind in ("unavailable", "bad_gateway", "disconnect"):
        fake.add_fault(Fault(kind=kind, probability=0.1))
    fake.add_fault(Fault(kind="drop_after_commit", probability=0.3))
    result = run_command(monkeypatch, fake, clock, "project", "archive", "90005", "--close-open")
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("Project 90005: archived")
    started = [(o.type, next(iter(o.parameters.values()))) for o in fake.operations()]
    assert len(started) == len(set(started)) == 14  # 10 pools, 2 trainings, 1 close, 1 project
    assert started[-1] == ("PROJECT.ARCHIVE", "90005")
    pools_end = max(i for i, (kind, _) in enumerate(started) if kind == "POOL.ARCHIVE")
    assert all(kind.startswith("TRAINING.") for kind, _ in started[pools_end + 1 : -1])
    assert any(request.fault for request in fake.requests)
