"""Projects: reading one, archiving one once its pools are archived, and declaring them.

Toloka documents only the 202 of ``POST /projects/{id}/archive``; what the fake answers besides
(204 when archived already, 409 ``UNARCHIVED_POOLS_CONFLICT`` while a pool is not archived, 409
``CONFLICT_STATE`` while an archive runs) is the assumption openapi.yaml states.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from toloka_archive.testing import FakeToloka, Fault, ManualClock, Scenario, ScenarioError
from toloka_archive_api import AuthenticatedClient
from toloka_archive_api.api.operation import get_operation
from toloka_archive_api.api.project import archive_project, get_project
from toloka_archive_api.models import KnownOperationStatus, KnownProjectStatus, Operation, Project

from tests.fake.conftest import BASE_URL, START, auth

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def error_of(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert UUID.match(body["request_id"])
    assert body["message"]
    return body


@pytest.fixture
def world(clock: ManualClock) -> FakeToloka:
    """Requester "one": project 7, whose pools are closed or archived; project 5, with an open,
    a locked and a closed pool; project 8, empty; project 9, archived. Requester "two":
    project 6."""
    fake = FakeToloka(clock=clock, seed=11, rate_limit=None)
    fake.add_requester("one", api_keys=["k1"])
    fake.add_requester("two", api_keys=["k2"])
    fake.add_project(
        "7",
        owner="one",
        public_name="Street signs",
        created=START - datetime.timedelta(days=400),
        archive_seconds=10.0,
    )
    fake.add_pool("71", project_id="7", archive_seconds=2.0)
    fake.add_pool("74", project_id="7", status="ARCHIVED")
    fake.add_project("5", owner="one")
    fake.add_pool("52", project_id="5", status="OPEN")
    fake.add_pool("53", project_id="5", status="LOCKED")
    fake.add_pool("54", project_id="5")
    fake.add_project("8", owner="one", archive_seconds=0.0)
    fake.add_project("9", owner="one", status="ARCHIVED")
    fake.add_pool("91", project_id="9", status="ARCHIVED")
    fake.add_project("6", owner="two")
    return fake


@pytest.fixture
def one(world: FakeToloka) -> Iterator[httpx.Client]:
    with httpx.Client(transport=world.transport(), base_url=BASE_URL, headers=auth("k1")) as c:
        yield c


def archive_project_request(client: httpx.Client, project_id: str) -> httpx.Response:
    return client.post(f"/projects/{project_id}/archive")


def settle_project_7(clock: ManualClock, one: httpx.Client) -> None:
    """Archive the pool of project 7 that is not archived yet, and wait for it."""
    assert one.post("/pools/71/archive").status_code == 202
    clock.advance(2.0)


# -- GET /projects/{id} -------------------------------------------------------------------


def test_read_a_project(one: httpx.Client) -> None:
    response = one.get("/projects/7")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "id": "7",
        "public_name": "Street signs",
        "status": "ACTIVE",
        "created": "2025-09-27T12:00:00.000",
    }
    assert one.get("/projects/9").json()["status"] == "ARCHIVED"
    assert one.get("/projects/8").json()["public_name"] == "Fake project 8"


def test_read_a_project_refusals(world: FakeToloka, one: httpx.Client) -> None:
    error_of(one.get("/projects/6"), 403, "ACCESS_DENIED")
    error_of(one.get("/projects/404"), 404, "DOES_NOT_EXIST")
    body = error_of(one.get("/projects/x7"), 400, "VALIDATION_ERROR")
    assert list(body["payload"]) == ["project_id"]
    with httpx.Client(transport=world.transport(), base_url=BASE_URL) as anonymous:
        error_of(anonymous.get("/projects/7"), 401, "AUTHENTICATION_ERROR")


def test_project_state_accessor(world: FakeToloka) -> None:
    project = world.project("7")
    assert (project.id, project.owner, project.status) == ("7", "one", "ACTIVE")
    assert project.pool_ids == ("71", "74")
    assert project.operations == ()
    assert world.project("8").pool_ids == ()
    with pytest.raises(KeyError):
        world.project("404")


# -- POST /projects/{id}/archive ----------------------------------------------------------


@pytest.mark.parametrize("status", ["OPEN", "CLOSED", "LOCKED"])
def test_archive_is_refused_while_any_pool_is_not_archived(clock: ManualClock, status: str) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("one", api_keys=["k"])
    fake.add_project("5")
    fake.add_pool("51", project_id="5", status="ARCHIVED")
    fake.add_pool("52", project_id="5", status=status)
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        body = error_of(archive_project_request(c, "5"), 409, "UNARCHIVED_POOLS_CONFLICT")
    assert "payload" not in body
    assert fake.operations() == ()
    assert fake.project("5").status == "ACTIVE"


def test_a_pool_still_being_archived_keeps_the_project_from_being_archived(
    world: FakeToloka, one: httpx.Client, clock: ManualClock
) -> None:
    assert one.post("/pools/71/archive").status_code == 202
    clock.advance(1.9)
    error_of(archive_project_request(one, "7"), 409, "UNARCHIVED_POOLS_CONFLICT")
    clock.advance(0.1)  # 71 is archived now
    assert archive_project_request(one, "7").status_code == 202
    assert [op.type for op in world.operations(project_id="7")] == ["PROJECT.ARCHIVE"]


def test_archive_runs_as_a_project_archive_operation(
    world: FakeToloka, one: httpx.Client, clock: ManualClock
) -> None:
    settle_project_7(clock, one)
    response = archive_project_request(one, "7")
    assert response.status_code == 202
    operation = response.json()
    assert operation == {
        "id": operation["id"],
        "type": "PROJECT.ARCHIVE",
        "status": "PENDING",
        "submitted": "2026-11-01T12:00:02.000",
        "progress": 0,
        "parameters": {"project_id": "7"},
        "details": {},
    }
    path = f"/operations/{operation['id']}"
    clock.advance(5.0)
    running = one.get(path).json()
    assert (running["status"], running["progress"]) == ("RUNNING", 44)
    assert world.project("7").status == "ACTIVE"
    # A second request while it runs: 409 CONFLICT_STATE, naming the operation.
    body = error_of(archive_project_request(one, "7"), 409, "CONFLICT_STATE")
    assert body["payload"] == {"operation_id": operation["id"]}
    clock.advance(5.0)
    done = one.get(path).json()
    assert (done["status"], done["progress"]) == ("SUCCESS", 100)
    assert done["finished"] == "2026-11-01T12:00:12.000"
    assert one.get(f"{path}/log").json() == []
    assert one.get("/projects/7").json()["status"] == "ARCHIVED"
    assert world.project("7").operations == (operation["id"],)


def test_an_archived_project_answers_204_and_starts_nothing(
    world: FakeToloka, one: httpx.Client
) -> None:
    response = archive_project_request(one, "9")
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert world.operations() == ()


def test_archiving_again_once_archived_answers_204(
    world: FakeToloka, one: httpx.Client, clock: ManualClock
) -> None:
    assert archive_project_request(one, "8").status_code == 202  # empty, zero seconds
    assert world.project("8").status == "ARCHIVED"
    assert archive_project_request(one, "8").status_code == 204
    assert len(world.operations(project_id="8")) == 1


def test_the_operation_is_kept_listed_and_private(
    world: FakeToloka, one: httpx.Client, clock: ManualClock
) -> None:
    pool_operation = one.post("/pools/71/archive").json()["id"]
    project_operation = archive_project_request(one, "8").json()["id"]
    listed = one.get("/operations", params={"type": "PROJECT.ARCHIVE"}).json()
    assert [item["id"] for item in listed["items"]] == [project_operation]
    assert listed["items"][0] == one.get(f"/operations/{project_operation}").json()
    pools_only = one.get("/operations", params={"type": "POOL.ARCHIVE"}).json()
    assert [item["id"] for item in pools_only["items"]] == [pool_operation]
    everything = one.get("/operations", params={"sort": "-submitted,-id"}).json()
    assert [item["id"] for item in everything["items"]] == [project_operation, pool_operation]
    assert [op.id for op in world.operations()] == [pool_operation, project_operation]
    assert world.operations("71")[0].project_id is None
    (state,) = world.operations(project_id="8")
    assert (state.pool_id, state.project_id, state.owner) == (None, "8", "one")
    with httpx.Client(transport=world.transport(), base_url=BASE_URL, headers=auth("k2")) as two:
        error_of(two.get(f"/operations/{project_operation}"), 403, "ACCESS_DENIED")
        assert two.get("/operations").json()["items"] == []
    with pytest.raises(KeyError):
        world.operations(project_id="404")
    with pytest.raises(ValueError, match="not both"):
        world.operations("71", project_id="8")


def test_a_failing_project_archive(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("one", api_keys=["k"])
    fake.add_project("5", archive_seconds=1.0, fail=True)
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        operation = c.post("/projects/5/archive").json()["id"]
        clock.advance(1.0)
        assert c.get(f"/operations/{operation}").json()["status"] == "FAIL"
        assert c.get(f"/operations/{operation}/log").json() == [
            {
                "type": "PROJECT_ARCHIVE",
                "success": False,
                "input": {"project_id": "5"},
                "output": {
                    "code": "PROJECT_ARCHIVE_FAILED",
                    "message": "The project could not be archived "
                    "(a failure set up in the fake's scenario)",
                },
            }
        ]
        assert fake.project("5").status == "ACTIVE"
        assert c.post("/projects/5/archive").status_code == 202  # may be tried again


def test_archive_refusals(world: FakeToloka, one: httpx.Client) -> None:
    error_of(archive_project_request(one, "6"), 403, "ACCESS_DENIED")
    error_of(archive_project_request(one, "404"), 404, "DOES_NOT_EXIST")
    error_of(archive_project_request(one, "abc"), 400, "VALIDATION_ERROR")
    with httpx.Client(transport=world.transport(), base_url=BASE_URL) as anonymous:
        error_of(archive_project_request(anonymous, "8"), 401, "AUTHENTICATION_ERROR")
    response = one.get("/projects/8/archive")
    error_of(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "POST"
    assert world.operations() == ()


def test_faults_can_target_the_project_endpoints(world: FakeToloka, one: httpx.Client) -> None:
    world.add_fault(Fault("rate_limit", endpoint="project", first=1, retry_after=2))
    world.add_fault(Fault("unavailable", endpoint="project_archive", first=1))
    refused = one.get("/projects/7")
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "2")
    assert one.get("/projects/7").status_code == 200
    assert archive_project_request(one, "8").status_code == 503
    assert world.operations() == ()  # the fault answered in front of Toloka: nothing started
    assert archive_project_request(one, "8").status_code == 202


@pytest.mark.parametrize("kind", ["operation_fail", "drop_after_commit", "locked_by_other"])
def test_start_faults_apply_to_project_archives_too(kind: str) -> None:
    assert Fault(kind, endpoint="project_archive").endpoint == "project_archive"  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^Fault\.endpoint: .* start an operation only"):
        Fault(kind, endpoint="project")  # type: ignore[arg-type]


# -- LOCKED pools -------------------------------------------------------------------------


def test_a_locked_pool_cannot_be_archived(world: FakeToloka, one: httpx.Client) -> None:
    body = error_of(one.post("/pools/53/archive"), 409, "INAPPROPRIATE_STATUS")
    assert body["payload"] == {"appropriate_statuses": ["CLOSED"]}
    assert one.get("/pools/53").json()["status"] == "LOCKED"
    assert one.get("/pools", params={"status": "LOCKED"}).json()["items"][0]["id"] == "53"
    assert world.pool("53").operations == ()
    error_of(archive_project_request(one, "5"), 409, "UNARCHIVED_POOLS_CONFLICT")


# -- the generated client on the fake -----------------------------------------------------


def test_the_generated_client_archives_a_project_on_the_fake(
    world: FakeToloka, one: httpx.Client, clock: ManualClock
) -> None:
    client = AuthenticatedClient(
        base_url=BASE_URL, token="k1", prefix="ApiKey", httpx_args={"transport": world.transport()}
    )
    project = get_project.sync("7", client=client)
    assert isinstance(project, Project)
    assert (project.status, project.created) == (
        KnownProjectStatus.ACTIVE,
        "2025-09-27T12:00:00.000",
    )
    settle_project_7(clock, one)
    started = archive_project.sync("7", client=client)
    assert isinstance(started, Operation)
    assert started.parameters
    assert started.parameters.project_id == "7"
    clock.advance(10.0)
    finished = get_operation.sync(started.id, client=client)
    assert isinstance(finished, Operation)
    assert finished.status is KnownOperationStatus.SUCCESS
    archived = get_project.sync("7", client=client)
    assert isinstance(archived, Project)
    assert archived.status is KnownProjectStatus.ARCHIVED
    again = archive_project.sync_detailed("7", client=client)
    assert (again.status_code, again.parsed) == (204, None)


# -- declaring projects and pools ---------------------------------------------------------


def test_a_pool_without_a_project_goes_to_its_owners_default_project(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("one", api_keys=["k1"])
    fake.add_requester("two", api_keys=["k2"])
    fake.add_project("900000001", owner="two")  # the first default id is taken: skipped
    assert fake.add_pool("1", owner="one").project_id == "900000002"
    assert fake.add_pool("2", owner="one").project_id == "900000002"
    assert fake.add_pool("3", owner="two").project_id == "900000003"
    default = fake.project("900000002")
    assert (default.owner, default.status, default.pool_ids) == ("one", "ACTIVE", ("1", "2"))
    assert default.public_name == "Default project of one"
    with pytest.raises(ValueError, match=r"'900000003' already exists \(the default project of"):
        fake.add_project("900000003", owner="two")


def test_pool_fields_and_their_defaults(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("one", api_keys=["k"])
    fake.add_project("7")
    opened = fake.add_pool("1", project_id="7", status="OPEN")
    assert (opened.created, opened.last_started, opened.last_stopped) == (START, START, None)
    assert opened.last_close_reason is None
    closed = fake.add_pool("2", project_id="7")
    assert (closed.last_started, closed.last_close_reason) == (None, "MANUAL")
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    aware = datetime.datetime(2026, 9, 30, 14, 0, tzinfo=plus_two)
    full = fake.add_pool(
        "3",
        project_id="7",
        private_name="Batch 3",
        created=aware,
        last_started=datetime.datetime(2026, 10, 2),
        last_stopped=datetime.datetime(2026, 10, 3),
        last_close_reason="EXPIRED",
    )
    assert full.created == datetime.datetime(2026, 9, 30, 12, 0)  # converted to naive UTC
    with httpx.Client(transport=fake.transport(), base_url=BASE_URL, headers=auth("k")) as c:
        assert c.get("/pools/3").json() == {
            "id": "3",
            "project_id": "7",
            "private_name": "Batch 3",
            "type": "REGULAR",
            "status": "CLOSED",
            "last_close_reason": "EXPIRED",
            "created": "2026-09-30T12:00:00.000",
            "last_started": "2026-10-02T00:00:00.000",
            "last_stopped": "2026-10-03T00:00:00.000",
        }


def test_declaring_mistakes_name_the_field(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("one", api_keys=["k1"])
    fake.add_requester("two", api_keys=["k2"])
    fake.add_project("7", owner="one")
    fake.add_project("9", owner="one", status="ARCHIVED")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"project_id": "8"}, r"^add_pool\.project_id: unknown project '8'; add it first$"),
        ({"project_id": "x"}, r"^add_pool\.project_id: a project id is a string of decimal"),
        ({"project_id": "7", "owner": "two"}, r"^add_pool\.owner: project '7' belongs to 'one'"),
        ({"project_id": "9"}, r"^add_pool\.status: project '9' is archived, so its pools are"),
        ({"project_id": "7", "last_close_reason": "BORED"}, r"last_close_reason: unknown close"),
        ({"project_id": "7", "created": "soon"}, r"^add_pool\.created: expected an ISO 8601"),
        ({"project_id": "7", "private_name": ""}, r"^add_pool\.private_name: expected a non-"),
        ({"project_id": "7", "status": "FROZEN"}, r"choose OPEN, CLOSED, ARCHIVED or LOCKED$"),
    ]
    for fields, message in cases:
        with pytest.raises(ValueError, match=message):
            fake.add_pool("1", **fields)
    fake.add_pool("1", project_id="7")  # the owner comes from the project, two requesters or not
    assert fake.pool("1").owner == "one"
    project_cases: list[tuple[dict[str, Any], str]] = [
        ({"owner": "one", "status": "DONE"}, r"^add_project\.status: unknown status 'DONE'; ch"),
        ({}, r"^add_project\.owner: required unless exactly one requester"),
        ({"owner": "three"}, r"^add_project\.owner: unknown requester 'three'"),
        ({"owner": "one", "archive_seconds": -1}, r"^add_project\.archive_seconds: must be >= 0"),
    ]
    for fields, message in project_cases:
        with pytest.raises(ValueError, match=message):
            fake.add_project("5", **fields)
    with pytest.raises(ValueError, match=r"^add_project\.project_id: project '7' already exists$"):
        fake.add_project("7", owner="one")


# -- scenarios ----------------------------------------------------------------------------

SCENARIO = """
[settings]
clock_start = 2026-11-01T12:00:00

