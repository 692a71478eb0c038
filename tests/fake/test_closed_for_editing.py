"""Pools and trainings closed for editing (``CLOSED``, ``last_close_reason`` ``FOR_UPDATE``), and
Toloka's own refusals of an archive (``archive_refusal``).

Toloka reopens a pool closed for editing 15 minutes after it stopped; the fake does so when its
clock passes that moment, unless the pool was archived meanwhile or an operation was running on
it then. Archiving one is allowed, as Toloka allows it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from toloka_archive.testing import ARCHIVE_REFUSALS, FakeToloka, Fault, ManualClock

from tests.fake.conftest import BASE_URL, START, auth

MINUTE = datetime.timedelta(minutes=1)
FIFTEEN_MINUTES = 15 * 60.0


@pytest.fixture
def world(clock: ManualClock) -> FakeToloka:
    """Pool 1 closed for editing 5 minutes ago, pool 2 just now (no last_stopped given),
    training 3 closed for editing 10 minutes ago, pool 4 closed by hand."""
    fake = FakeToloka(clock=clock, rate_limit=None)
    fake.add_requester("one", api_keys=["k"])
    fake.add_project("7", archive_seconds=1.0)
    editing: dict[str, Any] = {
        "status": "CLOSED",
        "last_close_reason": "FOR_UPDATE",
        "archive_seconds": 2.0,
    }
    fake.add_pool("1", project_id="7", last_stopped=START - 5 * MINUTE, **editing)
    fake.add_pool("2", project_id="7", **editing)
    fake.add_training("3", project_id="7", last_stopped=START - 10 * MINUTE, **editing)
    fake.add_pool("4", project_id="7")
    return fake


@pytest.fixture
def client(world: FakeToloka) -> Iterator[httpx.Client]:
    with httpx.Client(transport=world.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        yield c


def test_closed_for_editing_reads_as_such(client: httpx.Client) -> None:
    pool = client.get("/pools/1").json()
    assert (pool["status"], pool["last_close_reason"]) == ("CLOSED", "FOR_UPDATE")
    assert pool["last_stopped"] == "2026-11-01T11:55:00.000"
    assert client.get("/pools/2").json()["last_stopped"] == "2026-11-01T12:00:00.000"  # now
    training = client.get("/trainings/3").json()
    assert (training["status"], training["last_close_reason"]) == ("CLOSED", "FOR_UPDATE")


def test_toloka_reopens_it_15_minutes_after_it_stopped(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    clock.advance(5 * 60.0 - 0.001)
    assert world.training("3").status == "CLOSED"
    clock.advance(0.001)  # 15 minutes after training 3 stopped
    training = client.get("/trainings/3").json()
    assert (training["status"], training["last_started"]) == ("OPEN", "2026-11-01T12:05:00.000")
    assert training["last_close_reason"] == "FOR_UPDATE"  # the last close, as Toloka keeps it
    assert world.pool("1").status == "CLOSED"
    clock.advance(5 * 60.0)
    assert [
        item["id"] for item in client.get("/pools", params={"status": "OPEN"}).json()["items"]
    ] == ["1"]
    assert world.pool("1").last_started == START + 10 * MINUTE
    clock.advance(5 * 60.0)
    assert world.pool("2").status == "OPEN"
    assert world.pool("4").status == "CLOSED"  # closed by hand: stays closed
    assert world.operations() == ()  # Toloka's own doing: no operation of the requester's


def test_it_answers_a_close_with_204_and_can_be_closed_once_reopened(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    assert client.post("/pools/1/close").status_code == 204
    clock.advance(FIFTEEN_MINUTES)
    assert client.post("/pools/1/close").status_code == 202
    clock.advance(3.0)
    pool = world.pool("1")
    assert (pool.status, pool.last_close_reason) == ("CLOSED", "MANUAL")
    clock.advance(2 * FIFTEEN_MINUTES)
    assert world.pool("1").status == "CLOSED"  # closed by hand now: Toloka leaves it closed


def test_archiving_it_is_allowed_and_keeps_it_archived(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    assert client.post("/pools/1/archive").status_code == 202
    assert client.post("/trainings/3/archive").status_code == 202
    clock.advance(FIFTEEN_MINUTES)
    assert (world.pool("1").status, world.training("3").status) == ("ARCHIVED", "ARCHIVED")


def test_an_operation_running_at_that_moment_keeps_it_closed(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    world.add_fault(Fault("operation_fail", pool="1"))
    clock.advance(10 * 60.0 - 1.0)  # one second before pool 1 would reopen
    assert client.post("/pools/1/archive").status_code == 202  # runs 2 s: still running then
    clock.advance(1.0)
    assert world.pool("1").status == "CLOSED"
    clock.advance(FIFTEEN_MINUTES)
    pool = world.pool("1")  # the archive failed, and Toloka did not reopen it meanwhile
    assert (pool.status, pool.last_started) == ("CLOSED", None)


def test_a_failed_operation_that_ended_before_leaves_the_reopening(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    world.add_fault(Fault("operation_fail", pool="2"))
    assert client.post("/pools/2/archive").status_code == 202
    clock.advance(2.0)
    assert world.operations("2")[0].status == "FAIL"
    assert world.pool("2").status == "CLOSED"
    clock.advance(FIFTEEN_MINUTES)
    assert (world.pool("2").status, world.pool("2").last_started) == ("OPEN", START + 15 * MINUTE)


def test_a_moment_already_past_reopens_it_at_once(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("one")
    fake.add_pool(
        "1", status="CLOSED", last_close_reason="FOR_UPDATE", last_stopped=START - 60 * MINUTE
    )
    pool = fake.pool("1")
    assert (pool.status, pool.last_started) == ("OPEN", START - 45 * MINUTE)


def test_a_locked_pool_closed_for_editing_stays_locked(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("one")
    fake.add_pool("1", status="LOCKED", last_close_reason="FOR_UPDATE", last_stopped=START)
    clock.advance(2 * FIFTEEN_MINUTES)
    assert fake.pool("1").status == "LOCKED"


# -- Toloka's own refusals ----------------------------------------------------------------

REFUSAL_MESSAGES = {
    "THERE_IS_ACTIVE_ASSIGNMENT": "Tolokers are still doing tasks of this {noun}; "
    "it can be archived when their assignments are finished",
    "SUBMITTED_ASSIGNMENTS_CONFLICT": "There are submitted assignments which are not accepted: "
    "accept or reject the {noun}'s assignments awaiting review before you proceed",
    "PROJECT_INAPPROPRIATE_STATUS": "Project is in an inappropriate status. "
    "Operation is not allowed.",
    "POOL_INAPPROPRIATE_STATUS": "Pool is in an inappropriate status. Operation is not allowed.",
    "CONFLICT_STATE": "The {noun} is in a state that does not allow this operation",
}


def test_the_refusals_are_the_codes_documented() -> None:
    assert set(ARCHIVE_REFUSALS) == set(REFUSAL_MESSAGES)


@pytest.mark.parametrize("code", sorted(REFUSAL_MESSAGES))
@pytest.mark.parametrize("kind", ["pool", "training"])
def test_a_declared_refusal_answers_its_409(clock: ManualClock, code: str, kind: str) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("one", api_keys=["k"])
    add: Any = fake.add_pool if kind == "pool" else fake.add_training
    add("1", archive_refusal=code)
    add("2", archive_refusal=code, status="ARCHIVED")
    add("3", archive_refusal=code, status="OPEN")
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        refused = c.post(f"/{kind}s/1/archive")
        assert refused.status_code == 409
        body = refused.json()
        assert set(body) == {"request_id", "code", "message"}
        assert (body["code"], body["message"]) == (code, REFUSAL_MESSAGES[code].format(noun=kind))
        assert c.post(f"/{kind}s/1/archive").json()["code"] == code  # every time
        assert c.post(f"/{kind}s/2/archive").status_code == 204  # after the 204
        assert c.post(f"/{kind}s/3/archive").json()["code"] == "INAPPROPRIATE_STATUS"
        assert c.post(f"/{kind}s/3/close").status_code == 202  # archives only
    assert fake.operations(**{f"{kind}_id": "1"}) == ()


def test_a_refusal_comes_after_the_lock_and_the_rejection_window(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("one", api_keys=["k"])
    fake.add_pool(
        "1",
        archive_refusal="THERE_IS_ACTIVE_ASSIGNMENT",
        last_rejected=START - datetime.timedelta(days=1),
    )
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        assert c.post("/pools/1/archive").json()["code"] == "THERE_IS_REJECTED_ASSIGNMENT"
        clock.advance(8 * 86400.0)
        assert c.post("/pools/1/archive").json()["code"] == "THERE_IS_ACTIVE_ASSIGNMENT"


def test_an_unknown_refusal_is_refused(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("one")
    with pytest.raises(ValueError, match=r"^add_pool\.archive_refusal: unknown refusal 'NOPE'; ch"):
        fake.add_pool("1", archive_refusal="NOPE")
    with pytest.raises(ValueError, match=r"^add_training\.archive_refusal: unknown refusal"):
        fake.add_training("1", archive_refusal="UNARCHIVED_POOLS_CONFLICT")
