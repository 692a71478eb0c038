"""Pools by what they are: finding a project's pools, archiving them, then the project."""

from __future__ import annotations

import asyncio
import datetime
from datetime import UTC

import pytest
from toloka_archive import (
    AsyncTolokaClient,
    Outcome,
    PoolReport,
    ProjectOutcome,
    TolokaClient,
)
from toloka_archive.testing import FakeToloka, ManualClock

KEY = "fake-key-projects-0001"
START = datetime.datetime(2026, 11, 1, 12, 0, 0)
DAY = datetime.timedelta(days=1)


def world() -> tuple[FakeToloka, ManualClock]:
    clock = ManualClock(start=START)
    fake = FakeToloka(clock=clock, seed=3)
    fake.add_requester("me", api_keys=[KEY])
    return fake, clock


def client(fake: FakeToloka, clock: ManualClock) -> TolokaClient:
    return TolokaClient(
        api_key=KEY,
        base_url="http://127.0.0.1:9/api/v1",
        env={},
        transport=fake.transport(),
        clock=clock,
        random=lambda: 0.0,
    )


def paths(fake: FakeToloka, start: int = 0) -> list[str]:
    return [f"{r.method} {r.path}" for r in list(fake.requests)[start:]]


def test_find_pools_reads_a_project_page_by_page() -> None:
    fake, clock = world()
    fake.add_project("7")
    fake.add_project("8")
    for number in range(1, 651):
        fake.add_pool(str(number), project_id="7", status="CLOSED")
    fake.add_pool("900", project_id="8", status="CLOSED")
    fake.add_pool("901", project_id="7", status="OPEN")
    found = list(client(fake, clock).find_pools(project_id=7))
    assert [pool.id for pool in found] == [str(n) for n in range(1, 651)]  # CLOSED by default
    assert sum(1 for p in paths(fake) if p.startswith("GET /api/v1/pools")) == 3  # 300 a page
    every = list(client(fake, clock).find_pools(project_id="7", status=None))
    assert len(every) == 651


def test_find_pools_by_idleness_and_age() -> None:
    fake, clock = world()
    fake.add_project("7")
    now = START
    fake.add_pool(
        "1",
        project_id="7",
        created=now - 90 * DAY,
        last_started=now - 60 * DAY,
        last_stopped=now - 40 * DAY,
    )
    fake.add_pool(
        "2",
        project_id="7",
        created=now - 90 * DAY,
        last_started=now - 60 * DAY,
        last_stopped=now - 2 * DAY,
    )  # stopped two days ago: not idle
    fake.add_pool("3", project_id="7", created=now - 90 * DAY)  # never started
    fake.add_pool("4", project_id="7", created=now - 5 * DAY)
    tolo = client(fake, clock)
    idle = [
        p.id for p in tolo.find_pools(project_id=7, idle_since=now.replace(tzinfo=UTC) - 30 * DAY)
    ]
    assert idle == ["1", "3"]
    old = [p.id for p in tolo.find_pools(project_id=7, created_before=now - 30 * DAY)]
    assert old == ["1", "2", "3"]
    started = [p.id for p in tolo.find_pools(project_id=7, last_started_before=now - 30 * DAY)]
    assert started == ["1", "2"]


def test_archiving_what_find_pools_yields_starts_before_the_listing_ends() -> None:
    fake, clock = world()
    fake.add_project("7")
    for number in range(1, 701):
        fake.add_pool(str(number), project_id="7", status="CLOSED", archive_seconds=0.5)
    tolo = client(fake, clock)
    reports = list(tolo.archive_pools(tolo.find_pools(project_id=7), concurrency=4))
    assert {r.outcome for r in reports} == {Outcome.ARCHIVED}
    assert len(reports) == 700
    log = paths(fake)
    first_archive = next(i for i, p in enumerate(log) if p.endswith("/archive"))
    last_page = max(i for i, p in enumerate(log) if p == "GET /api/v1/pools")
    assert first_archive < last_page


def mixed_project(fake: FakeToloka) -> None:
    fake.add_project("7")
    fake.add_pool("1", project_id="7", status="CLOSED", archive_seconds=1.0)
    fake.add_pool("2", project_id="7", status="ARCHIVED")
    fake.add_pool("3", project_id="7", status="OPEN")
    fake.add_pool("4", project_id="7", status="CLOSED", last_rejected=START - 2 * DAY)


