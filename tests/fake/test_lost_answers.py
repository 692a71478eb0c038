"""Faults where Toloka did the work but the answer was lost: the archive is started, and the
client sees a dropped connection, a timeout, a 202 cut short or a 202 that is not JSON; or
another client started it a moment earlier and the request meets 409.

Each is checked for what the client sees (in-process, sync and async, and over loopback) and for
what the fake's state shows: the archive was started, exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
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

from tests.fake.conftest import BASE_URL, auth

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

LOST = ["drop_after_commit", "timeout_after_commit", "truncated_202", "invalid_json_202"]
NEW_KINDS = [*LOST, "locked_by_other"]


def archive_started_once(fake: FakeToloka, pool_id: str = "21") -> str:
    """The one archive operation of the pool; the fake's state says it was started."""
    (operation,) = fake.operations(pool_id)
    assert operation.type == "POOL.ARCHIVE"
    assert fake.pool(pool_id).operations == (operation.id,)
    return operation.id


def assert_locked_by(response: httpx.Response, operation_id: str) -> None:
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["code"] == "POOL_LOCKED_BY_ANOTHER_OPERATION"
    assert body["payload"] == {"operation_id": operation_id}


# -- in-process, blocking ---------------------------------------------------------------------


def test_drop_after_commit_starts_the_archive_then_hangs_up(
    client: httpx.Client, fake: FakeToloka, clock: ManualClock
) -> None:
    fake.add_fault(Fault("drop_after_commit", pool="21", first=1))
    with pytest.raises(
        httpx.RemoteProtocolError, match=r"^Server disconnected without sending a response\.$"
    ):
        client.post("/pools/21/archive")
    operation_id = archive_started_once(fake)
    recorded = fake.requests[-1]
    assert (recorded.status, recorded.fault) == (None, "drop_after_commit")
    # Asking again meets the archive in progress; the list finds it.
    assert_locked_by(client.post("/pools/21/archive"), operation_id)
    found = client.get("/operations", params={"type": "POOL.ARCHIVE", "status": "PENDING"})
    assert [item["id"] for item in found.json()["items"]] == [operation_id]
    clock.advance(10.0)
    assert fake.pool("21").status == "ARCHIVED"
    assert client.post("/pools/21/archive").status_code == 204
    assert archive_started_once(fake) == operation_id


def test_timeout_after_commit_starts_the_archive_then_times_out_at_once(
    fake: FakeToloka, clock: ManualClock
) -> None:
    fake.add_fault(Fault("timeout_after_commit", pool="21", first=1, delay=60.0))
    slept: list[float] = []
    with httpx.Client(
        transport=fake.transport(sleep=slept.append), base_url=BASE_URL, headers=auth()
    ) as client:
        with pytest.raises(httpx.ReadTimeout, match=r"^timed out$"):
            client.post("/pools/21/archive")
        operation_id = archive_started_once(fake)
        assert slept == []  # no time passes in-process
        assert clock.monotonic() == 0.0
        assert (fake.requests[-1].status, fake.requests[-1].fault) == (
            None,
            "timeout_after_commit",
        )
        assert_locked_by(client.post("/pools/21/archive"), operation_id)


def test_truncated_202_is_readable_http_with_a_json_body_cut_short(
    client: httpx.Client, fake: FakeToloka
) -> None:
    fake.add_fault(Fault("truncated_202", pool="21", first=1))
    response = client.post("/pools/21/archive")
    assert response.status_code == 202
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)
    operation_id = archive_started_once(fake)
    whole = json.dumps(fake.operation(operation_id).to_json(), separators=(",", ":")).encode()
    assert whole.startswith(response.content)
    assert 0 < len(response.content) < len(whole)
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert (fake.requests[-1].status, fake.requests[-1].fault) == (202, "truncated_202")


