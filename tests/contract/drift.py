"""The drift check: does openapi.yaml still agree with Toloka's published reference?

`reference/openapi.yaml` is a vendored copy of the operations we call, as Toloka's reference
(`en/api/reference/fullApi.yaml` in the public Toloka/docs repository) states them, and
`reference/prose.yaml` the facts of its prose that the client relies on; both name the commit
they were read at, and `scripts/refresh_reference.py` refreshes them. This module reduces both
documents, the reference and our own openapi.yaml, to what a client depends on, compares the
two by rules, and lets `reference/deviations.yaml` explain the differences we chose.

What a client depends on, per operation: the route; each parameter (place, name, required,
type, format, enum, bounds, pattern, and the reference's own example, which our schema must
accept); the success codes; every property path of each success body that openapi.yaml
declares (type, format, enum, required); the error statuses, the error codes and payload
fields named for each, and the headers; and facts stated in prose (the rejection window, the
default order of a list). Besides: the servers, the forms of the `Authorization` header and
the error body. The prose facts complete the reference where its schemas are silent: the page
limits bound every list's `limit`, the 204 notes add a success code, the status code table and
the one error sample give every operation its error statuses and codes.

What a client does not depend on is left out: properties and response fields the reference
has and openapi.yaml does not declare (they are kept as they come), error statuses of the
reference that we do not declare (the facade reads any status), descriptions and examples.

The rules, for each difference:

- breaking: a route or a parameter we send disappears, or changes type; a required parameter
  appears (or one we send becomes required); a property we read disappears or changes type;
  a success code we do not declare appears; a server or the header form we use disappears;
- drift: anything else that differs in what we depend on: enum values, an enum we keep open,
  a new optional parameter, bounds, patterns, formats, a property we require, a success or
  error status, error code, payload field or header the reference does not name, a prose fact
  that no longer matches (or is no longer found);
- a difference that an entry of `deviations.yaml` matches is explained by it, with its reason;
- an entry that matches nothing (or a listed `where` that matches nothing, or a fact it names
  in `because` that the prose no longer holds) is stale, and reported as such.

The check passes when nothing is breaking, drifting or stale.

Why no library: a comparison library finds every change between two versions of one
document. Ours is a different document (smaller, stricter, with deliberate differences), so
almost all of the work is the reduction to what a client depends on and the rules that classify
a difference; once both documents are reduced to flat maps keyed by operation and place, the
comparison itself is a few set operations. oasdiff (Go) has the best breaking-change rules for
two versions of an API, but would need a Go tool chain here, and its rules would flag every
deliberate difference of ours with no way to say why; deepdiff (Python) diffs two snapshots
well, but would only replace those set operations, at the price of a new pinned dependency.
So: PyYAML (already pinned) to read, and the reduction and rules below.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REFERENCE_DIR = HERE / "reference"
REFERENCE = REFERENCE_DIR / "openapi.yaml"
PROSE = REFERENCE_DIR / "prose.yaml"
DEVIATIONS = REFERENCE_DIR / "deviations.yaml"
SPEC = HERE.parents[1] / "openapi.yaml"

BREAKING = "breaking"
DRIFT = "drift"
DOCUMENT = "(document)"  # the "operation" of what concerns every call: servers, header, errors

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
BOUNDS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
)
# Error codes are named in backquotes, in capitals with an underscore (`DOES_NOT_EXIST`).
ERROR_CODE = re.compile(r"`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`")
PAYLOAD_FIELD = re.compile(r"`payload\.(\w+)`")
HEADER_FORM = re.compile(r"`(\w+) <\w+>`")
# Facts openapi.yaml states in an operation's description.
OUR_FACTS = {
    "rejection_window_days": (re.compile(r"(\d+) days after the last"), int),
    "default_sort": (
        re.compile(r"Without `sort` the items come in ascending order of `(\w+)`"),
        str,
    ),
}

try:  # libyaml's parser when PyYAML has it (its wheels do): ten times as fast
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader  # type: ignore[assignment]


def load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=SafeLoader)


# -- reduction ------------------------------------------------------------------------------------


def template(route: str) -> str:
    """A route with its parameters' names left out, so that a renamed one still matches."""
    return re.sub(r"\{[^}]*\}", "{}", route)


