"""Scenarios: a TOML file that declares a fake Toloka's requesters, projects, pools and faults.

The format is documented field by field at the top of the packaged ``scenarios/default.toml``
and in the package docstring. Loading checks everything before anything is built, and every
mistake raises `ScenarioError` with one line that names the file and either the line (TOML
syntax) or the field path, counting array items from 0::

    my.toml: pools[2].status: unknown status 'CLOSSED'; choose OPEN, CLOSED, ARCHIVED or LOCKED
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import json
import os
import tomllib
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any, cast

from toloka_archive.testing._api.faults import Fault
from toloka_archive.testing._fake import FakeToloka
from toloka_archive.testing._world import validation as check
from toloka_archive.testing._world.clock import Clock, SystemClock
from toloka_archive.testing._world.ratelimit import DEFAULT_RATE_LIMIT
from toloka_archive.testing._world.state import (
    ARCHIVE_REFUSALS,
    DEFAULT_ARCHIVE_SECONDS,
    DEFAULT_CLOSE_SECONDS,
)

DEFAULT_SCENARIO = "scenarios/default.toml"
MAX_RANGE_COUNT = 1_000_000

_TOP_LEVEL = ("settings", "requesters", "projects", "trainings", "pools", "pool_ranges", "faults")
_SETTINGS = ("seed", "rate_limit", "clock_start")
_REQUESTER = ("name", "api_keys", "oauth_tokens")
_PROJECT = (
    "id",
    "owner",
    "status",
    "public_name",
    "created",
    "created_days_ago",
    "archive_seconds",
    "fail",
)
_MEMBER = (
    "owner",
    "project_id",
    "status",
    "private_name",
    "created",
    "created_days_ago",
    "last_started",
    "last_started_days_ago",
    "last_stopped",
    "last_stopped_days_ago",
    "last_close_reason",
    "archive_seconds",
    "close_seconds",
    "fail",
    "archive_refusal",
)
_TRAINING = ("id", *_MEMBER)
_POOL_COMMON = (*_MEMBER, "last_rejected", "last_rejected_days_ago", "training_id")
_POOL = ("id", *_POOL_COMMON)
_POOL_RANGE = ("first", "count", *_POOL_COMMON)
_MOMENTS = ("created", "last_started", "last_stopped", "last_rejected")
_FAULT = tuple(field.name for field in dataclasses.fields(Fault))


class ScenarioError(ValueError):
    """A scenario cannot be used; the message names the file and the line or field."""


@dataclasses.dataclass(frozen=True, slots=True)
class RequesterSpec:
    name: str
    api_keys: tuple[str, ...] = ()
    oauth_tokens: tuple[str, ...] = ()

    def __repr__(self) -> str:
        # Credentials stay out of reprs, tracebacks and logs.
        return (
            f"RequesterSpec(name={self.name!r}, api_keys=<{len(self.api_keys)}>, "
            f"oauth_tokens=<{len(self.oauth_tokens)}>)"
        )


def _back(
    now: datetime.datetime, moment: datetime.datetime | None, days_ago: float | None
) -> datetime.datetime | None:
    """A moment given as such, or as days before ``now`` (the clock's start)."""
    if days_ago is not None:
        return now - datetime.timedelta(days=days_ago)
    return moment


@dataclasses.dataclass(frozen=True, slots=True)
class ProjectSpec:
    """A project to create. ``created`` is a moment or days before the start (or neither:
    the start)."""

    id: str
    owner: str | None = None
    status: str = "ACTIVE"
    public_name: str | None = None
    created: datetime.datetime | None = None
    created_days_ago: float | None = None
    archive_seconds: float = DEFAULT_ARCHIVE_SECONDS
    fail: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class PoolSpec:
    """A pool to create (see `FakeToloka.add_pool`). Each moment is given either as such or as
    days before the start. ``owner`` may be left out where `FakeToloka.add_pool` allows it."""

    id: str
    owner: str | None = None
    status: str = "CLOSED"
    last_rejected: datetime.datetime | None = None
    last_rejected_days_ago: float | None = None
    archive_seconds: float = DEFAULT_ARCHIVE_SECONDS
    fail: bool = False
    project_id: str | None = None
    private_name: str | None = None
    created: datetime.datetime | None = None
    created_days_ago: float | None = None
    last_started: datetime.datetime | None = None
    last_started_days_ago: float | None = None
    last_stopped: datetime.datetime | None = None
    last_stopped_days_ago: float | None = None
    last_close_reason: str | None = None
    close_seconds: float = DEFAULT_CLOSE_SECONDS
    training_id: str | None = None
    archive_refusal: str | None = None

    def rejected_at(self, now: datetime.datetime) -> datetime.datetime | None:
        return _back(now, self.last_rejected, self.last_rejected_days_ago)


@dataclasses.dataclass(frozen=True, slots=True)
class TrainingSpec:
    """A training to create (see `FakeToloka.add_training`); the fields a pool has, but for
    ``last_rejected`` and ``training_id``."""

    id: str
    owner: str | None = None
    project_id: str | None = None
    status: str = "CLOSED"
    private_name: str | None = None
    created: datetime.datetime | None = None
    created_days_ago: float | None = None
    last_started: datetime.datetime | None = None
    last_started_days_ago: float | None = None
    last_stopped: datetime.datetime | None = None
    last_stopped_days_ago: float | None = None
    last_close_reason: str | None = None
    archive_seconds: float = DEFAULT_ARCHIVE_SECONDS
    close_seconds: float = DEFAULT_CLOSE_SECONDS
    fail: bool = False
    archive_refusal: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Scenario:
    """A scenario: read one with `Scenario.load` (or `loads`), or make one from its parts, and
    build a fake with `build`; `dumps` writes it as TOML that `loads` reads back equal::

        scenario = Scenario(
            requesters=(RequesterSpec("me", api_keys=("test-key",)),),
            projects=(ProjectSpec("7", owner="me"),),
            trainings=(TrainingSpec("41", owner="me", project_id="7"),),
            pools=(PoolSpec("21", owner="me", project_id="7", training_id="41"),),
            faults=(Fault("internal_error", training="41", first=1),),
            clock_start=datetime.datetime(2026, 11, 1, 12, 0),
        )
        assert Scenario.loads(scenario.dumps()) == scenario

    Parts made in Python are checked when the fake is built (the same checks as
    `FakeToloka.add_pool` and its kin); a file's, when it is read. ``source`` (where it was
    read from) takes no part in equality.
    """

    requesters: tuple[RequesterSpec, ...] = ()
    pools: tuple[PoolSpec, ...] = ()
    projects: tuple[ProjectSpec, ...] = ()
    faults: tuple[Fault, ...] = ()
    seed: int = 0
    rate_limit: int | None = DEFAULT_RATE_LIMIT
    clock_start: datetime.datetime | None = None
    source: str = dataclasses.field(default="<scenario>", compare=False)
    trainings: tuple[TrainingSpec, ...] = ()

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Scenario:
        """Read a scenario file; ``None`` reads the default scenario shipped in the package."""
        if path is None:
            resource = resources.files("toloka_archive.testing").joinpath(DEFAULT_SCENARIO)
            return cls.loads(resource.read_text(encoding="utf-8"), source=f"<{DEFAULT_SCENARIO}>")
        source = os.fspath(path)
        try:
            with open(source, "rb") as handle:
                raw = handle.read()
        except OSError as error:
            raise ScenarioError(f"{source}: cannot read: {error.strerror}") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ScenarioError(f"{source}: not UTF-8 text ({error.reason})") from None
        return cls.loads(text, source=source)

    @classmethod
    def loads(cls, text: str, *, source: str = "<string>") -> Scenario:
        """Parse and check scenario TOML given as a string."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            # tomllib's message ends with "(at line L, column C)".
            raise ScenarioError(f"{source}: invalid TOML: {error}") from None
        return cls.from_dict(data, source=source)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<dict>") -> Scenario:
        """Check an already parsed scenario (the TOML's tables as dicts and lists)."""
        try:
            return _Reader(data).scenario(source)
        except check.FieldError as error:
            raise ScenarioError(f"{source}: {error}".replace("\n", " ")) from None

    @classmethod
    def default(cls) -> Scenario:
        return cls.load(None)

    def build(self, *, clock: Clock | None = None, seed: int | None = None) -> FakeToloka:
        """A fresh fake set up as declared, through its public declaring methods.

        ``seed`` overrides the scenario's seed; without ``clock``, a real clock starting at
        ``clock_start`` (if any). `FakeToloka.from_scenario` is the same call.
        """
        fake = FakeToloka(
            clock=SystemClock(self.clock_start) if clock is None else clock,
            seed=self.seed if seed is None else seed,
            rate_limit=self.rate_limit,
        )
        for requester in self.requesters:
            fake.add_requester(
                requester.name, api_keys=requester.api_keys, oauth_tokens=requester.oauth_tokens
            )
        now = fake.clock.now()
        for project in self.projects:
            fake.add_project(
                project.id,
                owner=project.owner,
                status=project.status,
                public_name=project.public_name,
                created=_back(now, project.created, project.created_days_ago),
                archive_seconds=project.archive_seconds,
                fail=project.fail,
            )
        for training in self.trainings:
            fake.add_training(training.id, **_member_fields(training, now))
        for pool in self.pools:
            fake.add_pool(
                pool.id,
                **_member_fields(pool, now),
                last_rejected=pool.rejected_at(now),
                training_id=pool.training_id,
            )
        for fault in self.faults:
            fake.add_fault(fault)
        return fake

    def dumps(self) -> str:
        """The scenario as TOML text that `loads` reads back to an equal scenario: every pool
        written on its own (a range as its pools), each field only when it differs from its
        default."""
        settings: dict[str, object] = {"seed": self.seed}
        settings["rate_limit"] = False if self.rate_limit is None else self.rate_limit
        if self.clock_start is not None:
            settings["clock_start"] = self.clock_start
        parts = ["# A fake Toloka scenario (toloka_archive.testing), written by Scenario.dumps\n"]
        parts.append(_toml_table("[settings]", settings))
        sections: tuple[tuple[str, tuple[Any, ...]], ...] = (
            ("requesters", self.requesters),
            ("projects", self.projects),
            ("trainings", self.trainings),
            ("pools", self.pools),
            ("faults", self.faults),
        )
        for name, items in sections:
            parts.extend(_toml_table(f"[[{name}]]", _changed(item)) for item in items)
        return "\n".join(parts)


def _member_fields(spec: PoolSpec | TrainingSpec, now: datetime.datetime) -> dict[str, Any]:
    """What `FakeToloka.add_pool` and `add_training` take alike, from a spec."""
    return {
        "owner": spec.owner,
        "project_id": spec.project_id,
        "status": spec.status,
        "private_name": spec.private_name,
        "created": _back(now, spec.created, spec.created_days_ago),
        "last_started": _back(now, spec.last_started, spec.last_started_days_ago),
        "last_stopped": _back(now, spec.last_stopped, spec.last_stopped_days_ago),
        "last_close_reason": spec.last_close_reason,
        "archive_seconds": spec.archive_seconds,
        "close_seconds": spec.close_seconds,
        "fail": spec.fail,
        "archive_refusal": spec.archive_refusal,
    }


def _changed(spec: Any) -> dict[str, object]:
    """A spec's fields that differ from their defaults (those without a default, always)."""
    found: dict[str, object] = {}
    for field in dataclasses.fields(spec):
        value = getattr(spec, field.name)
        if value is not None and (field.default is dataclasses.MISSING or value != field.default):
            found[field.name] = list(value) if isinstance(value, tuple) else value
    return found


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped.
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_table(header: str, fields: Mapping[str, object]) -> str:
    return "".join([header, "\n", *(f"{k} = {_toml_value(v)}\n" for k, v in fields.items())])


class _Table:
    """One TOML table being read, with its place in the file for messages."""

    def __init__(self, path: str, data: object, fields: tuple[str, ...]) -> None:
        if not isinstance(data, dict):
            raise check.FieldError("", path, f"expected a table, got {check.type_name(data)}")
        for key in data:
            if key not in fields:
                hint = difflib.get_close_matches(key, fields, n=1)
                suggestion = f"did you mean {hint[0]!r}? " if hint else ""
                raise check.FieldError(
                    path,
                    key,
                    f"unknown field; {suggestion}expected one of {', '.join(fields)}",
                )
        self.path = path
        self.data: dict[str, object] = data

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def __getitem__(self, key: str) -> object:
        return self.data[key]


def _items(data: Mapping[str, Any], key: str, fields: tuple[str, ...]) -> Iterator[_Table]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise check.FieldError(
            "", key, f"expected an array of tables ([[{key}]]), got {check.type_name(items)}"
        )
    for index, item in enumerate(items):
        yield _Table(f"{key}[{index}]", item, fields)


class _Reader:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self._top = _Table("", dict(data), _TOP_LEVEL)
        self._data = data
        self._requesters: list[str] = []
        self._projects: dict[str, ProjectSpec] = {}
        self._pool_paths: dict[str, str] = {}  # pools' and trainings' ids: one space
        self._trainings: dict[str, TrainingSpec] = {}

    def scenario(self, source: str) -> Scenario:
        seed, rate_limit, clock_start = self._settings()
        requesters = tuple(
            self._requester(table) for table in _items(self._data, "requesters", _REQUESTER)
        )
        projects = tuple(self._project(table) for table in _items(self._data, "projects", _PROJECT))
        trainings = tuple(
            self._training(table) for table in _items(self._data, "trainings", _TRAINING)
        )
        pools = [self._pool(table) for table in _items(self._data, "pools", _POOL)]
        for table in _items(self._data, "pool_ranges", _POOL_RANGE):
            pools.extend(self._pool_range(table))
        faults = tuple(self._fault(table) for table in _items(self._data, "faults", _FAULT))
        return Scenario(
            requesters=requesters,
            projects=projects,
            pools=tuple(pools),
            faults=faults,
            seed=seed,
            rate_limit=rate_limit,
            clock_start=clock_start,
            source=source,
            trainings=trainings,
        )

    def _settings(self) -> tuple[int, int | None, datetime.datetime | None]:
        if "settings" not in self._top:
            return 0, DEFAULT_RATE_LIMIT, None
        table = _Table("settings", self._top["settings"], _SETTINGS)
        seed = 0
        if "seed" in table:  # the range FakeToloka takes, negative seeds included
            seed = check.integer("settings", "seed", table["seed"], minimum=-(2**63))
        rate_limit: int | None = DEFAULT_RATE_LIMIT
        if "rate_limit" in table:
            value = table["rate_limit"]
            if value is False:
                rate_limit = None
            elif value is True:
                raise check.FieldError(
                    "settings", "rate_limit", "expected requests per second, or false for none"
                )
            else:
                rate_limit = check.integer("settings", "rate_limit", value, minimum=1)
        clock_start = (
            check.utc_datetime("settings", "clock_start", table["clock_start"])
            if "clock_start" in table
            else None
        )
        return seed, rate_limit, clock_start

    def _requester(self, table: _Table) -> RequesterSpec:
        if "name" not in table:
            raise check.FieldError(table.path, "name", "required")
        name = check.text(table.path, "name", table["name"])
        if name in self._requesters:
            raise check.FieldError(table.path, "name", f"requester {name!r} is declared twice")
        self._requesters.append(name)
        return RequesterSpec(
            name=name,
            api_keys=self._secrets(table, "api_keys"),
            oauth_tokens=self._secrets(table, "oauth_tokens"),
        )

    @staticmethod
    def _secrets(table: _Table, key: str) -> tuple[str, ...]:
        if key not in table:
            return ()
        values = table[key]
        if not isinstance(values, list):
            raise check.FieldError(
                table.path, key, f"expected an array of strings, got {check.type_name(values)}"
            )
        return tuple(
            check.text(table.path, f"{key}[{index}]", value, secret=True)
            for index, value in enumerate(values)
        )

    def _claim_pool_id(self, pool_id: str, path: str, field: str, kind: str = "pool") -> None:
        earlier = self._pool_paths.get(pool_id)
        if earlier is not None:
            raise check.FieldError(
                path, field, f"{kind} {pool_id!r} is declared twice (also at {earlier})"
            )
        self._pool_paths[pool_id] = path

    @staticmethod
    def _moments(table: _Table, names: tuple[str, ...]) -> dict[str, Any]:
        """Each moment in ``names``, given as ``<name>`` (UTC) or ``<name>_days_ago``."""
        path = table.path
        fields: dict[str, Any] = {}
        for name in names:
            days = f"{name}_days_ago"
            if name in table and days in table:
                raise check.FieldError(path, days, f"give {name} or this, not both")
            if name in table:
                fields[name] = check.utc_datetime(path, name, table[name])
            if days in table:
                fields[days] = check.number(path, days, table[days])
        return fields

    def _project(self, table: _Table) -> ProjectSpec:
        path = table.path
        if "id" not in table:
            raise check.FieldError(path, "id", "required")
        project_id = check.project_id(path, "id", table["id"])
        if project_id in self._projects:
            raise check.FieldError(path, "id", f"project {project_id!r} is declared twice")
        fields: dict[str, Any] = {"owner": self._owner(table)}
        if "status" in table:
            fields["status"] = check.project_status(path, "status", table["status"])
        if "public_name" in table:
            fields["public_name"] = check.text(path, "public_name", table["public_name"])
        fields.update(self._moments(table, ("created",)))
        if "archive_seconds" in table:
            fields["archive_seconds"] = check.number(
                path, "archive_seconds", table["archive_seconds"]
            )
        if "fail" in table:
            fields["fail"] = check.boolean(path, "fail", table["fail"])
        project = ProjectSpec(id=project_id, **fields)
        self._projects[project_id] = project
        return project

    def _pool_fields(self, table: _Table) -> dict[str, Any]:
        path = table.path
        fields: dict[str, Any] = {}
        project: ProjectSpec | None = None
        if "project_id" in table:
            project_id = check.project_id(path, "project_id", table["project_id"])
            project = self._projects.get(project_id)
            if project is None:
                known = ", ".join(repr(name) for name in self._projects) or "none"
                raise check.FieldError(
                    path, "project_id", f"unknown project {project_id!r}; declared: {known}"
                )
            fields["project_id"] = project_id
        if project is not None and "owner" not in table:
            fields["owner"] = project.owner
        else:
            fields["owner"] = self._owner(table)
        if project is not None and fields["owner"] != project.owner:
            raise check.FieldError(
                path, "owner", f"project {project.id!r} belongs to {project.owner!r}"
            )
        if "status" in table:
            fields["status"] = check.pool_status(path, "status", table["status"])
        status = fields.get("status", "CLOSED")
        if project is not None and project.status == "ARCHIVED" and status != "ARCHIVED":
            noun = "trainings" if path.startswith("trainings") else "pools"
            raise check.FieldError(
                path, "status", f"project {project.id!r} is archived, so its {noun} are too"
            )
        if "private_name" in table:
            fields["private_name"] = check.text(path, "private_name", table["private_name"])
        if "last_close_reason" in table:
            fields["last_close_reason"] = check.close_reason(
                path, "last_close_reason", table["last_close_reason"]
            )
        fields.update(self._moments(table, _MOMENTS))
        for name in ("archive_seconds", "close_seconds"):
            if name in table:
                fields[name] = check.number(path, name, table[name])
        if "fail" in table:
            fields["fail"] = check.boolean(path, "fail", table["fail"])
        if "archive_refusal" in table:
            fields["archive_refusal"] = check.one_of(
                path, "archive_refusal", table["archive_refusal"], ARCHIVE_REFUSALS, "refusal"
            )
        if "training_id" in table:
            fields["training_id"] = self._required_training(table, fields)
        return fields

    def _required_training(self, table: _Table, pool: dict[str, Any]) -> str:
        path = table.path
        training_id = check.subject_id("training", path, "training_id", table["training_id"])
        training = self._trainings.get(training_id)
        if training is None:
            known = ", ".join(repr(name) for name in self._trainings) or "none"
            raise check.FieldError(
                path, "training_id", f"unknown training {training_id!r}; declared: {known}"
            )
        if (training.project_id, training.owner) != (pool.get("project_id"), pool["owner"]):
            raise check.FieldError(
                path,
                "training_id",
                f"training {training_id!r} is in another project: a pool requires a training "
                "of its own project",
            )
        return training_id

    def _owner(self, table: _Table) -> str:
        if "owner" not in table:
            if len(self._requesters) == 1:
                return self._requesters[0]
            raise check.FieldError(
                table.path, "owner", "required unless exactly one requester is declared"
            )
        owner = check.text(table.path, "owner", table["owner"])
        if owner not in self._requesters:
            known = ", ".join(repr(name) for name in self._requesters) or "none"
            raise check.FieldError(
                table.path, "owner", f"unknown requester {owner!r}; declared: {known}"
            )
        return owner

    def _training(self, table: _Table) -> TrainingSpec:
        if "id" not in table:
            raise check.FieldError(table.path, "id", "required")
        training_id = check.subject_id("training", table.path, "id", table["id"])
        fields = self._pool_fields(table)
        self._claim_pool_id(training_id, table.path, "id", "training")
        training = TrainingSpec(id=training_id, **fields)
        self._trainings[training_id] = training
        return training

    def _pool(self, table: _Table) -> PoolSpec:
        if "id" not in table:
            raise check.FieldError(table.path, "id", "required")
        pool_id = check.pool_id(table.path, "id", table["id"])
        fields = self._pool_fields(table)
        self._claim_pool_id(pool_id, table.path, "id")
        return PoolSpec(id=pool_id, **fields)

    def _pool_range(self, table: _Table) -> list[PoolSpec]:
        for key in ("first", "count"):
            if key not in table:
                raise check.FieldError(table.path, key, "required")
        first = check.integer(table.path, "first", table["first"])
        count = check.integer(table.path, "count", table["count"], minimum=1)
        if count > MAX_RANGE_COUNT:
            raise check.FieldError(
                table.path, "count", f"at most {MAX_RANGE_COUNT:,} pools per range, got {count:,}"
            )
        fields = self._pool_fields(table)
        pools = []
        for offset in range(count):
            pool_id = str(first + offset)
            self._claim_pool_id(pool_id, table.path, "first")
            pools.append(PoolSpec(id=pool_id, **fields))
        return pools

    def _fault(self, table: _Table) -> Fault:
        if "kind" not in table:
            raise check.FieldError(table.path, "kind", "required")
        try:
            fault = Fault(**cast(dict[str, Any], table.data))
        except check.FieldError as error:
            raise check.FieldError(table.path, error.field, error.reason) from None
        if fault.subject is not None:
            kind, subject_id = fault.subject
            if kind == "pool":  # declared at pools[N] or pool_ranges[N], not trainings[N]
                known = self._pool_paths.get(subject_id, "").startswith("pool")
            else:
                known = subject_id in (self._trainings if kind == "training" else self._projects)
            if not known:
                raise check.FieldError(table.path, kind, f"unknown {kind} {subject_id!r}")
        return fault
