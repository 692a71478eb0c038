"""Every documented behaviour of the fake, via the in-process transport, on a hand-moved clock."""

from __future__ import annotations

import datetime
import re
from typing import Any

import httpx
import pytest
from toloka_archive.testing import FakeToloka, ManualClock
from toloka_archive.testing._world.ratelimit import RateLimiter

from tests.fake.conftest import BASE_URL, OTHER_KEY, START, TOKEN, auth

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
OPERATION_ID = re.compile(r"^[0-9a-f]{24}$")  # the shape of Toloka's, e.g. 57068577e4b0bf7b07a0256f


def error_of(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert UUID.match(body["request_id"])
    assert body["message"]
    return body


def archive(client: httpx.Client, pool_id: str) -> httpx.Response:
    return client.post(f"/pools/{pool_id}/archive")


# -- archiving ----------------------------------------------------------------------------


def test_archive_closed_pool_answers_202_with_a_pending_operation(client: httpx.Client) -> None:
    response = archive(client, "21")
    assert response.status_code == 202
    assert response.headers["content-type"] == "application/json"
    operation = response.json()
    assert OPERATION_ID.match(operation["id"])
    assert operation == {
        "id": operation["id"],
        "type": "POOL.ARCHIVE",
        "status": "PENDING",
        "submitted": "2026-11-01T12:00:00.000",
        "progress": 0,
        "parameters": {"pool_id": "21"},
        "details": {},
    }


def test_operation_runs_progresses_and_succeeds_and_the_pool_is_archived(
    client: httpx.Client, fake: FakeToloka, clock: ManualClock
) -> None:
    operation_id = archive(client, "21").json()["id"]

    def poll() -> dict[str, Any]:
        response = client.get(f"/operations/{operation_id}")
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body

    clock.advance(0.5)  # archive_seconds is 10: PENDING for the first second
    assert poll()["status"] == "PENDING"
    assert fake.pool("21").status == "CLOSED"

    clock.advance(1.0)
    running = poll()
    assert running["status"] == "RUNNING"
    assert running["started"] == "2026-11-01T12:00:01.000"
    assert "finished" not in running
    first_progress = running["progress"]

    clock.advance(4.0)
    later = poll()
    assert later["status"] == "RUNNING"
    assert first_progress < later["progress"] < 100
    assert fake.pool("21").status == "CLOSED"

    clock.advance(4.5)  # 10.0 s after submission
    done = poll()
    assert done["status"] == "SUCCESS"
    assert done["progress"] == 100
    assert done["finished"] == "2026-11-01T12:00:10.000"
    assert all(TIMESTAMP.match(done[key]) for key in ("submitted", "started", "finished"))
    assert fake.pool("21").status == "ARCHIVED"
    assert fake.operation(operation_id).status == "SUCCESS"

    log = client.get(f"/operations/{operation_id}/log")
    assert log.status_code == 200
    assert log.json() == []


def test_pool_becomes_archived_when_read_after_the_operation_ends_even_unpolled(
    client: httpx.Client, fake: FakeToloka, clock: ManualClock
) -> None:
    archive(client, "21")
    clock.advance(60)
    assert archive(client, "21").status_code == 204
    assert fake.pool("21").status == "ARCHIVED"


def test_progress_grows_linearly_while_running(
    client: httpx.Client, fake: FakeToloka, clock: ManualClock
) -> None:
    operation_id = archive(client, "21").json()["id"]
    seen = []
    for _ in range(9):
        clock.advance(1.0)
        seen.append(fake.operation(operation_id).progress)
    assert seen == sorted(seen)
    assert seen[0] == 0  # RUNNING has just begun at 1.0 s
    assert seen[-1] == 88  # 8 of the 9 running seconds


def test_archived_pool_answers_204_with_an_empty_body(client: httpx.Client) -> None:
    response = archive(client, "22")
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers


def test_open_pool_answers_409_inappropriate_status(client: httpx.Client) -> None:
    body = error_of(archive(client, "23"), 409, "INAPPROPRIATE_STATUS")
    assert body["payload"] == {"appropriate_statuses": ["CLOSED"]}
    assert body["message"] == (
        "This or related resource is in inappropriate status, operation is not allowed"
    )


def test_recent_rejection_answers_409_with_when_it_becomes_archivable(
    client: httpx.Client, clock: ManualClock
) -> None:
    body = error_of(archive(client, "24"), 409, "THERE_IS_REJECTED_ASSIGNMENT")
    assert body["payload"] == {
        "last_rejected": "2026-10-30T12:00:00.000",
        "archivable_from": "2026-11-08T12:00:00.000",
    }
    clock.advance(datetime.timedelta(days=7).total_seconds() - 1)
    error_of(archive(client, "24"), 409, "THERE_IS_REJECTED_ASSIGNMENT")
    clock.advance(1)  # exactly 9 days after the rejection
    assert archive(client, "24").status_code == 202


def test_pool_with_an_operation_in_progress_answers_409_locked(
    client: httpx.Client, clock: ManualClock
) -> None:
    operation_id = archive(client, "21").json()["id"]
    body = error_of(archive(client, "21"), 409, "POOL_LOCKED_BY_ANOTHER_OPERATION")
    assert body["payload"] == {"operation_id": operation_id}
    clock.advance(2)  # RUNNING now: still locked
    error_of(archive(client, "21"), 409, "POOL_LOCKED_BY_ANOTHER_OPERATION")


def test_failing_pool_ends_fail_stays_closed_and_the_log_says_why(
    client: httpx.Client, fake: FakeToloka, clock: ManualClock
) -> None:
    operation_id = archive(client, "25").json()["id"]
    clock.advance(4.0)
    operation = client.get(f"/operations/{operation_id}").json()
    assert operation["status"] == "FAIL"
    assert operation["finished"] == "2026-11-01T12:00:04.000"
    assert fake.pool("25").status == "CLOSED"
    log = client.get(f"/operations/{operation_id}/log").json()
    assert len(log) == 1
    (item,) = log
    assert item["type"] == "POOL_ARCHIVE"
    assert item["success"] is False
    assert item["input"] == {"pool_id": "25"}
    assert set(item["output"]) == {"code", "message"}
    # Not locked any more: archiving again starts a new operation (which fails again).
    assert archive(client, "25").status_code == 202


def test_unknown_pool_answers_404(client: httpx.Client) -> None:
    error_of(archive(client, "404404"), 404, "DOES_NOT_EXIST")


@pytest.mark.parametrize("pool_id", ["abc", "12a", "-1", "%C2%B2", "1.5"])
def test_pool_id_that_is_not_a_number_answers_400(client: httpx.Client, pool_id: str) -> None:
    body = error_of(archive(client, pool_id), 400, "VALIDATION_ERROR")
    assert "pool_id" in body["payload"]


# -- authentication and access ------------------------------------------------------------


def test_missing_authorization_answers_401(fake: FakeToloka) -> None:
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL) as anonymous:
        error_of(anonymous.post("/pools/21/archive"), 401, "AUTHENTICATION_ERROR")
        error_of(anonymous.get("/operations/x"), 401, "AUTHENTICATION_ERROR")


