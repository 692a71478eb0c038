"""Refresh the vendored copy of Toloka's published API reference, for the drift check.

    python scripts/refresh_reference.py DOCS                 # rewrite tests/contract/reference/
    python scripts/refresh_reference.py DOCS --commit REV    # read the files at REV, not HEAD
    python scripts/refresh_reference.py DOCS --check         # exit 1 if the copy is not REV's

DOCS is a checkout of the public Toloka/docs repository: a work tree, or a git directory with no
work tree (a bare clone or a mirror). Every file is read at one commit with `git show`, never
from a work tree, so the copy names exactly what it was made from.

Two files are written, both marked with the repository, the commit and its date:

- `reference/openapi.yaml`: the operations that our openapi.yaml calls (the same paths and
  methods), as `en/api/reference/fullApi.yaml` states them, with every `$ref` resolved (its
  components, `parts/api/additional.yaml`, the response examples); the code samples
  (`x-code-samples`) are left out. Plus the servers and the security scheme.
- `reference/prose.yaml`: the facts of the reference's prose that the client relies on (the page
  limits, the 204 notes, the 9 days, the error fields, the status code table, ...), and a few
  from toloka-kit's pages and the guide in the same repository (the error codes toloka-kit
  lists, the log as a list, the legacy OAuth tokens), each with its file, the excerpt it was
  read from, and the value read. A fact whose text is no longer found is written with no
  excerpt and no value, and the drift check reports it.

Afterwards the drift report (tests/contract/drift.py) of the new copy against openapi.yaml is
printed; `make test` fails on the same report. The deviations the report names are reviewed in
tests/contract/reference/deviations.yaml.
"""

from __future__ import annotations

import argparse
import json
import posixpath
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's parser and emitter when PyYAML has them (its wheels do): the same result, faster
    from yaml import CSafeDumper as SafeDumper
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper, SafeLoader  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
OUT = ROOT / "tests" / "contract" / "reference"
REPOSITORY = "Toloka/docs"
FULL_API = "en/api/reference/fullApi.yaml"
INFO = "en/api/reference/parts/api/info-description.md"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Left out of the copy: the code samples (curl, Python, ...) say nothing a client relies on.
DROPPED = frozenset({"x-code-samples"})
HEADER = (
    "# Vendored from Toloka's public API reference by scripts/refresh_reference.py: do not edit.\n"
    "# {what}\n"
    "# Refresh: .venv/bin/python scripts/refresh_reference.py <a checkout of {repository}>\n"
)


class Docs:
    """Files of a Toloka/docs checkout (a work tree or a git directory), read at one commit."""

    def __init__(self, location: Path, revision: str = "HEAD") -> None:
        if (location / ".git").exists():
            self._git = ["git", "-C", str(location)]
        else:
            self._git = ["git", f"--git-dir={location}"]
        self.commit = self._run("rev-parse", "--verify", f"{revision}^{{commit}}").strip()
        self.date = self._run("show", "-s", "--format=%cI", self.commit).strip()
        self._cache: dict[str, str | None] = {}
        self._parsed: dict[str, Any] = {}

    def _run(self, *arguments: str) -> str:
        result = subprocess.run(
            [*self._git, *arguments], capture_output=True, text=True, encoding="utf-8"
        )
        if result.returncode != 0:
            raise SystemExit(f"git {' '.join(arguments)}: {result.stderr.strip()}")
        return result.stdout

    def text(self, path: str) -> str | None:
        """The file at the commit, or None when the commit has no such file."""
        if path not in self._cache:
            result = subprocess.run(
                [*self._git, "show", f"{self.commit}:{path}"],
                capture_output=True,
                text=True,
                encoding="utf-8",
            )
            self._cache[path] = result.stdout if result.returncode == 0 else None
        return self._cache[path]

    def yaml(self, path: str) -> Any:
        if path not in self._parsed:
            text = self.text(path)
            if text is None:
                raise SystemExit(f"{path} is not in {REPOSITORY} at {self.commit}")
            self._parsed[path] = yaml.load(text, Loader=SafeLoader)
        return self._parsed[path]


# -- the operations, with their $refs resolved ------------------------------------------------


