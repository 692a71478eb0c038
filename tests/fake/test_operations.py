"""``GET /operations``: the fake keeps every operation and lists them like Toloka, and tests can
look at them directly with ``fake.operations()``."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from toloka_archive.testing import FakeToloka, Fault, ManualClock
from toloka_archive_api import AuthenticatedClient
from toloka_archive_api.api.operation import get_operations
from toloka_archive_api.models import KnownOperationStatus, KnownOperationType, OperationPage
from toloka_archive_api.types import UNSET, Unset

from tests.fake.conftest import BASE_URL, OTHER_KEY, START, auth

OPERATION_ID = re.compile(r"^[0-9a-f]{24}$")


def page(client: httpx.Client, **params: str) -> dict[str, Any]:
    response = client.get("/operations", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"items", "has_more"}
    return body


def ids(client: httpx.Client, **params: str) -> list[str]:
    return [item["id"] for item in page(client, **params)["items"]]


def start(client: httpx.Client, pool_id: str) -> str:
    response = client.post(f"/pools/{pool_id}/archive")
    assert response.status_code == 202, response.text
    operation_id: str = response.json()["id"]
    return operation_id


@pytest.fixture
def busy(clock: ManualClock) -> FakeToloka:
    """One requester with a pool that can be archived again and again: every archive of pool 1
    fails at once (zero seconds), so the pool stays CLOSED and unlocked."""
    fake = FakeToloka(clock=clock, seed=3, rate_limit=None)
    fake.add_requester("one", api_keys=["k"])
    fake.add_pool("1", archive_seconds=0.0, fail=True)
    return fake


@pytest.fixture
def busy_client(busy: FakeToloka) -> Iterator[httpx.Client]:
    with httpx.Client(transport=busy.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        yield c


# -- what is kept, and who sees it ------------------------------------------------------------


def test_an_empty_list(client: httpx.Client) -> None:
    assert page(client) == {"items": [], "has_more": False}


def test_every_operation_is_kept_and_listed_as_get_operation_shows_it(
    client: httpx.Client, fake: FakeToloka, clock: ManualClock
) -> None:
    first = start(client, "21")
    second = start(client, "25")
    clock.advance(4.0)  # 25 has failed; 21 is still running
    listed = page(client)["items"]
    assert [item["id"] for item in listed] == [first, second]
    for item in listed:
        assert item == client.get(f"/operations/{item['id']}").json()
    assert [item["status"] for item in listed] == ["RUNNING", "FAIL"]
    clock.advance(10.0)
    assert [item["status"] for item in page(client)["items"]] == ["SUCCESS", "FAIL"]
    assert [op.id for op in fake.operations()] == [first, second]


def test_only_the_requester_who_owns_the_pool_sees_its_operations(fake: FakeToloka) -> None:
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL) as client:
        mine = client.post("/pools/21/archive", headers=auth()).json()["id"]
        theirs = client.post("/pools/90/archive", headers=auth(OTHER_KEY)).json()["id"]
        assert ids_of(client.get("/operations", headers=auth())) == [mine]
        assert ids_of(client.get("/operations", headers=auth(OTHER_KEY))) == [theirs]


def ids_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_the_list_needs_a_key(fake: FakeToloka) -> None:
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL) as client:
        response = client.get("/operations")
    assert response.status_code == 401
    assert response.json()["code"] == "AUTHENTICATION_ERROR"


# -- ids --------------------------------------------------------------------------------------


def test_ids_are_opaque_hex_and_sort_in_the_order_operations_were_made(
    busy: FakeToloka, busy_client: httpx.Client
) -> None:
    made = [start(busy_client, "1") for _ in range(300)]  # past 0xff: fixed width matters
    assert all(OPERATION_ID.match(operation_id) for operation_id in made)
    assert sorted(made) == made
    assert len(set(made)) == 300
    assert [op.id for op in busy.operations("1")] == made


def test_ids_come_from_the_seed() -> None:
    def made(seed: int) -> list[str]:
        fake = FakeToloka(clock=ManualClock(), seed=seed)
        fake.add_requester("one", api_keys=["k"])
        fake.add_pool("1", archive_seconds=0.0, fail=True)
        with httpx.Client(
            transport=fake.transport(), base_url=BASE_URL, headers=auth("k")
        ) as client:
            return [start(client, "1") for _ in range(3)]

    assert made(1) == made(1)
    assert made(1) != made(2)
    assert sorted(made(2)) == made(2)


# -- paging and limit -------------------------------------------------------------------------


def test_default_limit_is_50_and_has_more_says_there_is_more(
    busy_client: httpx.Client,
) -> None:
    made = [start(busy_client, "1") for _ in range(51)]
    first = page(busy_client)
    assert [item["id"] for item in first["items"]] == made[:50]
    assert first["has_more"] is True
    exact = page(busy_client, limit="51")
    assert (len(exact["items"]), exact["has_more"]) == (51, False)


def test_paging_by_id_continues_exactly_where_the_last_page_stopped(
    busy_client: httpx.Client,
) -> None:
    made = [start(busy_client, "1") for _ in range(23)]
    seen: list[str] = []
    pages = 0
    params = {"sort": "id", "limit": "5"}
    while True:
        body = page(busy_client, **params)
        pages += 1
        seen += [item["id"] for item in body["items"]]
        if not body["has_more"]:
            break
        params["id_gt"] = seen[-1]
    assert seen == made
    assert pages == 5


def test_limit_up_to_300(busy_client: httpx.Client) -> None:
    made = [start(busy_client, "1") for _ in range(301)]
    body = page(busy_client, limit="300")
    assert [item["id"] for item in body["items"]] == made[:300]
    assert body["has_more"] is True
    assert ids(busy_client, limit="1") == made[:1]


# -- filters ----------------------------------------------------------------------------------


@pytest.fixture
def four(fake: FakeToloka, client: httpx.Client, clock: ManualClock) -> dict[str, str]:
    """Four operations, one in each status at the end of the fixture (12:00:10)."""
    fake.add_pool("31", owner="one", archive_seconds=100.0)  # PENDING at the end
    fake.add_pool("32", owner="one", archive_seconds=5.0)  # SUCCESS at 12:00:07
    made = {"FAIL": start(client, "25")}  # 12:00:00, fails at 12:00:04
    clock.advance(2.0)
    made["SUCCESS"] = start(client, "32")  # 12:00:02
    clock.advance(1.0)
    made["RUNNING"] = start(client, "21")  # 12:00:03, runs from 12:00:04 to 12:00:13
    clock.advance(7.0)
    made["PENDING"] = start(client, "31")  # 12:00:10
    return made


def test_status_is_as_it_is_now(
    client: httpx.Client, four: dict[str, str], clock: ManualClock
) -> None:
    for status, operation_id in four.items():
        assert ids(client, status=status) == [operation_id], status
    clock.advance(3.0)  # 21 has succeeded too
    assert ids(client, status="SUCCESS") == [four["SUCCESS"], four["RUNNING"]]
    assert ids(client, status="RUNNING") == []


def test_unknown_status_or_type_matches_nothing_and_is_no_error(
    client: httpx.Client, four: dict[str, str]
) -> None:
    assert ids(client, status="PAUSED") == []
    assert ids(client, status="") == []
    assert ids(client, type="POOL.TELEPORT") == []
    assert ids(client, type="POOL.CLOSE") == []
    assert ids(client, type="POOL.ARCHIVE") == sorted(four.values())


def test_id_filters(busy_client: httpx.Client) -> None:
    a, b, c, d = (start(busy_client, "1") for _ in range(4))
    assert ids(busy_client, id_gt=b) == [c, d]
    assert ids(busy_client, id_gte=b) == [b, c, d]
    assert ids(busy_client, id_lt=c) == [a, b]
    assert ids(busy_client, id_lte=c) == [a, b, c]
    assert ids(busy_client, id_gt=a, id_lt=d) == [b, c]


def test_submitted_filters_by_date_time_and_by_date(
    client: httpx.Client, four: dict[str, str]
) -> None:
    assert ids(client, submitted_gt="2026-11-01T12:00:02") == [four["RUNNING"], four["PENDING"]]
    assert ids(client, submitted_gte="2026-11-01T12:00:02.000") == sorted(
        [four["SUCCESS"], four["RUNNING"], four["PENDING"]]
    )
    assert ids(client, submitted_lt="2026-11-01T12:00:02.5") == [four["FAIL"], four["SUCCESS"]]
    assert ids(client, submitted_lte="2026-11-01T12:00:00") == [four["FAIL"]]
    assert ids(client, submitted_gte="2026-11-01") == sorted(four.values())
    assert ids(client, submitted_gte="2026-11-02") == []
    assert ids(client, submitted_lt="2026-11-02") == sorted(four.values())


def test_moments_compare_as_the_operation_reports_them_to_the_millisecond(
    fake: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    clock.advance(0.0004567)  # the fake's own time has microseconds...
    operation_id = start(client, "21")
    reported = client.get(f"/operations/{operation_id}").json()["submitted"]
    assert reported == "2026-11-01T12:00:00.000"  # ...but it reports milliseconds
    assert ids(client, submitted_lte=reported) == [operation_id]
    assert ids(client, submitted_gte=reported) == [operation_id]
    assert ids(client, submitted_gt=reported) == []
    assert ids(client, submitted_gt="2026-11-01T11:59:59.9999999") == [operation_id]


def test_finished_filters_skip_operations_that_have_not_finished(
    client: httpx.Client, four: dict[str, str]
) -> None:
    finished = [four["FAIL"], four["SUCCESS"]]  # at 12:00:04 and 12:00:07
    assert ids(client, finished_lt="2099-01-01") == finished
    assert ids(client, finished_gt="2000-01-01") == finished
    assert ids(client, finished_gte="2026-11-01T12:00:04") == finished
    assert ids(client, finished_gt="2026-11-01T12:00:04") == [four["SUCCESS"]]
    assert ids(client, finished_lte="2026-11-01T12:00:04.000") == [four["FAIL"]]


def test_filters_combine(client: httpx.Client, four: dict[str, str]) -> None:
    assert ids(client, status="SUCCESS", submitted_gte="2026-11-01T12:00:01") == [four["SUCCESS"]]
    assert ids(client, status="SUCCESS", submitted_gte="2026-11-01T12:00:03") == []


def test_unknown_parameters_are_ignored(client: httpx.Client, four: dict[str, str]) -> None:
    assert ids(client, pool_id="21", colour="blue") == sorted(four.values())


# -- sorting ----------------------------------------------------------------------------------


def test_sort_by_each_key_and_descending(client: httpx.Client, four: dict[str, str]) -> None:
    by_creation = [four[status] for status in ("FAIL", "SUCCESS", "RUNNING", "PENDING")]
    assert ids(client) == by_creation
    assert ids(client, sort="id") == by_creation
    assert ids(client, sort="-id") == by_creation[::-1]
    assert ids(client, sort="submitted") == by_creation
    assert ids(client, sort="-submitted") == by_creation[::-1]
    # Unfinished ones sort as finishing after every finished one.
    assert ids(client, sort="finished") == [
        four["FAIL"],
        four["SUCCESS"],
        four["RUNNING"],
        four["PENDING"],
    ]
    assert ids(client, sort="-finished") == [
        four["RUNNING"],
        four["PENDING"],
        four["SUCCESS"],
        four["FAIL"],
    ]


def test_ties_are_broken_by_ascending_id_and_keys_combine(
    fake: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    for pool_id in ("31", "32", "33"):
        fake.add_pool(pool_id, owner="one", archive_seconds=1.0)
    a = start(client, "31")
    clock.advance(1.0)  # a finishes now, at 12:00:01
    b, c = start(client, "32"), start(client, "33")  # both submitted at 12:00:01
    clock.advance(1.0)  # b and c finish together at 12:00:02
    assert ids(client, sort="-submitted") == [b, c, a]
    assert ids(client, sort="-finished") == [b, c, a]
    assert ids(client, sort="-submitted,-id") == [c, b, a]
    assert ids(client, sort="finished,-id") == [a, c, b]
    assert ids(client, sort="-finished,submitted,-id") == [c, b, a]


# -- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "created"}, "sort"),
        ({"sort": "id,-created"}, "sort"),
        ({"sort": "+id"}, "sort"),
        ({"sort": ""}, "sort"),
        ({"sort": "id,"}, "sort"),
        ({"sort": "-finished,,id"}, "sort"),
        ({"limit": "0"}, "limit"),
        ({"limit": "301"}, "limit"),
        ({"limit": "x"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"limit": ""}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"submitted_gt": "yesterday"}, "submitted_gt"),
        ({"submitted_gte": "2026-13-01"}, "submitted_gte"),
        ({"submitted_lt": "2026-11-01T25:00:00"}, "submitted_lt"),
        ({"submitted_lte": "2026-11-01T12:00:00Z"}, "submitted_lte"),
        ({"finished_gt": "2026-11-01T12:00:00+03:00"}, "finished_gt"),
        ({"finished_gte": "2026-11-01 12:00:00"}, "finished_gte"),
        ({"finished_lt": "1700000000"}, "finished_lt"),
        ({"finished_lte": ""}, "finished_lte"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(
    client: httpx.Client, params: dict[str, str], field: str
) -> None:
    response = client.get("/operations", params=params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"request_id", "code", "message", "payload"}
    assert body["code"] == "VALIDATION_ERROR"
    assert list(body["payload"]) == [field]
    assert body["payload"][field]["code"] == "VALUE_INVALID"


def test_a_fault_can_target_the_list(client: httpx.Client, fake: FakeToloka) -> None:
    fake.add_fault(Fault("unavailable", endpoint="operations", first=1))
    assert client.get("/operations").status_code == 503
    assert client.get("/operations").status_code == 200
    assert client.post("/pools/21/archive").status_code == 202


def test_wrong_method_on_the_list_answers_405(client: httpx.Client) -> None:
    response = client.post("/operations")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


# -- fake.operations() ------------------------------------------------------------------------


def test_fake_operations_per_pool_and_in_all(
    fake: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    assert fake.operations() == ()
    assert fake.operations("21") == ()
    first = start(client, "21")
    failing = start(client, "25")
    clock.advance(4.0)
    again = start(client, "25")
    assert [op.id for op in fake.operations("21")] == [first]
    assert [op.id for op in fake.operations("25")] == [failing, again]
    assert [op.id for op in fake.operations()] == [first, failing, again]
    states = {op.id: op for op in fake.operations()}
    assert (states[failing].status, states[again].status) == ("FAIL", "PENDING")
    assert states[first].pool_id == "21"
    assert states[first].type == "POOL.ARCHIVE"
    assert states[first].submitted == START
    with pytest.raises(KeyError):
        fake.operations("404")


# -- the generated client reads the fake's list -----------------------------------------------


def test_the_generated_client_pages_through_the_fake(
    busy: FakeToloka, busy_client: httpx.Client
) -> None:
    made = [start(busy_client, "1") for _ in range(7)]
    client = AuthenticatedClient(
        base_url=BASE_URL,
        token="k",
        prefix="ApiKey",
        httpx_args={"transport": busy.transport()},
    )
    seen: list[str] = []
    after: str | Unset = UNSET
    while True:
        result = get_operations.sync(
            client=client,
            type_=KnownOperationType.POOL_ARCHIVE,
            status=KnownOperationStatus.FAIL,
            sort="id",
            limit=3,
            id_gt=after,
        )
        assert isinstance(result, OperationPage)
        seen += [operation.id for operation in result.items]
        assert all(operation.status is KnownOperationStatus.FAIL for operation in result.items)
        if not result.has_more:
            break
        after = seen[-1]
    assert seen == made
    # A status or type Toloka adds later is sent as it is, and simply matches nothing here.
    for extra in ({"status": "PAUSED"}, {"type_": "POOL.TELEPORT"}):
        empty = get_operations.sync(client=client, **extra)
        assert isinstance(empty, OperationPage)
        assert (empty.items, empty.has_more) == ([], False)
    later = get_operations.sync(client=client, submitted_gte=datetime.date(2099, 1, 1).isoformat())
    assert isinstance(later, OperationPage)
    assert later.items == []