@pytest.mark.parametrize(
    "header",
    [
        "ApiKey not-a-key",
        "OAuth not-a-token",
        f"Bearer {TOKEN}",
        f"OAuth {OTHER_KEY}",  # an API key under the OAuth scheme is not accepted
        "ApiKey",
        "",
    ],
)
def test_unknown_credentials_answer_401_and_are_never_echoed(fake: FakeToloka, header: str) -> None:
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL) as client:
        response = client.post("/pools/21/archive", headers={"Authorization": header})
    error_of(response, 401, "AUTHENTICATION_ERROR")
    secret = header.partition(" ")[2]
    assert not secret or secret.encode() not in response.content


def test_oauth_token_is_accepted(fake: FakeToloka) -> None:
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL) as client:
        assert client.post("/pools/21/archive", headers=auth(TOKEN, "OAuth")).status_code == 202


def test_another_requesters_pool_answers_403(client: httpx.Client) -> None:
    error_of(archive(client, "90"), 403, "ACCESS_DENIED")


def test_another_requesters_operation_answers_403(fake: FakeToloka) -> None:
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL) as client:
        operation_id = client.post("/pools/21/archive", headers=auth()).json()["id"]
        for path in (f"/operations/{operation_id}", f"/operations/{operation_id}/log"):
            error_of(client.get(path, headers=auth(OTHER_KEY)), 403, "ACCESS_DENIED")


# -- operations ---------------------------------------------------------------------------


def test_unknown_operation_answers_404(client: httpx.Client) -> None:
    error_of(client.get("/operations/no-such-operation"), 404, "DOES_NOT_EXIST")
    error_of(client.get("/operations/no-such-operation/log"), 404, "DOES_NOT_EXIST")


