"""The contract: openapi.yaml is valid and agrees with Toloka's public API reference.

The expected values below are copied from Toloka's public reference (`fullApi.yaml` in the
Toloka/docs repository) and its prose docs, so that a change to the spec that drifts from the
real API fails here rather than in production.

The tests pin what must be there and what must agree with the reference, never the absence of
anything new: adding an optional field, a documented enum value, a response or an example (edit
openapi.yaml, `make generate`, commit) keeps them passing. Where something must stay out, the
test says why.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from jsonschema import FormatChecker
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from toloka_archive._wire.endpoints import MAX_PAGE_SIZE

from tests.contract.conftest import SPEC_PATH

ERROR_STATUSES = {"400", "401", "403", "404", "409", "429", "500", "503"}

# Answered by gateways in front of Toloka with an HTML page, so never declared with a JSON body:
# the generated client would parse the page as JSON (the same reason there is no `default`).
HTML_STATUSES = {"502", "504"}

SERVERS = {"https://toloka.dev/api/v1", "https://sandbox.toloka.dev/api/v1"}

# Toloka's documented Operation fields; the first four are in every answer, a pending
# operation's too, and the rest are not (nothing has started, finished or progressed yet).
OPERATION_FIELDS = {
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
OPERATION_REQUIRED = {"id", "type", "status", "submitted"}

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


# The query parameters of `GET /operations` in Toloka's reference, all optional.
OPERATION_LIST_PARAMETERS = {
    "type",
    "status",
    "sort",
    "limit",
    *(f"id_{relation}" for relation in ("gt", "gte", "lt", "lte")),
    *(f"submitted_{relation}" for relation in ("gt", "gte", "lt", "lte")),
    *(f"finished_{relation}" for relation in ("gt", "gte", "lt", "lte")),
}


def schema_validator(spec: dict[str, Any], ref: str) -> OAS30Validator:
    """A validator for one component schema, resolving `$ref`s inside the whole document."""
    # `#/components/...` resolves against the root of the schema, so carry the components along.
    return OAS30Validator({"$ref": f"#{ref}", "components": spec["components"]})


def operations(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in spec["paths"].values():
        for method in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
            if method in item:
                yield item[method]


def schema_ref(name: str) -> str:
    return f"#/components/schemas/{name}"


def shown_examples(spec: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each component example's name, with the schemas of the media types that show it."""
    responses = [
        response for operation in operations(spec) for response in operation["responses"].values()
    ]
    responses += spec["components"].get("responses", {}).values()
    shown: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for response in responses:
        for media in response.get("content", {}).values():
            for example in media.get("examples", {}).values():
                if "$ref" in example:
                    name = example["$ref"].removeprefix("#/components/examples/")
                    shown[name].append(media["schema"])
    return shown


def test_spec_is_valid_openapi(spec: dict[str, Any]) -> None:
    validate(spec, base_uri=SPEC_PATH.as_uri())
    assert spec["openapi"].startswith("3.0")


def test_servers_are_production_and_sandbox(spec: dict[str, Any]) -> None:
    urls = {server["url"] for server in spec["servers"]}
    assert urls >= SERVERS
    # The key travels to every server listed: each one is Toloka's, over HTTPS.
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https", url
        assert parts.hostname == "toloka.dev" or str(parts.hostname).endswith(".toloka.dev"), url