def test_invalid_json_202_has_a_body_that_is_not_json(
    client: httpx.Client, fake: FakeToloka
) -> None:
    fake.add_fault(Fault("invalid_json_202", pool="21", first=1))
    response = client.post("/pools/21/archive")
    assert response.status_code == 202
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        response.json()
    archive_started_once(fake)
    assert (fake.requests[-1].status, fake.requests[-1].fault) == (202, "invalid_json_202")


def test_locked_by_other_meets_the_409_of_an_archive_in_progress(
    client: httpx.Client, fake: FakeToloka, clock: ManualClock
) -> None:
    fake.add_fault(Fault("locked_by_other", pool="21", first=1))
    response = client.post("/pools/21/archive")
    operation_id = archive_started_once(fake)
    assert_locked_by(response, operation_id)
    assert (fake.requests[-1].status, fake.requests[-1].fault) == (409, "locked_by_other")
    # first=1: asking again meets the same lock, as any request would; no new operation.
    assert_locked_by(client.post("/pools/21/archive"), operation_id)
    clock.advance(10.0)
    assert client.post("/pools/21/archive").status_code == 204
    assert archive_started_once(fake) == operation_id


def test_the_409_of_locked_by_other_is_byte_for_byte_the_usual_one() -> None:
    """Two fakes with the same seed: in one, the client itself archived a moment earlier; in
    the other, the fault did. The request then gets the same answer, to the byte."""

    def answers(with_fault: bool) -> tuple[int, list[tuple[str, str]], bytes]:
        fake = FakeToloka(clock=ManualClock(), seed=5)
        fake.add_requester("one", api_keys=["k"])
        fake.add_pool("21")
        with httpx.Client(
            transport=fake.transport(), base_url=BASE_URL, headers=auth("k")
        ) as client:
            if with_fault:
                fake.add_fault(Fault("locked_by_other", first=1))
            else:
                assert client.post("/pools/21/archive").status_code == 202
            response = client.post("/pools/21/archive")
        assert len(fake.operations("21")) == 1
        return response.status_code, response.headers.multi_items(), response.content

    assert answers(with_fault=True) == answers(with_fault=False)


def test_locked_by_other_meets_whatever_follows_an_archive_that_is_already_over(
    client: httpx.Client, fake: FakeToloka
) -> None:
    fake.add_pool("30", owner="one", archive_seconds=0.0)
    fake.add_fault(Fault("locked_by_other", pool="30"))
    assert client.post("/pools/30/archive").status_code == 204  # the other one archived it
    assert len(fake.operations("30")) == 1


def test_the_operation_of_the_other_client_can_fail_like_any_other(
    client: httpx.Client, fake: FakeToloka, clock: ManualClock
) -> None:
    fake.add_fault(Fault("locked_by_other", pool="21", first=1))
    fake.add_fault(Fault("operation_fail", pool="21", first=1))
    other = client.post("/pools/21/archive").json()["payload"]["operation_id"]
    clock.advance(10.0)
    assert fake.operation(other).status == "FAIL"
    mine = client.post("/pools/21/archive").json()["id"]  # operation_fail is spent
    clock.advance(10.0)
    assert fake.operation(mine).status == "SUCCESS"
    assert [op.id for op in fake.operations("21")] == [other, mine]


# -- when they apply --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_requests_that_start_no_archive_are_untouched_and_not_counted(
    client: httpx.Client, fake: FakeToloka, kind: Any
) -> None:
    fake.add_fault(Fault(kind, first=1))
    assert client.post("/pools/22/archive").status_code == 204  # archived already
    assert client.post("/pools/23/archive").status_code == 409  # open
    assert client.post("/pools/24/archive").status_code == 409  # rejected 2 days ago
    assert client.post("/pools/90/archive").status_code == 403
    assert client.get("/pools/21").status_code == 200  # another endpoint
    assert fake.operations() == ()
    assert all(request.fault is None for request in fake.requests)
    # The first request that starts an archive is the one hit.
    with contextlib.suppress(httpx.TransportError):
        client.post("/pools/21/archive")
    assert fake.requests[-1].fault == kind
    assert len(fake.operations("21")) == 1


