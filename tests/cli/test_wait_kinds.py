"""``wait`` follows every kind of operation the command starts, so the follow-up it prints
always works: a project's archive, a pool's close, a pool's archive.

In this process against the fake Toloka on its manual clock (see ``inprocess``).
"""

from __future__ import annotations

import datetime

import pytest
from toloka_archive.testing import FakeToloka

from tests.cli.inprocess import API_KEY, PausingClock, run_command

START = datetime.datetime(2026, 11, 1, 12, 0, 0)


def world() -> tuple[FakeToloka, PausingClock]:
    clock = PausingClock(start=START)
    fake = FakeToloka(clock=clock, seed=4, rate_limit=None)
    fake.add_requester("me", api_keys=[API_KEY])
    fake.add_project("10", owner="me", archive_seconds=120.0)
    fake.add_pool("11", project_id="10", archive_seconds=1.0)
    fake.add_pool("12", project_id="10", status="OPEN", close_seconds=90.0)
    return fake, clock


def follow_up(stderr: str) -> list[str]:
    """The operation ids of the command's 'To follow ...' line."""
    [line] = [line for line in stderr.splitlines() if line.startswith("To follow")]
    return line.split(" wait ", 1)[1].split(" --base-url")[0].split()


def test_a_project_archive_left_running_is_followed_by_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, clock = world()
    fake.add_pool("13", project_id="10", archive_seconds=1.0)
    started = run_command(
        monkeypatch, fake, clock, "project", "archive", "10", "--close-open", "--timeout", "100"
    )
    assert started.code == 1  # the project's own archive outlasted the wait
    [project_operation] = follow_up(started.stderr)
    assert fake.operations(type="PROJECT.ARCHIVE")[0].id == project_operation
    followed = run_command(monkeypatch, fake, clock, "wait", project_operation)
    assert followed.code == 0, followed.stderr
    assert f"project 10: archived (operation {project_operation})" in followed.stdout
    assert fake.project("10").status == "ARCHIVED"


def test_a_close_stopped_early_is_followed_by_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    fake, clock = world()
    started = run_command(
        monkeypatch, fake, clock, "archive", "12", "--close-open", "--timeout", "10"
    )
    assert started.code == 1
    assert "not archived: closing it first did not succeed: still running" in started.stdout
    [close_operation] = follow_up(started.stderr)
    followed = run_command(monkeypatch, fake, clock, "wait", close_operation)
    assert followed.code == 0, followed.stderr
    assert followed.stdout.startswith("pool 12: closed")
    assert fake.pool("12").status == "CLOSED"