class Document:
    """An OpenAPI document whose local `$ref`s (`#/...`) are followed on demand."""

    def __init__(self, tree: dict[str, Any]) -> None:
        self.tree = tree

    def deref(self, node: Any) -> Any:
        seen: set[str] = set()
        while isinstance(node, dict) and "$ref" in node:
            reference = node["$ref"]
            if reference in seen or not reference.startswith("#/"):
                raise ValueError(f"cannot follow $ref {reference}")
            seen.add(reference)
            node = self.tree
            for token in reference[2:].split("/"):
                node = node[token.replace("~1", "/").replace("~0", "~")]
        return node

    def schema(self, node: Any) -> dict[str, Any]:
        """The schema with its `$ref` followed and its `allOf` merged."""
        node = self.deref(node) or {}
        if "allOf" not in node:
            return dict(node)
        merged: dict[str, Any] = {key: value for key, value in node.items() if key != "allOf"}
        for part in node["allOf"]:
            part = self.schema(part)
            merged.setdefault("properties", {}).update(part.get("properties", {}))
            merged["required"] = [*merged.get("required", []), *part.get("required", [])]
            for key, value in part.items():
                merged.setdefault(key, value)
        return merged

    def shape(self, node: Any) -> dict[str, Any]:
        """What a client depends on in one schema: type, format, enum (and whether it is open),
        bounds and pattern, default. An `anyOf` of an enum and a plain string of the same type is
        an open enum: the listed values, and any other string."""
        schema = self.schema(node)
        is_open = False
        options = schema.get("anyOf") or schema.get("oneOf")
        if options:
            options = [self.schema(option) for option in options]
            listed = [option for option in options if "enum" in option]
            free = [option for option in options if "enum" not in option]
            if (
                len(listed) == 1
                and free
                and all(option.get("type") == listed[0].get("type") for option in free)
                and all(set(option) <= {"type", "description"} for option in free)
            ):
                is_open = True
                schema = {**listed[0], **schema}
        shape: dict[str, Any] = {}
        for key in ("type", "format"):
            if schema.get(key) is not None:
                shape[key] = schema[key]
        if "enum" in schema:
            shape["enum"] = sorted(str(value) for value in schema["enum"])
            shape["open"] = is_open
        for key in (*BOUNDS, "default"):
            if key in schema:
                shape[key] = schema[key]
        return shape

    def paths(self, node: Any, path: str = "$", required: bool | None = None) -> dict[str, Any]:
        """Every property path of a body (`$`, `$.items[].id`), each with its type, format, enum
        and whether its object requires it."""
        schema = self.schema(node)
        shape = {key: value for key, value in self.shape(schema).items() if key in PROPERTY_KEYS}
        found = {path: {**shape, "required": required}}
        names = set(schema.get("required", []))
        for name, child in (schema.get("properties") or {}).items():
            found.update(self.paths(child, f"{path}.{name}", name in names))
        if schema.get("type") == "array" and "items" in schema:
            found.update(self.paths(schema["items"], f"{path}[]"))
        return found


PROPERTY_KEYS = ("type", "format", "enum", "open")


@dataclass
class Operation:
    route: str  # "GET /pools/{id}"
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)  # "query limit": shape
    success: set[str] = field(default_factory=set)
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)  # code: {path: shape}
    errors: dict[str, set[str]] = field(default_factory=dict)  # error status: its codes
    payload: set[str] = field(default_factory=set)  # the error payload fields named
    headers: dict[str, set[str]] = field(default_factory=dict)  # response code: header names
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class Reduced:
    servers: set[str]
    header_forms: set[str]
    error_body: dict[str, dict[str, Any]]  # field: {"required": bool, "type": ...}
    operations: dict[str, Operation]  # by template(route)
    missing_facts: list[str] = field(default_factory=list)