def pointer(document: Any, fragment: str) -> Any:
    """The node a JSON pointer (`/components/schemas/X`) names."""
    node = document
    for token in fragment.split("/")[1:] if fragment else []:
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


class Resolver:
    """Inlines every `$ref`, local (`#/...`) or to another file of the docs (`./x.yaml#/...`)."""

    def __init__(self, docs: Docs) -> None:
        self.docs = docs
        self.files: list[str] = []  # every file read, in the order first read

    def resolve(self, node: Any, file: str, seen: tuple[tuple[str, str], ...] = ()) -> Any:
        if isinstance(node, list):
            return [self.resolve(item, file, seen) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            reference = node["$ref"]
            target, _, fragment = reference.partition("#")
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(file), target))
                if target
                else file
            )
            key = (target, fragment)
            if target not in self.files:
                self.files.append(target)
            if key in seen:
                raise SystemExit(f"circular $ref {reference} in {file}")
            if target.endswith(".md"):
                return self.docs.text(target)
            return self.resolve(pointer(self.docs.yaml(target), fragment), target, (*seen, key))
        return {
            key: self.resolve(value, file, seen)
            for key, value in node.items()
            if key not in DROPPED
        }


def our_routes(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """The (path, method) of every operation openapi.yaml declares, in its order."""
    return [
        (path, method)
        for path, item in spec["paths"].items()
        for method in METHODS
        if method in item
    ]


def template(path: str) -> str:
    """A path with its parameters' names left out, so that a renamed one still matches."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def vendored_operations(docs: Docs, spec: dict[str, Any]) -> dict[str, Any]:
    full = docs.yaml(FULL_API)
    resolver = Resolver(docs)
    resolver.files.append(FULL_API)
    by_template = {template(path): path for path in full.get("paths", {})}
    paths: dict[str, Any] = {}
    for path, method in our_routes(spec):
        theirs = by_template.get(template(path))
        if theirs is None or method not in full["paths"][theirs]:
            continue  # the drift check reports the route as gone
        operation = resolver.resolve(full["paths"][theirs][method], FULL_API)
        paths.setdefault(theirs, {})[method] = operation
    return {
        "openapi": full.get("openapi"),
        "info": {
            "title": full.get("info", {}).get("title"),
            "version": full.get("info", {}).get("version"),
            "x-source": source(docs, resolver.files),
        },
        "servers": full.get("servers", []),
        "security": full.get("security", []),
        "components": {
            "securitySchemes": full.get("components", {}).get("securitySchemes", {}),
        },
        "paths": paths,
    }


def source(docs: Docs, files: list[str]) -> dict[str, Any]:
    return {"repository": REPOSITORY, "commit": docs.commit, "date": docs.date, "files": files}


# -- the prose facts --------------------------------------------------------------------------

# Each fact: the file it is read from (or the operation of fullApi.yaml whose description holds
# it), and a function from that text to (excerpt, value), or None when it is not found. Each
# function also reads its own excerpt back to the same value, so that a copy of the excerpts
# alone is enough to test this script (tests/contract/test_drift.py).
Extractor = Callable[[str], tuple[str, Any] | None]


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (split at blank lines), each on one line."""
    return [re.sub(r"\s+", " ", part).strip() for part in re.split(r"\n\s*\n", text)]


def sentence(pattern: str, convert: Callable[[re.Match[str]], Any]) -> Extractor:
    """The sentence that matches `pattern` (its whitespace squashed), and a value from the match."""

    def extract(text: str) -> tuple[str, Any] | None:
        for paragraph in paragraphs(text):
            found = re.search(r"(?:^|(?<=\. ))[^.]*" + pattern + r"[^.]*\.", paragraph)
            if found is not None:
                return found.group(0).strip(), convert(found)
        return None

    return extract


def page_limit(text: str) -> tuple[str, Any] | None:
    found = re.search(
        r"^[^\n]*param-name\">limit<[^\n]*"
        r"By default\W+\*\*(\d+)\*\*;\s*maximum\W+\*\*(\d+)\*\*[^\n]*$",
        text,
        re.MULTILINE,
    )
    if found is None:
        return None
    return found.group(0), {"default": int(found.group(1)), "maximum": int(found.group(2))}


def error_fields(text: str) -> tuple[str, Any] | None:
    found = re.search(
        r"^Each error text has the following fields:\n((?:\s*\n|- [^\n]*\n?)+)", text, re.M
    )
    if found is None:
        return None
    fields = {
        name: {"required": "optional" not in about.lower()}
        for name, about in re.findall(r"^- `(\w+)`: ([^\n]*)", found.group(1), re.MULTILINE)
    }
    return (found.group(0).strip(), fields) if fields else None


def error_example(text: str) -> tuple[str, Any] | None:
    found = re.search(
        r"^Sample error with HTTP status code `(\d{3})`:\s*\n+```json\n(.*?)\n```",
        text,
        re.M | re.S,
    )
    if found is None:
        return None
    body = json.loads(found.group(2))
    value = {
        "status": int(found.group(1)),
        "code": body.get("code"),
        "fields": list(body),
        "payload": list(body.get("payload") or {}),
    }
    return found.group(0), value


def status_codes(text: str) -> tuple[str, Any] | None:
    rows = re.findall(r'^<span class="param-name">(\d{3})</span> \| [^\n]*$', text, re.MULTILINE)
    lines = re.findall(r'^<span class="param-name">\d{3}</span> \| [^\n]*$', text, re.MULTILINE)
    common = re.search(r"^The above status codes are common for all requests\.$", text, re.M)
    if not rows:
        return None
    excerpt = "\n".join([*lines, *([common.group(0)] if common else [])])
    return excerpt, {"statuses": [int(row) for row in rows], "common_to_all": common is not None}


def auth_header(text: str) -> tuple[str, Any] | None:
    found = re.search(r"^[^\n]*-H 'Authorization: (\w+) [^'\n]*'[^\n]*$", text, re.MULTILINE)
    return None if found is None else (found.group(0).strip(), found.group(1))


def error_code_list(text: str) -> tuple[str, Any] | None:
    lines = re.findall(r"^`[A-Z][A-Z0-9_]*`\|[^\n]*$", text, re.MULTILINE)
    if not lines:
        return None
    return "\n".join(lines), [re.match(r"`(\w+)`", line).group(1) for line in lines]  # type: ignore[union-attr]


def returns_a_list(text: str) -> tuple[str, Any] | None:
    found = re.search(r"^\s*A list with log items\.$", text, re.MULTILINE)
    return None if found is None else (found.group(0).strip(), True)


OPERATION = "operation"  # a fact read from an operation's description in fullApi.yaml
FACTS: dict[str, tuple[str, str, Extractor, str]] = {
    # id: (file, or OPERATION; the path and method in fullApi.yaml for OPERATION; the extractor;
    #      what the drift check does with it)
    "page_limit": (INFO, "", page_limit, "the bounds of `limit` in every list we call"),
    "archive_when_archived": (
        OPERATION,
        "post /pools/{id}/archive",
        sentence(r"already archived[^.]*status\s*<code>(\d{3})</code>", lambda m: int(m.group(1))),
        "a success code of archiving a pool",
    ),
    "close_when_closed": (
        OPERATION,
        "post /pools/{id}/close",
        sentence(
            r"same as the requested status[^.]*status\s*<code>(\d{3})</code>",
            lambda m: int(m.group(1)),
        ),
        "a success code of closing a pool",
    ),
    "rejection_window_days": (
        OPERATION,
        "post /pools/{id}/archive",
        sentence(r"rejected tasks can be archived (\d+) days after", lambda m: int(m.group(1))),
        "the days after the last rejection before a pool can be archived",
    ),
    "error_fields": (INFO, "", error_fields, "the error body's fields"),
    "error_example": (INFO, "", error_example, "the one error code tied to a status (409)"),
    "status_codes": (INFO, "", status_codes, "the error statuses every request may answer"),
    "rate_limit_per_second": (
        INFO,
        "",
        sentence(
            r"exceed \*\*(\d+)\*\* requests to the Toloka API per second", lambda m: int(m.group(1))
        ),
        "the fake Toloka's default rate limit",
    ),
    "auth_header": (INFO, "", auth_header, "the current form of the Authorization header"),
    "legacy_oauth_tokens": (
        "en/guide/concepts/migrate-new-auth.md",
        "",
        sentence(r"existing OAuth tokens will continue to work", lambda m: True),
        "the legacy `OAuth <token>` form is still accepted",
    ),
    "sdk_common_error_codes": (
        "en/toloka-kit/reference/toloka.client.error_codes.CommonErrorCodes.md",
        "",
        error_code_list,
        "error codes toloka-kit lists as common (no statuses, no meanings)",
    ),
    "sdk_internal_error_codes": (
        "en/toloka-kit/reference/toloka.client.error_codes.InternalErrorCodes.md",
        "",
        error_code_list,
        "error codes toloka-kit lists as Toloka's own (no statuses, no meanings)",
    ),
    "sdk_operation_log_is_a_list": (
        "en/toloka-kit/reference/toloka.client.TolokaClient.get_operation_log.md",
        "",
        returns_a_list,
        "toloka-kit reads the operation log as a list",
    ),
}


def prose_facts(docs: Docs) -> dict[str, Any]:
    full = docs.yaml(FULL_API)
    facts: dict[str, Any] = {}
    files: list[str] = [FULL_API]
    for name, (file, where, extract, use) in FACTS.items():
        if file == OPERATION:
            method, _, path = where.partition(" ")
            text = str(full.get("paths", {}).get(path, {}).get(method, {}).get("description", ""))
            fact: dict[str, Any] = {"file": FULL_API, "operation": f"{method.upper()} {path}"}
        else:
            text = docs.text(file) or ""
            fact = {"file": file}
            if file not in files:
                files.append(file)
        found = extract(text)
        fact["use"] = use
        fact["excerpt"], fact["value"] = found if found is not None else (None, None)
        facts[name] = fact
    return {"source": source(docs, files), "facts": facts}


# -- writing ---------------------------------------------------------------------------------


class _Dumper(SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)


def dump(data: Any, what: str) -> str:
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return HEADER.format(what=what, repository=REPOSITORY) + body


def render(docs: Docs, spec: dict[str, Any]) -> dict[str, str]:
    """The vendored files' names and contents, as this commit of the docs gives them."""
    return {
        "openapi.yaml": dump(
            vendored_operations(docs, spec),
            f"The operations of {FULL_API} that our openapi.yaml calls, every $ref resolved.",
        ),
        "prose.yaml": dump(
            prose_facts(docs),
            "The facts of the reference's prose that the client relies on, with their excerpts.",
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", type=Path, help="a Toloka/docs work tree or git directory")
    parser.add_argument("--commit", default="HEAD", help="the revision to read (default HEAD)")
    parser.add_argument("--out", type=Path, default=OUT, help=argparse.SUPPRESS)
    parser.add_argument("--spec", type=Path, default=SPEC, help=argparse.SUPPRESS)
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the copy is not the commit's"
    )
    options = parser.parse_args(argv)
    docs = Docs(options.docs, options.commit)
    spec = yaml.load(options.spec.read_text(encoding="utf-8"), Loader=SafeLoader)
    rendered = render(docs, spec)
    changed = [
        name
        for name, text in rendered.items()
        if not (options.out / name).exists()
        or (options.out / name).read_text(encoding="utf-8") != text
    ]
    if options.check:
        for name in changed:
            print(f"{options.out / name}: differs from {REPOSITORY} at {docs.commit}")
        return 1 if changed else 0
    options.out.mkdir(parents=True, exist_ok=True)
    for name in changed:
        (options.out / name).write_text(rendered[name], encoding="utf-8")
    print(f"{REPOSITORY} at {docs.commit} ({docs.date}): {len(changed)} file(s) changed")
    sys.path.insert(0, str(ROOT))
    from tests.contract import drift

    deviations = options.out / "deviations.yaml"
    report = drift.check(
        drift.load(options.out / "openapi.yaml"),
        drift.load(options.out / "prose.yaml"),
        spec,
        drift.load(deviations) if deviations.exists() else {},
    )
    print(report.text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
