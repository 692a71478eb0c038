"""``GET /pools``: the requester's pools, filtered, sorted and paged like Toloka's list."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from toloka_archive.testing import FakeToloka, Fault, ManualClock
from toloka_archive_api import AuthenticatedClient
from toloka_archive_api.api.pool import get_pools
from toloka_archive_api.models import KnownPoolStatus, PoolPage
from toloka_archive_api.types import UNSET, Unset

from tests.fake.conftest import BASE_URL, START, auth

DAY = datetime.timedelta(days=1)


def days_ago(days: float) -> datetime.datetime:
    return START - days * DAY


@pytest.fixture
def world(clock: ManualClock) -> FakeToloka:
    """Five pools of requester "one" in two projects, whose ids sort differently as strings
    and as numbers, and one pool of requester "two"."""
    fake = FakeToloka(clock=clock, seed=5, rate_limit=None)
    fake.add_requester("one", api_keys=["k1"])
    fake.add_requester("two", api_keys=["k2"])
    fake.add_project("7", owner="one", created=days_ago(200))
    fake.add_project("8", owner="one", created=days_ago(200))
    fake.add_project("9", owner="two")
    fake.add_pool(
        "5",
        project_id="7",
        created=days_ago(10),
        last_started=days_ago(9),
        last_stopped=days_ago(8),
        archive_seconds=2.0,
    )
    fake.add_pool(
        "40", project_id="7", status="OPEN", created=days_ago(5), last_started=days_ago(1)
    )
    fake.add_pool(
        "300",
        project_id="8",
        status="ARCHIVED",
        created=days_ago(100),
        last_started=days_ago(99),
        last_stopped=days_ago(98),
    )
    fake.add_pool("1000", project_id="8", status="LOCKED", created=days_ago(2))
    fake.add_pool("21", project_id="7", created=days_ago(5))  # never started
    fake.add_pool("90", project_id="9")
    return fake


@pytest.fixture
def one(world: FakeToloka) -> Iterator[httpx.Client]:
    with httpx.Client(transport=world.transport(), base_url=BASE_URL, headers=auth("k1")) as c:
        yield c


def page(client: httpx.Client, **params: str) -> dict[str, Any]:
    response = client.get("/pools", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == {"items", "has_more"}
    return body


def ids(client: httpx.Client, **params: str) -> list[str]:
    return [item["id"] for item in page(client, **params)["items"]]


BY_ID = ["5", "21", "40", "300", "1000"]


# -- what is listed -----------------------------------------------------------------------


def test_the_list_is_the_requesters_pools_in_ascending_numeric_id_order(
    one: httpx.Client,
) -> None:
    body = page(one)
    assert [item["id"] for item in body["items"]] == BY_ID  # as strings: 1000, 21, 300, 40, 5
    assert body["has_more"] is False
    for item in body["items"]:
        assert item == one.get(f"/pools/{item['id']}").json()


def test_each_pool_says_what_toloka_says(one: httpx.Client) -> None:
    items = {item["id"]: item for item in page(one)["items"]}
    assert items["5"] == {
        "id": "5",
        "project_id": "7",
        "private_name": "Fake pool 5",
        "type": "REGULAR",
        "status": "CLOSED",
        "last_close_reason": "MANUAL",
        "created": "2026-10-22T12:00:00.000",
        "last_started": "2026-10-23T12:00:00.000",
        "last_stopped": "2026-10-24T12:00:00.000",
    }
    # An open pool was never closed; a pool never started has no last_started.
    assert "last_close_reason" not in items["40"]
    assert "last_started" not in items["21"]
    assert items["1000"]["status"] == "LOCKED"


def test_another_requester_sees_only_its_own(world: FakeToloka) -> None:
    with httpx.Client(transport=world.transport(), base_url=BASE_URL, headers=auth("k2")) as c:
        assert ids(c) == ["90"]
        assert ids(c, project_id="7") == []  # someone else's project: nothing, no error


def test_an_empty_list(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("nobody", api_keys=["k"])
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        assert page(c) == {"items": [], "has_more": False}
        assert page(c, limit="1", sort="-created") == {"items": [], "has_more": False}


def test_the_list_needs_a_key(world: FakeToloka) -> None:
    with httpx.Client(transport=world.transport(), base_url=BASE_URL) as client:
        response = client.get("/pools")
    assert response.status_code == 401
    assert response.json()["code"] == "AUTHENTICATION_ERROR"


def test_status_is_as_the_pool_is_now(
    world: FakeToloka, one: httpx.Client, clock: ManualClock
) -> None:
    assert one.post("/pools/5/archive").status_code == 202
    assert ids(one, status="CLOSED") == ["5", "21"]  # archiving, not archived yet
    clock.advance(2.0)
    assert ids(one, status="CLOSED") == ["21"]
    assert ids(one, status="ARCHIVED") == ["5", "300"]
    assert world.pool("5").status == "ARCHIVED"


# -- paging -------------------------------------------------------------------------------


def test_paging_by_id_across_several_pages(one: httpx.Client) -> None:
    seen: list[str] = []
    flags: list[bool] = []
    params = {"sort": "id", "limit": "2"}
    while True:
        body = page(one, **params)
        seen += [item["id"] for item in body["items"]]
        flags.append(body["has_more"])
        if not body["has_more"]:
            break
        params["id_gt"] = seen[-1]
    assert seen == BY_ID
    assert flags == [True, True, False]
    # Asking past the end gives an empty last page.
    assert page(one, sort="id", limit="2", id_gt="1000") == {"items": [], "has_more": False}


def test_has_more_is_false_when_the_page_holds_exactly_what_matched(one: httpx.Client) -> None:
    assert page(one, limit="5")["has_more"] is False
    assert page(one, limit="4")["has_more"] is True


@pytest.fixture
def many(clock: ManualClock) -> Iterator[httpx.Client]:
    fake = FakeToloka(clock=clock, rate_limit=None)
    fake.add_requester("one", api_keys=["k"])
    for number in range(1, 302):
        fake.add_pool(str(number))
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        yield c


def test_default_limit_is_50_and_at_most_300(many: httpx.Client) -> None:
    first = page(many)
    assert [item["id"] for item in first["items"]] == [str(n) for n in range(1, 51)]
    assert first["has_more"] is True
    largest = page(many, limit="300")
    assert (len(largest["items"]), largest["has_more"]) == (300, True)
    assert page(many, limit="300", id_gt="1")["has_more"] is False


# -- filters ------------------------------------------------------------------------------


def test_status_filter_for_every_status(one: httpx.Client) -> None:
    assert ids(one, status="OPEN") == ["40"]
    assert ids(one, status="CLOSED") == ["5", "21"]
    assert ids(one, status="ARCHIVED") == ["300"]
    assert ids(one, status="LOCKED") == ["1000"]
    assert ids(one, status="FROZEN") == []  # a status Toloka may add: nothing, no error
    assert ids(one, status="") == []


def test_project_filter(one: httpx.Client) -> None:
    assert ids(one, project_id="7") == ["5", "21", "40"]
    assert ids(one, project_id="8") == ["300", "1000"]
    assert ids(one, project_id="123") == []


def test_id_filters_compare_as_numbers(one: httpx.Client) -> None:
    assert ids(one, id_gt="21") == ["40", "300", "1000"]
    assert ids(one, id_gte="21") == ["21", "40", "300", "1000"]
    assert ids(one, id_lt="300") == ["5", "21", "40"]
    assert ids(one, id_lte="300") == ["5", "21", "40", "300"]
    assert ids(one, id_gt="5", id_lt="1000") == ["21", "40", "300"]
    assert ids(one, id_gt="0005") == ["21", "40", "300", "1000"]


def test_created_filters_by_date_time_and_by_date(one: httpx.Client) -> None:
    assert ids(one, created_gte="2026-10-27") == ["21", "40", "1000"]  # 5 days ago and later
    assert ids(one, created_gt="2026-10-27T12:00:00") == ["1000"]
    assert ids(one, created_gte="2026-10-27T12:00:00.000") == ["21", "40", "1000"]
    assert ids(one, created_lt="2026-10-27T12:00:00") == ["5", "300"]
    assert ids(one, created_lte="2026-07-24T12:00:00") == ["300"]  # 100 days ago
    assert ids(one, created_gt="2099-01-01") == []


def test_last_started_filters_skip_pools_never_started(one: httpx.Client) -> None:
    assert ids(one, last_started_gt="2000-01-01") == ["5", "40", "300"]  # not 21 nor 1000
    assert ids(one, last_started_lt="2099-01-01") == ["5", "40", "300"]
    assert ids(one, last_started_gte="2026-10-31T12:00:00") == ["40"]
    assert ids(one, last_started_lte="2026-10-23T12:00:00") == ["5", "300"]


def test_filters_combine(one: httpx.Client) -> None:
    assert ids(one, project_id="7", status="CLOSED") == ["5", "21"]
    assert ids(one, project_id="7", status="CLOSED", last_started_gt="2000-01-01") == ["5"]
    assert ids(one, project_id="7", created_gte="2026-10-27", id_gt="21") == ["40"]
    assert ids(one, project_id="8", status="OPEN") == []
    combined = page(one, project_id="7", sort="-created", limit="1", id_lt="40")
    assert ([item["id"] for item in combined["items"]], combined["has_more"]) == (["21"], True)


def test_unknown_parameters_are_ignored(one: httpx.Client) -> None:
    assert ids(one, owner="someone", colour="blue") == BY_ID


# -- sorting ------------------------------------------------------------------------------


def test_sort_by_each_key_both_ways(one: httpx.Client) -> None:
    assert ids(one, sort="id") == BY_ID
    assert ids(one, sort="-id") == BY_ID[::-1]
    # 21 and 40 were created together: ties come in ascending id order, both ways.
    assert ids(one, sort="created") == ["300", "5", "21", "40", "1000"]
    assert ids(one, sort="-created") == ["1000", "21", "40", "5", "300"]
    # Pools never started (21, 1000) sort after every started one, first when descending.
    assert ids(one, sort="last_started") == ["300", "5", "40", "21", "1000"]
    assert ids(one, sort="-last_started") == ["21", "1000", "40", "5", "300"]


def test_sort_keys_combine(one: httpx.Client) -> None:
    assert ids(one, sort="created,-id") == ["300", "5", "40", "21", "1000"]
    assert ids(one, sort="-created,-id") == ["1000", "40", "21", "5", "300"]
    assert ids(one, sort="-last_started,-id") == ["1000", "21", "40", "5", "300"]


# -- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "301"}, "limit"),
        ({"limit": "x"}, "limit"),
        ({"limit": ""}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"sort": "cost"}, "sort"),
        ({"sort": "submitted"}, "sort"),
        ({"sort": "+id"}, "sort"),
        ({"sort": ""}, "sort"),
        ({"sort": "-created,-id,"}, "sort"),
        ({"project_id": "x"}, "project_id"),
        ({"project_id": ""}, "project_id"),
        ({"project_id": "-7"}, "project_id"),
        ({"id_gt": "abc"}, "id_gt"),
        ({"id_gte": ""}, "id_gte"),
        ({"id_lt": "1.5"}, "id_lt"),
        ({"id_lte": "١٢"}, "id_lte"),
        ({"created_gt": "yesterday"}, "created_gt"),
        ({"created_gte": "2026-11-01T12:00:00Z"}, "created_gte"),
        ({"created_lt": "2026-13-01"}, "created_lt"),
        ({"created_lte": ""}, "created_lte"),
        ({"last_started_gt": "2026-11-01 12:00:00"}, "last_started_gt"),
        ({"last_started_gte": "2026-11-01T12:00:00+03:00"}, "last_started_gte"),
        ({"last_started_lt": "1700000000"}, "last_started_lt"),
        ({"last_started_lte": "2026-11-01T25:00:00"}, "last_started_lte"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(
    one: httpx.Client, params: dict[str, str], field: str
) -> None:
    response = one.get("/pools", params=params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"request_id", "code", "message", "payload"}
    assert body["code"] == "VALIDATION_ERROR"
    assert list(body["payload"]) == [field]
    assert body["payload"][field]["code"] == "VALUE_INVALID"


def test_a_fault_can_target_the_list(world: FakeToloka, one: httpx.Client) -> None:
    world.add_fault(Fault("internal_error", endpoint="pools", first=1))
    assert one.get("/pools").status_code == 500
    assert one.get("/pools").status_code == 200
    assert one.get("/pools/5").status_code == 200


def test_wrong_method_on_the_list_answers_405(one: httpx.Client) -> None:
    response = one.post("/pools")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


# -- the generated client reads the fake's list -------------------------------------------


def test_the_generated_client_pages_through_a_project(world: FakeToloka) -> None:
    client = AuthenticatedClient(
        base_url=BASE_URL, token="k1", prefix="ApiKey", httpx_args={"transport": world.transport()}
    )
    seen: list[str] = []
    after: str | Unset = UNSET
    while True:
        result = get_pools.sync(client=client, project_id="7", sort="id", limit=1, id_gt=after)
        assert isinstance(result, PoolPage)
        seen += [pool.id for pool in result.items]
        assert all(pool.project_id == "7" for pool in result.items)
        if not result.has_more:
            break
        after = seen[-1]
    assert seen == ["5", "21", "40"]
    locked = get_pools.sync(client=client, status=KnownPoolStatus.LOCKED)
    assert isinstance(locked, PoolPage)
    (pool,) = locked.items
    assert (pool.id, pool.status, pool.created) == (
        "1000",
        KnownPoolStatus.LOCKED,
        "2026-10-30T12:00:00.000",
    )
    assert pool.type_ == "REGULAR"
    newest = get_pools.sync(client=client, sort="-last_started", last_started_gte="2026-10-01")
    assert isinstance(newest, PoolPage)
    assert [pool.id for pool in newest.items] == ["40", "5"]