def routes(tree: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    for path, item in tree.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield path, method, item, item[method]


def parameters(document: Document, item: dict[str, Any], operation: dict[str, Any]) -> dict:
    found: dict[str, dict[str, Any]] = {}
    for node in [*item.get("parameters", []), *operation.get("parameters", [])]:
        parameter = document.deref(node)
        schema = parameter.get("schema", {})
        shape = document.shape(schema)
        shape["required"] = bool(parameter.get("required", False))
        example = parameter.get("example", document.schema(schema).get("example"))
        if example is not None:
            shape["example"] = example
        found[f"{parameter['in']} {parameter['name']}"] = shape
    return found


def reduce_operations(tree: dict[str, Any]) -> dict[str, Operation]:
    """Route, parameters, success codes and bodies, as the document's schemas state them."""
    document = Document(tree)
    operations: dict[str, Operation] = {}
    for path, method, item, node in routes(tree):
        operation = Operation(route=f"{method.upper()} {path}")
        operation.parameters = parameters(document, item, node)
        for code, response in node.get("responses", {}).items():
            code = str(code)
            response = document.deref(response)
            if not code.startswith("2"):
                continue
            operation.success.add(code)
            media = response.get("content", {}).get("application/json")
            if media and "schema" in media:
                operation.bodies[code] = document.paths(media["schema"])
            if response.get("headers"):
                operation.headers[code] = set(response["headers"])
        operations[template(operation.route)] = operation
    return operations


def reduce_ours(spec: dict[str, Any]) -> Reduced:
    """openapi.yaml: its schemas, and what its descriptions name (error codes, facts)."""
    document = Document(spec)
    operations = reduce_operations(spec)
    for path, method, _, node in routes(spec):
        operation = operations[template(f"{method.upper()} {path}")]
        # Payload fields are named in the operation's description, its error responses' ones
        # and their examples; error codes in the error responses and their examples.
        operation.payload.update(PAYLOAD_FIELD.findall(node.get("description", "")))
        for code, response in node.get("responses", {}).items():
            code = str(code)
            if code.startswith("2"):
                continue
            response = document.deref(response)
            codes = set(ERROR_CODE.findall(response.get("description", "")))
            operation.payload.update(PAYLOAD_FIELD.findall(response.get("description", "")))
            for media in response.get("content", {}).values():
                for example in media.get("examples", {}).values():
                    value = document.deref(example).get("value") or {}
                    if value.get("code"):
                        codes.add(value["code"])
                    operation.payload.update(value.get("payload") or {})
            operation.errors[code] = codes
            if response.get("headers"):
                operation.headers[code] = set(response["headers"])
        for name, (pattern, convert) in OUR_FACTS.items():
            found = pattern.search(node.get("description", ""))
            if found:
                operation.facts[name] = convert(found.group(1))
    error = document.schema(spec["components"]["schemas"]["Error"])
    required = set(error.get("required", []))
    error_body = {
        name: {"required": name in required, "type": document.shape(schema).get("type")}
        for name, schema in error.get("properties", {}).items()
    }
    return Reduced(
        servers={server["url"] for server in spec.get("servers", [])},
        header_forms=header_forms(
            spec, lambda scheme: HEADER_FORM.findall(scheme.get("description", ""))
        ),
        error_body=error_body,
        operations=operations,
    )


def header_forms(tree: dict[str, Any], forms: Any) -> set[str]:
    """The forms of the `Authorization` header that the document's security schemes take."""
    found: set[str] = set()
    for scheme in tree.get("components", {}).get("securitySchemes", {}).values():
        if (scheme.get("type"), scheme.get("in"), scheme.get("name")) == (
            "apiKey",
            "header",
            "Authorization",
        ):
            found.update(forms(scheme))
    return found


def reduce_reference(reference: dict[str, Any], prose: dict[str, Any]) -> Reduced:
    """The vendored reference, completed by its prose facts where its schemas are silent."""
    facts = {name: fact.get("value") for name, fact in prose.get("facts", {}).items()}
    missing = sorted(name for name, value in facts.items() if value is None)
    operations = reduce_operations(reference)
    limit = facts.get("page_limit") or {}
    example = facts.get("error_example") or {}
    table = facts.get("status_codes") or {}
    # "HTTP status codes": "The above status codes are common for all requests."
    common = table.get("statuses", []) if table.get("common_to_all") else []
    errors = [str(status) for status in common if status >= 400]
    for operation in operations.values():
        # "Filtering requests": 50 by default, 300 at most, for every list.
        parameter = operation.parameters.get("query limit")
        if parameter is not None:
            for key in ("default", "maximum"):
                if key not in parameter and key in limit:
                    parameter[key] = limit[key]
        # The one sample of an error ties a code and a payload field to a status.
        for status in errors:
            named = str(example.get("status")) == status and example.get("code")
            operation.errors[status] = {example["code"]} if named else set()
        operation.payload = set(example.get("payload") or [])
    for name, fact in prose.get("facts", {}).items():
        operation = operations.get(template(fact.get("operation", "")))
        if operation is None or fact.get("value") is None:
            continue
        if name in ("archive_when_archived", "close_when_closed"):
            operation.success.add(str(fact["value"]))
        else:
            operation.facts[name] = fact["value"]
    fields = facts.get("error_fields") or {}
    forms = [facts["auth_header"]] if facts.get("auth_header") else []
    return Reduced(
        servers={server["url"] for server in reference.get("servers", [])},
        header_forms=header_forms(reference, lambda scheme: forms),
        error_body={name: {"required": about["required"]} for name, about in fields.items()},
        operations=operations,
        missing_facts=missing,
    )


# -- comparison -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    severity: str  # BREAKING or DRIFT
    kind: str  # e.g. "parameter.maximum"
    operation: str  # e.g. "GET /operations", or DOCUMENT
    where: str  # e.g. "query limit", "200 $.items[].status", "409 POOL_LOCKED_BY_ANOTHER_OPERATION"
    reference: Any
    ours: Any

    def line(self) -> str:
        return (
            f"{self.operation}: {self.kind} at {self.where}: "
            f"reference {self.reference!r}, ours {self.ours!r}"
        )


def refused(shape: dict[str, Any], example: Any) -> str | None:
    """Why a parameter of this shape refuses the example, or None when it takes it."""
    if shape.get("type") in ("integer", "number"):
        try:
            value: Any = float(example)
        except (TypeError, ValueError):
            return "type"
        if "minimum" in shape and value < shape["minimum"]:
            return "minimum"
        if "maximum" in shape and value > shape["maximum"]:
            return "maximum"
        return None
    text = str(example)
    if "enum" in shape and not shape["open"] and text not in shape["enum"]:
        return "enum"
    if "pattern" in shape and not re.search(shape["pattern"], text):
        return "pattern"
    if "minLength" in shape and len(text) < shape["minLength"]:
        return "minLength"
    if "maxLength" in shape and len(text) > shape["maxLength"]:
        return "maxLength"
    return None


def compare_enums(
    kind: str, operation: str, where: str, theirs: dict[str, Any], ours: dict[str, Any]
) -> Iterator[Difference]:
    if "enum" not in theirs or "enum" not in ours:
        return  # a plain string on either side: no set of values to agree on
    if theirs["open"] != ours["open"]:
        yield Difference(DRIFT, f"{kind}.enum-open", operation, where, theirs["open"], ours["open"])
    only_theirs = sorted(set(theirs["enum"]) - set(ours["enum"]))
    only_ours = sorted(set(ours["enum"]) - set(theirs["enum"]))
    if only_theirs or only_ours:
        yield Difference(DRIFT, f"{kind}.enum", operation, where, only_theirs, only_ours)


def compare_parameters(name: str, theirs: Operation, ours: Operation) -> Iterator[Difference]:
    for key in sorted(set(theirs.parameters) | set(ours.parameters)):
        mine, their = ours.parameters.get(key), theirs.parameters.get(key)
        if their is None:
            yield Difference(BREAKING, "parameter.gone", name, key, None, "sent")
            continue
        if mine is None:
            required = their["required"]
            yield Difference(
                BREAKING if required else DRIFT,
                "parameter.new-required" if required else "parameter.new",
                name,
                key,
                "required" if required else "optional",
                None,
            )
            continue
        if their["required"] != mine["required"]:
            severity = BREAKING if their["required"] else DRIFT
            yield Difference(
                severity, "parameter.required", name, key, their["required"], mine["required"]
            )
        if their.get("type") and mine.get("type") and their["type"] != mine["type"]:
            yield Difference(BREAKING, "parameter.type", name, key, their["type"], mine["type"])
        if their.get("format") != mine.get("format"):
            yield Difference(
                DRIFT, "parameter.format", name, key, their.get("format"), mine.get("format")
            )
        yield from compare_enums("parameter", name, key, their, mine)
        for bound in BOUNDS:
            if their.get(bound) != mine.get(bound):
                yield Difference(
                    DRIFT, f"parameter.{bound}", name, key, their.get(bound), mine.get(bound)
                )
        if "default" in mine and their.get("default") != mine["default"]:
            yield Difference(
                DRIFT, "parameter.default", name, key, their.get("default"), mine["default"]
            )
        if "example" in their:
            why = refused(mine, their["example"])
            if why is not None:
                yield Difference(DRIFT, "parameter.example", name, key, their["example"], why)


def compare_bodies(name: str, theirs: Operation, ours: Operation) -> Iterator[Difference]:
    for code in sorted(set(theirs.bodies) & set(ours.bodies)):
        their_paths, our_paths = theirs.bodies[code], ours.bodies[code]
        for path, mine in our_paths.items():
            where = f"{code} {path}"
            their = their_paths.get(path)
            if their is None:
                yield Difference(BREAKING, "body.missing", name, where, None, mine.get("type"))
                continue
            if their.get("type") and mine.get("type") and their["type"] != mine["type"]:
                yield Difference(BREAKING, "body.type", name, where, their["type"], mine["type"])
            if their.get("format") != mine.get("format"):
                yield Difference(
                    DRIFT, "body.format", name, where, their.get("format"), mine.get("format")
                )
            yield from compare_enums("body", name, where, their, mine)
            if mine["required"] and not their["required"]:
                yield Difference(DRIFT, "body.required", name, where, False, True)


def compare_responses(name: str, theirs: Operation, ours: Operation) -> Iterator[Difference]:
    for code in sorted(theirs.success - ours.success):
        yield Difference(BREAKING, "response.success-new", name, code, "documented", None)
    for code in sorted(ours.success - theirs.success):
        yield Difference(DRIFT, "response.success", name, code, None, "declared")
    for status in sorted(ours.errors):
        if status not in theirs.errors:
            yield Difference(DRIFT, "error.status", name, status, None, "declared")
        for code in sorted(ours.errors[status] - theirs.errors.get(status, set())):
            yield Difference(DRIFT, "error.code", name, f"{status} {code}", None, code)
    for payload in sorted(ours.payload - theirs.payload):
        yield Difference(DRIFT, "error.payload", name, f"payload.{payload}", None, payload)
    for code in sorted(ours.headers):
        for header in sorted(ours.headers[code] - theirs.headers.get(code, set())):
            yield Difference(DRIFT, "response.header", name, f"{code} {header}", None, header)


def compare_facts(name: str, theirs: Operation, ours: Operation) -> Iterator[Difference]:
    for fact in sorted(set(theirs.facts) | set(ours.facts)):
        if theirs.facts.get(fact) != ours.facts.get(fact):
            yield Difference(
                DRIFT, "fact", name, fact, theirs.facts.get(fact), ours.facts.get(fact)
            )


def compare(theirs: Reduced, ours: Reduced) -> list[Difference]:
    found: list[Difference] = []
    for url in sorted(ours.servers - theirs.servers):
        found.append(Difference(BREAKING, "server", DOCUMENT, url, None, url))
    for form in sorted(theirs.header_forms - ours.header_forms):
        found.append(Difference(BREAKING, "auth.gone", DOCUMENT, form, form, None))
    for form in sorted(ours.header_forms - theirs.header_forms):
        found.append(Difference(DRIFT, "auth.form", DOCUMENT, form, None, form))
    for name, mine in sorted(ours.error_body.items()):
        their = theirs.error_body.get(name)
        where = f"error $.{name}"
        if their is None:
            found.append(Difference(BREAKING, "error-body.missing", DOCUMENT, where, None, name))
        elif mine["required"] and not their["required"]:
            found.append(Difference(DRIFT, "error-body.required", DOCUMENT, where, False, True))
    for fact in theirs.missing_facts:
        found.append(Difference(DRIFT, "prose.missing", DOCUMENT, fact, None, None))
    for key, mine in ours.operations.items():
        their = theirs.operations.get(key)
        if their is None:
            found.append(Difference(BREAKING, "route", mine.route, "route", None, "called"))
            continue
        for compared in (compare_parameters, compare_bodies, compare_responses, compare_facts):
            found.extend(compared(mine.route, their, mine))
    return found


# -- deviations ------------------------------------------------------------------------------------


def patterns(value: Any) -> list[str]:
    if value is None:
        return ["*"]
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def matches(value: str, options: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(value, option) for option in options)


@dataclass(frozen=True)
class Deviation:
    id: str
    reason: str
    kinds: tuple[str, ...]
    operations: tuple[str, ...]
    wheres: tuple[str, ...]
    values: tuple[tuple[str, Any], ...]  # ("reference", x) or ("ours", y), when given
    because: tuple[tuple[str, Any], ...]  # (fact, a value it must hold, or None)

    @classmethod
    def parse(cls, entry: dict[str, Any]) -> Deviation:
        return cls(
            id=str(entry["id"]),
            reason=str(entry.get("reason") or "").strip(),
            kinds=tuple(patterns(entry["kind"])),
            operations=tuple(patterns(entry.get("operation"))),
            wheres=tuple(patterns(entry.get("where"))),
            values=tuple((key, entry[key]) for key in ("reference", "ours") if key in entry),
            because=tuple(
                (item, None) if isinstance(item, str) else next(iter(item.items()))
                for item in entry.get("because", [])
            ),
        )

    def explains(self, difference: Difference, wheres: Iterable[str] | None = None) -> bool:
        return (
            matches(difference.kind, self.kinds)
            and matches(difference.operation, self.operations)
            and matches(difference.where, self.wheres if wheres is None else wheres)
            and all(getattr(difference, key) == value for key, value in self.values)
        )


@dataclass
class Report:
    breaking: list[Difference]
    drift: list[Difference]
    stale: list[str]
    explained: dict[str, list[Difference]]  # deviation id: the differences it explains
    figures: dict[str, int]

    @property
    def ok(self) -> bool:
        return not (self.breaking or self.drift or self.stale)

    def text(self) -> str:
        lines: list[str] = []
        for title, items in (("breaking", self.breaking), ("drift", self.drift)):
            if items:
                lines.append(f"{title} ({len(items)}), explained by no deviation:")
                lines.extend(f"  {item.line()}" for item in items)
        if self.stale:
            lines.append(f"stale deviations ({len(self.stale)}):")
            lines.extend(f"  {item}" for item in self.stale)
        explained = sum(len(items) for items in self.explained.values())
        figures = ", ".join(f"{value} {name}" for name, value in self.figures.items())
        lines.append(
            f"compared {figures}; {explained} differences explained by "
            f"{len(self.explained)} deviations"
            + ("" if not self.ok else "; nothing breaking, drifting or stale")
        )
        return "\n".join(lines)


def judge(
    differences: list[Difference], deviations: list[Deviation], facts: dict[str, Any]
) -> tuple[list[Difference], list[Difference], list[str], dict[str, list[Difference]]]:
    explained: dict[str, list[Difference]] = {deviation.id: [] for deviation in deviations}
    unexplained: list[Difference] = []
    for difference in differences:
        owners = [deviation for deviation in deviations if deviation.explains(difference)]
        for deviation in owners:
            explained[deviation.id].append(difference)
        if not owners:
            unexplained.append(difference)
    stale: list[str] = []
    for deviation in deviations:
        if not deviation.reason:
            stale.append(f"{deviation.id}: gives no reason")
        if not explained[deviation.id]:
            stale.append(f"{deviation.id}: matches no difference any more")
        elif deviation.wheres != ("*",):
            for where in deviation.wheres:
                if not any(deviation.explains(item, [where]) for item in explained[deviation.id]):
                    stale.append(f"{deviation.id}: {where!r} matches no difference any more")
        for fact, value in deviation.because:
            stated = facts.get(fact)
            if value is None and not stated:
                stale.append(f"{deviation.id}: the reference no longer states {fact}")
            elif value is not None and not (
                stated == value or (isinstance(stated, list) and value in stated)
            ):
                stale.append(f"{deviation.id}: the reference's {fact} no longer holds {value!r}")
    breaking = [item for item in unexplained if item.severity == BREAKING]
    drift = [item for item in unexplained if item.severity == DRIFT]
    return breaking, drift, stale, {key: value for key, value in explained.items() if value}


def check(
    reference: dict[str, Any],
    prose: dict[str, Any],
    spec: dict[str, Any],
    deviations: dict[str, Any],
) -> Report:
    theirs = reduce_reference(reference, prose)
    ours = reduce_ours(spec)
    differences = sorted(
        compare(theirs, ours), key=lambda item: (item.operation, item.kind, item.where)
    )
    entries = [Deviation.parse(entry) for entry in deviations.get("deviations", [])]
    ids = [entry.id for entry in entries]
    facts = {name: fact.get("value") for name, fact in prose.get("facts", {}).items()}
    breaking, drift, stale, explained = judge(differences, entries, facts)
    stale += [f"{name}: listed twice" for name in sorted({i for i in ids if ids.count(i) > 1})]
    compared = [operation for key, operation in ours.operations.items() if key in theirs.operations]
    figures = {
        "operations": len(compared),
        "parameters": sum(
            len(
                set(operation.parameters)
                | set(theirs.operations[template(operation.route)].parameters)
            )
            for operation in compared
        ),
        "properties": sum(
            len(body) for operation in compared for body in operation.bodies.values()
        ),
        "prose facts": len(facts),
    }
    return Report(breaking, drift, stale, explained, figures)


def check_files(
    reference: Path = REFERENCE,
    prose: Path = PROSE,
    spec: Path = SPEC,
    deviations: Path = DEVIATIONS,
) -> Report:
    return check(load(reference), load(prose), load(spec), load(deviations))
