"""Closing a pool: ``POST /pools/{id}/close``, its ``POOL.CLOSE`` operation, its 204 and 409s,
the faults that hit it, and what a test can read of it afterwards.

Toloka documents the 202 and the 204; the 409s are the fake's assumptions (openapi.yaml and the
fake's ``_app`` docstring list them): a lock by any running operation comes first, then the 204
of a ``CLOSED`` pool, then ``INAPPROPRIATE_STATUS`` with ``appropriate_statuses`` ``["OPEN"]``.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from toloka_archive.testing import (
    FakeServer,
    FakeToloka,
    Fault,
    ManualClock,
    Scenario,
    ScenarioError,
    serve,
)

from tests.fake.conftest import BASE_URL, START, TOKEN, auth
from tests.fake.test_behaviour import OPERATION_ID, error_of

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

LOST = ["drop_after_commit", "timeout_after_commit", "truncated_202", "invalid_json_202"]
INAPPROPRIATE = "This or related resource is in inappropriate status, operation is not allowed"


def close(client: httpx.Client, pool_id: str) -> httpx.Response:
    return client.post(f"/pools/{pool_id}/close")


def archive(client: httpx.Client, pool_id: str) -> httpx.Response:
    return client.post(f"/pools/{pool_id}/archive")


def at(seconds: float) -> datetime.datetime:
    return START + datetime.timedelta(seconds=seconds)


def assert_locked_by(response: httpx.Response, operation_id: str) -> None:
    body = error_of(response, 409, "POOL_LOCKED_BY_ANOTHER_OPERATION")
    assert body["payload"] == {"operation_id": operation_id}


def close_started_once(fake: FakeToloka, pool_id: str = "30") -> str:
    """The one close operation of the pool; the fake's state says it was started."""
    (operation,) = fake.operations(pool_id)
    assert operation.type == "POOL.CLOSE"
    assert fake.pool(pool_id).operations == (operation.id,)
    return operation.id


@pytest.fixture
def world(fake: FakeToloka) -> FakeToloka:
    """The shared fake, plus an open pool that closes in 10 s and archives in 5 s, and a locked
    one (pools 21 CLOSED, 22 ARCHIVED, 23 OPEN and requester two's 90 come from conftest)."""
    fake.add_pool("30", owner="one", status="OPEN", close_seconds=10.0, archive_seconds=5.0)
    fake.add_pool("31", owner="one", status="LOCKED")
    return fake


# -- an open pool: 202 and the operation ------------------------------------------------------


def test_closing_an_open_pool_answers_202_with_a_pending_close_operation(
    world: FakeToloka, client: httpx.Client
) -> None:
    response = close(client, "30")
    assert response.status_code == 202
    assert response.headers["content-type"] == "application/json"
    operation = response.json()
    assert OPERATION_ID.match(operation["id"])
    assert operation == {
        "id": operation["id"],
        "type": "POOL.CLOSE",
        "status": "PENDING",
        "submitted": "2026-11-01T12:00:00.000",
        "progress": 0,
        "parameters": {"pool_id": "30"},
        "details": {},
    }
    pool = world.pool("30")
    assert (pool.status, pool.active, pool.operations) == (
        "OPEN",
        operation["id"],
        (operation["id"],),
    )