def failing_pool_fake(seed: int = 0) -> FakeToloka:
    """A pool whose archives fail at once, so that every request starts a new one."""
    fake = FakeToloka(clock=ManualClock(), seed=seed, rate_limit=None)
    fake.add_requester("one", api_keys=["k"])
    fake.add_pool("1", archive_seconds=0.0, fail=True)
    return fake


def outcomes(fake: FakeToloka, count: int) -> list[str]:
    seen = []
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        for _ in range(count):
            try:
                response = c.post("/pools/1/archive")
            except httpx.TransportError as error:
                seen.append(type(error).__name__)
                continue
            try:
                response.json()
            except json.JSONDecodeError:
                seen.append(f"{response.status_code} unreadable")
            else:
                seen.append(str(response.status_code))
    return seen


@pytest.mark.parametrize(
    ("kind", "seen"),
    [
        ("drop_after_commit", "RemoteProtocolError"),
        ("timeout_after_commit", "ReadTimeout"),
        ("truncated_202", "202 unreadable"),
        ("invalid_json_202", "202 unreadable"),
    ],
)
def test_first_n_counts_archives_started(kind: Any, seen: str) -> None:
    fake = failing_pool_fake()
    fake.add_fault(Fault(kind, first=2))
    assert outcomes(fake, 4) == [seen, seen, "202", "202"]
    assert len(fake.operations("1")) == 4  # each request started one, answered or not


@pytest.mark.parametrize("kind", LOST)
def test_probability_is_seeded(kind: Any) -> None:
    def run(seed: int) -> list[str]:
        fake = failing_pool_fake(seed)
        fake.add_fault(Fault(kind, probability=0.5))
        return outcomes(fake, 40)

    first = run(1)
    assert first == run(1)
    assert first != run(2)
    assert 5 < first.count("202") < 35  # a shape check: both outcomes happen


def test_locked_by_other_probability_is_seeded() -> None:
    def run(seed: int) -> list[int]:
        fake = failing_pool_fake(seed)
        fake.add_fault(Fault("locked_by_other", probability=0.5))
        with httpx.Client(
            transport=fake.transport(), base_url=BASE_URL, headers=auth("k")
        ) as client:
            # The other client's archive fails at once too, so each request starts its own
            # (202) after it: one operation per request, or two when the fault fired.
            started = []
            for _ in range(30):
                before = len(fake.operations("1"))
                assert client.post("/pools/1/archive").status_code == 202
                started.append(len(fake.operations("1")) - before)
            return started

    first = run(3)
    assert first == run(3)
    assert first != run(4)
    assert set(first) == {1, 2}


def test_the_first_lost_answer_fault_that_fires_decides(
    client: httpx.Client, fake: FakeToloka
) -> None:
    fake.add_pool("30", owner="one", archive_seconds=0.0, fail=True)
    fake.add_fault(Fault("truncated_202", pool="30", first=1))
    fake.add_fault(Fault("invalid_json_202", pool="30", first=1))
    kinds = []
    for _ in range(3):
        client.post("/pools/30/archive")
        kinds.append(fake.requests[-1].fault)
    # The second fault did not see the first request, so it still has its one to spend.
    assert kinds == ["truncated_202", "invalid_json_202", None]


def test_a_fault_in_front_of_toloka_wins_and_nothing_starts(
    client: httpx.Client, fake: FakeToloka
) -> None:
    fake.add_fault(Fault("internal_error", first=1))
    fake.add_fault(Fault("drop_after_commit", first=1))
    assert client.post("/pools/21/archive").status_code == 500
    assert fake.operations() == ()
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/pools/21/archive")
    archive_started_once(fake)


def test_slow_adds_to_a_lost_answer(fake: FakeToloka) -> None:
    fake.add_fault(Fault("slow", delay=2.0, first=1))
    fake.add_fault(Fault("drop_after_commit", first=1))
    slept: list[float] = []
    with (
        httpx.Client(
            transport=fake.transport(sleep=slept.append), base_url=BASE_URL, headers=auth()
        ) as client,
        pytest.raises(httpx.RemoteProtocolError),
    ):
        client.post("/pools/21/archive")
    assert slept == [2.0]
    archive_started_once(fake)


