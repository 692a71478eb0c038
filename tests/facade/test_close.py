"""Closing pools, the third operation kind: the same guarantees as archiving, only on request.

``close_pool`` and ``close_pools`` on both clients, and ``close_open`` on ``archive_pools``:
an open pool is closed (and the close waited for), then archived; without it an open pool is
never closed. Against the fake Toloka in process, on its manual clock; what happened is read
from the fake's own record of operations and requests.
"""

from __future__ import annotations

import asyncio
import datetime

import pytest
from toloka_archive import (
    AsyncTolokaClient,
    ConflictError,
    OperationFailedError,
    OperationStatus,
    OperationType,
    Outcome,
    PoolStatus,
    TolokaClient,
)
from toloka_archive.testing import FakeToloka, Fault, ManualClock

KEY = "fake-key-close-0001"
START = datetime.datetime(2026, 11, 1, 12, 0, 0)


def world() -> tuple[FakeToloka, ManualClock]:
    clock = ManualClock(start=START)
    fake = FakeToloka(clock=clock, seed=5)
    fake.add_requester("me", api_keys=[KEY])
    fake.add_pool("1", status="OPEN", close_seconds=2.0, archive_seconds=3.0)
    fake.add_pool("2", status="CLOSED", archive_seconds=3.0)
    fake.add_pool("3", status="ARCHIVED")
    return fake, clock


def sync_client(fake: FakeToloka, clock: ManualClock) -> TolokaClient:
    return TolokaClient(
        api_key=KEY,
        base_url="http://127.0.0.1:9/api/v1",
        env={},
        transport=fake.transport(),
        clock=clock,
        random=lambda: 0.0,
    )


def async_client(fake: FakeToloka, clock: ManualClock) -> AsyncTolokaClient:
    return AsyncTolokaClient(
        api_key=KEY,
        base_url="http://127.0.0.1:9/api/v1",
        env={},
        transport=fake.async_transport(),
        clock=clock,
        random=lambda: 0.0,
    )


def closes_and_archives(fake: FakeToloka, pool_id: str) -> tuple[int, int]:
    counts = fake.operation_counts(pool_id)
    return counts["POOL.CLOSE"], counts["POOL.ARCHIVE"]


def test_close_pool_closes_an_open_pool_and_says_a_closed_one_needed_nothing() -> None:
    fake, clock = world()
    with sync_client(fake, clock) as client:
        result = client.close_pool(1)
        again = client.close_pool("1")
    assert (result.type, result.subject_id, result.pool_id) == (OperationType.POOL_CLOSE, "1", "1")
    assert result.operation is not None
    assert result.operation.status is OperationStatus.SUCCESS
    assert not result.already_done
    assert again.already_done
    assert not again.already_archived  # a close's 204 says nothing of archiving
    assert fake.pool("1").status == PoolStatus.CLOSED
    assert closes_and_archives(fake, "1") == (1, 0)


def test_the_async_twin_closes_the_same_way() -> None:
    fake, clock = world()

    async def close() -> tuple[bool, bool]:
        async with async_client(fake, clock) as client:
            handle = await client.start_close_pool(1)
            assert handle.type == "POOL.CLOSE"
            assert not handle.done
            result = await handle.wait()
            again = await client.close_pool(2)
            return result.already_done, again.already_done

    assert asyncio.run(close()) == (False, True)
    assert fake.pool("1").status == PoolStatus.CLOSED


def test_an_archived_pool_cannot_be_closed() -> None:
    fake, clock = world()
    with sync_client(fake, clock) as client, pytest.raises(ConflictError) as refused:
        client.close_pool(3)
    assert refused.value.code == "INAPPROPRIATE_STATUS"


def test_a_lost_close_answer_is_found_by_asking_and_started_once() -> None:
    fake, clock = world()
    fake.add_fault(Fault("drop_after_commit", pool="1", endpoint="close", first=1))
    with sync_client(fake, clock) as client:
        handle = client.start_close_pool(1)
        assert handle.reconciled
        handle.wait()
    assert closes_and_archives(fake, "1") == (1, 0)