def test_the_close_runs_and_succeeds_and_the_pool_is_closed_when_it_ends(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    operation_id = close(client, "30").json()["id"]

    def poll() -> dict[str, Any]:
        response = client.get(f"/operations/{operation_id}")
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body

    clock.advance(0.5)  # PENDING for the first tenth of its 10 s
    assert (poll()["status"], poll()["progress"]) == ("PENDING", 0)
    clock.advance(0.5)
    running = poll()
    assert (running["status"], running["progress"], running["started"]) == (
        "RUNNING",
        0,
        "2026-11-01T12:00:01.000",
    )
    clock.advance(4.5)
    assert (poll()["status"], poll()["progress"]) == ("RUNNING", 50)
    assert client.get("/pools/30").json()["status"] == "OPEN"  # open until the close ends
    clock.advance(4.5)
    done = poll()
    assert (done["status"], done["progress"], done["finished"]) == (
        "SUCCESS",
        100,
        "2026-11-01T12:00:10.000",
    )
    assert client.get(f"/operations/{operation_id}/log").json() == []
    pool = client.get("/pools/30").json()
    assert (pool["status"], pool["last_stopped"], pool["last_close_reason"]) == (
        "CLOSED",
        "2026-11-01T12:00:10.000",
        "MANUAL",
    )
    assert world.pool("30").active is None


def test_a_pool_read_long_after_its_close_says_when_it_stopped_not_when_it_was_read(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    close(client, "30")
    clock.advance(3600.0)  # nobody polled the operation
    pool = world.pool("30")
    assert (pool.status, pool.last_stopped, pool.last_close_reason) == (
        "CLOSED",
        at(10.0),
        "MANUAL",
    )
    assert pool.last_started == START  # an OPEN pool's default: when it was created


def test_a_zero_second_close_is_over_at_once(fake: FakeToloka, client: httpx.Client) -> None:
    fake.add_pool("32", owner="one", status="OPEN", close_seconds=0.0)
    operation = close(client, "32").json()
    assert (operation["status"], operation["progress"]) == ("SUCCESS", 100)
    assert fake.pool("32").status == "CLOSED"
    assert close(client, "32").status_code == 204


def test_the_close_duration_defaults_to_three_seconds(
    fake: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    assert fake.pool("23").close_seconds == 3.0
    operation_id = close(client, "23").json()["id"]
    clock.advance(2.999)
    assert fake.operation(operation_id).status == "RUNNING"
    clock.advance(0.001)
    assert (fake.operation(operation_id).status, fake.pool("23").status) == ("SUCCESS", "CLOSED")


# -- the other statuses: 204 and 409 ----------------------------------------------------------


def test_closing_a_closed_pool_answers_204_with_nothing_and_starts_nothing(
    world: FakeToloka, client: httpx.Client
) -> None:
    response = close(client, "21")
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert world.operations("21") == ()
    assert world.pool("21").status == "CLOSED"


@pytest.mark.parametrize("pool_id", ["22", "31"])  # ARCHIVED, LOCKED
def test_closing_a_pool_that_is_not_open_nor_closed_answers_409_inappropriate_status(
    world: FakeToloka, client: httpx.Client, pool_id: str
) -> None:
    before = world.pool(pool_id).status
    body = error_of(close(client, pool_id), 409, "INAPPROPRIATE_STATUS")
    assert body["message"] == INAPPROPRIATE
    assert body["payload"] == {"appropriate_statuses": ["OPEN"]}
    assert world.operations(pool_id) == ()
    assert world.pool(pool_id).status == before


def test_while_a_close_runs_closing_and_archiving_meet_the_lock(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    operation_id = close(client, "30").json()["id"]
    assert_locked_by(close(client, "30"), operation_id)
    # Archiving an OPEN pool would be INAPPROPRIATE_STATUS; the lock comes first.
    assert_locked_by(archive(client, "30"), operation_id)
    clock.advance(9.999)
    assert_locked_by(archive(client, "30"), operation_id)
    clock.advance(0.001)
    assert close(client, "30").status_code == 204
    assert archive(client, "30").status_code == 202
    assert world.operation_counts("30") == {"POOL.CLOSE": 1, "POOL.ARCHIVE": 1}


def test_while_an_archive_runs_closing_meets_the_lock_not_the_204(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    """The pool being archived is still CLOSED, but it is locked: 409, not 204 (assumed)."""
    operation_id = archive(client, "21").json()["id"]
    assert world.pool("21").status == "CLOSED"
    assert_locked_by(close(client, "21"), operation_id)
    clock.advance(10.0)
    assert world.pool("21").status == "ARCHIVED"
    body = error_of(close(client, "21"), 409, "INAPPROPRIATE_STATUS")
    assert body["payload"] == {"appropriate_statuses": ["OPEN"]}
    assert [operation.type for operation in world.operations("21")] == ["POOL.ARCHIVE"]


def test_close_then_archive_then_both_are_done(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    assert error_of(archive(client, "30"), 409, "INAPPROPRIATE_STATUS")["payload"] == {
        "appropriate_statuses": ["CLOSED"]
    }
    close(client, "30")
    clock.advance(10.0)
    archive(client, "30")
    clock.advance(5.0)
    pool = world.pool("30")
    assert (pool.status, pool.last_stopped) == ("ARCHIVED", at(10.0))
    assert archive(client, "30").status_code == 204
    assert error_of(close(client, "30"), 409, "INAPPROPRIATE_STATUS")
    assert [(op.type, op.status) for op in world.operations("30")] == [
        ("POOL.CLOSE", "SUCCESS"),
        ("POOL.ARCHIVE", "SUCCESS"),
    ]


# -- who may ask, and how -------------------------------------------------------------------


def test_closing_needs_a_key_a_pool_id_a_known_pool_and_ones_own(
    world: FakeToloka, client: httpx.Client
) -> None:
    missing = client.post("/pools/30/close", headers={"Authorization": ""})
    error_of(missing, 401, "AUTHENTICATION_ERROR")
    unknown_key = client.post("/pools/30/close", headers=auth("nope"))
    error_of(unknown_key, 401, "AUTHENTICATION_ERROR")
    bad = error_of(close(client, "abc"), 400, "VALIDATION_ERROR")
    assert bad["payload"] == {
        "pool_id": {"code": "VALUE_INVALID", "message": "must be decimal digits"}
    }
    error_of(close(client, "999"), 404, "DOES_NOT_EXIST")
    world.add_pool("91", owner="two", status="OPEN")
    error_of(close(client, "91"), 403, "ACCESS_DENIED")
    error_of(close(client, "90"), 403, "ACCESS_DENIED")
    assert world.operations() == ()
    wrong_method = client.get("/pools/30/close")
    error_of(wrong_method, 405, "METHOD_NOT_ALLOWED")
    assert wrong_method.headers["allow"] == "POST"


def test_an_oauth_token_closes_too(world: FakeToloka) -> None:
    with httpx.Client(
        transport=world.transport(), base_url=BASE_URL, headers=auth(TOKEN, "OAuth")
    ) as client:
        assert close(client, "30").status_code == 202


def test_another_requester_cannot_read_the_close_operation(world: FakeToloka) -> None:
    with httpx.Client(transport=world.transport(), base_url=BASE_URL, headers=auth()) as one:
        operation_id = close(one, "30").json()["id"]
    with httpx.Client(
        transport=world.transport(), base_url=BASE_URL, headers=auth("key-two")
    ) as two:
        error_of(two.get(f"/operations/{operation_id}"), 403, "ACCESS_DENIED")
        error_of(two.get(f"/operations/{operation_id}/log"), 403, "ACCESS_DENIED")
        assert two.get("/operations").json()["items"] == []


# -- a close that fails ---------------------------------------------------------------------


def test_a_close_set_to_fail_ends_fail_the_pool_stays_open_and_the_log_says_why(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    world.add_fault(Fault("operation_fail", pool="30", endpoint="close", first=1))
    first = close(client, "30")
    assert (first.status_code, first.json()["status"]) == (202, "PENDING")
    clock.advance(10.0)
    failed = client.get(f"/operations/{first.json()['id']}").json()
    assert (failed["status"], failed["progress"]) == ("FAIL", 100)
    assert client.get(f"/operations/{failed['id']}/log").json() == [
        {
            "type": "POOL_CLOSE",
            "success": False,
            "input": {"pool_id": "30"},
            "output": {
                "code": "POOL_CLOSE_FAILED",
                "message": "The pool could not be closed (a failure set up in the fake's scenario)",
            },
        }
    ]
    pool = world.pool("30")
    assert (pool.status, pool.last_stopped, pool.last_close_reason, pool.active) == (
        "OPEN",
        None,
        None,
        None,
    )
    second = close(client, "30")  # first=1: closing again succeeds
    clock.advance(10.0)
    assert world.operation(second.json()["id"]).status == "SUCCESS"
    assert world.pool("30").status == "CLOSED"


def test_the_pools_fail_flag_is_for_archives_only(
    fake: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    fake.add_pool("33", owner="one", status="OPEN", fail=True, close_seconds=1.0)
    close(client, "33")
    clock.advance(1.0)
    assert fake.pool("33").status == "CLOSED"
    archive(client, "33")
    clock.advance(3.0)
    assert [(op.type, op.status) for op in fake.operations("33")] == [
        ("POOL.CLOSE", "SUCCESS"),
        ("POOL.ARCHIVE", "FAIL"),
    ]


# -- GET /operations and the fake's records ----------------------------------------------------


def test_the_operation_list_has_closes_and_filters_them_by_type(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    closing = close(client, "30").json()["id"]
    archiving = archive(client, "21").json()["id"]

    def listed(**params: str) -> list[str]:
        response = client.get("/operations", params=params)
        assert response.status_code == 200
        return [item["id"] for item in response.json()["items"]]

    assert listed() == [closing, archiving]
    assert listed(type="POOL.CLOSE") == [closing]
    assert listed(type="POOL.ARCHIVE") == [archiving]
    assert listed(type="POOL.CLOSE", status="PENDING") == [closing]
    clock.advance(10.0)
    assert listed(type="POOL.CLOSE", status="SUCCESS", finished_gte="2026-11-01") == [closing]
    (item,) = client.get("/operations", params={"type": "POOL.CLOSE"}).json()["items"]
    assert item == client.get(f"/operations/{closing}").json()
    assert item["parameters"] == {"pool_id": "30"}


def test_the_fake_counts_and_lists_a_pools_operations_by_type(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    assert world.operation_counts("30") == collections.Counter()
    assert world.operation_counts("30")["POOL.CLOSE"] == 0
    closing = close(client, "30").json()["id"]
    clock.advance(10.0)
    archiving = archive(client, "30").json()["id"]
    archive(client, "21")
    assert [op.id for op in world.operations("30", type="POOL.CLOSE")] == [closing]
    assert [op.id for op in world.operations("30", type="POOL.ARCHIVE")] == [archiving]
    assert world.operations("30", type="PROJECT.ARCHIVE") == ()
    assert world.operation_counts("30") == {"POOL.CLOSE": 1, "POOL.ARCHIVE": 1}
    assert world.operation_counts() == {"POOL.CLOSE": 1, "POOL.ARCHIVE": 2}
    assert len(world.operations(type="POOL.ARCHIVE")) == 2
    with pytest.raises(KeyError):
        world.operation_counts("999")
    with pytest.raises(ValueError, match="not both"):
        world.operation_counts("30", project_id="1")


def test_requests_name_their_endpoint_and_id(world: FakeToloka, client: httpx.Client) -> None:
    operation_id = close(client, "30").json()["id"]
    close(client, "30")
    client.get(f"/operations/{operation_id}")
    client.get("/operations")
    assert [(r.method, r.endpoint, r.ident, r.status) for r in world.requests] == [
        ("POST", "close", "30", 202),
        ("POST", "close", "30", 409),
        ("GET", "operation", operation_id, 200),
        ("GET", "operations", None, 200),
    ]
    closes = [r for r in world.requests if (r.endpoint, r.ident) == ("close", "30")]
    assert len(closes) == 2


# -- faults on the close endpoint -------------------------------------------------------------


def test_infrastructure_faults_hit_the_close_endpoint_alone(
    world: FakeToloka, client: httpx.Client
) -> None:
    world.add_fault(Fault("internal_error", pool="30", endpoint="close", first=1))
    world.add_fault(Fault("unavailable", endpoint="close", first=1))
    error_of(close(client, "30"), 500, "INTERNAL_ERROR")
    error_of(close(client, "23"), 503, "REMOTE_SERVICE_UNAVAILABLE")
    assert world.operations() == ()  # answered in front of Toloka: nothing started
    assert archive(client, "21").status_code == 202  # not a close: untouched
    assert close(client, "30").status_code == 202
    assert [r.fault for r in world.requests] == ["internal_error", "unavailable", None, None]


def test_a_slow_close_moves_the_fakes_clock(world: FakeToloka, clock: ManualClock) -> None:
    world.add_fault(Fault("slow", pool="30", endpoint="close", delay=2.5))
    with httpx.Client(
        transport=world.transport(sleep=clock.sleep), base_url=BASE_URL, headers=auth()
    ) as client:
        assert close(client, "30").status_code == 202
    assert clock.monotonic() == 2.5
    assert world.requests[-1].delay == 2.5


def test_drop_after_commit_on_close_starts_the_close_then_hangs_up(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    world.add_fault(Fault("drop_after_commit", pool="30", endpoint="close", first=1))
    with pytest.raises(
        httpx.RemoteProtocolError, match=r"^Server disconnected without sending a response\.$"
    ):
        close(client, "30")
    operation_id = close_started_once(world)
    recorded = world.requests[-1]
    assert (recorded.status, recorded.fault, recorded.endpoint) == (
        None,
        "drop_after_commit",
        "close",
    )
    # Asking again meets the close in progress; the list finds it.
    assert_locked_by(close(client, "30"), operation_id)
    found = client.get("/operations", params={"type": "POOL.CLOSE", "status": "PENDING"})
    assert [item["id"] for item in found.json()["items"]] == [operation_id]
    clock.advance(10.0)
    assert world.pool("30").status == "CLOSED"
    assert close(client, "30").status_code == 204
    assert close_started_once(world) == operation_id


def test_timeout_after_commit_on_close_times_out_at_once(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    world.add_fault(Fault("timeout_after_commit", pool="30", endpoint="close", first=1))
    with pytest.raises(httpx.ReadTimeout):
        close(client, "30")
    assert clock.monotonic() == 0.0  # in-process: no time passes
    operation_id = close_started_once(world)
    assert (world.requests[-1].status, world.requests[-1].fault) == (None, "timeout_after_commit")
    assert_locked_by(close(client, "30"), operation_id)


@pytest.mark.parametrize("kind", ["truncated_202", "invalid_json_202"])
def test_a_spoiled_202_of_a_close_is_readable_http_but_not_json(
    world: FakeToloka, client: httpx.Client, kind: Any
) -> None:
    world.add_fault(Fault(kind, pool="30", endpoint="close", first=1))
    response = close(client, "30")
    assert response.status_code == 202
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        response.json()
    operation_id = close_started_once(world)
    if kind == "truncated_202":
        operation = world.operation(operation_id).to_json()
        whole = json.dumps(operation, separators=(",", ":")).encode()
        assert whole.startswith(response.content)
        assert 0 < len(response.content) < len(whole)
    assert (world.requests[-1].status, world.requests[-1].fault) == (202, kind)


def test_locked_by_other_on_close_meets_the_409_of_a_close_another_client_started(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    world.add_fault(Fault("locked_by_other", pool="30", endpoint="close", first=1))
    response = close(client, "30")
    operation_id = close_started_once(world)
    assert_locked_by(response, operation_id)
    assert (world.requests[-1].status, world.requests[-1].fault) == (409, "locked_by_other")
    assert_locked_by(close(client, "30"), operation_id)  # first=1: the same lock, nothing new
    clock.advance(10.0)
    assert world.pool("30").status == "CLOSED"
    assert close_started_once(world) == operation_id


def test_locked_by_other_and_operation_fail_combine_on_close(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    """The close the other client starts is an ordinary one: operation_fail counts it."""
    world.add_fault(Fault("locked_by_other", pool="30", endpoint="close", first=1))
    world.add_fault(Fault("operation_fail", pool="30", endpoint="close", first=1))
    assert close(client, "30").status_code == 409
    clock.advance(10.0)
    (failed,) = world.operations("30")
    assert (failed.type, failed.status) == ("POOL.CLOSE", "FAIL")
    assert world.pool("30").status == "OPEN"
    assert close(client, "30").status_code == 202  # both faults are spent


@pytest.mark.parametrize("kind", [*LOST, "locked_by_other", "operation_fail"])
def test_a_start_fault_for_one_endpoint_spares_the_other(
    world: FakeToloka, client: httpx.Client, clock: ManualClock, kind: Any
) -> None:
    world.add_fault(Fault(kind, pool="30", endpoint="archive", first=1))
    closing = close(client, "30")
    assert closing.status_code == 202
    assert closing.json()["type"] == "POOL.CLOSE"
    clock.advance(10.0)
    assert world.pool("30").status == "CLOSED"
    assert world.requests[0].fault is None
    # The archive that follows is the fault's first start.
    with contextlib.suppress(httpx.TransportError):
        archive(client, "30")
    (archiving,) = world.operations("30", type="POOL.ARCHIVE")
    if kind == "operation_fail":  # decided at the start, seen at the end
        clock.advance(5.0)
        assert world.operation(archiving.id).status == "FAIL"
    else:
        assert world.requests[-1].fault == kind


def test_a_start_fault_with_no_endpoint_counts_closes_and_archives_alike(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    """``first`` counts the requests that start an operation: the 204 and 409s are not."""
    world.add_fault(Fault("drop_after_commit", pool="30", first=2))
    assert error_of(archive(client, "30"), 409, "INAPPROPRIATE_STATUS")  # nothing to start
    with pytest.raises(httpx.RemoteProtocolError):
        close(client, "30")  # the first start
    assert close(client, "30").status_code == 409  # locked: not a start
    clock.advance(10.0)
    assert close(client, "30").status_code == 204  # not a start either
    with pytest.raises(httpx.RemoteProtocolError):
        archive(client, "30")  # the second start
    clock.advance(5.0)
    assert world.pool("30").status == "ARCHIVED"
    assert [r.fault for r in world.requests].count("drop_after_commit") == 2
    assert world.operation_counts("30") == {"POOL.CLOSE": 1, "POOL.ARCHIVE": 1}


def test_a_close_and_an_archive_lost_after_commit_each_leave_one_operation(
    clock: ManualClock,
) -> None:
    """The example of the package docs: pool 500 is OPEN; the 202 of its close is lost after
    the close was made, and so is the 202 of its archive; each was started exactly once."""
    fake = FakeToloka(clock=clock)
    fake.add_requester("me", api_keys=["test-key"])
    fake.add_pool("500", status="OPEN", close_seconds=2.0, archive_seconds=4.0)
    fake.add_fault(Fault("drop_after_commit", pool="500", endpoint="close", first=1))
    fake.add_fault(Fault("drop_after_commit", pool="500", endpoint="archive", first=1))
    with httpx.Client(
        transport=fake.transport(), base_url=BASE_URL, headers=auth("test-key")
    ) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            close(client, "500")
        (closing,) = fake.operations("500", type="POOL.CLOSE")
        assert_locked_by(close(client, "500"), closing.id)
        clock.advance(2.0)
        assert close(client, "500").status_code == 204
        with pytest.raises(httpx.RemoteProtocolError):
            archive(client, "500")
        (archiving,) = fake.operations("500", type="POOL.ARCHIVE")
        assert_locked_by(archive(client, "500"), archiving.id)
        clock.advance(4.0)
        assert archive(client, "500").status_code == 204
    counts = fake.operation_counts("500")
    assert (counts["POOL.CLOSE"], counts["POOL.ARCHIVE"]) == (1, 1)
    assert fake.pool("500").status == "ARCHIVED"


# -- the other carriers -----------------------------------------------------------------------


@pytest.fixture
def server(world: FakeToloka) -> Iterator[FakeServer]:
    with serve(world) as running:
        yield running


def test_closing_over_loopback(server: FakeServer, world: FakeToloka) -> None:
    world.add_fault(Fault("drop_after_commit", pool="30", endpoint="close", first=1))
    with httpx.Client(base_url=server.url, headers=auth()) as client:
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            close(client, "30")
        operation_id = close_started_once(world)
        assert_locked_by(close(client, "30"), operation_id)
        closed = close(client, "21")
        assert (closed.status_code, closed.content) == (204, b"")


def test_closing_through_the_async_transport(world: FakeToloka, clock: ManualClock) -> None:
    world.add_fault(Fault("slow", pool="30", endpoint="close", delay=1.0))

    async def run() -> list[int]:
        async with httpx.AsyncClient(
            transport=world.async_transport(sleep=clock.async_sleep),
            base_url=BASE_URL,
            headers=auth(),
        ) as client:
            first = await client.post("/pools/30/close")
            second = await client.post("/pools/30/close")
            return [first.status_code, second.status_code]

    assert asyncio.run(run()) == [202, 409]
    assert clock.monotonic() == 2.0  # two slow answers, on the fake's clock
    close_started_once(world)


# -- declaring closes -----------------------------------------------------------------------


def test_close_seconds_is_checked(fake: FakeToloka) -> None:
    with pytest.raises(ValueError, match=r"^add_pool\.close_seconds: must be >= 0, got -1$"):
        fake.add_pool("40", owner="one", status="OPEN", close_seconds=-1)
    with pytest.raises(ValueError, match=r"^add_pool\.close_seconds: expected a number"):
        fake.add_pool("40", owner="one", status="OPEN", close_seconds="1")  # type: ignore[arg-type]


SCENARIO = """
[[requesters]]
name = "me"
api_keys = ["k"]

[[pools]]
id = "500"
status = "OPEN"
close_seconds = 2.0
archive_seconds = 4.0

[[pool_ranges]]
first = 600
count = 2
status = "OPEN"
close_seconds = 0.5

[[faults]]
kind = "drop_after_commit"
pool = "500"
endpoint = "close"
first = 1

[[faults]]
kind = "invalid_json_202"
pool = "500"
endpoint = "archive"
first = 1

[[faults]]
kind = "internal_error"
pool = "600"
endpoint = "close"
first = 1
"""


def test_a_scenario_gives_close_durations_and_close_faults(tmp_path: Path) -> None:
    path = tmp_path / "close.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    scenario = Scenario.load(path)
    assert [(pool.id, pool.close_seconds) for pool in scenario.pools] == [
        ("500", 2.0),
        ("600", 0.5),
        ("601", 0.5),
    ]
    assert [(fault.kind, fault.endpoint) for fault in scenario.faults] == [
        ("drop_after_commit", "close"),
        ("invalid_json_202", "archive"),
        ("internal_error", "close"),
    ]
    clock = ManualClock()
    fake = FakeToloka.from_scenario(scenario, clock=clock)
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            close(client, "500")
        clock.advance(2.0)
        assert fake.pool("500").status == "CLOSED"
        spoiled = archive(client, "500")
        assert spoiled.status_code == 202
        with pytest.raises(json.JSONDecodeError):
            spoiled.json()
        assert close(client, "600").status_code == 500
        assert close(client, "600").status_code == 202
        assert close(client, "601").status_code == 202
        clock.advance(0.5)
        assert {fake.pool(pool_id).status for pool_id in ("600", "601")} == {"CLOSED"}
    assert fake.operation_counts("500") == {"POOL.CLOSE": 1, "POOL.ARCHIVE": 1}


@pytest.mark.parametrize(
    ("pool", "message"),
    [
        ("close_seconds = -2", "pools[0].close_seconds: must be >= 0, got -2"),
        ('close_seconds = "fast"', "pools[0].close_seconds: expected a number, got str 'fast'"),
        ("close_second = 1", "pools[0].close_second: unknown field; did you mean 'close_seconds'?"),
    ],
)
def test_scenario_mistakes_about_closing_name_the_field(
    tmp_path: Path, pool: str, message: str
) -> None:
    path = tmp_path / "close.toml"
    path.write_text(
        f'[[requesters]]\nname = "a"\n\n[[pools]]\nid = "1"\nstatus = "OPEN"\n{pool}\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        Scenario.load(path)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_the_default_scenario_has_open_pools_to_close_and_no_close_faults() -> None:
    scenario = Scenario.load(None)
    open_pools = [pool.id for pool in scenario.pools if pool.status == "OPEN"]
    assert open_pools == ["102", "303"]
    assert {pool.close_seconds for pool in scenario.pools} == {3.0}
    assert all(fault.endpoint != "close" for fault in scenario.faults)
    fake = FakeToloka.from_scenario(scenario, clock=ManualClock())
    with httpx.Client(
        transport=fake.transport(), base_url=BASE_URL, headers=auth("fake-api-key-0001")
    ) as client:
        assert close(client, "102").status_code == 202
        assert close(client, "100").status_code == 204
        assert close(client, "101").status_code == 409