def test_security_is_the_authorization_header_in_both_forms(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    header = [
        name
        for name, scheme in schemes.items()
        if (scheme["type"], scheme.get("in"), scheme.get("name"))
        == ("apiKey", "header", "Authorization")
    ]
    assert len(header) == 1, header
    (name,) = header
    assert "ApiKey <key>" in schemes[name]["description"]
    assert "OAuth <token>" in schemes[name]["description"]
    # Every call can be made with the header alone.
    for operation in operations(spec):
        assert {name: []} in operation.get("security", spec["security"]), operation["operationId"]


@pytest.mark.parametrize(
    ("path", "method", "operation_id", "success"),
    [
        ("/pools/{id}/archive", "post", "archivePool", {"202", "204"}),
        ("/pools/{id}/close", "post", "closePool", {"202", "204"}),
        ("/operations/{id}", "get", "getOperation", {"200"}),
        ("/operations/{id}/log", "get", "getOperationLog", {"200"}),
        ("/pools/{id}", "get", "getPool", {"200"}),
        ("/assignments", "get", "getAssignments", {"200"}),
        ("/projects/{id}", "get", "getProject", {"200"}),
        ("/projects/{id}/archive", "post", "archiveProject", {"202", "204"}),
        ("/trainings/{id}/archive", "post", "archiveTraining", {"202", "204"}),
        ("/trainings/{id}/close", "post", "closeTraining", {"202", "204"}),
        ("/trainings/{id}", "get", "getTraining", {"200"}),
    ],
)
def test_paths_methods_and_statuses(
    spec: dict[str, Any], path: str, method: str, operation_id: str, success: set[str]
) -> None:
    operation = spec["paths"][path][method]
    assert operation["operationId"] == operation_id
    responses = set(operation["responses"])
    assert responses >= success
    assert responses >= ERROR_STATUSES - ({"409"} if method == "get" else set())
    assert "default" not in responses, "a default response would parse an HTML 502 as JSON"
    assert not responses & HTML_STATUSES, "the generated client would parse an HTML page as JSON"


def test_archive_has_no_body_and_an_empty_204(spec: dict[str, Any]) -> None:
    archive = spec["paths"]["/pools/{id}/archive"]["post"]
    assert "requestBody" not in archive
    assert "content" not in archive["responses"]["204"]
    assert archive["responses"]["202"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Operation"
    }


def test_project_archive_is_documented_and_its_assumptions_are_marked(
    spec: dict[str, Any],
) -> None:
    archive = spec["paths"]["/projects/{id}/archive"]["post"]
    assert archive["tags"] == ["project"]  # so: toloka_archive_api.api.project.archive_project
    assert "requestBody" not in archive
    assert "content" not in archive["responses"]["204"]
    accepted = archive["responses"]["202"]["content"]["application/json"]
    assert accepted["schema"] == {"$ref": schema_ref("Operation")}
    # Toloka documents the 202 only; what we assumed says so where a reader looks.
    for text in (archive["description"], archive["responses"]["204"]["description"]):
        assert "assumption" in text
    conflict = archive["responses"]["409"]
    assert "UNARCHIVED_POOLS_CONFLICT" in conflict["description"]
    assert conflict["content"]["application/json"]["schema"] == {"$ref": schema_ref("Error")}
    assert "toloka-kit" in archive["description"]
    # The trainings must be archived too: the reference names the pools only, so it is marked.
    assert "POST /trainings/{id}/archive" in archive["description"]
    assert "trainings must be archived too is **our" in " ".join(archive["description"].split())
    assert "training" in conflict["description"]
    get = spec["paths"]["/projects/{id}"]["get"]
    assert get["tags"] == ["project"]  # so: toloka_archive_api.api.project.get_project
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": schema_ref("Project")
    }


def test_close_is_documented_and_its_assumptions_are_marked(spec: dict[str, Any]) -> None:
    close = spec["paths"]["/pools/{id}/close"]["post"]
    assert close["tags"] == ["pool"]  # so: toloka_archive_api.api.pool.close_pool
    assert "requestBody" not in close
    assert "content" not in close["responses"]["204"]
    accepted = close["responses"]["202"]["content"]["application/json"]
    assert accepted["schema"] == {"$ref": schema_ref("Operation")}
    # Toloka documents the 202 and the 204; the 409s are ours, and say so.
    assert "POOL.CLOSE" in close["description"]
    assert "assumption" in close["description"]
    conflict = close["responses"]["409"]
    for code in ("POOL_LOCKED_BY_ANOTHER_OPERATION", "INAPPROPRIATE_STATUS"):
        assert code in conflict["description"]
        assert code in close["description"]
    assert conflict["content"]["application/json"]["schema"] == {"$ref": schema_ref("Error")}
    # Closing stops the pool's work: the contract says it is done only when the user asks.
    assert "only when" in spec["info"]["description"]


def test_close_example_is_tolokas(spec: dict[str, Any]) -> None:
    # Copied from Toloka's docs (responses/api/pool-close-operation.yaml).
    example = spec["components"]["examples"]["CloseOperationSuccess"]["value"]
    assert example == {
        "id": "019587fd-b536-49f8-b6dc-01ffc25f8594",
        "type": "POOL.CLOSE",
        "status": "SUCCESS",
        "submitted": "2022-04-07T16:06:15.902",
        "started": "2022-04-07T16:06:15.902",
        "finished": "2022-04-07T16:06:15.902",
        "progress": 100,
        "parameters": {"pool_id": "21"},
    }


def test_project_archive_example_is_tolokas(spec: dict[str, Any]) -> None:
    # Copied from Toloka's docs (responses/api/project-archive-operation.yaml).
    example = spec["components"]["examples"]["ProjectArchiveOperationSuccess"]["value"]
    assert example == {
        "id": "57068577e4b0bf7b07a0256f",
        "type": "PROJECT.ARCHIVE",
        "status": "SUCCESS",
        "submitted": "2022-04-07T16:06:15.902",
        "started": "2022-04-07T16:06:15.902",
        "finished": "2022-04-07T16:06:15.902",
        "progress": 100,
        "parameters": {"project_id": "1"},
        "details": {},
    }


