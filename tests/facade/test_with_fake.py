"""The facade against the fake Toloka: in-process, and over loopback HTTP."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from toloka_archive import (
    AsyncTolokaClient,
    ConflictError,
    LogEntry,
    NotFoundError,
    OperationFailedError,
    OperationStatus,
    OperationTimeoutError,
    OperationType,
    Outcome,
    PermissionDeniedError,
    PoolStatus,
    TolokaClient,
    Verdict,
)
from toloka_archive.testing import serve

from tests.facade.fake_world import KEY, World


def sync_client(world: World) -> TolokaClient:
    return TolokaClient(
        api_key=KEY,
        base_url="http://127.0.0.1:9/api/v1",  # never dialled: the transport is in-process
        env={},
        transport=world.fake.transport(sleep=world.clock.advance),
        clock=world.clock,
        random=lambda: 0.0,
    )


def polls(world: World) -> int:
    return sum(1 for r in world.fake.requests if "/operations/" in r.path)


def test_archive_waits_to_success_and_again_is_already_archived() -> None:
    world = World()
    seen: list[str] = []
    with sync_client(world) as client:
        result = client.archive_pool("100", on_progress=lambda op: seen.append(str(op.status)))
        assert result.operation is not None
        assert str(result.operation.status) == "SUCCESS"
        assert world.fake.pool("100").status == "ARCHIVED"
        assert (seen[0], seen[-1]) == ("PENDING", "SUCCESS")
        assert "RUNNING" in seen
        before = polls(world)
        again = client.archive_pool("100")
    assert again.already_archived
    assert again.operation is None
    assert polls(world) == before


def test_async_archive_waits_to_success() -> None:
    world = World()

    async def run() -> bool:
        async with AsyncTolokaClient(
            api_key=KEY,
            base_url="http://127.0.0.1:9/api/v1",
            env={},
            transport=world.fake.async_transport(sleep=world.fake_pause),
            clock=world.clock,
            random=lambda: 0.0,
        ) as client:
            result = await client.archive_pool(100)
            again = await client.archive_pool(100)
            return result.operation is not None and again.already_archived

    assert asyncio.run(run())
    assert world.fake.pool("100").status == "ARCHIVED"


def test_errors_from_the_fake_map_to_their_classes() -> None:
    world = World()
    with sync_client(world) as client:
        with pytest.raises(ConflictError) as open_pool:
            client.start_archive_pool("102")
        assert open_pool.value.appropriate_statuses == ["CLOSED"]
        with pytest.raises(ConflictError) as window:
            client.start_archive_pool("103")
        assert window.value.code == "THERE_IS_REJECTED_ASSIGNMENT"
        with pytest.raises(NotFoundError):
            client.start_archive_pool("999")
        with pytest.raises(PermissionDeniedError):
            client.start_archive_pool("200")
        with pytest.raises(OperationFailedError) as failed:
            client.archive_pool("104")
        assert failed.value.log


def test_timeout_then_resume_by_id() -> None:
    world = World()
    with sync_client(world) as client:
        with pytest.raises(OperationTimeoutError) as stopped:
            client.archive_pool("100", timeout=5)
        operation_id = stopped.value.operation_id
        resumed = client.get_operation(operation_id).wait()
    assert resumed.pool_id == "100"
    assert world.fake.pool("100").status == "ARCHIVED"


def test_preflight_on_every_kind_of_pool() -> None:
    world = World()
    with sync_client(world) as client:
        verdicts = {
            p: client.check_archivable(p).verdict for p in ("100", "101", "102", "103", "105")
        }
        window = client.check_archivable("103")
    assert verdicts == {
        "100": Verdict.ARCHIVABLE,
        "101": Verdict.ALREADY_ARCHIVED,
        "102": Verdict.WRONG_STATUS,
        "103": Verdict.REJECTION_WINDOW,
        "105": Verdict.ARCHIVABLE,
    }
    assert window.archivable_from == datetime(2026, 11, 8, 12, 0, tzinfo=UTC)
    assert window.reason == "has rejected tasks, archivable from 2026-11-08 12:00 UTC"


def test_bulk_on_the_fake_with_the_blocking_client() -> None:
    world = World()
    with sync_client(world) as client:
        reports = {
            r.pool_id: r
            for r in client.archive_pools(
                ["100", "101", "102", "103", "104", "200", "999", "100"], concurrency=3
            )
        }
    assert {p: r.outcome for p, r in reports.items()} == {
        "100": Outcome.ARCHIVED,
        "101": Outcome.ALREADY_ARCHIVED,
        "102": Outcome.WRONG_STATUS,
        "103": Outcome.NOT_ARCHIVABLE_YET,
        "104": Outcome.FAILED,
        "200": Outcome.NO_ACCESS,
        "999": Outcome.NOT_FOUND,
    }
    assert reports["103"].archivable_from == datetime(2026, 11, 8, 12, 0, tzinfo=UTC)


def test_over_loopback_http() -> None:
    world = World()
    with (
        serve(world.fake, port=0) as server,
        TolokaClient(
            api_key=KEY, base_url=server.url, env={}, clock=world.clock, random=lambda: 0.0
        ) as client,
    ):
        result = client.archive_pool("100")
        requests_before = world.fake.request_count
        again = client.archive_pool("100")
    assert result.operation is not None
    assert again.already_archived
    assert world.fake.request_count == requests_before + 1  # one POST, no poll


def test_one_clock_makes_the_budget_count_in_the_fakes_time() -> None:
    # Only clock= is given: pauses, the budget and dates all read the fake's clock.
    world = World()
    world.fake.add_pool("300", owner="me", archive_seconds=500.0)
    client = TolokaClient(
        api_key=KEY,
        base_url="http://127.0.0.1:9/api/v1",
        env={},
        transport=world.fake.transport(),
        clock=world.clock,
    )
    before = world.clock.monotonic()
    with pytest.raises(OperationTimeoutError) as stopped:
        client.archive_pool("300", timeout=60)
    assert round(world.clock.monotonic() - before, 6) == 60.0
    assert stopped.value.waited == pytest.approx(60.0)
    assert world.fake.pool("300").status == "CLOSED"  # still archiving at the fake


def test_one_clock_makes_the_budget_count_in_the_fakes_time_async() -> None:
    world = World()
    world.fake.add_pool("300", owner="me", archive_seconds=500.0)

    async def run() -> None:
        async with AsyncTolokaClient(
            api_key=KEY,
            base_url="http://127.0.0.1:9/api/v1",
            env={},
            transport=world.fake.async_transport(),
            clock=world.clock,
        ) as client:
            await client.archive_pool("300", timeout=60)

    before = world.clock.monotonic()
    with pytest.raises(OperationTimeoutError):
        asyncio.run(run())
    assert round(world.clock.monotonic() - before, 6) == 60.0


def test_archive_result_repr_shows_no_unset_fields() -> None:
    world = World()
    result = sync_client(world).archive_pool("100")
    text = repr(result)
    assert "Unset" not in text
    assert text.startswith(
        "OperationResult(type='POOL.ARCHIVE', subject_id='100', already_done=False, "
        "operation=<Operation "
    )
    assert "SUCCESS 100%>" in text


def test_what_the_facade_hands_out_is_typed_with_aware_utc_times_and_plain_reasons() -> None:
    world = World()
    with sync_client(world) as client:
        result = client.archive_pool("100")
        with pytest.raises(OperationFailedError) as failed:
            client.archive_pool("104")
        [listed] = client.find_operations(type="POOL.ARCHIVE", pool_id=100)
        pools = {pool.id: pool for pool in client.find_pools(status="ARCHIVED")}
    operation = result.operation
    assert operation is not None
    assert operation.status is OperationStatus.SUCCESS
    assert operation.type is OperationType.POOL_ARCHIVE
    assert operation.pool_id == "100"
    assert operation.finished is not None
    assert operation.finished.tzinfo is UTC
    assert operation.submitted is not None
    assert operation.finished - operation.submitted == timedelta(seconds=20)
    assert operation.raw.id == operation.id  # the generated model, for those who want it
    assert listed == operation
    error = failed.value
    assert (
        error.reason == "The pool could not be archived (a failure set up in the fake's scenario)"
    )
    assert str(error).endswith(f"failed: {error.reason}")
    assert error.log is not None
    assert all(isinstance(entry, LogEntry) for entry in error.log)
    assert error.operation is not None
    assert error.operation.finished is not None
    assert error.operation.finished.tzinfo is UTC
    assert sorted(pools) == ["100", "101"]
    assert pools["101"].status is PoolStatus.ARCHIVED
    assert pools["101"].created == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
