"""Conformance: real answers of the fake, of every kind, validated against openapi.yaml.

openapi-core validates each response against the operation the request matches in the spec:
status declared, content type declared, body matching the schema (required fields, types,
enums, the timestamp ``pattern``), and declared response headers. Statuses the spec does not
declare for an endpoint (502 from a proxy, 405, an unknown path) are not the contract's
business; their shape is asserted directly.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.response.exceptions import ResponseValidationError
from toloka_archive.testing import FakeToloka, Fault, ManualClock, Scenario
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi.yaml"

# The spec's servers are Toloka's real hosts; the validator finds the operation by matching the
# request URL against them, so the fake's URL is presented under the sandbox origin. Nothing is
# ever sent there: this is a label for the path finder.
SPEC_ORIGIN = "https://sandbox.toloka.dev"


# openapi-core's default configuration checks formats. The spec declares none for timestamps
# (`format: date-time` is RFC 3339 and needs an offset, which Toloka's timestamps lack); their
# `pattern` pins the offset-free form, so a "Z" or "+00:00" fails (see the test at the end).
CONFIG = Config()


@pytest.fixture(scope="module")
def spec() -> OpenAPI:
    return OpenAPI.from_file_path(str(SPEC_PATH), config=CONFIG)


class SpecRequest:
    """An httpx request in openapi-core's request protocol."""

    def __init__(self, request: httpx.Request) -> None:
        self.host_url = SPEC_ORIGIN
        self.path = request.url.path
        self.method = request.method.lower()
        self.body = request.content or None
        self.content_type = request.headers.get("content-type", "")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qsl(request.url.query.decode())),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )


