"""The drift check: openapi.yaml against the vendored copy of Toloka's reference.

The first test is the check itself (tests/contract/drift.py says what it compares and how).
The others feed it a reference changed in one way each and check that the change is reported
in its class (breaking, drift, stale deviation), and that scripts/refresh_reference.py reads a
docs checkout back into the very files vendored here. Offline: the copy is in the repository.
"""

from __future__ import annotations

import copy
import importlib.util
import subprocess
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from tests.contract import drift

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "refresh_reference.py"

Documents = dict[str, Any]


@pytest.fixture(scope="module")
def documents() -> Documents:
    return {
        "reference": drift.load(drift.REFERENCE),
        "prose": drift.load(drift.PROSE),
        "spec": drift.load(drift.SPEC),
        "deviations": drift.load(drift.DEVIATIONS),
    }


def run(documents: Documents, change: Callable[[Documents], object]) -> drift.Report:
    """The check of a copy of the documents, after `change` has edited the copy."""
    changed = copy.deepcopy(documents)
    change(changed)
    return drift.check(**changed)


def found(report: drift.Report) -> set[tuple[str, str, str, str]]:
    return {
        (item.severity, item.kind, item.operation, item.where)
        for item in [*report.breaking, *report.drift]
    }


def test_openapi_agrees_with_the_reference_or_says_why() -> None:
    report = drift.check_files()
    assert report.ok, report.text()
    # Not vacuous: every operation of openapi.yaml was compared, and the deviations did work.
    assert report.figures["operations"] == len(list(drift.routes(drift.load(drift.SPEC))))
    assert report.figures["parameters"] > 50
    assert report.figures["properties"] > 100
    assert len(report.explained) >= 20


# -- one change at a time -------------------------------------------------------------------------


def operation(documents: Documents, path: str, method: str = "get") -> dict[str, Any]:
    return documents["reference"]["paths"][path][method]


def body(documents: Documents, path: str, code: str, method: str = "get") -> dict[str, Any]:
    response = operation(documents, path, method)["responses"][code]
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return schema


def fact(documents: Documents, name: str) -> dict[str, Any]:
    found: dict[str, Any] = documents["prose"]["facts"][name]
    return found


def remove_a_field_we_read(documents: Documents) -> None:
    del body(documents, "/operations/{id}", "200")["properties"]["progress"]


def add_a_required_parameter(documents: Documents) -> None:
    operation(documents, "/operations")["parameters"].append(
        {"name": "project_id", "in": "query", "required": True, "schema": {"type": "string"}}
    )


def require_a_parameter_we_leave_out(documents: Documents) -> None:
    for parameter in operation(documents, "/pools")["parameters"]:
        if parameter["name"] == "status":
            parameter["required"] = True


def add_an_enum_value(documents: Documents) -> None:
    body(documents, "/operations/{id}", "200")["properties"]["type"]["enum"].append("POOL.DELETE")


def lower_the_page_limit(documents: Documents) -> None:
    fact(documents, "page_limit")["value"]["maximum"] = 200


def drop_a_route(documents: Documents) -> None:
    del documents["reference"]["paths"]["/pools/{id}/close"]


def drop_a_parameter_we_send(documents: Documents) -> None:
    # From both lists that page by it, so that no difference is left for its deviation.
    for path in ("/pools", "/trainings"):
        listing = operation(documents, path)
        listing["parameters"] = [p for p in listing["parameters"] if p["name"] != "id_gt"]


def retype_a_field_we_read(documents: Documents) -> None:
    body(documents, "/pools", "200")["properties"]["has_more"]["type"] = "string"


def add_a_success_code(documents: Documents) -> None:
    operation(documents, "/pools/{id}/archive", "post")["responses"]["200"] = {"description": "OK"}


def add_an_optional_parameter(documents: Documents) -> None:
    operation(documents, "/pools")["parameters"].append(
        {"name": "owner", "in": "query", "schema": {"type": "string"}}
    )


