"""Fault injection: each kind, its scope (pool, endpoint, first N), and seeded probability."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from toloka_archive.testing import FakeToloka, Fault, ManualClock

from tests.fake.conftest import BASE_URL, auth


def statuses(client: httpx.Client, path: str, count: int, method: str = "POST") -> list[int]:
    return [client.request(method, path).status_code for _ in range(count)]


def test_operation_fail_ends_the_operation_fail_and_keeps_the_pool_closed(
    client: httpx.Client, fake: FakeToloka, clock: ManualClock
) -> None:
    fake.add_fault(Fault("operation_fail", pool="21", first=1))
    first = client.post("/pools/21/archive")
    assert first.status_code == 202  # the request itself is fine
    clock.advance(10)
    operation = client.get(f"/operations/{first.json()['id']}").json()
    assert operation["status"] == "FAIL"
    assert fake.pool("21").status == "CLOSED"
    log = client.get(f"/operations/{first.json()['id']}/log").json()
    assert log[0]["success"] is False
    # first=1: the retry succeeds.
    second = client.post("/pools/21/archive").json()
    clock.advance(10)
    assert client.get(f"/operations/{second['id']}").json()["status"] == "SUCCESS"
    assert fake.pool("21").status == "ARCHIVED"


def test_rate_limit_fault_answers_429_with_retry_after(
    client: httpx.Client, fake: FakeToloka
) -> None:
    fake.add_fault(Fault("rate_limit", endpoint="archive", first=1, retry_after=7))
    refused = client.post("/pools/21/archive")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "7"
    assert "retry-after-ms" not in refused.headers
    assert refused.json()["code"] == "TOO_MANY_REQUESTS"
    assert client.post("/pools/21/archive").status_code == 202


def test_rate_limit_fault_defaults_and_extra_headers(
    client: httpx.Client, fake: FakeToloka
) -> None:
    fake.add_fault(Fault("rate_limit", first=1))
    fake.add_fault(Fault("rate_limit", first=1, retry_after=2, retry_after_ms=1500))
    date = "Wed, 21 Oct 2026 07:28:00 GMT"
    fake.add_fault(Fault("rate_limit", first=1, retry_after=date))
    assert client.post("/pools/21/archive").headers["retry-after"] == "1"
    second = client.post("/pools/21/archive")
    assert (second.headers["retry-after"], second.headers["retry-after-ms"]) == ("2", "1500")
    assert client.post("/pools/21/archive").headers["retry-after"] == date


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [("internal_error", 500, "INTERNAL_ERROR"), ("unavailable", 503, "REMOTE_SERVICE_UNAVAILABLE")],
)
def test_json_error_faults(
    client: httpx.Client, fake: FakeToloka, kind: Any, status: int, code: str
) -> None:
    fake.add_fault(Fault(kind, first=2))
    for _ in range(2):
        response = client.post("/pools/21/archive")
        assert response.status_code == status
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert body["code"] == code
        assert set(body) == {"request_id", "code", "message"}
    assert client.post("/pools/21/archive").status_code == 202


def test_bad_gateway_answers_html(client: httpx.Client, fake: FakeToloka) -> None:
    fake.add_fault(Fault("bad_gateway", first=1))
    response = client.get("/operations/anything")
    assert response.status_code == 502
    assert response.headers["content-type"] == "text/html"
    assert response.text.startswith("<html>")
    assert "502 Bad Gateway" in response.text


def test_disconnect_raises_like_a_server_hanging_up(client: httpx.Client, fake: FakeToloka) -> None:
    fake.add_fault(Fault("disconnect", pool="21", first=1))
    with pytest.raises(
        httpx.RemoteProtocolError, match=r"^Server disconnected without sending a response\.$"
    ):
        client.post("/pools/21/archive")
    assert fake.requests[-1].status is None
    assert fake.requests[-1].fault == "disconnect"
    assert client.post("/pools/21/archive").status_code == 202


def test_slow_calls_the_injected_sleep_then_answers(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("one", api_keys=["k"])
    fake.add_pool("1", status="ARCHIVED")
    fake.add_fault(Fault("slow", delay=2.5, first=1))
    slept: list[float] = []
    transport = fake.transport(sleep=slept.append)
    with httpx.Client(transport=transport, base_url=BASE_URL, headers=auth("k")) as client:
        assert client.post("/pools/1/archive").status_code == 204
        assert slept == [2.5]
        assert client.post("/pools/1/archive").status_code == 204
        assert slept == [2.5]
    assert fake.requests[0].delay == 2.5


def test_slow_adds_to_another_fault_and_can_advance_the_fake_clock(
    fake: FakeToloka, clock: ManualClock
) -> None:
    fake.add_fault(Fault("slow", first=1))  # default delay: 1 s
    fake.add_fault(Fault("internal_error", first=1))
    with httpx.Client(
        transport=fake.transport(sleep=clock.sleep), base_url=BASE_URL, headers=auth()
    ) as client:
        assert client.post("/pools/21/archive").status_code == 500
    assert clock.monotonic() == 1.0


def test_async_transport_slow_and_disconnect(fake: FakeToloka) -> None:
    fake.add_fault(Fault("slow", delay=0.25, first=1))
    fake.add_fault(Fault("disconnect", endpoint="operation", first=1))
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)

    async def scenario() -> None:
        async with httpx.AsyncClient(
            transport=fake.async_transport(sleep=record), base_url=BASE_URL, headers=auth()
        ) as client:
            operation = (await client.post("/pools/21/archive")).json()
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(f"/operations/{operation['id']}")
            assert (await client.get(f"/operations/{operation['id']}")).status_code == 200

    asyncio.run(scenario())
    assert slept == [0.25]


def test_faults_scoped_by_pool_match_its_operations_and_pre_flight_reads(
    client: httpx.Client, fake: FakeToloka
) -> None:
    operation_21 = client.post("/pools/21/archive").json()["id"]
    operation_25 = client.post("/pools/25/archive").json()["id"]
    fake.add_fault(Fault("internal_error", pool="21"))
    assert client.get(f"/operations/{operation_21}").status_code == 500
    assert client.get(f"/operations/{operation_21}/log").status_code == 500
    assert client.get("/pools/21").status_code == 500
    assert client.get("/assignments", params={"pool_id": "21"}).status_code == 500
    assert client.get(f"/operations/{operation_25}").status_code == 200
    assert client.post("/pools/23/archive").status_code == 409
    assert client.get("/assignments", params={"pool_id": "24"}).status_code == 200


def test_faults_scoped_by_endpoint(client: httpx.Client, fake: FakeToloka) -> None:
    operation = client.post("/pools/21/archive").json()["id"]
    fake.add_fault(Fault("unavailable", endpoint="log"))
    assert client.get(f"/operations/{operation}").status_code == 200
    assert client.get(f"/operations/{operation}/log").status_code == 503
    assert client.post("/pools/22/archive").status_code == 204


def test_global_fault_applies_to_every_request_even_unknown_paths(
    client: httpx.Client, fake: FakeToloka
) -> None:
    fake.add_fault(Fault("unavailable"))
    assert statuses(client, "/pools/22/archive", 3) == [503, 503, 503]
    assert client.get("/nowhere").status_code == 503


def test_first_counts_matching_requests_only(client: httpx.Client, fake: FakeToloka) -> None:
    fake.add_fault(Fault("internal_error", pool="22", first=2))
    assert client.post("/pools/23/archive").status_code == 409  # another pool: not counted
    assert statuses(client, "/pools/22/archive", 3) == [500, 500, 204]


def test_faults_apply_in_order_and_the_first_that_fires_decides(
    client: httpx.Client, fake: FakeToloka
) -> None:
    fake.add_fault(Fault("bad_gateway", first=1))
    fake.add_fault(Fault("internal_error", first=1))
    # The second fault did not see the first request, so it still has its one to spend.
    assert statuses(client, "/pools/22/archive", 3) == [502, 500, 204]


def run_probabilistic(seed: int) -> list[int]:
    fake = FakeToloka(clock=ManualClock(), seed=seed, rate_limit=None)
    fake.add_requester("one", api_keys=["k"])
    fake.add_pool("1", status="ARCHIVED")
    fake.add_fault(Fault("internal_error", probability=0.3))
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as client:
        return statuses(client, "/pools/1/archive", 200)


def test_probability_is_seeded_and_roughly_right() -> None:
    first = run_probabilistic(seed=1)
    assert first == run_probabilistic(seed=1)
    assert first != run_probabilistic(seed=2)
    assert 30 < first.count(500) < 90  # 0.3 of 200, with a wide margin: a shape check


def test_probability_zero_and_one(client: httpx.Client, fake: FakeToloka) -> None:
    fake.add_fault(Fault("internal_error", probability=0.0))
    assert statuses(client, "/pools/22/archive", 20) == [204] * 20
    fake.add_fault(Fault("unavailable", probability=1.0, first=3))
    assert statuses(client, "/pools/22/archive", 4) == [503, 503, 503, 204]


def test_fault_rejected_for_an_unknown_pool_or_a_wrong_type(fake: FakeToloka) -> None:
    with pytest.raises(ValueError, match=r"^add_fault\.pool: unknown pool '777'$"):
        fake.add_fault(Fault("internal_error", pool="777"))
    with pytest.raises(TypeError, match=r"^add_fault expects a Fault, got dict$"):
        fake.add_fault({"kind": "slow"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "explode"}, r"^Fault\.kind: unknown fault kind 'explode'; choose operation_fail"),
        ({"kind": "slow", "pool": "x1"}, r"^Fault\.pool: a pool id is a string of decimal digits"),
        (
            {"kind": "slow", "endpoint": "projects"},
            r"^Fault\.endpoint: unknown endpoint 'projects'",
        ),
        ({"kind": "operation_fail", "endpoint": "log"}, r"^Fault\.endpoint: operation_fail"),
        ({"kind": "slow", "first": 0}, r"^Fault\.first: must be >= 1, got 0$"),
        ({"kind": "slow", "first": 1.5}, r"^Fault\.first: expected an integer, got float 1\.5$"),
        ({"kind": "slow", "probability": 1.5}, r"^Fault\.probability: must be >= 0 and <= 1"),
        ({"kind": "slow", "probability": True}, r"^Fault\.probability: expected a number"),
        ({"kind": "slow", "delay": 0}, r"^Fault\.delay: must be > 0, got 0$"),
        ({"kind": "slow", "retry_after": 1}, r"^Fault\.retry_after: only a rate_limit fault"),
        (
            {"kind": "disconnect", "delay": 1},
            r"^Fault\.delay: only a slow or a timeout_after_commit fault has it$",
        ),
        ({"kind": "rate_limit", "retry_after": -1}, r"^Fault\.retry_after: must be >= 0"),
        ({"kind": "rate_limit", "retry_after": ""}, r"^Fault\.retry_after: expected a non-empty"),
        ({"kind": "rate_limit", "retry_after_ms": 1.5}, r"^Fault\.retry_after_ms: expected an int"),
    ],
)
def test_bad_fault_fields_are_rejected_naming_the_field(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Fault(**fields)


def test_fault_pool_may_be_given_as_an_int() -> None:
    assert Fault("slow", pool=21).pool == "21"  # type: ignore[arg-type]
