"""Lists read a page at a time, and never past the truth: a page must move forward, a page
that fails for good ends the list with what it had read and why, a list is bounded, and a
selection that names a project makes sure the project is there.

Scripted answers on a blocking client (``scripted``): each test gives the exact pages a hostile
or broken server would send, and checks the requests the client made, which are few.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from toloka_archive import ListingError, NotFoundError, PermissionDeniedError, Pool, TolokaClient
from toloka_archive._wire import paging

from tests.facade.scripted import FakeClock, Script, error, operation, sync_client


def pools_page(*ids: object, has_more: object = True) -> httpx.Response:
    items = [{"id": pool, "status": "CLOSED", "project_id": "7"} for pool in ids]
    return httpx.Response(200, json={"items": items, "has_more": has_more})


def operations_page(*ids: str, has_more: object = True) -> httpx.Response:
    items = [operation("SUCCESS", op_id=op_id) for op_id in ids]
    return httpx.Response(200, json={"items": items, "has_more": has_more})


PROJECT = httpx.Response(200, json={"id": "7", "status": "ACTIVE"})


def read_pools(answers: list[Any], **filters: Any) -> tuple[list[Pool], Script, Exception | None]:
    """The pools ``find_pools`` yields before it ends, and how it ended."""
    script = Script(answers)
    found: list[Pool] = []
    try:
        for pool in sync_client(script, FakeClock(), max_retries=1).find_pools(**filters):
            found.append(pool)
    except Exception as raised:  # what the list ended with is the test's subject
        return found, script, raised
    return found, script, None


def test_pages_that_move_forward_are_read_to_the_end() -> None:
    found, script, ended = read_pools(
        [PROJECT, pools_page("1", "2"), pools_page("3", has_more=False)],
        project_id=7,
        status=None,
    )
    assert ended is None
    assert [pool.id for pool in found] == ["1", "2", "3"]
    assert script.requests == [
        "GET /api/v1/projects/7",
        "GET /api/v1/pools?project_id=7&sort=id&limit=300",
        "GET /api/v1/pools?project_id=7&sort=id&limit=300&id_gt=2",
    ]


@pytest.mark.parametrize(
    ("second", "says"),
    [
        (pools_page("1", "2"), "its ids do not move forward (1 is not past 2)"),
        (pools_page("2"), "its ids do not move forward (2 is not past 2)"),
        (pools_page("5", "4"), "its ids do not move forward (4 comes after 5)"),
        (pools_page("5", "5"), "its ids do not move forward (5 comes after 5)"),
        (pools_page("x"), "an item whose id is not an id ('x')"),
        (pools_page(None), "an item whose id is not an id (None)"),
        (pools_page("٣"), "an item whose id is not an id ('٣')"),
        (pools_page("5", has_more="yes"), "has_more is 'yes', not true or false"),
        (pools_page("5", has_more=None), "has_more is None, not true or false"),
        (httpx.Response(200, json=[]), "not a PoolPage object"),
        (httpx.Response(200, text="<html>"), "not JSON"),
    ],
)
def test_a_page_that_is_not_the_next_page_ends_the_list_at_once(second: Any, says: str) -> None:
    found, script, ended = read_pools([pools_page("1", "2"), second], status=None)
    assert [pool.id for pool in found] == ["1", "2"]  # what was read stays read
    assert len(script.requests) == 2  # refused, never followed
    assert isinstance(ended, ListingError)
    assert (ended.what, ended.after) == ("pool", "2")
    assert str(ended).startswith("the pool list stopped after pool 2: UnexpectedResponseError")
    assert says in str(ended)


def test_a_page_that_fails_for_good_ends_the_list_with_its_cause() -> None:
    found, script, ended = read_pools(
        [pools_page("1"), httpx.Response(503), httpx.Response(503)], status=None
    )
    assert [pool.id for pool in found] == ["1"]
    assert len(script.requests) == 3  # one retry, as the policy says
    assert isinstance(ended, ListingError)
    assert str(ended) == (
        "the pool list stopped after pool 1: InternalServerError: 503: Service Unavailable "
        "(no body)"
    )
    assert ended.__cause__ is not None


def test_the_first_page_failing_says_so() -> None:
    found, _, ended = read_pools([httpx.Response(200, text="no")], status=None)
    assert found == []
    assert isinstance(ended, ListingError)
    assert ended.after is None
    assert str(ended).startswith("the pool list stopped at its first page: ")


def test_a_list_that_never_ends_is_refused_past_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "MAX_PAGES", 3)
    pages = [pools_page(str(n)) for n in range(1, 10)]
    found, script, ended = read_pools(pages, status=None)
    assert [pool.id for pool in found] == ["1", "2", "3"]
    assert len(script.requests) == 3
    assert isinstance(ended, ListingError)
    assert str(ended) == "the pool list stopped after pool 3: more than 3 pages"


@pytest.mark.parametrize(
    ("answer", "raised"),
    [
        (error(404, "DOES_NOT_EXIST"), NotFoundError),
        (error(403, "ACCESS_DENIED"), PermissionDeniedError),
    ],
)
def test_a_project_that_is_not_there_or_not_yours_is_an_error_not_an_empty_list(
    answer: httpx.Response, raised: type[Exception]
) -> None:
    found, script, ended = read_pools([answer], project_id=9999)
    assert found == []
    assert type(ended) is raised
    assert "the pools of project 9999 were asked for: the project" in ended.__notes__[0]
    assert script.requests == ["GET /api/v1/projects/9999"]  # no list read after it


def test_the_operations_list_must_move_forward_too() -> None:
    script = Script([operations_page("op-1", "op-2"), operations_page("op-2", "op-3")])
    client = sync_client(script, FakeClock())
    read: list[str] = []
    with pytest.raises(ListingError) as ended:
        read.extend(operation.id for operation in client.find_operations(type="POOL.ARCHIVE"))
    assert read == ["op-1", "op-2"]
    assert str(ended.value).startswith(
        "the operation list stopped after operation op-2: UnexpectedResponseError"
    )
    assert "op-2 is not past op-2" in str(ended.value)


def test_a_bulk_run_over_a_list_that_stops_reports_what_it_found_then_raises() -> None:
    body = operation("PENDING", op_id="op-1", pool_id="1")
    done = operation("SUCCESS", op_id="op-1", pool_id="1")
    script = Script(
        [
            pools_page("1"),
            httpx.Response(202, json=body),  # pool 1's archive starts,
            httpx.Response(200, json=done),  # and is followed to its end;
            httpx.Response(500),  # then the list's next page fails for good
            httpx.Response(500),
        ]
    )
    client = sync_client(script, FakeClock(), max_retries=1)
    reports = []
    run = client.archive_pools(client.find_pools(status=None), concurrency=1)
    reports.append(next(run))
    with pytest.raises(ListingError) as ended:
        next(run)
    assert [(r.pool_id, r.outcome.value) for r in reports] == [("1", "archived")]
    assert ended.value.after == "1"
    assert script.answers == []


def test_pools_in_flight_when_the_list_stops_are_finished_and_reported() -> None:
    requests: list[str] = []

    def toloka(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        requests.append(f"{request.method} {path}")
        if path == "/pools":
            more = "id_gt" in request.url.params
            return httpx.Response(503) if more else pools_page("1")
        if path == "/pools/1/archive":
            return httpx.Response(202, json=operation("PENDING", op_id="op-1", pool_id="1"))
        return httpx.Response(200, json=operation("SUCCESS", op_id="op-1", pool_id="1"))

    client = TolokaClient(
        api_key="fake-key",
        base_url="https://toloka.test/api/v1",
        env={},
        transport=httpx.MockTransport(toloka),
        clock=FakeClock(),
        random=lambda: 0.0,
    )
    run = client.archive_pools(client.find_pools(status=None), concurrency=2)
    first = next(run)  # the second worker met the failing page meanwhile: the run goes on
    with pytest.raises(ListingError, match="after pool 1: InternalServerError: 503"):
        next(run)
    assert (first.pool_id, first.outcome.value, first.operation_id) == ("1", "archived", "op-1")
    assert requests.count("GET /operations/op-1") == 1