def test_each_archive_makes_a_new_operation_id(client: httpx.Client, fake: FakeToloka) -> None:
    first = archive(client, "21").json()["id"]
    second = archive(client, "25").json()["id"]
    assert first != second
    assert fake.pool("21").operations == (first,)
    assert fake.operation(second).pool_id == "25"


def test_zero_second_archive_is_done_at_once(client: httpx.Client, fake: FakeToloka) -> None:
    fake.add_pool("30", archive_seconds=0.0, owner="one")
    operation = archive(client, "30").json()
    assert operation["status"] == "SUCCESS"
    assert fake.pool("30").status == "ARCHIVED"


# -- the pre-flight reads -----------------------------------------------------------------


def test_get_pool_answers_its_current_status(client: httpx.Client, clock: ManualClock) -> None:
    assert client.get("/pools/23").json()["status"] == "OPEN"
    pool = client.get("/pools/21").json()
    assert (pool["id"], pool["status"]) == ("21", "CLOSED")
    archive(client, "21")
    clock.advance(10)
    assert client.get("/pools/21").json()["status"] == "ARCHIVED"


def test_get_pool_errors(client: httpx.Client) -> None:
    error_of(client.get("/pools/abc"), 400, "VALIDATION_ERROR")
    error_of(client.get("/pools/404404"), 404, "DOES_NOT_EXIST")
    error_of(client.get("/pools/90"), 403, "ACCESS_DENIED")


def test_assignments_list_the_last_rejection_of_a_pool(client: httpx.Client) -> None:
    query = {"pool_id": "24", "status": "REJECTED", "sort": "-rejected", "limit": "1"}
    page = client.get("/assignments", params=query).json()
    assert page["has_more"] is False
    (item,) = page["items"]
    assert (item["pool_id"], item["status"]) == ("24", "REJECTED")
    assert item["rejected"] == "2026-10-30T12:00:00.000"
    assert client.get("/assignments", params=query).json() == page  # stable ids

    query["pool_id"] = "21"  # never rejected anything
    assert client.get("/assignments", params=query).json() == {"items": [], "has_more": False}
    query["pool_id"] = "90"  # someone else's: filtered out, not an error
    assert client.get("/assignments", params=query).json()["items"] == []


def test_assignments_filters_sort_and_limit(client: httpx.Client, fake: FakeToloka) -> None:
    fake.add_pool("31", owner="one", last_rejected=START - datetime.timedelta(days=1))
    query = {"pool_id": "31", "sort": "-rejected,id", "limit": "1"}
    page = client.get("/assignments", params=query).json()
    assert ([item["pool_id"] for item in page["items"]], page["has_more"]) == (["31"], False)
    accepted = client.get("/assignments", params={"pool_id": "31", "status": "ACCEPTED"}).json()
    assert accepted["items"] == []
    either = client.get("/assignments", params={"pool_id": "31", "status": "ACCEPTED,REJECTED"})
    assert [item["pool_id"] for item in either.json()["items"]] == ["31"]


@pytest.mark.parametrize(
    "query",
    [
        {},  # Toloka needs a pool (or a task, or a task suite); the fake knows only pools
        {"pool_id": ""},
        {"pool_id": "x"},
        {"pool_id": "24", "limit": "0"},
        {"pool_id": "24", "limit": "301"},
        {"pool_id": "24", "limit": "x"},
        {"pool_id": "24", "sort": "cost"},
        {"pool_id": "24", "sort": ""},
        {"pool_id": "24", "sort": "-rejected,"},
    ],
)
def test_assignments_reject_bad_parameters(client: httpx.Client, query: dict[str, str]) -> None:
    error_of(client.get("/assignments", params=query), 400, "VALIDATION_ERROR")


# -- routing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/pools/21/archive/now",
        "/projects/1/archive/now",
        "/operations/",
        "/nothing",
        "/operations/x/y/z",
    ],
)
def test_unknown_path_answers_404_json(client: httpx.Client, path: str) -> None:
    error_of(client.get(path), 404, "DOES_NOT_EXIST")


def test_a_path_outside_the_api_reaches_the_web_site_not_the_api(fake: FakeToloka) -> None:
    # A client given the host root instead of the API root meets an HTML page, not an error
    # body of Toloka's: that is how the facade tells a wrong base URL from a missing pool.
    with httpx.Client(transport=fake.transport(), base_url="http://fake.toloka") as client:
        for path in ("/api/v2/pools/21", "/pools/21/archive"):
            response = client.post(path, headers=auth())
            assert response.status_code == 404
            assert response.headers["content-type"] == "text/html"
            assert b"Not Found" in response.content