@pytest.mark.parametrize(
    ("path", "operation_id", "operation_type", "example", "lock_example"),
    [
        (
            "/trainings/{id}/archive",
            "archiveTraining",
            "TRAINING.ARCHIVE",
            "TrainingArchiveOperationSuccess",
            "TrainingLockedByAnotherOperation",
        ),
        (
            "/trainings/{id}/close",
            "closeTraining",
            "TRAINING.CLOSE",
            "TrainingCloseOperationSuccess",
            "TrainingLockedByAnotherOperation",
        ),
    ],
)
def test_training_archive_and_close_are_documented_and_their_assumptions_are_marked(
    spec: dict[str, Any],
    path: str,
    operation_id: str,
    operation_type: str,
    example: str,
    lock_example: str,
) -> None:
    call = spec["paths"][path]["post"]
    assert call["operationId"] == operation_id
    assert call["tags"] == ["training"]  # so: toloka_archive_api.api.training.<snake case>
    assert "requestBody" not in call
    assert "content" not in call["responses"]["204"]
    accepted = call["responses"]["202"]["content"]["application/json"]
    assert accepted["schema"] == {"$ref": schema_ref("Operation")}
    shown = {media["$ref"].split("/")[-1] for media in accepted["examples"].values()}
    assert shown == {example}
    # Toloka documents the 202 and the 204; the 409s are ours, and say so.
    description = call["description"]
    assert operation_type in description
    assert "parameters.training_id" in description
    assert "assumption" in description
    assert "payload.operation_id" in description
    conflict = call["responses"]["409"]
    for code in ("TRAINING_LOCKED_BY_ANOTHER_OPERATION", "INAPPROPRIATE_STATUS"):
        assert code in conflict["description"]
        assert code in description
    assert conflict["content"]["application/json"]["schema"] == {"$ref": schema_ref("Error")}
    examples = {
        media["$ref"].split("/")[-1]
        for media in conflict["content"]["application/json"]["examples"].values()
    }
    assert lock_example in examples
    lock = spec["components"]["examples"][lock_example]["value"]
    assert lock["code"] == "TRAINING_LOCKED_BY_ANOTHER_OPERATION"
    assert lock["payload"]["operation_id"]


def test_a_training_is_archived_after_the_pools_that_require_it(spec: dict[str, Any]) -> None:
    archive = spec["paths"]["/trainings/{id}/archive"]["post"]
    description = " ".join(archive["description"].split())
    assert "`CLOSED`" in description
    assert "quality_control.training_requirement.training_pool_id" in description
    assert "TRAINING_ARCHIVE_CONFLICT" in description
    assert "TRAINING_ARCHIVE_CONFLICT" in archive["responses"]["409"]["description"]
    examples = spec["components"]["examples"]
    conflict = examples["TrainingArchiveConflict"]["value"]
    assert conflict["code"] == "TRAINING_ARCHIVE_CONFLICT"
    status = examples["ArchiveTrainingInappropriateStatus"]["value"]
    assert (status["code"], status["payload"]["appropriate_statuses"]) == (
        "INAPPROPRIATE_STATUS",
        ["CLOSED"],
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Copied from Toloka's docs (responses/api/training-archive-operation.yaml).
        (
            "TrainingArchiveOperationSuccess",
            {
                "id": "95029e60-eace-4a3e-96b9-c72c5e727218",
                "type": "TRAINING.ARCHIVE",
                "status": "SUCCESS",
                "submitted": "2022-04-07T16:06:15.902",
                "started": "2022-04-07T16:06:15.902",
                "finished": "2022-04-07T16:06:15.902",
                "progress": 100,
                "parameters": {"training_id": "1245598"},
                "details": {},
            },
        ),
        # Copied from Toloka's docs (responses/api/training-close-operation.yaml).
        (
            "TrainingCloseOperationSuccess",
            {
                "id": "52829015-033f-4c3a-a7cc-0d7eff235663",
                "type": "TRAINING.CLOSE",
                "status": "SUCCESS",
                "submitted": "2022-04-07T16:06:15.902",
                "started": "2022-04-07T16:06:15.902",
                "finished": "2022-04-07T16:06:15.902",
                "progress": 100,
                "parameters": {"training_id": "123456"},
                "details": {},
            },
        ),
    ],
)
def test_training_operation_examples_are_tolokas(
    spec: dict[str, Any], name: str, expected: dict[str, Any]
) -> None:
    assert spec["components"]["examples"][name]["value"] == expected


