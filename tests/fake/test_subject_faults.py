"""Faults by subject, on every request kind: the training endpoints, ``training=`` and
``project=`` as ``pool=``, and the start faults on every request that starts an operation."""

from __future__ import annotations

import collections
import contextlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from toloka_archive.testing import FakeToloka, Fault, ManualClock

from tests.fake.conftest import BASE_URL, auth


@pytest.fixture
def world(clock: ManualClock) -> FakeToloka:
    """Project 7 (empty, archivable at once), project 8 with training 41 (open) and 42
    (closed), pool 81 (closed) and 82 (open)."""
    fake = FakeToloka(clock=clock, seed=5, rate_limit=None)
    fake.add_requester("one", api_keys=["k"])
    fake.add_project("7", archive_seconds=1.0)
    fake.add_project("8")
    fake.add_training("41", project_id="8", status="OPEN", close_seconds=1.0)
    fake.add_training("42", project_id="8", archive_seconds=1.0)
    fake.add_pool("81", project_id="8", archive_seconds=1.0)
    fake.add_pool("82", project_id="8", status="OPEN", close_seconds=1.0)
    return fake


@pytest.fixture
def client(world: FakeToloka) -> Iterator[httpx.Client]:
    with httpx.Client(transport=world.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        yield c


REQUESTS = [
    ("training", "GET", "/trainings/41"),
    ("trainings", "GET", "/trainings"),
    ("training_close", "POST", "/trainings/41/close"),
    ("training_archive", "POST", "/trainings/42/archive"),
]


@pytest.mark.parametrize(("endpoint", "method", "path"), REQUESTS)
def test_the_training_endpoints_have_fault_names(
    world: FakeToloka, client: httpx.Client, endpoint: Any, method: str, path: str
) -> None:
    world.add_fault(Fault("internal_error", endpoint=endpoint, first=1))
    assert client.request(method, path).status_code == 500
    assert client.request(method, path).status_code in (200, 202)
    assert [(r.endpoint, r.fault) for r in world.requests] == [
        (endpoint, "internal_error"),
        (endpoint, None),
    ]


def test_training_matches_the_requests_about_that_training(
    world: FakeToloka, client: httpx.Client, clock: ManualClock
) -> None:
    world.add_fault(Fault("unavailable", training="41"))
    assert client.get("/trainings/41").status_code == 503
    assert client.post("/trainings/41/close").status_code == 503
    assert client.get("/trainings/42").status_code == 200
    assert client.get("/trainings").status_code == 200  # a list is about no one training
    assert client.get("/pools/81").status_code == 200
    operation = client.post("/trainings/42/archive").json()["id"]
    assert client.get(f"/operations/{operation}").status_code == 200
    world.add_fault(Fault("bad_gateway", training="42", endpoint="log"))
    assert client.get(f"/operations/{operation}").status_code == 200
    assert client.get(f"/operations/{operation}/log").status_code == 502


def test_project_matches_the_requests_about_that_project(
    world: FakeToloka, client: httpx.Client
) -> None:
    world.add_fault(Fault("rate_limit", project="7", retry_after=3))
    assert client.get("/projects/7").headers["retry-after"] == "3"
    assert client.post("/projects/7/archive").status_code == 429
    assert client.get("/projects/8").status_code == 200
    assert client.get("/pools/7").status_code == 404  # pool 7 is not project 7


def test_pool_keeps_to_its_pool(world: FakeToloka, client: httpx.Client) -> None:
    world.add_fault(Fault("internal_error", pool="81"))
    assert client.get("/pools/81").status_code == 500
    assert client.get("/trainings/41").status_code == 200


# -- start faults on every start ----------------------------------------------------------

STARTS = [
    ("training_close", "/trainings/41/close", ("training", "41"), "TRAINING.CLOSE"),
    ("training_archive", "/trainings/42/archive", ("training", "42"), "TRAINING.ARCHIVE"),
    ("project_archive", "/projects/7/archive", ("project", "7"), "PROJECT.ARCHIVE"),
    ("archive", "/pools/81/archive", ("pool", "81"), "POOL.ARCHIVE"),
    ("close", "/pools/82/close", ("pool", "82"), "POOL.CLOSE"),
]
LOCKS = {
    "training": "TRAINING_LOCKED_BY_ANOTHER_OPERATION",
    "pool": "POOL_LOCKED_BY_ANOTHER_OPERATION",
    "project": "CONFLICT_STATE",
}


def started(world: FakeToloka, subject: tuple[str, str]) -> tuple[Any, ...]:
    kind, ident = subject
    return world.operations(**{f"{kind}_id": ident})


@pytest.mark.parametrize(("endpoint", "path", "subject", "type_"), STARTS)
def test_operation_fail_on_every_start(
    world: FakeToloka,
    client: httpx.Client,
    clock: ManualClock,
    endpoint: Any,
    path: str,
    subject: tuple[str, str],
    type_: str,
) -> None:
    world.add_fault(Fault("operation_fail", endpoint=endpoint, first=1))
    operation = client.post(path).json()
    assert operation["type"] == type_
    clock.advance(1.0)
    failed = client.get(f"/operations/{operation['id']}").json()
    assert failed["status"] == "FAIL"
    (entry,) = client.get(f"/operations/{operation['id']}/log").json()
    assert entry["output"]["code"] == type_.replace(".", "_") + "_FAILED"
    assert entry["input"] == {f"{subject[0]}_id": subject[1]}


@pytest.mark.parametrize(("endpoint", "path", "subject", "type_"), STARTS)
def test_locked_by_other_on_every_start(
    world: FakeToloka,
    client: httpx.Client,
    endpoint: Any,
    path: str,
    subject: tuple[str, str],
    type_: str,
) -> None:
    world.add_fault(Fault("locked_by_other", first=1))  # no endpoint: every start
    response = client.post(path)
    assert response.status_code == 409
    (operation,) = started(world, subject)
    assert response.json()["code"] == LOCKS[subject[0]]
    assert response.json()["payload"] == {"operation_id": operation.id}
    assert operation.type == type_
    assert world.requests[-1].fault == "locked_by_other"


@pytest.mark.parametrize(
    "kind", ["drop_after_commit", "timeout_after_commit", "truncated_202", "invalid_json_202"]
)
@pytest.mark.parametrize(("endpoint", "path", "subject", "type_"), STARTS)
def test_lost_answers_on_every_start(
    world: FakeToloka,
    client: httpx.Client,
    kind: Any,
    endpoint: Any,
    path: str,
    subject: tuple[str, str],
    type_: str,
) -> None:
    world.add_fault(Fault(kind, endpoint=endpoint, first=1))
    answered: httpx.Response | None = None
    with contextlib.suppress(httpx.TransportError):
        answered = client.post(path)
    if answered is not None:
        assert answered.status_code == 202
        with pytest.raises(ValueError, match=r"Expecting|Unterminated|Extra data"):
            answered.json()
    (operation,) = started(world, subject)
    assert operation.type == type_
    retry = client.post(path)
    assert retry.status_code == 409  # the operation it started holds the subject
    assert retry.json()["code"] == LOCKS[subject[0]]


def test_a_start_fault_keeps_to_its_subject(world: FakeToloka, client: httpx.Client) -> None:
    world.add_fault(Fault("drop_after_commit", training="42"))
    assert client.post("/trainings/41/close").status_code == 202
    assert client.post("/pools/81/archive").status_code == 202
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/trainings/42/archive")


def test_a_probable_fault_with_no_endpoint_hits_every_request_kind(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock, seed=5, rate_limit=None)
    fake.add_requester("one", api_keys=["k"])
    fake.add_project("1")
    requests: list[tuple[str, str]] = []
    for n in range(100, 130):  # subjects of every kind, each asked once to start
        fake.add_project(str(n), archive_seconds=0.0)  # empty: archivable
        fake.add_training(f"{n}1", project_id="1", status="OPEN", close_seconds=0.0)
        fake.add_training(f"{n}2", project_id="1", archive_seconds=0.0)
        fake.add_pool(f"{n}3", project_id="1", status="OPEN", close_seconds=0.0)
        fake.add_pool(f"{n}4", project_id="1", archive_seconds=0.0)
        requests += [
            ("GET", f"/pools/{n}3"),
            ("GET", f"/trainings/{n}1"),
            ("GET", f"/projects/{n}"),
            ("GET", f"/assignments?pool_id={n}3"),
            ("POST", f"/pools/{n}3/close"),
            ("POST", f"/pools/{n}4/archive"),
            ("POST", f"/trainings/{n}1/close"),
            ("POST", f"/trainings/{n}2/archive"),
            ("POST", f"/projects/{n}/archive"),
            ("GET", "/pools"),
            ("GET", "/trainings"),
            ("GET", "/operations"),
        ]
    fake.add_fault(Fault("internal_error", probability=0.3))
    fake.add_fault(Fault("operation_fail", probability=0.3))
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        for method, path in requests:
            c.request(method, path)
        for operation in fake.operations():  # every operation's own reads
            c.get(f"/operations/{operation.id}")
            c.get(f"/operations/{operation.id}/log")
    hit = collections.Counter(r.endpoint for r in fake.requests if r.fault == "internal_error")
    assert set(hit) == {r.endpoint for r in fake.requests}
    assert len(hit) == 14
    failed = collections.Counter(op.type for op in fake.operations() if op.status == "FAIL")
    assert set(failed) == {
        "POOL.CLOSE",
        "POOL.ARCHIVE",
        "TRAINING.CLOSE",
        "TRAINING.ARCHIVE",
        "PROJECT.ARCHIVE",
    }


# -- declaring them -----------------------------------------------------------------------


def test_a_fault_names_at_most_one_subject() -> None:
    with pytest.raises(ValueError, match=r"^Fault\.training: give pool or this, not both$"):
        Fault("slow", pool="1", training="2")
    with pytest.raises(ValueError, match=r"^Fault\.project: give training or this, not both$"):
        Fault("slow", training="2", project="3")
    with pytest.raises(ValueError, match=r"^Fault\.training: a training id is a string of decimal"):
        Fault("slow", training="x")
    assert Fault("slow", training=41).subject == ("training", "41")  # type: ignore[arg-type]
    assert Fault("slow", project="7").subject == ("project", "7")
    assert Fault("slow").subject is None


def test_add_fault_wants_a_known_subject(world: FakeToloka) -> None:
    with pytest.raises(ValueError, match=r"^add_fault\.training: unknown training '81'$"):
        world.add_fault(Fault("slow", training="81"))  # a pool
    with pytest.raises(ValueError, match=r"^add_fault\.project: unknown project '9'$"):
        world.add_fault(Fault("slow", project="9"))
