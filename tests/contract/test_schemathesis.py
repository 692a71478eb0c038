"""Conformance proven by an independent tool: schemathesis runs openapi.yaml against the fake.

Schemathesis (pinned in the dev extra) reads nothing of ours but the spec. It generates requests
from it, valid ones and invalid ones, sends them to the fake Toloka on a loopback port, and
checks every answer: a status the operation documents, its content type and body against the
schema, never a 5xx, a request the spec allows never refused with a 400 and one it forbids
never accepted, a missing or wrong key answered 401, an undeclared method 405 with ``Allow``.

- `test_every_operation_conforms`: each operation on its own (explicit examples, the coverage
  phase's boundary values and missing parameters, then a few generated cases).
- `test_every_link_conforms`: the stateful phase, which chains calls along the spec's OpenAPI
  ``links`` (an archive's or a close's ``202`` to ``GET /operations/{id}`` and its log, the
  pool list and a pool to archiving, a pool to closing, a project to its pools and its
  archive), checking every answer on the way.
- `test_links_follow_real_operations`: the same over the calls of archiving a pool only, so
  that a few scenarios are enough to prove the links work: a real ``202``, its operation polled
  to ``SUCCESS``, its log read.
- `test_close_links_follow_real_operations`: likewise for closing a pool, on a fake whose
  example pool is ``OPEN``.
- `test_training_links_follow_real_operations`: likewise for archiving a training (on a fake
  whose example pool, which requires it, is archived already) and for closing one (on a fake
  whose example training is ``OPEN``).

The run is short and repeatable: generation is derandomized, Hypothesis keeps no example
database (and its caches go to the temporary folder, see conftest.py), and the fake runs on a
`ManualClock` that moves a fixed step per request. Every example, and every stateful scenario,
gets a fresh fake, so none depends on what an earlier one did. The same checkout gives the same
requests run after run; note that Hypothesis also draws on constants it finds in the modules of
ours that are loaded, so editing the facade can change what it tries (never how it judges).

The fake here is the default scenario with two changes, both on purpose:

- no injected infrastructure faults (500, 503, an HTML 502, dropped connections, lost answers,
  slow ones) and no rate limit: those are the facade's business, and `tests/fake` checks their
  bodies against the spec; Toloka's own behaviours stay (an operation that fails, an archive
  another client started first);
- the ids the spec gives as examples (pool ``32267581``, training ``1239110``, project
  ``83859``) exist: schemathesis draws them often, and a request that reaches a real pool is one
  the links can carry on from. The example pool requires the example training, so archiving
  the training is refused (``TRAINING_ARCHIVE_CONFLICT``) until the pool is archived.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis import BaseSchema
from schemathesis.specs.openapi.schemas import OpenApiSchema
from toloka_archive.testing import FakeServer, FakeToloka, ManualClock, Reply, Scenario

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi.yaml"
KEY = "fake-api-key-0001"  # the default scenario's requester-1
OWNER = "requester-1"
START = datetime.datetime(2026, 11, 1, 12, 0, 0)
STEP_SECONDS = 1.0
"""How far the fake's clock moves after each request: archives take a few requests to end."""

EXAMPLE_PROJECT = "83859"  # the spec's example project id
EXAMPLE_POOL = "32267581"  # the spec's example pool id
EXAMPLE_TRAINING = "1239110"  # the spec's example training id

# Toloka's own behaviours, kept; every other fault of the default scenario is infrastructure.
TOLOKA_FAULTS = frozenset({"operation_fail", "locked_by_other"})

MAX_EXAMPLES = 12
"""Generated cases per operation, after the explicit examples and the coverage phase."""
SCENARIOS = 25
FOCUSED_SCENARIOS = 10
STEPS = 8
"""Stateful scenarios (over every link, and over archiving a pool), and the most calls in each."""

HYPOTHESIS = hypothesis.settings(
    derandomize=True,
    database=None,
    # The fixture is only the loopback server; each example resets the fake behind it.
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)


def config() -> schemathesis.Config:
    """The run's settings; nothing is read from the environment or a schemathesis.toml."""
    return schemathesis.Config.from_dict(
        {
            "seed": 20261101,
            "headers": {"Authorization": f"ApiKey {KEY}"},
            "generation": {
                "deterministic": True,
                "database": "none",
                "max-examples": MAX_EXAMPLES,
            },
        }
    )


def load_schema() -> OpenApiSchema:
    return schemathesis.openapi.from_path(SPEC_PATH, config=config())


@functools.cache
def base_scenario() -> Scenario:
    scenario = Scenario.load(None)
    kept = tuple(fault for fault in scenario.faults if fault.kind in TOLOKA_FAULTS)
    return dataclasses.replace(scenario, rate_limit=None, faults=kept)