[[requesters]]
name = "a"
api_keys = ["ka"]

[[requesters]]
name = "b"

[[projects]]
id = 7
owner = "a"
public_name = "Signs"
created_days_ago = 100
archive_seconds = 1.5
fail = true

[[projects]]
id = "8"
owner = "b"
status = "ARCHIVED"
created = 2026-01-01T00:00:00

[[pools]]
id = "71"
project_id = "7"
status = "LOCKED"
private_name = "Batch 1"
created_days_ago = 50
last_started = 2026-10-01T00:00:00
last_stopped_days_ago = 0.5
last_close_reason = "COMPLETED"

[[pools]]
id = "81"
project_id = "8"
status = "ARCHIVED"

[[pool_ranges]]
first = 100
count = 3
project_id = "7"
created_days_ago = 1
"""


def test_scenario_projects_and_pool_fields() -> None:
    scenario = Scenario.loads(SCENARIO)
    fake = FakeToloka.from_scenario(scenario, clock=ManualClock(start=START))
    signs = fake.project("7")
    assert (signs.owner, signs.public_name, signs.archive_seconds, signs.fail) == (
        "a",
        "Signs",
        1.5,
        True,
    )
    assert signs.created == START - datetime.timedelta(days=100)
    assert signs.pool_ids == ("71", "100", "101", "102")
    archived = fake.project("8")
    assert (archived.status, archived.created) == ("ARCHIVED", datetime.datetime(2026, 1, 1))
    pool = fake.pool("71")
    assert (pool.owner, pool.status, pool.private_name, pool.last_close_reason) == (
        "a",
        "LOCKED",
        "Batch 1",
        "COMPLETED",
    )
    assert pool.created == START - datetime.timedelta(days=50)
    assert pool.last_started == datetime.datetime(2026, 10, 1)
    assert pool.last_stopped == START - datetime.timedelta(hours=12)
    assert fake.pool("81").owner == "b"  # from the project
    assert fake.pool("101").created == START - datetime.timedelta(days=1)


BASE = '[[requesters]]\nname = "a"\n[[requesters]]\nname = "b"\n'
PROJECT = '[[projects]]\nid = "7"\nowner = "a"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[projects]]\nowner = 'a'", r"projects\[0\]\.id: required$"),
        ("[[projects]]\nid = 'x'\nowner = 'a'", r"projects\[0\]\.id: a project id is a string"),
        (PROJECT + PROJECT, r"projects\[1\]\.id: project '7' is declared twice$"),
        ("[[projects]]\nid = 7", r"projects\[0\]\.owner: required unless exactly one requester"),
        (
            "[[projects]]\nid = 7\nowner = 'a'\nstatus = 'DONE'",
            r"projects\[0\]\.status: unknown status 'DONE'; choose ACTIVE or ARCHIVED$",
        ),
        (
            "[[projects]]\nid = 7\nowner = 'a'\ncreated = 2026-01-01T00:00:00\n"
            "created_days_ago = 1",
            r"projects\[0\]\.created_days_ago: give created or this, not both$",
        ),
        ("[[projects]]\nid = 7\nowner = 'a'\ncolour = 1", r"projects\[0\]\.colour: unknown field"),
        (
            "[[pools]]\nid = 1\nproject_id = '8'",
            r"pools\[0\]\.project_id: unknown project '8'; declared: none$",
        ),
        (
            PROJECT + "[[pools]]\nid = 1\nproject_id = '7'\nowner = 'b'",
            r"pools\[0\]\.owner: project '7' belongs to 'a'$",
        ),
        (
            "[[projects]]\nid = 7\nowner = 'a'\nstatus = 'ARCHIVED'\n"
            "[[pools]]\nid = 1\nproject_id = '7'",
            r"pools\[0\]\.status: project '7' is archived, so its pools are too$",
        ),
        (
            PROJECT + "[[pools]]\nid = 1\nproject_id = '7'\nlast_started_days_ago = 'x'",
            r"pools\[0\]\.last_started_days_ago: expected a number, got str 'x'$",
        ),
        (
            PROJECT + "[[pools]]\nid = 1\nproject_id = '7'\nlast_stopped = 2026-01-01T00:00:00\n"
            "last_stopped_days_ago = 2",
            r"pools\[0\]\.last_stopped_days_ago: give last_stopped or this, not both$",
        ),
        (
            PROJECT + "[[pools]]\nid = 1\nproject_id = '7'\nlast_close_reason = 'BORED'",
            r"pools\[0\]\.last_close_reason: unknown close reason 'BORED'; choose MANUAL",
        ),
        (
            PROJECT + "[[pool_ranges]]\nfirst = 1\ncount = 2\nproject_id = '9'",
            r"pool_ranges\[0\]\.project_id: unknown project '9'; declared: '7'$",
        ),
    ],
)
def test_scenario_mistakes_name_the_field(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        Scenario.loads(BASE + text)