def change_the_rejection_window(documents: Documents) -> None:
    fact(documents, "rejection_window_days")["value"] = 7


def lose_the_204_note(documents: Documents) -> None:
    fact(documents, "archive_when_archived").update(excerpt=None, value=None)


def drop_an_error_field(documents: Documents) -> None:
    del fact(documents, "error_fields")["value"]["request_id"]


def drop_a_server(documents: Documents) -> None:
    documents["reference"]["servers"] = documents["reference"]["servers"][:1]


# What a removal also leaves stale: a deviation about the removed thing explains nothing now.
STALE_AFTER = {
    drop_a_route: ["close-409s: matches no difference any more"],
    drop_a_parameter_we_send: ["digits-only-ids: 'query id_gt' matches no difference any more"],
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            remove_a_field_we_read,
            {("breaking", "body.missing", "GET /operations/{id}", "200 $.progress")},
            id="a field we read is removed",
        ),
        pytest.param(
            add_a_required_parameter,
            {("breaking", "parameter.new-required", "GET /operations", "query project_id")},
            id="a new required parameter",
        ),
        pytest.param(
            require_a_parameter_we_leave_out,
            {("breaking", "parameter.required", "GET /pools", "query status")},
            id="a parameter becomes required",
        ),
        pytest.param(
            add_an_enum_value,
            {("drift", "body.enum", "GET /operations/{id}", "200 $.type")},
            id="a new enum value",
        ),
        pytest.param(
            lower_the_page_limit,
            {
                ("drift", "parameter.maximum", route, "query limit")
                for route in ("GET /pools", "GET /trainings", "GET /operations", "GET /assignments")
            },
            id="a changed page limit",
        ),
        pytest.param(
            drop_a_route,
            {("breaking", "route", "POST /pools/{id}/close", "route")},
            id="a route disappears",
        ),
        pytest.param(
            drop_a_parameter_we_send,
            {
                ("breaking", "parameter.gone", route, "query id_gt")
                for route in ("GET /pools", "GET /trainings")
            },
            id="a parameter we send disappears",
        ),
        pytest.param(
            retype_a_field_we_read,
            {("breaking", "body.type", "GET /pools", "200 $.has_more")},
            id="a field we read changes type",
        ),
        pytest.param(
            add_a_success_code,
            {("breaking", "response.success-new", "POST /pools/{id}/archive", "200")},
            id="a success code we do not declare",
        ),
        pytest.param(
            add_an_optional_parameter,
            {("drift", "parameter.new", "GET /pools", "query owner")},
            id="a new optional parameter",
        ),
        pytest.param(
            change_the_rejection_window,
            {("drift", "fact", "POST /pools/{id}/archive", "rejection_window_days")},
            id="a prose fact changes",
        ),
        pytest.param(
            lose_the_204_note,
            {
                ("drift", "prose.missing", drift.DOCUMENT, "archive_when_archived"),
                ("drift", "response.success", "POST /pools/{id}/archive", "204"),
            },
            id="a prose fact is no longer found",
        ),
        pytest.param(
            drop_an_error_field,
            {("breaking", "error-body.missing", drift.DOCUMENT, "error $.request_id")},
            id="an error field we read is gone",
        ),
        pytest.param(
            drop_a_server,
            {("breaking", "server", drift.DOCUMENT, "https://toloka.dev/api/v1")},
            id="a server disappears",
        ),
    ],
)
def test_a_change_of_the_reference_is_reported_in_its_class(
    documents: Documents,
    change: Callable[[Documents], None],
    expected: set[tuple[str, str, str, str]],
) -> None:
    report = run(documents, change)
    assert found(report) == expected, report.text()
    assert report.stale == STALE_AFTER.get(change, []), report.text()
    assert not report.ok