class World:
    """The fake behind the loopback server, replaced by a fresh one on `reset`. The example
    pool is ``CLOSED`` (archivable) unless ``example_status`` says otherwise, and requires the
    example training, ``CLOSED`` unless ``training_status`` says otherwise."""

    def __init__(self, example_status: str = "CLOSED", training_status: str = "CLOSED") -> None:
        self.example_status = example_status
        self.training_status = training_status
        self.clock = ManualClock(start=START)
        self.fake = self._build()

    def _build(self) -> FakeToloka:
        fake = FakeToloka.from_scenario(base_scenario(), clock=self.clock)
        fake.add_project(EXAMPLE_PROJECT, owner=OWNER, public_name="The spec's example project")
        fake.add_training(EXAMPLE_TRAINING, project_id=EXAMPLE_PROJECT, status=self.training_status)
        fake.add_pool(
            EXAMPLE_POOL,
            project_id=EXAMPLE_PROJECT,
            status=self.example_status,
            training_id=EXAMPLE_TRAINING,
        )
        return fake

    def reset(self) -> None:
        self.clock = ManualClock(start=START)
        self.fake = self._build()

    def handle(self, method: str, path: str, query: str, headers: Mapping[str, str]) -> Reply:
        reply = self.fake.handle(method, path, query, headers)
        self.clock.advance(STEP_SECONDS)
        return reply


@dataclasses.dataclass
class Loopback:
    world: World
    url: str


@contextlib.contextmanager
def serving(world: World) -> Iterator[Loopback]:
    with FakeServer(world.handle, "127.0.0.1", 0) as server:
        yield Loopback(world, server.url)


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    with serving(World()) as served:
        yield served


schema = load_schema()


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_conforms(case: schemathesis.Case, loopback: Loopback) -> None:
    """One generated request, on a fresh fake; schemathesis's checks judge the answer."""
    loopback.world.reset()
    case.call_and_validate(base_url=loopback.url)


Call = tuple[str, int, Any]
"""``("GET /operations/{id}", 200, body)``: one call of a stateful run, as the spec names it."""


def run_stateful(loopback: Loopback, api: BaseSchema, scenarios: int) -> list[Call]:
    """Run ``api``'s state machine against the fake; every scenario starts on a fresh fake."""
    calls: list[Call] = []

    class Workflow(api.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            loopback.world.reset()

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"base_url": loopback.url}

        def after_call(self, response: schemathesis.Response, case: schemathesis.Case) -> None:
            body = response.json() if response.content else None
            calls.append((f"{case.method} {case.operation.path}", response.status_code, body))

    Workflow.run(
        settings=hypothesis.settings(
            Workflow.TestCase.settings,
            max_examples=scenarios,
            stateful_step_count=STEPS,
            derandomize=True,
            database=None,
        )
    )
    return calls


def test_every_link_conforms(loopback: Loopback) -> None:
    """Every link of the spec, followed where the run leads: each answer is checked."""
    calls = run_stateful(loopback, load_schema(), SCENARIOS)
    assert len(calls) >= SCENARIOS


def test_links_follow_real_operations(loopback: Loopback) -> None:
    """Archiving a pool, then the links of its ``202``: the operation is followed to its end.

    Only the calls on that path are in this run, so that it gets there in a few scenarios; a
    chain that leaves them is `test_every_link_conforms`'s.
    """
    api = load_schema().include(
        operation_id=["archivePool", "getOperation", "getOperationLog", "getPool"]
    )
    calls = run_stateful(loopback, api, FOCUSED_SCENARIOS)
    statuses = Counter((call, status) for call, status, _ in calls)
    assert statuses[("POST /pools/{id}/archive", 202)], statuses
    assert statuses[("GET /operations/{id}/log", 200)], statuses
    polled = [
        body for call, status, body in calls if (call, status) == ("GET /operations/{id}", 200)
    ]
    assert {(body["type"], body["status"]) for body in polled} >= {("POOL.ARCHIVE", "SUCCESS")}


def test_close_links_follow_real_operations() -> None:
    """Closing an open pool, then the links of its ``202``: the close is followed to its end."""
    api = load_schema().include(
        operation_id=["closePool", "getOperation", "getOperationLog", "getPool"]
    )
    with serving(World(example_status="OPEN")) as served:
        calls = run_stateful(served, api, FOCUSED_SCENARIOS)
    statuses = Counter((call, status) for call, status, _ in calls)
    assert statuses[("POST /pools/{id}/close", 202)], statuses
    assert statuses[("GET /operations/{id}/log", 200)], statuses
    polled = [
        body for call, status, body in calls if (call, status) == ("GET /operations/{id}", 200)
    ]
    assert {(body["type"], body["status"]) for body in polled} >= {("POOL.CLOSE", "SUCCESS")}


@pytest.mark.parametrize(
    ("operation_id", "call", "operation_type", "world"),
    [
        (
            "archiveTraining",
            "POST /trainings/{id}/archive",
            "TRAINING.ARCHIVE",
            {"example_status": "ARCHIVED"},
        ),
        (
            "closeTraining",
            "POST /trainings/{id}/close",
            "TRAINING.CLOSE",
            {"training_status": "OPEN"},
        ),
    ],
)
def test_training_links_follow_real_operations(
    operation_id: str, call: str, operation_type: str, world: dict[str, str]
) -> None:
    """Archiving a training once the pool that requires it is archived, or closing an open one,
    then the links of its ``202``: the operation is followed to its end."""
    api = load_schema().include(
        operation_id=[operation_id, "getOperation", "getOperationLog", "getTraining"]
    )
    with serving(World(**world)) as served:
        calls = run_stateful(served, api, FOCUSED_SCENARIOS)
    statuses = Counter((made, status) for made, status, _ in calls)
    assert statuses[(call, 202)], statuses
    assert statuses[("GET /operations/{id}/log", 200)], statuses
    polled = [
        body for made, status, body in calls if (made, status) == ("GET /operations/{id}", 200)
    ]
    assert {(body["type"], body["status"]) for body in polled} >= {(operation_type, "SUCCESS")}