class SpecResponse:
    """An httpx response in openapi-core's response protocol."""

    def __init__(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        self.content_type = response.headers.get("content-type", "").lower()
        self.headers = Headers(list(response.headers.items()))
        self.data = response.content


def validate(spec: OpenAPI, response: httpx.Response) -> None:
    spec.validate_response(SpecRequest(response.request), SpecResponse(response))


def collect_answers() -> dict[str, httpx.Response]:
    """One real answer of every kind the spec declares, from the default scenario."""
    clock = ManualClock()
    scenario = dataclasses.replace(Scenario.load(None), rate_limit=None)
    fake = FakeToloka.from_scenario(scenario, clock=clock)
    fake.add_fault(Fault("rate_limit", pool="107", first=1, retry_after=2, retry_after_ms=1500))
    fake.add_fault(Fault("internal_error", endpoint="operation", first=1))
    fake.add_fault(Fault("unavailable", endpoint="log", first=1))
    fake.add_fault(Fault("internal_error", endpoint="operations", first=1))
    fake.add_fault(Fault("rate_limit", endpoint="operations", first=1, retry_after=3))
    fake.add_fault(Fault("internal_error", endpoint="pools", first=1))
    fake.add_fault(Fault("rate_limit", endpoint="project", first=1, retry_after=1))
    fake.add_fault(Fault("unavailable", endpoint="project_archive", first=1))
    answers: dict[str, httpx.Response] = {}
    key = {"Authorization": "ApiKey fake-api-key-0001"}
    with httpx.Client(
        transport=fake.transport(sleep=clock.sleep),
        base_url="http://fake.toloka/api/v1",
        headers=key,
    ) as client:
        answers["202"] = client.post("/pools/100/archive")
        operation = f"/operations/{answers['202'].json()['id']}"
        answers["500 operation (fault)"] = client.get(operation)
        answers["200 PENDING"] = client.get(operation)
        answers["503 log (fault)"] = client.get(f"{operation}/log")
        clock.advance(1.0)
        answers["200 RUNNING"] = client.get(operation)
        answers["409 locked"] = client.post("/pools/100/archive")
        clock.advance(1.0)
        answers["200 SUCCESS"] = client.get(operation)
        answers["200 log empty"] = client.get(f"{operation}/log")
        answers["204"] = client.post("/pools/100/archive")
        failing = f"/operations/{client.post('/pools/104/archive').json()['id']}"
        clock.advance(2.0)
        answers["200 FAIL"] = client.get(failing)
        answers["200 log failed"] = client.get(f"{failing}/log")
        answers["409 INAPPROPRIATE_STATUS"] = client.post("/pools/102/archive")
        answers["409 THERE_IS_REJECTED_ASSIGNMENT"] = client.post("/pools/103/archive")
        answers["400 archive"] = client.post("/pools/abc/archive")
        answers["401 archive"] = client.post("/pools/100/archive", headers={"Authorization": ""})
        answers["403 archive"] = client.post("/pools/200/archive")
        answers["404 archive"] = client.post("/pools/999/archive")
        answers["404 operation"] = client.get("/operations/nope")
        answers["404 log"] = client.get("/operations/nope/log")
        answers["429 archive (fault, Retry-After)"] = client.post("/pools/107/archive")
        answers["500 archive (fault)"] = client.post("/pools/110/archive")
        answers["503 archive (fault)"] = client.post("/pools/112/archive")
        answers["200 pool CLOSED"] = client.get("/pools/103")
        answers["200 pool OPEN"] = client.get("/pools/102")
        answers["400 pool"] = client.get("/pools/x")
        answers["403 pool"] = client.get("/pools/200")
        answers["404 pool"] = client.get("/pools/999")
        rejection = {"pool_id": "103", "status": "REJECTED", "sort": "-rejected", "limit": "1"}
        answers["200 assignments"] = client.get("/assignments", params=rejection)
        answers["200 assignments empty"] = client.get("/assignments", params={"pool_id": "100"})
        answers["400 assignments"] = client.get(
            "/assignments", params={"pool_id": "100", "limit": "0"}
        )
        answers["500 operations (fault)"] = client.get("/operations")
        answers["429 operations (fault, Retry-After)"] = client.get("/operations")
        answers["200 operations"] = client.get("/operations")
        listing = {"type": "POOL.ARCHIVE", "sort": "-finished,submitted", "limit": "1"}
        answers["200 operations page, has_more"] = client.get("/operations", params=listing)
        answers["200 operations filtered"] = client.get(
            "/operations",
            params={"status": "FAIL", "finished_gte": "2026-11-01", "id_gt": "0"},
        )
        answers["200 operations empty"] = client.get("/operations", params={"status": "PAUSED"})
        answers["400 operations limit"] = client.get("/operations", params={"limit": "501"})
        answers["400 operations date"] = client.get(
            "/operations", params={"submitted_gt": "2026-11-01T12:00:00Z"}
        )
        answers["401 operations"] = client.get("/operations", headers={"Authorization": ""})
        answers["409 locked by another client (fault)"] = client.post("/pools/121/archive")
        answers["409 INAPPROPRIATE_STATUS, LOCKED"] = client.post("/pools/306/archive")
        answers["200 pool LOCKED"] = client.get("/pools/306")
        answers["200 pool ARCHIVED, dates"] = client.get("/pools/305")
        _collect_projects(client, clock, answers)
        answers["502 (fault)"] = client.post("/pools/113/archive")
        answers["405"] = client.get("/pools/100/archive")
        answers["405 project"] = client.get("/projects/1002/archive")
        answers["404 unknown path"] = client.get("/nowhere")

    limited = FakeToloka.from_scenario(dataclasses.replace(scenario, rate_limit=1), clock=clock)
    with httpx.Client(
        transport=limited.transport(), base_url="http://fake.toloka/api/v1", headers=key
    ) as client:
        client.get("/pools/100")
        answers["429 rate limit"] = client.get("/pools/100")
    _collect_closing(scenario, answers)
    _collect_trainings(answers)
    return answers


def _collect_trainings(answers: dict[str, httpx.Response]) -> None:
    """Trainings, in every answer they have, with a pool that requires one, a pool closed for
    editing and Toloka's own refusals, on a fake of their own."""
    clock = ManualClock()
    fake = FakeToloka(clock=clock, rate_limit=None)
    fake.add_requester("me", api_keys=["k"])
    fake.add_requester("other", api_keys=["k2"])
    fake.add_project("7", owner="me", archive_seconds=1.0)
    fake.add_training("41", project_id="7", last_stopped=clock.now(), archive_seconds=1.0)
    fake.add_training("42", project_id="7", status="OPEN", close_seconds=1.0)
    fake.add_training("43", project_id="7", status="ARCHIVED")
    fake.add_training("44", project_id="7", archive_refusal="THERE_IS_ACTIVE_ASSIGNMENT")
    fake.add_training("45", project_id="7", fail=True, archive_seconds=1.0)
    fake.add_training("46", project_id="7", status="LOCKED")
    fake.add_pool("71", project_id="7", training_id="41", archive_seconds=1.0)
    fake.add_pool("72", project_id="7", status="CLOSED", last_close_reason="FOR_UPDATE")
    fake.add_pool("73", project_id="7", archive_refusal="SUBMITTED_ASSIGNMENTS_CONFLICT")
    fake.add_project("8", owner="other")
    fake.add_training("81", project_id="8")
    fake.add_fault(Fault("internal_error", endpoint="trainings", first=1))
    fake.add_fault(Fault("rate_limit", training="42", endpoint="training", first=1))
    fake.add_fault(Fault("unavailable", endpoint="training_close", first=1))
    fake.add_fault(Fault("internal_error", training="41", endpoint="training_archive", first=1))
    with httpx.Client(
        transport=fake.transport(sleep=clock.sleep),
        base_url="http://fake.toloka/api/v1",
        headers={"Authorization": "ApiKey k"},
    ) as client:
        answers["500 trainings (fault)"] = client.get("/trainings")
        answers["200 trainings"] = client.get("/trainings")
        answers["200 trainings page, has_more"] = client.get(
            "/trainings", params={"sort": "-created,id", "limit": "2", "id_gt": "41"}
        )
        answers["200 trainings filtered"] = client.get(
            "/trainings",
            params={"project_id": "7", "status": "CLOSED", "created_gte": "2026-11-01"},
        )
        answers["200 trainings empty"] = client.get("/trainings", params={"project_id": "8"})
        answers["400 trainings limit"] = client.get("/trainings", params={"limit": "0"})
        answers["400 trainings sort"] = client.get("/trainings", params={"sort": "status"})
        answers["401 trainings"] = client.get("/trainings", headers={"Authorization": ""})
        answers["429 training (fault, Retry-After)"] = client.get("/trainings/42")
        answers["200 training OPEN"] = client.get("/trainings/42")
        answers["200 training CLOSED"] = client.get("/trainings/41")
        answers["200 training ARCHIVED"] = client.get("/trainings/43")
        answers["400 training"] = client.get("/trainings/x")
        answers["403 training"] = client.get("/trainings/81")
        answers["404 training"] = client.get("/trainings/71")
        answers["200 pool requiring a training"] = client.get("/pools/71")
        answers["200 pool closed for editing"] = client.get("/pools/72")
        answers["503 training close (fault)"] = client.post("/trainings/42/close")
        answers["202 training close"] = client.post("/trainings/42/close")
        closing = f"/operations/{answers['202 training close'].json()['id']}"
        answers["200 training close operation PENDING"] = client.get(closing)
        answers["409 training close locked"] = client.post("/trainings/42/close")
        answers["409 training archive locked by a close"] = client.post("/trainings/42/archive")
        clock.advance(1.0)
        answers["200 training close operation SUCCESS"] = client.get(closing)
        answers["204 training close"] = client.post("/trainings/42/close")
        answers["409 training close INAPPROPRIATE_STATUS"] = client.post("/trainings/43/close")
        answers["400 training close"] = client.post("/trainings/x/close")
        answers["403 training close"] = client.post("/trainings/81/close")
        answers["404 training close"] = client.post("/trainings/9/close")
        answers["401 training close"] = client.post(
            "/trainings/42/close", headers={"Authorization": ""}
        )
        answers["500 training archive (fault)"] = client.post("/trainings/41/archive")
        answers["409 TRAINING_ARCHIVE_CONFLICT"] = client.post("/trainings/41/archive")
        answers["409 UNARCHIVED_POOLS_CONFLICT, trainings"] = client.post("/projects/7/archive")
        answers["409 training archive INAPPROPRIATE_STATUS"] = client.post("/trainings/46/archive")
        answers["409 THERE_IS_ACTIVE_ASSIGNMENT (declared)"] = client.post("/trainings/44/archive")
        answers["409 SUBMITTED_ASSIGNMENTS_CONFLICT (declared)"] = client.post("/pools/73/archive")
        answers["204 training archive"] = client.post("/trainings/43/archive")
        assert client.post("/pools/71/archive").status_code == 202
        clock.advance(1.0)
        answers["202 training archive"] = client.post("/trainings/41/archive")
        archiving = f"/operations/{answers['202 training archive'].json()['id']}"
        answers["409 training archive locked"] = client.post("/trainings/41/archive")
        clock.advance(1.0)
        answers["200 training archive operation SUCCESS"] = client.get(archiving)
        failing = f"/operations/{client.post('/trainings/45/archive').json()['id']}"
        clock.advance(1.0)
        answers["200 training archive operation FAIL"] = client.get(failing)
        answers["200 training archive log failed"] = client.get(f"{failing}/log")
        answers["200 operations TRAINING.ARCHIVE"] = client.get(
            "/operations", params={"type": "TRAINING.ARCHIVE"}
        )
        answers["400 training archive"] = client.post("/trainings/x/archive")
        answers["403 training archive"] = client.post("/trainings/81/archive")
        answers["404 training archive"] = client.post("/trainings/9/archive")
        answers["401 training archive"] = client.post(
            "/trainings/41/archive", headers={"Authorization": ""}
        )
        clock.advance(15 * 60.0)
        answers["200 pool reopened by Toloka"] = client.get("/pools/72")
        answers["405 training"] = client.post("/trainings/41")


def _collect_closing(scenario: Scenario, answers: dict[str, httpx.Response]) -> None:
    """Closing a pool, in every answer it has, on a fake of its own (so that nothing above
    changes): pools 102 and 303 of the default scenario are ``OPEN``."""
    clock = ManualClock()
    fake = FakeToloka.from_scenario(scenario, clock=clock)
    fake.add_fault(Fault("internal_error", pool="303", endpoint="close", first=1))
    fake.add_fault(Fault("rate_limit", pool="303", endpoint="close", first=1, retry_after=2))
    fake.add_fault(Fault("unavailable", pool="303", endpoint="close", first=1))
    fake.add_fault(Fault("operation_fail", pool="303", endpoint="close", first=1))
    with httpx.Client(
        transport=fake.transport(sleep=clock.sleep),
        base_url="http://fake.toloka/api/v1",
        headers={"Authorization": "ApiKey fake-api-key-0001"},
    ) as client:
        answers["202 close"] = client.post("/pools/102/close")
        operation = f"/operations/{answers['202 close'].json()['id']}"
        answers["200 close operation PENDING"] = client.get(operation)
        answers["409 close locked"] = client.post("/pools/102/close")
        answers["409 archive locked by a close"] = client.post("/pools/102/archive")
        clock.advance(3.0)
        answers["200 close operation SUCCESS"] = client.get(operation)
        answers["200 close log empty"] = client.get(f"{operation}/log")
        answers["200 pool CLOSED by a close"] = client.get("/pools/102")
        answers["204 close"] = client.post("/pools/102/close")
        answers["200 operations POOL.CLOSE"] = client.get(
            "/operations", params={"type": "POOL.CLOSE"}
        )
        answers["409 close INAPPROPRIATE_STATUS, ARCHIVED"] = client.post("/pools/101/close")
        answers["409 close INAPPROPRIATE_STATUS, LOCKED"] = client.post("/pools/306/close")
        answers["500 close (fault)"] = client.post("/pools/303/close")
        answers["429 close (fault, Retry-After)"] = client.post("/pools/303/close")
        answers["503 close (fault)"] = client.post("/pools/303/close")
        failing = f"/operations/{client.post('/pools/303/close').json()['id']}"
        clock.advance(3.0)
        answers["200 close operation FAIL"] = client.get(failing)
        answers["200 close log failed"] = client.get(f"{failing}/log")
        answers["400 close"] = client.post("/pools/abc/close")
        answers["401 close"] = client.post("/pools/102/close", headers={"Authorization": ""})
        answers["403 close"] = client.post("/pools/200/close")
        answers["404 close"] = client.post("/pools/999/close")
        answers["405 close"] = client.get("/pools/102/close")


def _collect_projects(
    client: httpx.Client, clock: ManualClock, answers: dict[str, httpx.Response]
) -> None:
    """The pool list, the project read and the project archive, in every answer they have."""
    answers["500 pools (fault)"] = client.get("/pools")
    answers["200 pools"] = client.get("/pools")
    answers["200 pools of a project, filtered, sorted"] = client.get(
        "/pools",
        params={
            "project_id": "1002",
            "status": "CLOSED",
            "created_gte": "2025-01-01",
            "last_started_lt": "2026-11-01T00:00:00.500",
            "sort": "-last_started,id",
        },
    )
    answers["200 pools page, has_more"] = client.get(
        "/pools", params={"sort": "id", "limit": "2", "id_gt": "300"}
    )
    answers["200 pools empty"] = client.get("/pools", params={"status": "PAUSED"})
    answers["400 pools limit"] = client.get("/pools", params={"limit": "301"})
    answers["400 pools project_id"] = client.get("/pools", params={"project_id": "x"})
    answers["400 pools date"] = client.get("/pools", params={"created_gt": "2026-11-01Z"})
    answers["401 pools"] = client.get("/pools", headers={"Authorization": ""})
    answers["429 project (fault, Retry-After)"] = client.get("/projects/1002")
    answers["200 project ACTIVE"] = client.get("/projects/1002")
    answers["400 project"] = client.get("/projects/x")
    answers["403 project"] = client.get("/projects/2001")
    answers["404 project"] = client.get("/projects/999")
    answers["401 project"] = client.get("/projects/1002", headers={"Authorization": ""})
    answers["503 project archive (fault)"] = client.post("/projects/1003/archive")
    answers["409 UNARCHIVED_POOLS_CONFLICT"] = client.post("/projects/1003/archive")
    for pool_id in ("311", "312"):
        assert client.post(f"/pools/{pool_id}/archive").status_code == 202
    clock.advance(1.0)
    answers["202 project archive"] = client.post("/projects/1003/archive")
    project_operation = f"/operations/{answers['202 project archive'].json()['id']}"
    answers["409 CONFLICT_STATE project archive running"] = client.post("/projects/1003/archive")
    answers["200 project operation PENDING"] = client.get(project_operation)
    clock.advance(1.0)
    answers["200 project operation SUCCESS"] = client.get(project_operation)
    answers["200 project operation log"] = client.get(f"{project_operation}/log")
    answers["200 operations PROJECT.ARCHIVE"] = client.get(
        "/operations", params={"type": "PROJECT.ARCHIVE"}
    )
    answers["200 project ARCHIVED"] = client.get("/projects/1003")
    answers["204 project archived"] = client.post("/projects/1003/archive")
    answers["400 project archive"] = client.post("/projects/abc/archive")
    answers["401 project archive"] = client.post(
        "/projects/1003/archive", headers={"Authorization": ""}
    )
    answers["403 project archive"] = client.post("/projects/2001/archive")
    answers["404 project archive"] = client.post("/projects/999/archive")


ANSWERS = collect_answers()
UNDECLARED = {"502 (fault)", "405", "405 project", "405 close", "405 training", "404 unknown path"}
DECLARED = sorted(set(ANSWERS) - UNDECLARED)


def test_the_collection_covers_every_declared_status() -> None:
    statuses = {ANSWERS[name].status_code for name in DECLARED}
    assert statuses == {200, 202, 204, 400, 401, 403, 404, 409, 429, 500, 503}
    for name in DECLARED:
        assert name.split()[0] == str(ANSWERS[name].status_code), name


@pytest.mark.parametrize("name", DECLARED)
def test_answer_conforms_to_the_spec(spec: OpenAPI, name: str) -> None:
    validate(spec, ANSWERS[name])


@pytest.mark.parametrize("name", sorted(UNDECLARED))
def test_undeclared_statuses_have_the_expected_shape(name: str) -> None:
    response = ANSWERS[name]
    if response.status_code == 502:
        assert response.headers["content-type"] == "text/html"
        assert b"502 Bad Gateway" in response.content
        return
    body: dict[str, Any] = response.json()
    assert response.headers["content-type"] == "application/json"
    assert set(body) >= {"request_id", "code", "message"}


@pytest.mark.parametrize(
    "timestamp", ["2026-11-01T12:00:00.000Z", "2026-11-01T12:00:00.000+00:00", "yesterday"]
)
def test_the_validator_is_not_vacuous(spec: OpenAPI, timestamp: str) -> None:
    """A timestamp with an offset, or no timestamp at all, is caught."""
    real = ANSWERS["200 SUCCESS"]
    body = real.json()
    body["finished"] = timestamp
    tampered = httpx.Response(200, json=body, request=real.request)
    with pytest.raises(ResponseValidationError):
        validate(spec, tampered)


def test_a_missing_required_field_is_caught(spec: OpenAPI) -> None:
    real = ANSWERS["404 operation"]
    body = real.json()
    del body["request_id"]
    with pytest.raises(ResponseValidationError):
        validate(spec, httpx.Response(404, json=body, request=real.request))


def test_the_list_is_checked_item_by_item(spec: OpenAPI) -> None:
    real = ANSWERS["200 operations"]
    assert real.json()["items"], "the collection lists some operations"
    validate(spec, real)
    no_has_more = real.json()
    del no_has_more["has_more"]
    offset = real.json()
    offset["items"][-1]["submitted"] = "2026-11-01T12:00:00.000Z"
    no_id = real.json()
    del no_id["items"][0]["id"]
    for body in (no_has_more, offset, no_id):
        with pytest.raises(ResponseValidationError):
            validate(spec, httpx.Response(200, json=body, request=real.request))


def test_the_new_calls_are_all_collected() -> None:
    """Every answer of the pool list, the project read and the project archive is checked."""
    paths = {
        (response.request.method, response.request.url.path.removeprefix("/api/v1"))
        for response in ANSWERS.values()
    }
    assert {("GET", "/pools"), ("GET", "/projects/1002"), ("POST", "/projects/1003/archive")} <= (
        paths
    )
    project = ANSWERS["200 project operation SUCCESS"].json()
    assert (project["type"], project["parameters"]) == ("PROJECT.ARCHIVE", {"project_id": "1003"})
    listed = ANSWERS["200 operations PROJECT.ARCHIVE"].json()["items"]
    assert [item["id"] for item in listed] == [project["id"]]
    assert ANSWERS["200 project ARCHIVED"].json()["status"] == "ARCHIVED"
    page = ANSWERS["200 pools page, has_more"].json()
    assert ([item["id"] for item in page["items"]], page["has_more"]) == (["301", "302"], True)


def test_every_answer_of_closing_is_collected() -> None:
    """Closing a pool: each of its answers is among those checked against the spec above."""
    closing = {
        name: response
        for name, response in ANSWERS.items()
        if response.request.url.path.endswith("/close")
    }
    assert {response.status_code for response in closing.values()} == {
        202,
        204,
        400,
        401,
        403,
        404,
        405,
        409,
        429,
        500,
        503,
    }
    done = ANSWERS["200 close operation SUCCESS"].json()
    assert (done["type"], done["parameters"]) == ("POOL.CLOSE", {"pool_id": "102"})
    listed = ANSWERS["200 operations POOL.CLOSE"].json()["items"]
    assert [item["id"] for item in listed] == [done["id"]]
    assert ANSWERS["200 pool CLOSED by a close"].json()["status"] == "CLOSED"
    failed = ANSWERS["200 close operation FAIL"].json()
    assert (failed["type"], failed["status"]) == ("POOL.CLOSE", "FAIL")
    (step,) = ANSWERS["200 close log failed"].json()
    assert (step["type"], step["success"]) == ("POOL_CLOSE", False)


def test_every_answer_about_trainings_is_collected() -> None:
    """Trainings: each answer of theirs is among those checked against the spec above."""
    trainings = {
        response.status_code
        for response in ANSWERS.values()
        if response.request.url.path.startswith("/api/v1/trainings")
    }
    assert trainings == {200, 202, 204, 400, 401, 403, 404, 405, 409, 429, 500, 503}
    codes = {ANSWERS[name].json()["code"] for name in ANSWERS if name.startswith("409 ")}
    assert {
        "TRAINING_LOCKED_BY_ANOTHER_OPERATION",
        "TRAINING_ARCHIVE_CONFLICT",
        "THERE_IS_ACTIVE_ASSIGNMENT",
        "SUBMITTED_ASSIGNMENTS_CONFLICT",
    } <= codes
    required = ANSWERS["200 pool requiring a training"].json()["quality_control"]
    assert required["training_requirement"]["training_pool_id"] == "41"
    assert ANSWERS["200 pool closed for editing"].json()["status"] == "CLOSED"
    assert ANSWERS["200 pool reopened by Toloka"].json()["status"] == "OPEN"
    page = ANSWERS["200 trainings page, has_more"].json()
    assert page["has_more"] is True


@pytest.mark.parametrize(
    "name", ["200 pools", "200 project ACTIVE", "200 pool ARCHIVED, dates", "200 trainings"]
)
def test_pools_and_projects_are_checked_field_by_field(spec: OpenAPI, name: str) -> None:
    real = ANSWERS[name]
    body = real.json()
    target = body["items"][-1] if "items" in body else body
    target["created"] = "2026-11-01T12:00:00.000Z"
    no_status = real.json()
    del (no_status["items"][0] if "items" in no_status else no_status)["status"]
    for tampered in (body, no_status):
        with pytest.raises(ResponseValidationError):
            validate(spec, httpx.Response(200, json=tampered, request=real.request))