def test_operation_has_every_public_field(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    operation = schemas["Operation"]
    properties = operation["properties"]
    assert set(properties) >= OPERATION_FIELDS
    required = set(operation["required"])
    assert required >= OPERATION_REQUIRED
    assert not required & (OPERATION_FIELDS - OPERATION_REQUIRED), "a pending operation lacks it"
    # Fields Toloka adds later are read and kept, not refused.
    assert operation.get("additionalProperties", True) is not False
    # The documented fields are what the reference says they are.
    assert properties["id"]["type"] == "string"
    assert properties["type"]["$ref"] == schema_ref("OperationType")
    assert properties["status"]["$ref"] == schema_ref("OperationStatus")
    for name in ("submitted", "started", "finished"):
        assert properties[name]["$ref"] == schema_ref("Timestamp"), name
    progress = properties["progress"]
    assert (progress["type"], progress["minimum"], progress["maximum"]) == ("integer", 0, 100)
    assert properties["parameters"]["$ref"] == schema_ref("OperationParameters")
    assert properties["details"]["type"] == "object"
    parameters = schemas["OperationParameters"]
    assert {"pool_id", "project_id", "training_id"} <= set(parameters["properties"])
    assert parameters.get("additionalProperties", True) is not False


def test_documented_enum_values(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert set(schemas["KnownPoolStatus"]["enum"]) >= {"OPEN", "CLOSED", "ARCHIVED", "LOCKED"}
    assert set(schemas["KnownAssignmentStatus"]["enum"]) >= {
        "ACCEPTED",
        "ACTIVE",
        "EXPIRED",
        "REJECTED",
        "SKIPPED",
        "SUBMITTED",
    }
    assert set(schemas["KnownOperationStatus"]["enum"]) >= {"PENDING", "RUNNING", "SUCCESS", "FAIL"}
    assert set(schemas["KnownOperationType"]["enum"]) >= PUBLIC_OPERATION_TYPES
    assert set(schemas["KnownProjectStatus"]["enum"]) >= {"ACTIVE", "ARCHIVED"}
    assert set(schemas["KnownTrainingStatus"]["enum"]) >= {"OPEN", "CLOSED", "ARCHIVED", "LOCKED"}


@pytest.mark.parametrize(
    "name",
    [
        "OperationStatus",
        "OperationType",
        "PoolStatus",
        "TrainingStatus",
        "AssignmentStatus",
        "ProjectStatus",
    ],
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
    assert not validator.is_valid("2016-04-07T16:06:15.902Z")
    assert not validator.is_valid("2016-04-07")


def test_timestamps_pass_a_validator_that_checks_formats(spec: dict[str, Any]) -> None:
    """`format: date-time` is RFC 3339, which requires an offset: a validator that checks
    formats would refuse every timestamp Toloka sends. So the schema states the form with a
    pattern, and has no such format."""
    timestamp = spec["components"]["schemas"]["Timestamp"]
    assert "format" not in timestamp
    assert timestamp["pattern"]
    strict = OAS30Validator(
        {"$ref": schema_ref("Operation"), "components": spec["components"]},
        format_checker=FormatChecker(),
    )
    # The format checker is not vacuous: it does refuse an offset-free RFC 3339 date-time.
    assert not FormatChecker().conforms("2016-04-07T16:06:15.902", "date-time")
    example = spec["components"]["examples"]["ArchiveOperationSuccess"]["value"]
    strict.validate(example)


def test_no_schema_declares_a_date_time_format(spec: dict[str, Any]) -> None:
    found: list[str] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            if node.get("format") in ("date-time", "date"):
                found.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(spec, "#")
    assert found == []


POOL_FIELDS = {
    "id",
    "project_id",
    "private_name",
    "type",
    "status",
    "last_close_reason",
    "created",
    "last_started",
    "last_stopped",
}
PROJECT_FIELDS = {"id", "status", "public_name", "created"}
TRAINING_FIELDS = POOL_FIELDS - {"type"}  # the reference's training has no `type`


@pytest.mark.parametrize(
    ("name", "fields", "moments"),
    [
        ("Pool", POOL_FIELDS, ("created", "last_started", "last_stopped")),
        ("Project", PROJECT_FIELDS, ("created",)),
        ("Training", TRAINING_FIELDS, ("created", "last_started", "last_stopped")),
    ],
)
def test_pool_and_project_have_what_archiving_reads(
    spec: dict[str, Any], name: str, fields: set[str], moments: tuple[str, ...]
) -> None:
    schema = spec["components"]["schemas"][name]
    properties = schema["properties"]
    assert set(properties) >= fields
    # Only the id and the status are always there; fields Toloka sends that we do not name
    # (settings, owner, ...) are read and kept, not refused.
    assert set(schema["required"]) == {"id", "status"}
    assert schema.get("additionalProperties", True) is not False
    assert properties["status"] == {"$ref": schema_ref(f"{name}Status")}
    for moment in moments:
        assert properties[moment] == {"$ref": schema_ref("Timestamp")}, moment
    validator = schema_validator(spec, f"/components/schemas/{name}")
    validator.validate({"id": "1", "status": "SOMETHING_NEW", "brand_new": {"x": 1}})
    assert not validator.is_valid({"id": "1"})
    assert not validator.is_valid({"id": "1", "status": "ACTIVE", "created": "2022-01-01Z"})


@pytest.mark.parametrize(("name", "item"), [("PoolPage", "Pool"), ("TrainingPage", "Training")])
def test_pool_page(spec: dict[str, Any], name: str, item: str) -> None:
    page = spec["components"]["schemas"][name]
    assert set(page["required"]) >= {"items", "has_more"}
    assert page["properties"]["items"]["items"] == {"$ref": schema_ref(item)}
    assert page["properties"]["has_more"]["type"] == "boolean"


def test_a_pool_names_the_training_it_requires(spec: dict[str, Any]) -> None:
    """`quality_control.training_requirement` as Toloka's reference states it (PoolQualityControl,
    TrainingRequirement): both of its properties required, the rest of quality control kept."""
    schemas = spec["components"]["schemas"]
    quality = schemas["Pool"]["properties"]["quality_control"]
    assert quality == {"$ref": schema_ref("PoolQualityControl")}
    assert "quality_control" not in schemas["Pool"]["required"]
    control = schemas["PoolQualityControl"]
    assert control["properties"]["training_requirement"] == {
        "$ref": schema_ref("TrainingRequirement")
    }
    assert control.get("additionalProperties", True) is not False
    requirement = schemas["TrainingRequirement"]
    assert set(requirement["required"]) == {"training_pool_id", "training_passing_skill_value"}
    assert requirement["properties"]["training_pool_id"]["type"] == "string"
    skill = requirement["properties"]["training_passing_skill_value"]
    assert (skill["type"], skill["minimum"], skill["maximum"]) == ("integer", 0, 100)
    validator = schema_validator(spec, "/components/schemas/Pool")
    required = {"training_pool_id": "1239110", "training_passing_skill_value": 80}
    validator.validate({"id": "1", "status": "CLOSED"})
    validator.validate({"id": "1", "status": "CLOSED", "quality_control": {"configs": []}})
    validator.validate(
        {"id": "1", "status": "CLOSED", "quality_control": {"training_requirement": required}}
    )
    for broken in ({"training_pool_id": "1239110"}, {**required, "training_pool_id": 1239110}):
        body = {"id": "1", "status": "CLOSED", "quality_control": {"training_requirement": broken}}
        assert not validator.is_valid(body), broken


def test_the_documented_training_is_a_training(spec: dict[str, Any]) -> None:
    # Copied from Toloka's docs (responses/api/training-id.yaml): what the schema does not name
    # (settings, owner) is allowed and kept.
    example = spec["components"]["examples"]["DocumentedTraining"]["value"]
    schema_validator(spec, "/components/schemas/Training").validate(example)
    assert (example["id"], example["project_id"], example["status"]) == (
        "31226418",
        "74175",
        "OPEN",
    )


def test_pool_and_assignment_have_what_the_preflight_reads(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert {"id", "pool_id", "status", "rejected"} <= set(schemas["Assignment"]["properties"])
    query = {p["name"] for p in spec["paths"]["/assignments"]["get"]["parameters"]}
    assert {"pool_id", "status", "sort", "limit"} <= query


def test_error_schema(spec: dict[str, Any]) -> None:
    error = spec["components"]["schemas"]["Error"]
    assert set(error["properties"]) >= {"request_id", "code", "message", "payload"}
    assert set(error["required"]) >= {"request_id", "code", "message"}
    assert "payload" not in error["required"]


EXAMPLE_SCHEMAS = {
    "ArchiveOperationSuccess": "/components/schemas/Operation",
    "ArchiveTrainingInappropriateStatus": "/components/schemas/Error",
    "CloseOperationSuccess": "/components/schemas/Operation",
    "CloseInappropriateStatus": "/components/schemas/Error",
    "DocumentedTraining": "/components/schemas/Training",
    "InappropriateStatus": "/components/schemas/Error",
    "PoolLockedByAnotherOperation": "/components/schemas/Error",
    "ProjectArchiveOperationSuccess": "/components/schemas/Operation",
    "TrainingArchiveConflict": "/components/schemas/Error",
    "TrainingArchiveOperationSuccess": "/components/schemas/Operation",
    "TrainingCloseOperationSuccess": "/components/schemas/Operation",
    "TrainingLockedByAnotherOperation": "/components/schemas/Error",
    "UnarchivedPools": "/components/schemas/Error",
}


def test_every_example_matches_the_schemas_that_show_it(spec: dict[str, Any]) -> None:
    shown = shown_examples(spec)
    for name, example in spec["components"]["examples"].items():
        assert shown[name], f"{name} is shown by no response, so nothing checks it"
        for schema in shown[name]:
            OAS30Validator({**schema, "components": spec["components"]}).validate(example["value"])


def test_documented_examples_match_their_schemas(spec: dict[str, Any]) -> None:
    found = spec["components"]["examples"]
    assert set(found) >= set(EXAMPLE_SCHEMAS)
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


def list_parameters(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    listing = spec["paths"]["/operations"]["get"]
    return {parameter["name"]: parameter for parameter in listing["parameters"]}


def parameter_validator(spec: dict[str, Any], parameter: dict[str, Any]) -> OAS30Validator:
    return OAS30Validator({**parameter["schema"], "components": spec["components"]})


def test_the_operation_list_call(spec: dict[str, Any]) -> None:
    listing = spec["paths"]["/operations"]["get"]
    assert listing["operationId"] == "getOperations"
    assert listing["tags"] == ["operation"]  # so: toloka_archive_api.api.operation.get_operations
    responses = set(listing["responses"])
    assert responses >= {"200", "400", "401", "403", "429", "500", "503"}
    assert "default" not in responses, "a default response would parse an HTML 502 as JSON"
    assert not responses & HTML_STATUSES, "the generated client would parse an HTML page as JSON"
    assert listing["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": schema_ref("OperationPage")
    }
    assert "requestBody" not in listing


def test_the_operation_list_parameters_agree_with_the_reference(spec: dict[str, Any]) -> None:
    parameters = list_parameters(spec)
    assert set(parameters) >= OPERATION_LIST_PARAMETERS
    for name, parameter in parameters.items():
        assert parameter["in"] == "query", name
        assert not parameter.get("required", False), name
    sort = parameters["sort"]
    assert sort["schema"]["type"] == "string"
    for key in ("`id`", "`submitted`", "`finished`", "hyphen"):
        assert key in sort["description"]
    for name in ("id_gt", "id_gte", "id_lt", "id_lte"):
        assert parameters[name]["schema"]["type"] == "string", name


def test_the_operation_list_limit_is_our_contract(spec: dict[str, Any]) -> None:
    # Toloka's reference, "Filtering requests" (the general rule for every list): 50 by default,
    # 300 at most. toloka-kit's docstrings say 500 for this call; the reference does not.
    parameter = list_parameters(spec)["limit"]
    limit = parameter["schema"]
    assert (limit["type"], limit["minimum"], limit["maximum"], limit["default"]) == (
        "integer",
        1,
        300,
        50,
    )
    validator = parameter_validator(spec, parameter)
    assert not validator.is_valid(0)
    assert not validator.is_valid(301)


def test_no_list_in_the_spec_or_the_client_asks_for_more_than_300(spec: dict[str, Any]) -> None:
    # The reference's "Filtering requests": 300 at most, for every list. The client's page size and
    # its look-ups' growing pages stop there too.
    limits = {
        path: parameter["schema"]["maximum"]
        for path, item in spec["paths"].items()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if isinstance(parameter, dict) and parameter.get("name") == "limit"
    }
    assert set(limits) == {"/pools", "/trainings", "/assignments", "/operations"}
    assert set(limits.values()) == {300}
    assert MAX_PAGE_SIZE == 300


@pytest.mark.parametrize(
    ("name", "documented"),
    [("type", PUBLIC_OPERATION_TYPES), ("status", {"PENDING", "RUNNING", "SUCCESS", "FAIL"})],
)
def test_the_list_filters_by_any_type_or_status(
    spec: dict[str, Any], name: str, documented: set[str]
) -> None:
    """The documented values are listed, and one Toloka adds later is not refused."""
    validator = parameter_validator(spec, list_parameters(spec)[name])
    for value in (*documented, "SOMETHING_NEW"):
        validator.validate(value)
    assert not validator.is_valid(42)


@pytest.mark.parametrize(
    "name",
    [f"{field}_{r}" for field in ("submitted", "finished") for r in ("gt", "gte", "lt", "lte")],
)
def test_the_list_date_filters_take_a_utc_date_time_or_a_date(
    spec: dict[str, Any], name: str
) -> None:
    validator = parameter_validator(spec, list_parameters(spec)[name])
    for value in ("2022-12-01", "2022-12-01T10:00:00", "2022-12-01T10:00:00.250"):
        validator.validate(value)
    for value in ("2022-12-01T10:00:00Z", "2022-12-01T10:00:00+03:00", "yesterday", "2022-12"):
        assert not validator.is_valid(value), value


def test_operation_page(spec: dict[str, Any]) -> None:
    page = spec["components"]["schemas"]["OperationPage"]
    assert set(page["required"]) >= {"items", "has_more"}
    assert page["properties"]["items"]["items"] == {"$ref": schema_ref("Operation")}
    assert page["properties"]["has_more"]["type"] == "boolean"
    validator = schema_validator(spec, "/components/schemas/OperationPage")
    example = spec["components"]["examples"]["ArchiveOperationSuccess"]["value"]
    validator.validate({"items": [example], "has_more": False})
    assert not validator.is_valid({"items": [example]})


# -- GET /pools --------------------------------------------------------------------------------

# The query parameters of `GET /pools` in Toloka's reference, all optional.
POOL_LIST_PARAMETERS = {
    "status",
    "project_id",
    "sort",
    "limit",
    *(f"id_{relation}" for relation in ("gt", "gte", "lt", "lte")),
    *(f"created_{relation}" for relation in ("gt", "gte", "lt", "lte")),
    *(f"last_started_{relation}" for relation in ("gt", "gte", "lt", "lte")),
}


def pool_list_parameters(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    listing = spec["paths"]["/pools"]["get"]
    return {parameter["name"]: parameter for parameter in listing["parameters"]}


def test_the_pool_list_call(spec: dict[str, Any]) -> None:
    listing = spec["paths"]["/pools"]["get"]
    assert listing["operationId"] == "getPools"
    assert listing["tags"] == ["pool"]  # so: toloka_archive_api.api.pool.get_pools
    responses = set(listing["responses"])
    assert responses >= {"200", "400", "401", "403", "429", "500", "503"}
    assert "default" not in responses, "a default response would parse an HTML 502 as JSON"
    assert not responses & HTML_STATUSES, "the generated client would parse an HTML page as JSON"
    assert listing["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": schema_ref("PoolPage")
    }
    assert "requestBody" not in listing


def test_the_pool_list_parameters_agree_with_the_reference(spec: dict[str, Any]) -> None:
    parameters = pool_list_parameters(spec)
    assert set(parameters) >= POOL_LIST_PARAMETERS
    for name, parameter in parameters.items():
        assert parameter["in"] == "query", name
        assert not parameter.get("required", False), name
    sort = parameters["sort"]
    assert sort["schema"]["type"] == "string"
    for key in ("`id`", "`created`", "`last_started`", "hyphen"):
        assert key in sort["description"]
    assert parameters["status"]["schema"] == {"$ref": schema_ref("PoolStatus")}
    for relation in ("gt", "gte", "lt", "lte"):
        for field in ("created", "last_started"):
            name = f"{field}_{relation}"
            assert parameters[name]["schema"] == {"$ref": schema_ref("DateFilter")}, name


def test_the_pool_list_limit(spec: dict[str, Any]) -> None:
    # The reference's general rule ("Filtering requests"): default 50, at most 300 (toloka-kit
    # agrees on 300). The drift check (test_drift.py) compares it with the reference's text.
    parameter = pool_list_parameters(spec)["limit"]
    limit = parameter["schema"]
    assert (limit["type"], limit["minimum"], limit["maximum"], limit["default"]) == (
        "integer",
        1,
        300,
        50,
    )
    validator = parameter_validator(spec, parameter)
    assert validator.is_valid(300)
    assert not validator.is_valid(0)
    assert not validator.is_valid(301)


def test_the_pool_list_filters_by_any_status(spec: dict[str, Any]) -> None:
    validator = parameter_validator(spec, pool_list_parameters(spec)["status"])
    for value in ("OPEN", "CLOSED", "ARCHIVED", "LOCKED", "SOMETHING_NEW"):
        validator.validate(value)
    assert not validator.is_valid(42)


# -- GET /trainings ----------------------------------------------------------------------------

# The query parameters of `GET /trainings` in Toloka's reference (all optional): those of
# `GET /pools`.
TRAINING_LIST_PARAMETERS = POOL_LIST_PARAMETERS


def training_list_parameters(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    listing = spec["paths"]["/trainings"]["get"]
    return {parameter["name"]: parameter for parameter in listing["parameters"]}


def test_the_training_list_call(spec: dict[str, Any]) -> None:
    listing = spec["paths"]["/trainings"]["get"]
    assert listing["operationId"] == "getTrainings"
    assert listing["tags"] == ["training"]  # so: toloka_archive_api.api.training.get_trainings
    responses = set(listing["responses"])
    assert responses >= {"200", "400", "401", "403", "429", "500", "503"}
    assert "default" not in responses, "a default response would parse an HTML 502 as JSON"
    assert not responses & HTML_STATUSES, "the generated client would parse an HTML page as JSON"
    assert listing["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": schema_ref("TrainingPage")
    }
    assert "requestBody" not in listing
    get = spec["paths"]["/trainings/{id}"]["get"]
    assert get["tags"] == ["training"]  # so: toloka_archive_api.api.training.get_training
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": schema_ref("Training")
    }


def test_the_training_list_parameters_agree_with_the_reference(spec: dict[str, Any]) -> None:
    parameters = training_list_parameters(spec)
    assert set(parameters) >= TRAINING_LIST_PARAMETERS
    for name, parameter in parameters.items():
        assert parameter["in"] == "query", name
        assert not parameter.get("required", False), name
    sort = parameters["sort"]
    assert sort["schema"]["type"] == "string"
    for key in ("`id`", "`created`", "`last_started`", "hyphen"):
        assert key in sort["description"]
    assert parameters["status"]["schema"] == {"$ref": schema_ref("TrainingStatus")}
    for relation in ("gt", "gte", "lt", "lte"):
        for field in ("created", "last_started"):
            name = f"{field}_{relation}"
            assert parameters[name]["schema"] == {"$ref": schema_ref("DateFilter")}, name
    limit = parameters["limit"]["schema"]
    assert (limit["type"], limit["minimum"], limit["maximum"], limit["default"]) == (
        "integer",
        1,
        300,
        50,
    )
    validator = parameter_validator(spec, parameters["status"])
    for value in ("OPEN", "CLOSED", "ARCHIVED", "LOCKED", "SOMETHING_NEW"):
        validator.validate(value)
    assert not validator.is_valid(42)


# -- ids are digits ----------------------------------------------------------------------------


# Every pool, training or project id the client sends, in a path or a query:
# (path, method, parameter).
DIGIT_IDS = {
    ("/pools/{id}/archive", "post", "id"),
    ("/pools/{id}/close", "post", "id"),
    ("/pools/{id}", "get", "id"),
    ("/trainings/{id}/archive", "post", "id"),
    ("/trainings/{id}/close", "post", "id"),
    ("/trainings/{id}", "get", "id"),
    ("/trainings", "get", "project_id"),
    *(("/trainings", "get", f"id_{relation}") for relation in ("gt", "gte", "lt", "lte")),
    ("/projects/{id}", "get", "id"),
    ("/projects/{id}/archive", "post", "id"),
    ("/assignments", "get", "pool_id"),
    ("/pools", "get", "project_id"),
    *(("/pools", "get", f"id_{relation}") for relation in ("gt", "gte", "lt", "lte")),
}


def every_parameter(spec: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if "$ref" in parameter:
                    parameter = spec["components"]["parameters"][parameter["$ref"].split("/")[-1]]
                found[path, method, parameter["name"]] = parameter
    return found


def test_pool_and_project_ids_are_digits_wherever_they_are_sent(spec: dict[str, Any]) -> None:
    parameters = every_parameter(spec)
    # Nothing is left out: every id in a pool, training or project path, and every
    # pool_id/project_id.
    for (path, method, name), parameter in parameters.items():
        if (
            parameter["in"] == "path" and path.startswith(("/pools", "/trainings", "/projects"))
        ) or name in ("pool_id", "project_id"):
            assert (path, method, name) in DIGIT_IDS, (path, method, name)
    for where in sorted(DIGIT_IDS):
        validator = parameter_validator(spec, parameters[where])
        for good in ("0", "32267581", "83859"):
            assert validator.is_valid(good), (where, good)
        for bad in ("", "abc", "12a", "1/2", "-1", " 1", "1.5"):
            assert not validator.is_valid(bad), (where, bad)


# -- what a request may carry ------------------------------------------------------------------


def test_date_filters_accept_exactly_the_real_moments(spec: dict[str, Any]) -> None:
    """The pattern checks the calendar: a date that does not exist (30 February, 29 February of
    a year that is not a leap year, month 13, year 0) or a time past 23:59:59 is refused, as
    Toloka refuses it, and every real one is accepted (schemathesis found the looser pattern
    letting `0000-00-00` through to a 400)."""
    pattern = re.compile(spec["components"]["schemas"]["DateFilter"]["pattern"])
    for year in (0, 1, 4, 100, 400, 1900, 2000, 2023, 2024, 2100, 9999):
        for month in range(14):
            for day in range(33):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                real = year >= 1 and 1 <= month <= 12 and 1 <= day <= monthrange(year, month)[1]
                assert bool(pattern.search(text)) == real, text
    for good in ("2024-02-29T23:59:59", "2022-12-01T00:00:00.5", "2022-12-01T10:00:00.250"):
        assert pattern.search(good), good
    for bad in (
        "2022-12-01T24:00:00",
        "2022-12-01T10:60:00",
        "2022-12-01T10:00:60",
        "2022-12-01T10:00",
    ):
        assert not pattern.search(bad), bad


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        ("/pools", ("id", "created", "last_started")),
        ("/trainings", ("id", "created", "last_started")),
        ("/operations", ("id", "submitted", "finished")),
        (
            "/assignments",
            ("id", "created", "submitted", "skipped", "expired", "accepted", "rejected"),
        ),
    ],
)
def test_sort_takes_only_the_documented_keys(
    spec: dict[str, Any], path: str, keys: tuple[str, ...]
) -> None:
    validator = parameter_validator(spec, every_parameter(spec)[path, "get", "sort"])
    for key in keys:
        for good in (key, f"-{key}", f"-{key},id", f"id,-{key},{key}"):
            assert validator.is_valid(good), good
    for bad in ("", "cost", "+id", "--id", "id,", ",id", "id,,id", "id, -id", "ID"):
        assert not validator.is_valid(bad), bad


def test_assignments_need_a_pool(spec: dict[str, Any]) -> None:
    """Toloka refuses `GET /assignments` without `pool_id`, `task_id` or `task_suite_id`, and
    only `pool_id` is declared here."""
    assert every_parameter(spec)["/assignments", "get", "pool_id"]["required"] is True


# -- links ---------------------------------------------------------------------------------------


def links(spec: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """``(operationId, status, link name, link)`` for every link of the spec."""
    for operation in operations(spec):
        for status, response in operation["responses"].items():
            for name, link in response.get("links", {}).items():
                yield operation["operationId"], status, name, link


def test_every_link_leads_to_an_operation_and_its_parameters(spec: dict[str, Any]) -> None:
    by_id = {operation["operationId"]: operation for operation in operations(spec)}
    parameters = every_parameter(spec)
    paths = {
        operation["operationId"]: (path, method)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    }
    found = list(links(spec))
    assert found
    for source, status, name, link in found:
        assert status.startswith("2"), (source, name)
        assert link["operationId"] in by_id, (source, name)
        path, method = paths[link["operationId"]]
        for parameter, expression in link["parameters"].items():
            assert (path, method, parameter) in parameters, (source, name, parameter)
            assert expression.startswith(("$response.body#/", "$request.path.")), expression


@pytest.mark.parametrize(
    "source", ["archivePool", "archiveProject", "closePool", "archiveTraining", "closeTraining"]
)
def test_an_archive_links_to_its_operation_and_log(spec: dict[str, Any], source: str) -> None:
    """The stateful run of schemathesis follows these from a real `202` (test_schemathesis)."""
    targets = {
        (link["operationId"], link["parameters"]["id"])
        for operation_id, status, _, link in links(spec)
        if (operation_id, status) == (source, "202")
    }
    assert targets >= {
        ("getOperation", "$response.body#/id"),
        ("getOperationLog", "$response.body#/id"),
    }