# -- in-process, asyncio ----------------------------------------------------------------------


def test_async_transport_sees_every_lost_answer(fake: FakeToloka) -> None:
    pools: dict[Any, str] = {"drop_after_commit": "41", "timeout_after_commit": "42"}
    pools |= {"truncated_202": "43", "invalid_json_202": "44", "locked_by_other": "45"}
    for kind, pool_id in pools.items():
        fake.add_pool(pool_id, owner="one")
        fake.add_fault(Fault(kind, pool=pool_id, first=1))

    async def go() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        async with httpx.AsyncClient(
            transport=fake.async_transport(), base_url=BASE_URL, headers=auth()
        ) as client:
            for kind, pool_id in pools.items():
                try:
                    response = await client.post(f"/pools/{pool_id}/archive")
                except httpx.TransportError as error:
                    seen[kind] = type(error)
                else:
                    seen[kind] = response
        return seen

    seen = asyncio.run(go())
    assert seen["drop_after_commit"] is httpx.RemoteProtocolError
    assert seen["timeout_after_commit"] is httpx.ReadTimeout
    for kind in ("truncated_202", "invalid_json_202"):
        response = seen[kind]
        assert response.status_code == 202
        assert int(response.headers["content-length"]) == len(response.content)
        with pytest.raises(json.JSONDecodeError):
            response.json()
    (operation,) = fake.operations("45")
    assert_locked_by(seen["locked_by_other"], operation.id)
    for kind, pool_id in pools.items():
        assert len(fake.operations(pool_id)) == 1, kind


# -- over loopback ----------------------------------------------------------------------------


@pytest.fixture
def server(fake: FakeToloka) -> Iterator[FakeServer]:
    with serve(fake) as running:
        yield running


def test_server_drop_after_commit_closes_the_socket_without_a_byte(
    server: FakeServer, fake: FakeToloka
) -> None:
    fake.add_fault(Fault("drop_after_commit", pool="21", first=1))
    with httpx.Client(base_url=server.url, headers=auth()) as client:
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            client.post("/pools/21/archive")
        operation_id = archive_started_once(fake)
        assert_locked_by(client.post("/pools/21/archive"), operation_id)


def test_server_timeout_after_commit_is_silent_until_the_client_gives_up(
    server: FakeServer, fake: FakeToloka
) -> None:
    fake.add_fault(Fault("timeout_after_commit", pool="21", first=1, delay=600.0))
    with httpx.Client(base_url=server.url, headers=auth()) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.post("/pools/21/archive", timeout=httpx.Timeout(10.0, read=0.05))
        operation_id = archive_started_once(fake)
        assert_locked_by(client.post("/pools/21/archive"), operation_id)


def test_server_timeout_after_commit_hangs_up_once_its_delay_has_passed(
    server: FakeServer, fake: FakeToloka
) -> None:
    fake.add_fault(Fault("timeout_after_commit", pool="21", first=1, delay=0.02))
    with (
        httpx.Client(base_url=server.url, headers=auth(), timeout=30.0) as client,
        pytest.raises(httpx.RemoteProtocolError),
    ):
        client.post("/pools/21/archive")
    archive_started_once(fake)


@pytest.mark.parametrize("kind", ["truncated_202", "invalid_json_202"])
def test_server_spoiled_202_is_readable_http(
    server: FakeServer, fake: FakeToloka, kind: Any
) -> None:
    fake.add_fault(Fault(kind, pool="21", first=1))
    with httpx.Client(base_url=server.url, headers=auth()) as client:
        response = client.post("/pools/21/archive")
        assert response.status_code == 202
        assert int(response.headers["content-length"]) == len(response.content)
        with pytest.raises(json.JSONDecodeError):
            response.json()
        # The connection is still good for the next request.
        operation_id = archive_started_once(fake)
        assert_locked_by(client.post("/pools/21/archive"), operation_id)