def test_an_unknown_path_inside_the_api_answers_tolokas_404(fake: FakeToloka) -> None:
    with httpx.Client(transport=fake.transport(), base_url="http://fake.toloka") as client:
        error_of(client.get("/api/v1/nothing/here", headers=auth()), 404, "DOES_NOT_EXIST")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/pools/21/archive", "POST"),
        ("POST", "/operations/x", "GET"),
        ("POST", "/operations", "GET"),
        ("PUT", "/pools/1", "GET"),
    ],
)
def test_wrong_method_answers_405_json(
    client: httpx.Client, method: str, path: str, allowed: str
) -> None:
    response = client.request(method, path)
    error_of(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == allowed


def test_query_string_is_ignored_where_no_parameter_is_read(client: httpx.Client) -> None:
    assert client.post("/pools/21/archive", params={"x": "1"}).status_code == 202


# -- rate limit ---------------------------------------------------------------------------


def test_more_than_the_rate_limit_in_a_second_answers_429_with_retry_after(
    clock: ManualClock,
) -> None:
    fake = FakeToloka(clock=clock, rate_limit=5)
    fake.add_requester("one", api_keys=["k"])
    fake.add_pool("1", status="ARCHIVED")
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as client:
        statuses = [client.post("/pools/1/archive").status_code for _ in range(5)]
        assert statuses == [204] * 5
        refused = client.post("/pools/1/archive")
        body = error_of(refused, 429, "TOO_MANY_REQUESTS")
        assert body["payload"] == {"interval": "SEC", "limit": 5}
        assert body["message"] == "Too many requests: more than 5 a second"
        # A whole second until the first five leave the window; whole seconds, rounded up.
        assert refused.headers["retry-after"] == "1"
        assert "retry-after-ms" not in refused.headers
        clock.advance(0.999)
        late = client.post("/pools/1/archive")
        assert late.status_code == 429
        assert late.headers["retry-after"] == "1"  # 1 ms to go: still at least a second
        clock.advance(0.001)  # the first five are a full second old now
        assert client.post("/pools/1/archive").status_code == 204


def test_retry_after_counts_from_the_oldest_request_in_the_window() -> None:
    limiter = RateLimiter(3)
    for moment in (10.0, 10.4, 10.9):
        assert limiter.admit(moment)
    assert not limiter.admit(10.95)
    assert limiter.wait(10.95) == pytest.approx(0.05)  # 10.0 leaves at 11.0
    assert limiter.retry_after(10.95) == 1
    assert limiter.wait(11.0) == 0.0  # it has left: one request may come in
    assert limiter.admit(11.0)
    assert limiter.wait(11.1) == pytest.approx(0.3)  # now 10.4 is the oldest
    # More admitted than a lowered limit allows: all three must leave, the last at 12.0.
    limiter.limit = 1
    assert limiter.wait(11.1) == pytest.approx(0.9)
    assert RateLimiter(None).wait(0.0) == 0.0


def test_default_rate_limit_is_300_and_none_disables_it(clock: ManualClock) -> None:
    for limit, expected in ((300, 300), (None, 400)):
        fake = FakeToloka(clock=clock, rate_limit=limit)
        fake.add_requester("one", api_keys=["k"])
        fake.add_pool("1", status="ARCHIVED")
        with httpx.Client(
            transport=fake.transport(), base_url=BASE_URL, headers=auth("k")
        ) as client:
            statuses = [client.post("/pools/1/archive").status_code for _ in range(400)]
        assert statuses.count(204) == expected
    assert FakeToloka().rate_limit == 300


# -- inspection ---------------------------------------------------------------------------


def test_requests_are_recorded_without_credentials(client: httpx.Client, fake: FakeToloka) -> None:
    archive(client, "21")
    archive(client, "23")
    assert fake.request_count == 2
    recorded = fake.requests
    assert [(r.method, r.path, r.status) for r in recorded] == [
        ("POST", "/api/v1/pools/21/archive", 202),
        ("POST", "/api/v1/pools/23/archive", 409),
    ]
    assert "key-one" not in repr(recorded)


def test_unknown_pool_or_operation_raises_key_error(fake: FakeToloka) -> None:
    with pytest.raises(KeyError):
        fake.pool("404")
    with pytest.raises(KeyError):
        fake.operation("404")
