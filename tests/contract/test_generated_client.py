"""The generated client reads what Toloka sends, including what Toloka adds later."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from toloka_archive_api import AuthenticatedClient
from toloka_archive_api.api.assignment import get_assignments
from toloka_archive_api.api.operation import get_operation, get_operation_log, get_operations
from toloka_archive_api.api.pool import archive_pool, close_pool, get_pool, get_pools
from toloka_archive_api.api.project import archive_project, get_project
from toloka_archive_api.api.training import (
    archive_training,
    close_training,
    get_training,
    get_trainings,
)
from toloka_archive_api.models import (
    Error,
    KnownOperationStatus,
    KnownOperationType,
    KnownPoolStatus,
    KnownProjectStatus,
    KnownTrainingStatus,
    Operation,
    OperationLogItem,
    OperationPage,
    Pool,
    PoolPage,
    PoolQualityControl,
    Project,
    Training,
    TrainingPage,
    TrainingRequirement,
)

BASE_URL = "http://127.0.0.1:9/api/v1"  # never contacted: every test uses a MockTransport


def client_answering(handler: Callable[[httpx.Request], httpx.Response]) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=BASE_URL,
        token="test-key",
        prefix="ApiKey",
        httpx_args={"transport": httpx.MockTransport(handler)},
    )


def operation_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "57068577e4b0bf7b07a0256f",
        "type": "POOL.ARCHIVE",
        "status": "SUCCESS",
        "submitted": "2022-04-07T16:06:15.902",
        "started": "2022-04-07T16:06:15.902",
        "finished": "2022-04-07T16:06:15.902",
        "progress": 100,
        "parameters": {"pool_id": "1"},
    }
    body.update(overrides)
    return body


def test_documented_archive_example_parses(spec: dict[str, Any]) -> None:
    example = spec["components"]["examples"]["ArchiveOperationSuccess"]["value"]
    operation = Operation.from_dict(example)
    assert operation.type_ is KnownOperationType.POOL_ARCHIVE
    assert operation.status is KnownOperationStatus.SUCCESS
    assert operation.progress == 100
    assert operation.parameters
    assert operation.parameters.pool_id == example["parameters"]["pool_id"]
    assert operation.to_dict() == example  # timestamps too, byte for byte


def test_documented_conflict_example_parses(spec: dict[str, Any]) -> None:
    example = spec["components"]["examples"]["InappropriateStatus"]["value"]
    error = Error.from_dict(example)
    assert error.code == "INAPPROPRIATE_STATUS"
    assert error.request_id == example["request_id"]
    assert error.payload
    assert error.payload["appropriate_statuses"] == example["payload"]["appropriate_statuses"]


def test_timestamps_are_kept_as_toloka_wrote_them() -> None:
    """Timestamps are patterned strings, not `format: date-time` (which needs an offset): the
    client keeps them as sent, and `datetime.fromisoformat` reads them as UTC wall time."""
    operation = Operation.from_dict(operation_body(submitted="2016-04-07T16:06:15.902"))
    assert operation.submitted == "2016-04-07T16:06:15.902"
    moment = datetime.datetime.fromisoformat(operation.submitted)
    assert moment == datetime.datetime(2016, 4, 7, 16, 6, 15, 902000)
    assert moment.tzinfo is None
    assert operation.to_dict()["submitted"] == "2016-04-07T16:06:15.902"


def test_unknown_status_type_and_field_survive() -> None:
    body = operation_body(status="PAUSED", type="POOL.TELEPORT", brand_new={"x": 1})
    operation = Operation.from_dict(body)
    assert operation.status == "PAUSED"
    assert operation.type_ == "POOL.TELEPORT"
    assert operation["brand_new"] == {"x": 1}
    assert operation.to_dict() == body


def test_minimal_operation_parses() -> None:
    operation = Operation.from_dict(
        {
            "id": "op",
            "type": "POOL.ARCHIVE",
            "status": "PENDING",
            "submitted": "2026-01-01T00:00:00",
        }
    )
    assert operation.status is KnownOperationStatus.PENDING
    assert operation.started is None or not operation.started  # UNSET is falsy


@pytest.mark.parametrize("payload", [None, {"appropriate_statuses": ["CLOSED"]}])
def test_error_body_with_and_without_payload(payload: dict[str, Any] | None) -> None:
    body: dict[str, Any] = {"request_id": "r-1", "code": "DOES_NOT_EXIST", "message": "Nope"}
    if payload is not None:
        body["payload"] = payload
    error = Error.from_dict(body)
    assert (error.request_id, error.code, error.message) == ("r-1", "DOES_NOT_EXIST", "Nope")
    if payload is None:
        assert not error.payload
    else:
        assert error.payload.to_dict() == payload
    assert error.to_dict() == body


def test_archive_202_parses_the_operation_and_sends_the_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json=operation_body(status="PENDING", progress=0))

    response = archive_pool.sync_detailed("21", client=client_answering(handler))
    assert response.status_code == 202
    assert isinstance(response.parsed, Operation)
    assert response.parsed.status is KnownOperationStatus.PENDING
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", "/api/v1/pools/21/archive")
    assert request.headers["Authorization"] == "ApiKey test-key"


def test_archive_204_has_no_parsed_body() -> None:
    response = archive_pool.sync_detailed(
        "21", client=client_answering(lambda _: httpx.Response(204))
    )
    assert response.status_code == 204
    assert response.parsed is None
    assert response.content == b""


def test_archive_409_parses_the_error() -> None:
    body = {
        "request_id": "r",
        "code": "INAPPROPRIATE_STATUS",
        "message": "m",
        "payload": {"appropriate_statuses": ["CLOSED"]},
    }
    response = archive_pool.sync_detailed(
        "21", client=client_answering(lambda _: httpx.Response(409, json=body))
    )
    assert response.status_code == 409
    assert isinstance(response.parsed, Error)
    assert response.parsed.code == "INAPPROPRIATE_STATUS"


def test_path_parameter_is_quoted() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.decode())
        return httpx.Response(204)

    archive_pool.sync_detailed("1/../../projects/5", client=client_answering(handler))
    assert seen == ["/api/v1/pools/1%2F..%2F..%2Fprojects%2F5/archive"]


def test_operation_log_is_a_list_of_items() -> None:
    items = [
        {"type": "TASK_CREATE", "success": True, "input": {"a": 1}, "output": {"task_id": "t"}}
    ]
    response = get_operation_log.sync_detailed(
        "op", client=client_answering(lambda _: httpx.Response(200, content=json.dumps(items)))
    )
    assert isinstance(response.parsed, list)
    (item,) = response.parsed
    assert isinstance(item, OperationLogItem)
    assert item.success is True
    assert item.to_dict() == items[0]


@pytest.mark.parametrize(
    "module",
    [
        archive_pool,
        close_pool,
        get_operation,
        get_operation_log,
        get_operations,
        get_pool,
        get_assignments,
        get_pools,
        get_project,
        archive_project,
        archive_training,
        close_training,
        get_training,
        get_trainings,
    ],
)
@pytest.mark.parametrize("form", ["sync", "sync_detailed", "asyncio", "asyncio_detailed"])
def test_every_call_has_all_four_forms(module: Any, form: str) -> None:
    assert callable(getattr(module, form))


async def _async_get_operation(client: AuthenticatedClient) -> Any:
    return await get_operation.asyncio("op", client=client)


def test_async_form_parses_the_operation() -> None:
    import asyncio

    client = AuthenticatedClient(base_url=BASE_URL, token="test-key", prefix="ApiKey")
    client.set_async_httpx_client(
        httpx.AsyncClient(
            base_url=BASE_URL,
            transport=httpx.MockTransport(lambda _: httpx.Response(200, json=operation_body())),
        )
    )
    operation = asyncio.run(_async_get_operation(client))
    assert isinstance(operation, Operation)
    assert operation.status is KnownOperationStatus.SUCCESS


def test_pool_and_assignment_page_parse_with_unknown_statuses() -> None:
    from toloka_archive_api.models import AssignmentPage

    pool = Pool.from_dict({"id": "21", "status": "CLOSED", "last_stopped": "2026-11-01T12:00:00"})
    assert pool.status is KnownPoolStatus.CLOSED
    assert pool.last_stopped == "2026-11-01T12:00:00"
    assert Pool.from_dict({"id": "21", "status": "FROZEN"}).status == "FROZEN"
    page = AssignmentPage.from_dict(
        {
            "items": [{"id": "a", "status": "REJECTED", "rejected": "2026-11-20T08:30:00.125"}],
            "has_more": True,
        }
    )
    assert page.has_more is True
    assert page.items[0].rejected == "2026-11-20T08:30:00.125"


# Toloka's documented example of a pool in the list (responses/api/pool-list.yaml in its docs),
# cut to a few of its settings: everything the schema does not name is kept as it came.
DOCUMENTED_POOL = {
    "id": "32267581",
    "project_id": "81776",
    "private_name": "Transcript of audio recordings",
    "may_contain_adult_content": True,
    "will_expire": "2023-03-09T00:00:00",
    "reward_per_assignment": 0.07,
    "defaults": {"default_overlap_for_new_task_suites": 3},
    "owner": {"id": "6c8a55de89cfe3ea858afcb2629de162", "myself": True},
    "type": "REGULAR",
    "status": "OPEN",
    "created": "2022-03-10T07:41:53.626",
}


def test_a_documented_pool_parses_and_keeps_what_the_schema_does_not_name() -> None:
    pool = Pool.from_dict(DOCUMENTED_POOL)
    assert (pool.id, pool.project_id, pool.status) == ("32267581", "81776", KnownPoolStatus.OPEN)
    assert (pool.type_, pool.created) == ("REGULAR", "2022-03-10T07:41:53.626")
    assert not pool.last_started  # UNSET: never reported
    assert pool["owner"] == {"id": "6c8a55de89cfe3ea858afcb2629de162", "myself": True}
    assert pool.to_dict() == DOCUMENTED_POOL
    locked = Pool.from_dict({"id": "1", "status": "LOCKED", "last_close_reason": "FOR_UPDATE"})
    assert locked.status is KnownPoolStatus.LOCKED


def test_pool_list_sends_its_filters_and_reads_the_page() -> None:
    seen: list[httpx.Request] = []
    body = {
        "items": [DOCUMENTED_POOL, {"id": "32267582", "status": "FROZEN", "project_id": "81776"}],
        "has_more": True,
    }

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=body)

    result = get_pools.sync(
        client=client_answering(handler),
        status=KnownPoolStatus.CLOSED,
        project_id="81776",
        sort="-last_started,id",
        id_gt="32267580",
        created_gte="2022-12-01",
        last_started_lt="2022-12-01T10:00:00.250",
    )
    (request,) = seen
    assert (request.method, request.url.path) == ("GET", "/api/v1/pools")
    assert dict(request.url.params) == {
        "status": "CLOSED",
        "project_id": "81776",
        "sort": "-last_started,id",
        "limit": "50",  # the contract's default
        "id_gt": "32267580",
        "created_gte": "2022-12-01",
        "last_started_lt": "2022-12-01T10:00:00.250",
    }
    assert isinstance(result, PoolPage)
    assert result.has_more is True
    first, second = result.items
    assert first.status is KnownPoolStatus.OPEN
    assert second.status == "FROZEN"  # a status Toloka adds later is kept
    assert result.to_dict() == body


def test_pool_list_400_parses_the_error() -> None:
    body = {
        "request_id": "r",
        "code": "VALIDATION_ERROR",
        "message": "Validation failed",
        "payload": {"limit": {"code": "VALUE_INVALID", "message": "m"}},
    }
    response = get_pools.sync_detailed(
        client=client_answering(lambda _: httpx.Response(400, json=body)), limit=301
    )
    assert response.status_code == 400
    assert isinstance(response.parsed, Error)


# Toloka's documented example of a project (responses/api/project-id.yaml), cut short.
DOCUMENTED_PROJECT = {
    "id": "83859",
    "public_name": "Elephant color",
    "public_description": "What color is the elephant in the picture?",
    "task_spec": {"input_spec": {"image": {"type": "URL", "required": True, "hidden": False}}},
    "assignments_issuing_type": "AUTOMATED",
    "owner": {"id": "6c6e20dc86cca2ae787afcb2629de162", "myself": True},
    "status": "ACTIVE",
    "created": "2022-01-22T07:50:14.210",
}


def test_get_project_parses_a_documented_project() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json=DOCUMENTED_PROJECT)

    project = get_project.sync("83859", client=client_answering(handler))
    assert seen == ["/api/v1/projects/83859"]
    assert isinstance(project, Project)
    assert (project.id, project.status) == ("83859", KnownProjectStatus.ACTIVE)
    assert (project.public_name, project.created) == ("Elephant color", "2022-01-22T07:50:14.210")
    assert project["task_spec"] == DOCUMENTED_PROJECT["task_spec"]
    assert project.to_dict() == DOCUMENTED_PROJECT
    assert Project.from_dict({"id": "1", "status": "FROZEN"}).status == "FROZEN"


def test_archive_project_202_204_and_409(spec: dict[str, Any]) -> None:
    example = spec["components"]["examples"]["ProjectArchiveOperationSuccess"]["value"]
    seen: list[httpx.Request] = []

    def accepted(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json=example)

    response = archive_project.sync_detailed("83859", client=client_answering(accepted))
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", "/api/v1/projects/83859/archive")
    assert request.content == b""
    assert isinstance(response.parsed, Operation)
    assert response.parsed.type_ is KnownOperationType.PROJECT_ARCHIVE
    assert response.parsed.parameters
    assert response.parsed.parameters.project_id == "1"
    assert response.parsed.to_dict() == example

    archived = archive_project.sync_detailed(
        "83859", client=client_answering(lambda _: httpx.Response(204))
    )
    assert (archived.status_code, archived.parsed) == (204, None)

    body = spec["components"]["examples"]["UnarchivedPools"]["value"]
    refused = archive_project.sync_detailed(
        "83859", client=client_answering(lambda _: httpx.Response(409, json=body))
    )
    assert isinstance(refused.parsed, Error)
    assert refused.parsed.code == "UNARCHIVED_POOLS_CONFLICT"


def test_close_pool_202_204_and_409(spec: dict[str, Any]) -> None:
    examples = spec["components"]["examples"]
    example = examples["CloseOperationSuccess"]["value"]
    seen: list[httpx.Request] = []

    def accepted(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json=example)

    response = close_pool.sync_detailed("21", client=client_answering(accepted))
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", "/api/v1/pools/21/close")
    assert request.content == b""
    assert request.headers["Authorization"] == "ApiKey test-key"
    assert isinstance(response.parsed, Operation)
    assert response.parsed.type_ is KnownOperationType.POOL_CLOSE
    assert response.parsed.parameters
    assert response.parsed.parameters.pool_id == "21"
    assert response.parsed.to_dict() == example

    closed = close_pool.sync_detailed("21", client=client_answering(lambda _: httpx.Response(204)))
    assert (closed.status_code, closed.parsed, closed.content) == (204, None, b"")

    for name, code in (
        ("PoolLockedByAnotherOperation", "POOL_LOCKED_BY_ANOTHER_OPERATION"),
        ("CloseInappropriateStatus", "INAPPROPRIATE_STATUS"),
    ):
        body = examples[name]["value"]
        refused = close_pool.sync_detailed(
            "21", client=client_answering(lambda _, body=body: httpx.Response(409, json=body))
        )
        assert isinstance(refused.parsed, Error)
        assert refused.parsed.code == code
        assert refused.parsed.to_dict() == body

    quoted: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        quoted.append(request.url.raw_path.decode())
        return httpx.Response(204)

    close_pool.sync_detailed("1/../../projects/5", client=client_answering(handler))
    assert quoted == ["/api/v1/pools/1%2F..%2F..%2Fprojects%2F5/close"]


def test_project_path_parameter_is_quoted() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.decode())
        return httpx.Response(204)

    archive_project.sync_detailed("1/../../pools/5", client=client_answering(handler))
    assert seen == ["/api/v1/projects/1%2F..%2F..%2Fpools%2F5/archive"]


def test_operation_list_sends_its_filters_and_reads_the_page() -> None:
    seen: list[httpx.Request] = []
    page = {
        "items": [
            operation_body(),
            operation_body(id="2", status="PAUSED", type="POOL.TELEPORT", finished=None),
        ],
        "has_more": True,
    }
    del page["items"][1]["finished"]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=page)

    result = get_operations.sync(
        client=client_answering(handler),
        type_=KnownOperationType.POOL_ARCHIVE,
        status="PAUSED",  # a status Toloka adds later is sent, not refused
        sort="-submitted,id",
        id_gt="57068577e4b0bf7b07a0256f",
        submitted_gte="2022-12-01",
        finished_lt="2022-12-01T10:00:00.250",
    )
    (request,) = seen
    assert (request.method, request.url.path) == ("GET", "/api/v1/operations")
    assert dict(request.url.params) == {
        "type": "POOL.ARCHIVE",
        "status": "PAUSED",
        "sort": "-submitted,id",
        "limit": "50",  # the contract's default
        "id_gt": "57068577e4b0bf7b07a0256f",
        "submitted_gte": "2022-12-01",
        "finished_lt": "2022-12-01T10:00:00.250",
    }
    assert isinstance(result, OperationPage)
    assert result.has_more is True
    first, second = result.items
    assert first.status is KnownOperationStatus.SUCCESS
    assert (second.status, second.type_) == ("PAUSED", "POOL.TELEPORT")
    assert not second.finished


def test_operation_list_400_parses_the_error() -> None:
    body = {
        "request_id": "r",
        "code": "VALIDATION_ERROR",
        "message": "Validation failed",
        "payload": {"limit": {"code": "VALUE_INVALID", "message": "m"}},
    }
    response = get_operations.sync_detailed(
        client=client_answering(lambda _: httpx.Response(400, json=body)), limit=1000
    )
    assert response.status_code == 400
    assert isinstance(response.parsed, Error)
    assert response.parsed.code == "VALIDATION_ERROR"


# -- trainings ------------------------------------------------------------------------------------


def test_a_pool_names_the_training_it_requires() -> None:
    body = {
        **DOCUMENTED_POOL,
        "quality_control": {
            "configs": [{"collector_config": {"type": "ASSIGNMENT_SUBMIT_TIME"}}],
            "training_requirement": {
                "training_pool_id": "1239110",
                "training_passing_skill_value": 80,
            },
        },
    }
    pool = Pool.from_dict(body)
    assert pool.quality_control
    requirement = pool.quality_control.training_requirement
    assert isinstance(requirement, TrainingRequirement)
    assert (requirement.training_pool_id, requirement.training_passing_skill_value) == (
        "1239110",
        80,
    )
    assert pool.quality_control["configs"] == body["quality_control"]["configs"]  # kept
    assert pool.to_dict() == body
    # A pool without quality control, or without a training: UNSET (falsy) at each level.
    assert not Pool.from_dict(DOCUMENTED_POOL).quality_control
    bare = Pool.from_dict({**DOCUMENTED_POOL, "quality_control": {"configs": []}})
    assert isinstance(bare.quality_control, PoolQualityControl)
    assert not bare.quality_control.training_requirement


def test_get_training_parses_the_documented_training(spec: dict[str, Any]) -> None:
    example = spec["components"]["examples"]["DocumentedTraining"]["value"]
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json=example)

    training = get_training.sync("31226418", client=client_answering(handler))
    assert seen == ["/api/v1/trainings/31226418"]
    assert isinstance(training, Training)
    assert (training.id, training.project_id, training.status) == (
        "31226418",
        "74175",
        KnownTrainingStatus.OPEN,
    )
    assert (training.last_close_reason, training.last_stopped) == (
        "MANUAL",
        "2022-02-24T13:40:29.754",
    )
    assert training["owner"] == example["owner"]  # what the schema does not name is kept
    assert training.to_dict() == example
    assert Training.from_dict({"id": "1", "status": "FROZEN"}).status == "FROZEN"


def test_training_list_sends_its_filters_and_reads_the_page(spec: dict[str, Any]) -> None:
    example = spec["components"]["examples"]["DocumentedTraining"]["value"]
    seen: list[httpx.Request] = []
    body = {"items": [example, {"id": "31226419", "status": "FROZEN"}], "has_more": False}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=body)

    result = get_trainings.sync(
        client=client_answering(handler),
        status=KnownTrainingStatus.CLOSED,
        project_id="74175",
        sort="id",
        id_gt="31226417",
        last_started_lte="2022-12-01",
    )
    (request,) = seen
    assert (request.method, request.url.path) == ("GET", "/api/v1/trainings")
    assert dict(request.url.params) == {
        "status": "CLOSED",
        "project_id": "74175",
        "sort": "id",
        "limit": "50",  # the contract's default
        "id_gt": "31226417",
        "last_started_lte": "2022-12-01",
    }
    assert isinstance(result, TrainingPage)
    first, second = result.items
    assert first.status is KnownTrainingStatus.OPEN
    assert second.status == "FROZEN"
    assert result.to_dict() == body


@pytest.mark.parametrize(
    ("call", "action", "example", "operation_type", "refusals"),
    [
        (
            archive_training,
            "archive",
            "TrainingArchiveOperationSuccess",
            KnownOperationType.TRAINING_ARCHIVE,
            {
                "TrainingLockedByAnotherOperation": "TRAINING_LOCKED_BY_ANOTHER_OPERATION",
                "ArchiveTrainingInappropriateStatus": "INAPPROPRIATE_STATUS",
                "TrainingArchiveConflict": "TRAINING_ARCHIVE_CONFLICT",
            },
        ),
        (
            close_training,
            "close",
            "TrainingCloseOperationSuccess",
            KnownOperationType.TRAINING_CLOSE,
            {
                "TrainingLockedByAnotherOperation": "TRAINING_LOCKED_BY_ANOTHER_OPERATION",
                "CloseInappropriateStatus": "INAPPROPRIATE_STATUS",
            },
        ),
    ],
)
def test_training_archive_and_close_202_204_and_409(
    spec: dict[str, Any],
    call: Any,
    action: str,
    example: str,
    operation_type: KnownOperationType,
    refusals: dict[str, str],
) -> None:
    examples = spec["components"]["examples"]
    body = examples[example]["value"]
    seen: list[httpx.Request] = []

    def accepted(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json=body)

    response = call.sync_detailed("1245598", client=client_answering(accepted))
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", f"/api/v1/trainings/1245598/{action}")
    assert request.content == b""
    assert isinstance(response.parsed, Operation)
    assert response.parsed.type_ is operation_type
    assert response.parsed.parameters
    assert response.parsed.parameters.training_id == body["parameters"]["training_id"]
    assert response.parsed.to_dict() == body

    done = call.sync_detailed("1245598", client=client_answering(lambda _: httpx.Response(204)))
    assert (done.status_code, done.parsed, done.content) == (204, None, b"")

    for name, code in refusals.items():
        error = examples[name]["value"]
        refused = call.sync_detailed(
            "1245598",
            client=client_answering(lambda _, error=error: httpx.Response(409, json=error)),
        )
        assert isinstance(refused.parsed, Error)
        assert refused.parsed.code == code
        assert refused.parsed.to_dict() == error

    quoted: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        quoted.append(request.url.raw_path.decode())
        return httpx.Response(204)

    call.sync_detailed("1/../../pools/5", client=client_answering(handler))
    assert quoted == [f"/api/v1/trainings/1%2F..%2F..%2Fpools%2F5/{action}"]