def test_server_locked_by_other(server: FakeServer, fake: FakeToloka) -> None:
    fake.add_fault(Fault("locked_by_other", pool="21", first=1))
    with httpx.Client(base_url=server.url, headers=auth()) as client:
        response = client.post("/pools/21/archive")
    assert_locked_by(response, archive_started_once(fake))


# -- declaring them ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", NEW_KINDS)
@pytest.mark.parametrize(
    "endpoint", ["operation", "log", "operations", "pool", "assignments", "training", "trainings"]
)
def test_they_apply_to_requests_that_start_an_operation_only(kind: Any, endpoint: Any) -> None:
    with pytest.raises(
        ValueError,
        match=rf"^Fault\.endpoint: {kind} applies to the requests that start an operation only "
        r"\(endpoint archive, close, training_archive, training_close or project_archive, or "
        r"leave it out for all of them\)$",
    ):
        Fault(kind, endpoint=endpoint)
    for start in ("archive", "close", "training_archive", "training_close", "project_archive"):
        assert Fault(kind, endpoint=start).endpoint == start


@pytest.mark.parametrize("kind", [k for k in NEW_KINDS if k != "timeout_after_commit"])
def test_only_timeout_after_commit_has_a_delay(kind: Any) -> None:
    with pytest.raises(ValueError, match=r"^Fault\.delay: only a slow or a timeout_after_commit"):
        Fault(kind, delay=1.0)


def test_timeout_after_commit_delay_defaults_to_ten_seconds() -> None:
    assert Fault("timeout_after_commit").silence_seconds == 10.0
    assert Fault("timeout_after_commit", delay=0.5).silence_seconds == 0.5
    with pytest.raises(ValueError, match=r"^Fault\.delay: must be > 0, got 0$"):
        Fault("timeout_after_commit", delay=0)


def test_they_come_from_a_scenario_file(tmp_path: Path) -> None:
    path = tmp_path / "lost.toml"
    lines = ['[[requesters]]\nname = "a"\napi_keys = ["k"]\n']
    for index, kind in enumerate(NEW_KINDS, start=1):
        lines.append(f'[[pools]]\nid = "{index}"\narchive_seconds = 5.0\n')
        extra = "delay = 0.25\n" if kind == "timeout_after_commit" else ""
        lines.append(f'[[faults]]\nkind = "{kind}"\npool = "{index}"\nfirst = 1\n{extra}')
    path.write_text("\n".join(lines), encoding="utf-8")
    scenario = Scenario.load(path)
    assert [fault.kind for fault in scenario.faults] == NEW_KINDS
    assert scenario.faults[1].delay == 0.25
    fake = FakeToloka.from_scenario(scenario, clock=ManualClock())
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        for index in range(1, len(NEW_KINDS) + 1):
            lost = pytest.raises(httpx.TransportError) if index <= 2 else None
            with lost or contextlib.nullcontext():
                c.post(f"/pools/{index}/archive")
    assert [request.fault for request in fake.requests] == NEW_KINDS
    assert all(len(fake.operations(str(i))) == 1 for i in range(1, len(NEW_KINDS) + 1))


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (
            'kind = "truncated_202"\nendpoint = "log"',
            "faults[0].endpoint: truncated_202 applies to the requests that start an operation",
        ),
        (
            'kind = "drop_after_commit"\ndelay = 1.0',
            "faults[0].delay: only a slow or a timeout_after_commit fault has it",
        ),
        ('kind = "timeout_after_commit"\ndelay = -1', "faults[0].delay: must be > 0, got -1"),
        (
            'kind = "locked_by_others"',
            "faults[0].kind: unknown fault kind 'locked_by_others'; choose ",
        ),
    ],
)
def test_scenario_mistakes_name_the_field(tmp_path: Path, fault: str, message: str) -> None:
    path = tmp_path / "lost.toml"
    path.write_text(f'[[requesters]]\nname = "a"\n\n[[faults]]\n{fault}\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        Scenario.load(path)
    assert str(caught.value).startswith(f"{path}: {message}")
