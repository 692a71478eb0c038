"""Trainings (training pools): listing and reading them, closing and archiving them, and the
rules that tie them to their pools and project.

Toloka documents the 202s (``TRAINING.CLOSE``, ``TRAINING.ARCHIVE``, ``parameters.training_id``)
and the 204s; that a training is archived only once CLOSED and once every pool that requires it
is archived; and the Training's fields. The codes of the 409s are the fake's assumptions, as for
pools.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from toloka_archive.testing import FakeToloka, ManualClock, TrainingState

from tests.fake.conftest import BASE_URL, START, auth

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DAY = datetime.timedelta(days=1)


def error_of(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert UUID.match(body["request_id"])
    assert body["message"]
    return body


@pytest.fixture
def world(clock: ManualClock) -> FakeToloka:
    """Requester "one": project 7 with trainings 41 (closed, required by pools 71 and 72),
    43 (open, required by none), 44 (archived), 45 (locked); pool 73 requires nothing.
    Requester "two": project 6 with training 61."""
    fake = FakeToloka(clock=clock, seed=3, rate_limit=None)
    fake.add_requester("one", api_keys=["k1"])
    fake.add_requester("two", api_keys=["k2"])
    fake.add_project("7", owner="one", archive_seconds=1.0)
    fake.add_training(
        "41",
        project_id="7",
        private_name="Signs, training",
        created=START - 30 * DAY,
        last_started=START - 29 * DAY,
        last_stopped=START - 2 * DAY,
        archive_seconds=2.0,
    )
    fake.add_training("43", project_id="7", status="OPEN", close_seconds=4.0)
    fake.add_training("44", project_id="7", status="ARCHIVED", created=START - 60 * DAY)
    fake.add_training("45", project_id="7", status="LOCKED")
    fake.add_pool("71", project_id="7", training_id="41", archive_seconds=1.0)
    fake.add_pool("72", project_id="7", training_id="41", archive_seconds=1.0)
    fake.add_pool("73", project_id="7", archive_seconds=1.0)
    fake.add_project("6", owner="two")
    fake.add_training("61", project_id="6")
    return fake


@pytest.fixture
def one(world: FakeToloka) -> Iterator[httpx.Client]:
    with httpx.Client(transport=world.transport(), base_url=BASE_URL, headers=auth("k1")) as c:
        yield c


# -- reading ------------------------------------------------------------------------------


def test_read_a_training(one: httpx.Client) -> None:
    response = one.get("/trainings/41")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "id": "41",
        "project_id": "7",
        "private_name": "Signs, training",
        "status": "CLOSED",
        "last_close_reason": "MANUAL",
        "created": "2026-10-02T12:00:00.000",
        "last_started": "2026-10-03T12:00:00.000",
        "last_stopped": "2026-10-30T12:00:00.000",
    }
    opened = one.get("/trainings/43").json()
    assert (opened["status"], opened["last_started"]) == ("OPEN", "2026-11-01T12:00:00.000")
    assert "last_close_reason" not in opened
    assert "last_stopped" not in opened
    assert opened["private_name"] == "Fake training 43"


def test_read_a_training_refusals(world: FakeToloka, one: httpx.Client) -> None:
    error_of(one.get("/trainings/61"), 403, "ACCESS_DENIED")
    body = error_of(one.get("/trainings/404"), 404, "DOES_NOT_EXIST")
    assert body["message"] == "Training does not exist"
    error_of(one.get("/trainings/71"), 404, "DOES_NOT_EXIST")  # a pool is not a training
    error_of(one.get("/pools/41"), 404, "DOES_NOT_EXIST")  # nor a training a pool
    body = error_of(one.get("/trainings/x1"), 400, "VALIDATION_ERROR")
    assert list(body["payload"]) == ["training_id"]
    with httpx.Client(transport=world.transport(), base_url=BASE_URL) as anonymous:
        error_of(anonymous.get("/trainings/41"), 401, "AUTHENTICATION_ERROR")
    response = one.post("/trainings/41")
    error_of(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "GET"


def test_a_pool_that_requires_a_training_says_so(one: httpx.Client) -> None:
    pool = one.get("/pools/71").json()
    assert pool["quality_control"] == {
        "training_requirement": {"training_pool_id": "41", "training_passing_skill_value": 80}
    }
    assert "quality_control" not in one.get("/pools/73").json()
    listed = one.get("/pools", params={"project_id": "7"}).json()["items"]
    assert [item.get("quality_control") is not None for item in listed] == [True, True, False]


def test_the_state_accessors(world: FakeToloka) -> None:
    training = world.training("41")
    assert isinstance(training, TrainingState)
    assert (training.owner, training.project_id, training.status) == ("one", "7", "CLOSED")
    assert (training.archive_seconds, training.close_seconds, training.operations) == (2.0, 3.0, ())
    assert world.pool("71").training_id == "41"
    assert world.pool("73").training_id is None
    assert world.project("7").training_ids == ("41", "43", "44", "45")
    assert world.project("7").pool_ids == ("71", "72", "73")
    with pytest.raises(KeyError):
        world.training("71")


# -- the list -----------------------------------------------------------------------------


def ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_list_the_requesters_trainings(one: httpx.Client) -> None:
    response = one.get("/trainings")
    assert response.json()["has_more"] is False
    assert ids(response) == ["41", "43", "44", "45"]
    assert response.json()["items"][0] == one.get("/trainings/41").json()
    assert ids(one.get("/trainings", params={"status": "OPEN"})) == ["43"]
    assert ids(one.get("/trainings", params={"status": "NOPE"})) == []
    assert ids(one.get("/trainings", params={"project_id": "6"})) == []  # another's
    assert ids(one.get("/trainings", params={"id_gt": "41", "id_lte": "44"})) == ["43", "44"]
    assert ids(one.get("/trainings", params={"created_lt": "2026-10-01"})) == ["44"]
    assert ids(one.get("/trainings", params={"created_gte": "2026-10-02T12:00:00"})) == [
        "41",
        "43",
        "45",
    ]
    assert ids(one.get("/trainings", params={"sort": "-created"})) == ["43", "45", "41", "44"]
    assert ids(one.get("/trainings", params={"sort": "last_started"})) == ["41", "43", "44", "45"]
    page = one.get("/trainings", params={"sort": "id", "limit": "2"})
    assert (ids(page), page.json()["has_more"]) == (["41", "43"], True)
    rest = one.get("/trainings", params={"sort": "id", "id_gt": "43", "limit": "2"})
    assert (ids(rest), rest.json()["has_more"]) == (["44", "45"], False)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "301"}, "limit"),
        ({"sort": "name"}, "sort"),
        ({"project_id": "x"}, "project_id"),
        ({"id_gt": "4x"}, "id_gt"),
        ({"created_gte": "yesterday"}, "created_gte"),
    ],
)
def test_list_refuses_bad_parameters(one: httpx.Client, params: dict[str, str], field: str) -> None:
    body = error_of(one.get("/trainings", params=params), 400, "VALIDATION_ERROR")
    assert list(body["payload"]) == [field]


# -- closing ------------------------------------------------------------------------------


def test_close_an_open_training(world: FakeToloka, one: httpx.Client, clock: ManualClock) -> None:
    response = one.post("/trainings/43/close")
    assert response.status_code == 202
    operation = response.json()
    assert operation == {
        "id": operation["id"],
        "type": "TRAINING.CLOSE",
        "status": "PENDING",
        "submitted": "2026-11-01T12:00:00.000",
        "progress": 0,
        "parameters": {"training_id": "43"},
        "details": {},
    }
    clock.advance(1.0)
    body = error_of(one.post("/trainings/43/close"), 409, "TRAINING_LOCKED_BY_ANOTHER_OPERATION")
    assert body["payload"] == {"operation_id": operation["id"]}
    body = error_of(one.post("/trainings/43/archive"), 409, "TRAINING_LOCKED_BY_ANOTHER_OPERATION")
    assert body["payload"] == {"operation_id": operation["id"]}
    clock.advance(3.0)
    assert one.get(f"/operations/{operation['id']}").json()["status"] == "SUCCESS"
    closed = one.get("/trainings/43").json()
    assert (closed["status"], closed["last_close_reason"]) == ("CLOSED", "MANUAL")
    assert closed["last_stopped"] == "2026-11-01T12:00:04.000"
    again = one.post("/trainings/43/close")
    assert (again.status_code, again.content) == (204, b"")
    assert [op.type for op in world.operations(training_id="43")] == ["TRAINING.CLOSE"]


@pytest.mark.parametrize("training", ["44", "45"])
def test_close_refuses_an_archived_or_locked_training(one: httpx.Client, training: str) -> None:
    body = error_of(one.post(f"/trainings/{training}/close"), 409, "INAPPROPRIATE_STATUS")
    assert body["payload"] == {"appropriate_statuses": ["OPEN"]}


def test_close_refusals(one: httpx.Client) -> None:
    error_of(one.post("/trainings/61/close"), 403, "ACCESS_DENIED")
    error_of(one.post("/trainings/404/close"), 404, "DOES_NOT_EXIST")
    error_of(one.post("/trainings/abc/close"), 400, "VALIDATION_ERROR")


# -- archiving ----------------------------------------------------------------------------


def test_archive_waits_for_the_pools_that_require_the_training(
    world: FakeToloka, one: httpx.Client, clock: ManualClock
) -> None:
    body = error_of(one.post("/trainings/41/archive"), 409, "TRAINING_ARCHIVE_CONFLICT")
    assert body["message"] == (
        "The training is used by pools that are not archived; archive them before you proceed"
    )
    assert "payload" not in body
    assert one.post("/pools/71/archive").status_code == 202
    clock.advance(1.0)
    error_of(one.post("/trainings/41/archive"), 409, "TRAINING_ARCHIVE_CONFLICT")  # 72 is left
    assert one.post("/pools/72/archive").status_code == 202
    clock.advance(0.5)
    error_of(one.post("/trainings/41/archive"), 409, "TRAINING_ARCHIVE_CONFLICT")  # archiving
    clock.advance(0.5)
    response = one.post("/trainings/41/archive")  # both archived: the conflict is over
    assert response.status_code == 202
    operation = response.json()
    assert (operation["type"], operation["parameters"]) == (
        "TRAINING.ARCHIVE",
        {"training_id": "41"},
    )
    body = error_of(one.post("/trainings/41/archive"), 409, "TRAINING_LOCKED_BY_ANOTHER_OPERATION")
    assert body["payload"] == {"operation_id": operation["id"]}
    clock.advance(2.0)
    assert one.get("/trainings/41").json()["status"] == "ARCHIVED"
    assert one.post("/trainings/41/archive").status_code == 204
    assert world.operation_counts(training_id="41") == {"TRAINING.ARCHIVE": 1}


def test_archive_wants_a_closed_training(one: httpx.Client) -> None:
    for training in ("43", "45"):
        body = error_of(one.post(f"/trainings/{training}/archive"), 409, "INAPPROPRIATE_STATUS")
        assert body["payload"] == {"appropriate_statuses": ["CLOSED"]}
    response = one.post("/trainings/44/archive")
    assert (response.status_code, response.content) == (204, b"")
    error_of(one.post("/trainings/61/archive"), 403, "ACCESS_DENIED")
    error_of(one.post("/trainings/999/archive"), 404, "DOES_NOT_EXIST")


def test_a_failing_training_archive(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("one", api_keys=["k"])
    fake.add_training("5", archive_seconds=1.0, fail=True)
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        operation = c.post("/trainings/5/archive").json()["id"]
        clock.advance(1.0)
        assert c.get(f"/operations/{operation}").json()["status"] == "FAIL"
        assert c.get(f"/operations/{operation}/log").json() == [
            {
                "type": "TRAINING_ARCHIVE",
                "success": False,
                "input": {"training_id": "5"},
                "output": {
                    "code": "TRAINING_ARCHIVE_FAILED",
                    "message": "The training could not be archived "
                    "(a failure set up in the fake's scenario)",
                },
            }
        ]
    assert fake.training("5").status == "CLOSED"


# -- the project --------------------------------------------------------------------------


def test_a_project_waits_for_its_trainings_too(
    world: FakeToloka, one: httpx.Client, clock: ManualClock
) -> None:
    for pool in ("71", "72", "73"):
        assert one.post(f"/pools/{pool}/archive").status_code == 202
    clock.advance(1.0)
    body = error_of(one.post("/projects/7/archive"), 409, "UNARCHIVED_POOLS_CONFLICT")
    assert body["message"] == (
        "Operation is not allowed because of unarchived pools. "
        "Archive all active pools and trainings before you proceed."
    )
    assert one.post("/trainings/41/archive").status_code == 202
    assert one.post("/trainings/43/close").status_code == 202
    clock.advance(4.0)
    assert one.post("/trainings/43/archive").status_code == 202
    clock.advance(3.0)
    error_of(one.post("/projects/7/archive"), 409, "UNARCHIVED_POOLS_CONFLICT")  # 45 is locked
    assert world.operations(project_id="7") == ()


def test_a_project_whose_pools_and_trainings_are_archived_is_archived(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("one", api_keys=["k"])
    fake.add_project("7", archive_seconds=0.0)
    fake.add_training("41", project_id="7", status="ARCHIVED")
    fake.add_pool("71", project_id="7", status="ARCHIVED", training_id="41")
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        assert c.post("/projects/7/archive").status_code == 202
    assert fake.project("7").status == "ARCHIVED"


# -- operations ---------------------------------------------------------------------------


def test_training_operations_are_kept_listed_and_private(
    world: FakeToloka, one: httpx.Client, clock: ManualClock
) -> None:
    close = one.post("/trainings/43/close").json()["id"]
    archive = one.post("/pools/73/archive").json()["id"]
    assert ids(one.get("/operations")) == [close, archive]
    assert ids(one.get("/operations", params={"type": "TRAINING.CLOSE"})) == [close]
    assert ids(one.get("/operations", params={"type": "POOL.ARCHIVE"})) == [archive]
    assert one.get(f"/operations/{close}/log").json() == []
    (state,) = world.operations(training_id="43")
    assert (state.pool_id, state.training_id, state.project_id) == (None, "43", None)
    assert state.parameters == {"training_id": "43"}
    assert world.operations(training_id="41") == ()
    with httpx.Client(transport=world.transport(), base_url=BASE_URL, headers=auth("k2")) as two:
        error_of(two.get(f"/operations/{close}"), 403, "ACCESS_DENIED")
        assert two.get("/operations").json()["items"] == []
    with pytest.raises(KeyError):
        world.operations(training_id="71")  # a pool
    with pytest.raises(ValueError, match="not both"):
        world.operations("71", training_id="41")


# -- declaring them -----------------------------------------------------------------------


def test_declaring_mistakes_name_the_field(world: FakeToloka) -> None:
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("71", {"project_id": "7"}, r"^add_training\.training_id: pool '71' already exists "),
        ("41", {"project_id": "7"}, r"^add_training\.training_id: training '41' already exists$"),
        ("46", {"project_id": "8"}, r"^add_training\.project_id: unknown project '8'; add it"),
        ("46", {"project_id": "6", "owner": "one"}, r"^add_training\.owner: project '6' belongs"),
        ("46", {"project_id": "7", "status": "DONE"}, r"^add_training\.status: unknown status"),
        ("46", {"project_id": "7", "fail": 1}, r"^add_training\.fail: expected true or false"),
        ("4x", {"project_id": "7"}, r"^add_training\.training_id: a training id is a string of"),
    ]
    for training_id, fields, message in cases:
        with pytest.raises(ValueError, match=message):
            world.add_training(training_id, **fields)
    pool_cases: list[tuple[str, dict[str, Any], str]] = [
        ("41", {"project_id": "7"}, r"^add_pool\.pool_id: training '41' already exists \(pools "),
        ("74", {"project_id": "7", "training_id": "49"}, r"^add_pool\.training_id: unknown trai"),
        (
            "74",
            {"project_id": "7", "training_id": "61"},
            r"^add_pool\.training_id: training '61' is in project '6', not '7'",
        ),
    ]
    for pool_id, fields, message in pool_cases:
        with pytest.raises(ValueError, match=message):
            world.add_pool(pool_id, **fields)
    world.add_project("9", owner="one", status="ARCHIVED")
    with pytest.raises(ValueError, match=r"^add_training\.status: project '9' is archived, so its"):
        world.add_training("91", project_id="9")
    assert world.add_training("91", project_id="9", status="ARCHIVED").status == "ARCHIVED"
