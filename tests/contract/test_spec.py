"""The contract: openapi.yaml is valid and agrees with Toloka's public API reference.

The expected values below are copied from Toloka's public reference (`fullApi.yaml` in the
Toloka/docs repository) and its prose docs, so that a change to the spec that drifts from the
real API fails here rather than in production.
"""

from __future__ import annotations

from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from tests.contract.conftest import SPEC_PATH

ERROR_STATUSES = {"400", "401", "403", "404", "409", "429", "500", "503"}

PUBLIC_OPERATION_TYPES = {
    "ANALYTICS",
    "POOL.ARCHIVE",
    "POOL.CLONE",
    "POOL.CLOSE",
    "POOL.OPEN",
    "PROJECT.ARCHIVE",
    "SOLUTION.AGGREGATE",
    "TASK_SUITE.BATCH_CREATE",
    "TASK.BATCH_CREATE",
    "TRAINING.ARCHIVE",
    "TRAINING.CLONE",
    "TRAINING.CLOSE",
    "TRAINING.OPEN",
    "USER_BONUS.BATCH_CREATE",
}


def schema_validator(spec: dict[str, Any], ref: str) -> OAS30Validator:
    """A validator for one component schema, resolving `$ref`s inside the whole document."""
    # `#/components/...` resolves against the root of the schema, so carry the components along.
    return OAS30Validator({"$ref": f"#{ref}", "components": spec["components"]})


def test_spec_is_valid_openapi(spec: dict[str, Any]) -> None:
    validate(spec, base_uri=SPEC_PATH.as_uri())
    assert spec["openapi"].startswith("3.0")


def test_servers_are_production_and_sandbox(spec: dict[str, Any]) -> None:
    urls = {server["url"] for server in spec["servers"]}
    assert urls == {"https://toloka.dev/api/v1", "https://sandbox.toloka.dev/api/v1"}


def test_security_is_the_authorization_header_in_both_forms(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert len(schemes) == 1
    ((name, scheme),) = schemes.items()
    assert spec["security"] == [{name: []}]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert "ApiKey <key>" in scheme["description"]
    assert "OAuth <token>" in scheme["description"]


@pytest.mark.parametrize(
    ("path", "method", "operation_id", "success"),
    [
        ("/pools/{id}/archive", "post", "archivePool", {"202", "204"}),
        ("/operations/{id}", "get", "getOperation", {"200"}),
        ("/operations/{id}/log", "get", "getOperationLog", {"200"}),
        ("/pools/{id}", "get", "getPool", {"200"}),
        ("/assignments", "get", "getAssignments", {"200"}),
    ],
)
def test_paths_methods_and_statuses(
    spec: dict[str, Any], path: str, method: str, operation_id: str, success: set[str]
) -> None:
    operation = spec["paths"][path][method]
    assert operation["operationId"] == operation_id
    responses = set(operation["responses"])
    assert {code for code in responses if code.startswith("2")} == success
    assert "default" not in responses, "a default response would parse an HTML 502 as JSON"
    expected_errors = ERROR_STATUSES - ({"409"} if method == "get" else set())
    assert responses - success == expected_errors


def test_archive_has_no_body_and_an_empty_204(spec: dict[str, Any]) -> None:
    archive = spec["paths"]["/pools/{id}/archive"]["post"]
    assert "requestBody" not in archive
    assert "content" not in archive["responses"]["204"]
    assert archive["responses"]["202"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Operation"
    }


def test_operation_has_every_public_field(spec: dict[str, Any]) -> None:
    operation = spec["components"]["schemas"]["Operation"]
    assert set(operation["properties"]) == {
        "id",
        "type",
        "status",
        "submitted",
        "started",
        "finished",
        "progress",
        "parameters",
        "details",
    }
    parameters = spec["components"]["schemas"]["OperationParameters"]["properties"]
    assert {"pool_id", "project_id", "training_id"} <= set(parameters)


def test_documented_enum_values(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert schemas["KnownPoolStatus"]["enum"] == ["OPEN", "CLOSED", "ARCHIVED", "LOCKED"]
    assert schemas["KnownAssignmentStatus"]["enum"] == [
        "ACCEPTED",
        "ACTIVE",
        "EXPIRED",
        "REJECTED",
        "SKIPPED",
        "SUBMITTED",
    ]
    assert schemas["KnownOperationStatus"]["enum"] == ["PENDING", "RUNNING", "SUCCESS", "FAIL"]
    assert set(schemas["KnownOperationType"]["enum"]) == PUBLIC_OPERATION_TYPES


@pytest.mark.parametrize(
    "name", ["OperationStatus", "OperationType", "PoolStatus", "AssignmentStatus"]
)
def test_enums_accept_values_added_later(spec: dict[str, Any], name: str) -> None:
    validator = schema_validator(spec, f"/components/schemas/{name}")
    validator.validate("SOMETHING_NEW")
    assert not validator.is_valid(42)


def test_timestamps_are_utc_without_offset(spec: dict[str, Any]) -> None:
    validator = schema_validator(spec, "/components/schemas/Timestamp")
    validator.validate("2016-04-07T16:06:15.902")
    validator.validate("2016-04-07T16:06:15")
    assert not validator.is_valid("2016-04-07T16:06:15+03:00")


def test_pool_and_assignment_have_what_the_preflight_reads(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert {
        "id",
        "project_id",
        "private_name",
        "status",
        "last_started",
        "last_stopped",
        "created",
    } <= set(schemas["Pool"]["properties"])
    assert {"id", "pool_id", "status", "rejected"} <= set(schemas["Assignment"]["properties"])
    query = {p["name"] for p in spec["paths"]["/assignments"]["get"]["parameters"]}
    assert {"pool_id", "status", "sort", "limit"} <= query


def test_error_schema(spec: dict[str, Any]) -> None:
    error = spec["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"request_id", "code", "message", "payload"}
    assert "payload" not in error["required"]


EXAMPLE_SCHEMAS = {
    "ArchiveOperationSuccess": "/components/schemas/Operation",
    "InappropriateStatus": "/components/schemas/Error",
}


def test_documented_examples_match_their_schemas(spec: dict[str, Any]) -> None:
    found = spec["components"]["examples"]
    assert set(found) == set(EXAMPLE_SCHEMAS)
    for name, ref in EXAMPLE_SCHEMAS.items():
        schema_validator(spec, ref).validate(found[name]["value"])
    archive = found["ArchiveOperationSuccess"]["value"]
    assert (archive["type"], archive["status"], archive["progress"]) == (
        "POOL.ARCHIVE",
        "SUCCESS",
        100,
    )
    assert archive["parameters"]["pool_id"]
    conflict = found["InappropriateStatus"]["value"]
    assert conflict["code"] == "INAPPROPRIATE_STATUS"
    assert conflict["payload"]["appropriate_statuses"]
