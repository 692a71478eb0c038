"""Every path tells the truth: a selection's list that fails or lies, a project that is not
there, a status Toloka does not have, a selection that matches nothing.

The command runs in this process against the fake Toloka on its manual clock (see
``inprocess``), with a hostile transport in front of it where a list page must fail or lie. What
was started is read back from the fake's own record.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import httpx
import pytest
from toloka_archive.testing import FakeToloka

from tests.cli.inprocess import API_KEY, Hostile, PausingClock, Run, run_command

START = datetime.datetime(2026, 11, 1, 12, 0, 0)
PROJECT = "700"
POOLS = [str(pool) for pool in range(7001, 7311)]  # 310 pools: two pages of the pool list


def world() -> tuple[FakeToloka, PausingClock]:
    clock = PausingClock(start=START)
    fake = FakeToloka(clock=clock, seed=11, rate_limit=None)
    fake.add_requester("me", api_keys=[API_KEY])
    fake.add_requester("them", api_keys=["fake-api-key-them"])
    fake.add_project(PROJECT, owner="me")
    fake.add_project("800", owner="them")
    for pool in POOLS:
        fake.add_pool(pool, project_id=PROJECT, archive_seconds=2.0)
    return fake, clock


def second_page(
    answer: Callable[[httpx.Request], httpx.Response | None],
) -> Callable[[httpx.AsyncBaseTransport], Hostile]:
    """A transport that answers the pool list's second page (``id_gt`` set) with ``answer``."""

    def pick(request: httpx.Request) -> httpx.Response | None:
        is_next_page = request.url.path.endswith("/pools") and "id_gt" in request.url.params
        return answer(request) if is_next_page else None

    return lambda inner: Hostile(inner, pick)


def archived_per_pool(fake: FakeToloka) -> dict[str, int]:
    return {pool: len(fake.operations(pool)) for pool in POOLS if fake.operations(pool)}


def test_a_list_page_that_fails_for_good_ends_the_selection_not_the_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, clock = world()
    outer = second_page(lambda _request: httpx.Response(503, text="<html>busy</html>"))
    run = run_command(
        monkeypatch, fake, clock, "archive", "--project", PROJECT, "--json", outer=outer
    )
    assert run.code == 1, run.stderr
    assert "Traceback" not in run.stderr
    # The first page's 300 pools were archived and reported, each once; the rest untouched.
    reports = run.json_lines()
    assert {r["pool_id"] for r in reports} == set(POOLS[:300])
    assert {r["outcome"] for r in reports} == {"archived"}
    assert archived_per_pool(fake) == dict.fromkeys(POOLS[:300], 1)
    # One line says where the list stopped and why; the summary and the re-run follow.
    [stopped] = [line for line in run.stderr.splitlines() if "list stopped" in line]
    assert "the pool list stopped after pool 7300: InternalServerError: 503" in stopped
    assert "gave up after" not in stopped or "retr" in stopped
    assert "Summary: 300 pools" in run.stderr
    assert "To take up the pools not started: toloka-archive archive --project 700" in run.stderr


@pytest.mark.parametrize(
    ("page", "says"),
    [
        ({"items": [{"id": "7001", "status": "CLOSED"}], "has_more": True}, "do not move forward"),
        ({"items": [{"id": "9", "status": "CLOSED"}], "has_more": True}, "do not move forward"),
        (
            {
                "items": [{"id": "7400", "status": "CLOSED"}, {"id": "7399", "status": "CLOSED"}],
                "has_more": True,
            },
            "do not move forward",
        ),
        ({"items": [{"id": "7400", "status": "CLOSED"}], "has_more": "yes"}, "has_more is 'yes'"),
        ({"items": [{"id": None, "status": "CLOSED"}], "has_more": False}, "not an id"),
        ({"items": [None], "has_more": False}, "could not be read"),
        ({"items": "none", "has_more": False}, "could not be read"),
        ("<html>oops</html>", "not JSON"),
    ],
    ids=[
        "repeated",
        "going-back",
        "out-of-order",
        "has-more-yes",
        "null-id",
        "null-item",
        "not-a-list",
        "html",
    ],
)
def test_a_page_that_is_not_a_page_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, page: object, says: str
) -> None:
    fake, clock = world()
    hostile: list[Hostile] = []

    def answer(_request: httpx.Request) -> httpx.Response:
        if isinstance(page, str):
            return httpx.Response(200, text=page)
        return httpx.Response(200, json=page)

    def outer(inner: httpx.AsyncBaseTransport) -> Hostile:
        hostile.append(second_page(answer)(inner))
        return hostile[0]

    run = run_command(monkeypatch, fake, clock, "archive", "--project", PROJECT, outer=outer)
    assert run.code == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert hostile[0].answered == 1  # refused at once, never followed
    [stopped] = [line for line in run.stderr.splitlines() if "list stopped" in line]
    assert "after pool 7300" in stopped
    assert says in stopped
    assert archived_per_pool(fake) == dict.fromkeys(POOLS[:300], 1)


def test_a_project_archive_whose_list_fails_says_so_and_archives_nothing_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, clock = world()
    outer = second_page(lambda _request: httpx.Response(500))
    run = run_command(monkeypatch, fake, clock, "project", "archive", PROJECT, outer=outer)
    assert run.code == 1
    assert "Traceback" not in run.stderr
    last = run.stdout.splitlines()[-1]
    assert last.startswith(f"Project {PROJECT}: not archived: the pool list stopped after pool")
    assert fake.operation_counts(project_id=PROJECT)["PROJECT.ARCHIVE"] == 0


def test_no_such_project_is_an_error_before_anything_is_archived(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, clock = world()
    before = fake.request_count
    run = run_command(monkeypatch, fake, clock, "archive", "7001", "--project", "9999")
    assert run.code == 1
    assert run.stderr.splitlines()[-1] == "toloka-archive: error: no such project 9999"
    assert fake.operation_counts() == {}
    assert fake.request_count - before == 1  # the project, and nothing else


def test_another_requesters_project_is_an_error_too(monkeypatch: pytest.MonkeyPatch) -> None:
    fake, clock = world()
    run = run_command(monkeypatch, fake, clock, "archive", "--project", "800", "--dry-run")
    assert run.code == 1
    assert "error: no access to project 800" in run.stderr
    assert "Summary" not in run.stdout


def test_a_status_toloka_does_not_have_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    fake, clock = world()
    before = fake.request_count
    run = run_command(
        monkeypatch, fake, clock, "archive", "--project", PROJECT, "--status", "bogus"
    )
    assert run.code == 2
    assert "--status: 'bogus' is not a pool status; choose OPEN, CLOSED, ARCHIVED, LOCKED" in (
        run.stderr
    )
    assert fake.request_count == before


def test_a_selection_that_matches_nothing_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    fake, clock = world()
    run = run_command(monkeypatch, fake, clock, "archive", "--project", PROJECT, "--status", "open")
    assert run.code == 0
    assert "toloka-archive: no pools match: the OPEN pools of project 700" in run.stderr


def test_every_pool_of_a_project_reads_well(monkeypatch: pytest.MonkeyPatch) -> None:
    fake, clock = world()
    run: Run = run_command(
        monkeypatch, fake, clock, "archive", "--project", PROJECT, "--status", "any", "--dry-run"
    )
    assert "checking (dry run) every pool of project 700 on custom URL" in run.stderr