def test_a_failed_close_raises_with_its_reason_in_words() -> None:
    fake, clock = world()
    fake.add_fault(Fault("operation_fail", pool="1", endpoint="close"))
    with sync_client(fake, clock) as client, pytest.raises(OperationFailedError) as failed:
        client.close_pool(1)
    assert failed.value.reason
    assert failed.value.reason in str(failed.value)
    assert failed.value.operation is not None
    assert failed.value.operation.type == OperationType.POOL_CLOSE


def test_close_pools_reports_each_pool_once() -> None:
    fake, clock = world()
    with sync_client(fake, clock) as client:
        reports = {r.pool_id: r for r in client.close_pools(["1", "2", "3", 1, "x"])}
    assert {pool: r.outcome for pool, r in reports.items()} == {
        "1": Outcome.CLOSED,
        "2": Outcome.ALREADY_CLOSED,
        "3": Outcome.WRONG_STATUS,
        "x": Outcome.INVALID_ID,
    }
    assert reports["3"].detail == "not in a status that can be closed (needs OPEN)"
    assert closes_and_archives(fake, "1") == (1, 0)


def test_archive_pools_never_closes_an_open_pool_unless_asked() -> None:
    fake, clock = world()
    with sync_client(fake, clock) as client:
        [report] = client.archive_pools(["1"])
    assert (report.outcome, report.detail) == (Outcome.WRONG_STATUS, "status OPEN, close it first")
    assert closes_and_archives(fake, "1") == (0, 0)
    assert fake.pool("1").status == PoolStatus.OPEN


def test_close_open_closes_then_archives_with_one_operation_of_each() -> None:
    fake, clock = world()
    fake.add_fault(Fault("drop_after_commit", pool="1", endpoint="close", first=1))
    fake.add_fault(Fault("drop_after_commit", pool="1", endpoint="archive", first=1))
    started: list[tuple[str, str]] = []
    with sync_client(fake, clock) as client:
        reports = {
            r.pool_id: r
            for r in client.archive_pools(
                ["1", "2"], close_open=True, on_started=lambda *ids: started.append(ids)
            )
        }
    one = reports["1"]
    assert one.outcome is Outcome.ARCHIVED
    assert one.detail.startswith("closed, then archived")
    [close] = fake.operations("1", type="POOL.CLOSE")
    [archive] = fake.operations("1", type="POOL.ARCHIVE")
    assert (one.close_operation_id, one.operation_id) == (close.id, archive.id)
    assert ("1", close.id) in started  # each operation is told as it starts
    assert ("1", archive.id) in started
    assert reports["2"].close_operation_id is None
    assert closes_and_archives(fake, "2") == (0, 1)
    assert fake.pool("1").status == PoolStatus.ARCHIVED


def test_a_listed_open_pool_is_closed_first_without_a_refused_archive() -> None:
    fake, clock = world()
    with sync_client(fake, clock) as client:
        pools = client.find_pools(status=None)
        reports = {r.pool_id: r.outcome for r in client.archive_pools(pools, close_open=True)}
    assert reports == {"1": Outcome.ARCHIVED, "2": Outcome.ARCHIVED, "3": Outcome.ALREADY_ARCHIVED}
    about_one = [r for r in fake.requests if r.ident == "1" and r.method == "POST"]
    assert [r.endpoint for r in about_one] == ["close", "archive"]


def test_a_close_that_fails_leaves_the_pool_unarchived_and_says_why() -> None:
    fake, clock = world()
    fake.add_fault(Fault("operation_fail", pool="1", endpoint="close"))
    with sync_client(fake, clock) as client:
        [report] = client.archive_pools(["1"], close_open=True)
    assert report.outcome is Outcome.FAILED
    assert report.detail.startswith("not archived: closing it first did not succeed: ")
    assert report.operation_id == report.close_operation_id is not None
    assert closes_and_archives(fake, "1") == (1, 0)


def test_a_dry_run_with_close_open_says_what_would_be_closed_and_starts_nothing() -> None:
    fake, clock = world()
    with sync_client(fake, clock) as client:
        reports = {
            r.pool_id: r for r in client.archive_pools(["1", "2"], dry_run=True, close_open=True)
        }
    assert (reports["1"].outcome, reports["1"].detail) == (
        Outcome.ARCHIVABLE,
        "status OPEN: would be closed, then archived",
    )
    assert reports["2"].outcome is Outcome.ARCHIVABLE
    assert fake.operation_counts() == {}