def test_the_new_enum_value_and_the_new_limit_are_named(documents: Documents) -> None:
    (enum,) = run(documents, add_an_enum_value).drift
    assert (enum.reference, enum.ours) == (["POOL.DELETE"], [])
    limits = run(documents, lower_the_page_limit).drift
    assert {(item.reference, item.ours) for item in limits} == {(200, 300)}


def test_a_deviation_the_reference_no_longer_needs_is_stale(documents: Documents) -> None:
    def fix_the_sort_example(changed: Documents) -> None:
        for parameter in operation(changed, "/operations")["parameters"]:
            if parameter["name"] == "sort":
                parameter["schema"]["example"] = "id,-submitted"

    report = run(documents, fix_the_sort_example)
    assert report.stale == ["operations-sort-example: matches no difference any more"]
    assert not report.breaking
    assert not report.drift


def test_a_deviation_whose_fact_is_gone_is_stale(documents: Documents) -> None:
    def forget_the_code(changed: Documents) -> None:
        codes = fact(changed, "sdk_internal_error_codes")["value"]
        codes.remove("UNARCHIVED_POOLS_CONFLICT")

    report = run(documents, forget_the_code)
    assert report.stale == [
        "project-archive-409-codes: the reference's sdk_internal_error_codes no longer holds "
        "'UNARCHIVED_POOLS_CONFLICT'"
    ]


def test_one_listed_place_that_matches_nothing_is_stale(documents: Documents) -> None:
    def document_the_401(changed: Documents) -> None:
        fact(changed, "status_codes")["value"]["statuses"].append(401)

    report = run(documents, document_the_401)
    assert report.stale == ["error-401: '401' matches no difference any more"]


def test_a_deviation_without_a_reason_does_not_count(documents: Documents) -> None:
    def drop_a_reason(changed: Documents) -> None:
        changed["deviations"]["deviations"][0]["reason"] = ""

    report = run(documents, drop_a_reason)
    assert report.stale == [f"{documents['deviations']['deviations'][0]['id']}: gives no reason"]


def test_a_difference_no_deviation_explains_is_reported(documents: Documents) -> None:
    def forget_the_timestamps(changed: Documents) -> None:
        entries = changed["deviations"]["deviations"]
        entries[:] = [entry for entry in entries if entry["id"] != "timestamps-without-offset"]

    report = run(documents, forget_the_timestamps)
    assert {item.kind for item in report.drift} == {"body.format"}
    assert "GET /pools/{id}: body.format at 200 $.created" in report.text()