def test_a_project_with_pools_that_cannot_go_is_left_as_it_is_and_says_why() -> None:
    fake, clock = world()
    mixed_project(fake)
    seen: list[PoolReport] = []
    report = client(fake, clock).archive_project(7, on_report=seen.append)
    assert report.outcome is ProjectOutcome.BLOCKED
    assert {r.pool_id: r.outcome for r in seen} == {
        "1": Outcome.ARCHIVED,
        "2": Outcome.ALREADY_ARCHIVED,
        "3": Outcome.WRONG_STATUS,
        "4": Outcome.NOT_ARCHIVABLE_YET,
    }
    assert report.pools[Outcome.ARCHIVED] == 1
    assert sorted(r.pool_id for r in report.blocking) == ["3", "4"]
    assert "2 pools of it are not archived" in report.detail
    assert fake.project("7").status == "ACTIVE"
    assert fake.pool("3").status == "OPEN"  # never closed for you
    assert not any("/projects/7/archive" in p for p in paths(fake))


def test_only_the_rejection_window_in_the_way_says_from_when() -> None:
    fake, clock = world()
    fake.add_project("7")
    fake.add_pool("1", project_id="7", status="ARCHIVED")
    fake.add_pool("4", project_id="7", status="CLOSED", last_rejected=START - 2 * DAY)
    fake.add_pool("5", project_id="7", status="CLOSED", last_rejected=START - 1 * DAY)
    report = client(fake, clock).archive_project("7")
    assert report.outcome is ProjectOutcome.BLOCKED
    assert report.archivable_from == datetime.datetime(2026, 11, 9, 12, 0, tzinfo=UTC)
    assert "run again from 2026-11-09 12:00 UTC" in report.detail


def test_a_project_whose_pools_can_all_go_is_archived_after_them() -> None:
    fake, clock = world()
    fake.add_project("7", archive_seconds=2.0)
    fake.add_pool("1", project_id="7", status="CLOSED")
    fake.add_pool("2", project_id="7", status="ARCHIVED")
    report = client(fake, clock).archive_project("7")
    assert report.outcome is ProjectOutcome.ARCHIVED, report.detail
    assert report.operation_id is not None
    assert fake.project("7").status == "ARCHIVED"
    assert fake.pool("1").status == "ARCHIVED"
    kinds = [op.type for op in fake.operations()]
    assert kinds == ["POOL.ARCHIVE", "PROJECT.ARCHIVE"]


def test_an_archived_project_is_already_archived_without_listing_its_pools() -> None:
    fake, clock = world()
    fake.add_project("7", status="ARCHIVED")
    report = client(fake, clock).archive_project("7")
    assert report.outcome is ProjectOutcome.ALREADY_ARCHIVED
    assert paths(fake) == ["GET /api/v1/projects/7"]


def test_an_unknown_project_is_said_plainly() -> None:
    fake, clock = world()
    report = client(fake, clock).archive_project("404")
    assert (report.outcome, report.detail) == (ProjectOutcome.NOT_FOUND, "no such project")


def test_a_dry_run_archives_nothing_and_says_whether_the_project_could_go() -> None:
    fake, clock = world()
    fake.add_project("7")
    fake.add_pool("1", project_id="7", status="CLOSED")
    fake.add_pool("2", project_id="7", status="ARCHIVED")
    report = client(fake, clock).archive_project("7", dry_run=True)
    assert report.outcome is ProjectOutcome.ARCHIVABLE
    assert fake.pool("1").status == "CLOSED"
    assert fake.operations() == ()


def test_the_async_client_archives_a_project_too() -> None:
    fake, clock = world()
    fake.add_project("7")
    fake.add_pool("1", project_id="7", status="CLOSED")

    async def run() -> ProjectOutcome:
        async with AsyncTolokaClient(
            api_key=KEY,
            base_url="http://127.0.0.1:9/api/v1",
            env={},
            transport=fake.async_transport(),
            clock=clock,
        ) as tolo:
            return (await tolo.archive_project(7)).outcome

    assert asyncio.run(run()) is ProjectOutcome.ARCHIVED


def test_history_says_when_a_pool_was_archived_and_by_which_operation() -> None:
    fake, clock = world()
    fake.add_project("7")
    fake.add_pool("1", project_id="7", status="CLOSED", archive_seconds=3.0)
    fake.add_pool("2", project_id="7", status="CLOSED", archive_seconds=3.0)
    tolo = client(fake, clock)
    result = tolo.archive_pool(1)
    tolo.archive_pool(2)
    (operation,) = tolo.find_operations(type="POOL.ARCHIVE", pool_id=1)
    assert result.operation is not None
    assert operation.id == result.operation.id
    assert operation.finished


@pytest.mark.parametrize("bad", ["", "7a", "-1", 7.5])
def test_a_bad_project_id_is_refused_before_any_request(bad: object) -> None:
    from toloka_archive import InvalidIdError

    fake, clock = world()
    with pytest.raises(InvalidIdError):
        client(fake, clock).archive_project(bad)  # type: ignore[arg-type]
    assert paths(fake) == []