def test_every_deviation_has_an_id_and_a_reason(documents: Documents) -> None:
    entries = documents["deviations"]["deviations"]
    ids = [entry["id"] for entry in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        assert len(entry["reason"].split()) >= 10, entry["id"]


# -- the vendored copy ----------------------------------------------------------------------------


def test_the_copy_names_its_commit_and_holds_exactly_our_routes(documents: Documents) -> None:
    source = documents["reference"]["info"]["x-source"]
    assert source["repository"] == "Toloka/docs"
    assert len(source["commit"]) == 40
    assert documents["prose"]["source"]["commit"] == source["commit"]
    vendored = {drift.template(f"{m} {p}") for p, m, _, _ in drift.routes(documents["reference"])}
    ours = {drift.template(f"{m} {p}") for p, m, _, _ in drift.routes(documents["spec"])}
    assert vendored == ours, "run scripts/refresh_reference.py after changing the routes"
    for name, found_fact in documents["prose"]["facts"].items():
        assert found_fact["excerpt"], name
        assert found_fact["value"] is not None, name


def test_the_client_uses_the_references_numbers(documents: Documents) -> None:
    from toloka_archive._flows.preflight import APPEAL_WINDOW
    from toloka_archive._wire.endpoints import MAX_PAGE_SIZE
    from toloka_archive.testing._world.ratelimit import DEFAULT_RATE_LIMIT

    assert APPEAL_WINDOW.days == fact(documents, "rejection_window_days")["value"]
    assert fact(documents, "page_limit")["value"]["maximum"] == MAX_PAGE_SIZE
    assert fact(documents, "rate_limit_per_second")["value"] == DEFAULT_RATE_LIMIT


# -- the refresh script ---------------------------------------------------------------------------


def refresh_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("refresh_reference", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def git(repository: Path, *arguments: str) -> None:
    subprocess.run(
        [
            "git",
            "-C",
            str(repository),
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@invalid",
            *arguments,
        ],
        check=True,
        capture_output=True,
    )


def docs_checkout(root: Path, documents: Documents) -> Path:
    """A Toloka/docs work tree rebuilt from the vendored copy: fullApi.yaml from its
    operations (one schema moved behind a `$ref` to another file, one behind a local one, and
    a code sample added, as the real one has), and each prose file from its excerpts."""
    reference = copy.deepcopy(documents["reference"])
    del reference["info"]["x-source"]
    log = reference["paths"]["/operations/{id}/log"]["get"]
    media = log["responses"]["200"]["content"]["application/json"]
    parts = {"components": {"schemas": {"OperationLog": media["schema"]}}}
    media["schema"] = {"$ref": "./parts/api/additional.yaml#/components/schemas/OperationLog"}
    log["x-code-samples"] = {"$ref": "./code-samples/api/get-operations-id-log.yaml"}
    pool = reference["paths"]["/pools/{id}"]["get"]["responses"]["200"]["content"]
    reference["components"]["schemas"] = {"PoolViewV1": pool["application/json"]["schema"]}
    pool["application/json"]["schema"] = {"$ref": "#/components/schemas/PoolViewV1"}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the C one when there: quicker
    files = {
        "en/api/reference/fullApi.yaml": yaml.dump(reference, Dumper=dumper, sort_keys=False),
        "en/api/reference/parts/api/additional.yaml": yaml.dump(parts, Dumper=dumper),
    }
    for found_fact in documents["prose"]["facts"].values():
        if found_fact["file"] != "en/api/reference/fullApi.yaml":
            text = files.get(found_fact["file"], "")
            files[found_fact["file"]] = text + found_fact["excerpt"] + "\n\n"
    checkout = root / "docs"
    for name, text in files.items():
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        (checkout / name).write_text(text, encoding="utf-8")
    git(checkout, "init", "-q")
    git(checkout, "add", ".")
    git(checkout, "commit", "-q", "-m", "docs")
    return checkout


def without_sources(document: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(document)
    document.get("info", {}).pop("x-source", None)
    document.pop("source", None)
    return document


def test_the_refresh_reads_a_checkout_back_into_the_vendored_files(
    documents: Documents, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkout = docs_checkout(tmp_path, documents)
    out = tmp_path / "reference"
    out.mkdir()
    (out / "deviations.yaml").write_bytes(drift.DEVIATIONS.read_bytes())
    refresh = refresh_module()
    assert refresh.main([str(checkout), "--out", str(out)]) == 0
    assert "nothing breaking, drifting or stale" in capsys.readouterr().out
    for name in ("openapi.yaml", "prose.yaml"):
        written = drift.load(out / name)
        expected = documents["reference" if name == "openapi.yaml" else "prose"]
        assert without_sources(written) == without_sources(expected), name
    source = drift.load(out / "openapi.yaml")["info"]["x-source"]
    assert source["files"] == [
        "en/api/reference/fullApi.yaml",
        "en/api/reference/parts/api/additional.yaml",
    ]
    # The same commit again gives the same files; a file that differs is named.
    assert refresh.main([str(checkout / ".git"), "--out", str(out), "--check"]) == 0
    (out / "prose.yaml").write_text("facts: {}\n", encoding="utf-8")
    assert refresh.main([str(checkout), "--out", str(out), "--check"]) == 1
    assert "prose.yaml: differs" in capsys.readouterr().out
