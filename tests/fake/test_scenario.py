"""Scenario files: the packaged default, the format, and one-line errors that name the place."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from toloka_archive.testing import (
    FAULT_KINDS,
    FakeToloka,
    Fault,
    ManualClock,
    Scenario,
    ScenarioError,
)

START = datetime.datetime(2026, 11, 1, 12, 0)


def test_default_scenario_has_a_pool_for_every_behaviour() -> None:
    scenario = Scenario.load(None)
    pools = {pool.id: pool for pool in scenario.pools}
    statuses = {pool.status for pool in pools.values()}
    assert statuses == {"OPEN", "CLOSED", "ARCHIVED", "LOCKED"}
    assert any(pool.last_rejected_days_ago for pool in pools.values())
    assert any(pool.fail for pool in pools.values())
    assert max(pool.archive_seconds for pool in pools.values()) <= 4.0  # a demo runs it live
    assert max(project.archive_seconds for project in scenario.projects) <= 4.0
    assert {pool.owner for pool in pools.values()} == {"requester-1", "requester-2"}
    assert {fault.kind for fault in scenario.faults} == set(FAULT_KINDS)
    assert scenario.rate_limit == 300
    requester = scenario.requesters[0]
    assert requester.api_keys[0] == "fake-api-key-0001"
    assert requester.oauth_tokens == ("fake-oauth-token-0001",)
    assert "fake-api-key-0001" not in repr(scenario)
    assert all(pool.project_id is not None for pool in pools.values())


# Every pool the demo, the README and the command's tests name, with what it does: moving the
# default scenario's pools around breaks all of them.
EXISTING_POOLS = {
    "100": ("CLOSED", None),
    "101": ("ARCHIVED", None),
    "102": ("OPEN", None),
    "103": ("CLOSED", 2),
    "104": ("CLOSED", None),
    **{str(pool_id): ("CLOSED", None) for pool_id in range(105, 122)},
    "200": ("CLOSED", None),
}


def test_default_scenario_keeps_every_existing_pool() -> None:
    fake = FakeToloka.from_scenario(Scenario.load(None), clock=ManualClock(start=START))
    for pool_id, (status, rejected_days_ago) in EXISTING_POOLS.items():
        pool = fake.pool(pool_id)
        assert pool.status == status, pool_id
        expected = None
        if rejected_days_ago is not None:
            expected = START - datetime.timedelta(days=rejected_days_ago)
        assert pool.last_rejected == expected, pool_id
        assert pool.owner == ("requester-2" if pool_id == "200" else "requester-1")
    assert fake.pool("104").fail
    with pytest.raises(KeyError):
        fake.pool("999")  # "no such pool" in the demo


def test_default_scenario_projects_look_like_a_real_requesters() -> None:
    fake = FakeToloka.from_scenario(Scenario.load(None), clock=ManualClock(start=START))
    signs = fake.project("1002")
    assert signs.status == "ACTIVE"
    pools = {pool_id: fake.pool(pool_id) for pool_id in signs.pool_ids}
    assert {pool.status for pool in pools.values()} == {"OPEN", "CLOSED", "ARCHIVED", "LOCKED"}
    closed_long_ago = [
        pool
        for pool in pools.values()
        if pool.status == "CLOSED"
        and pool.last_stopped is not None
        and START - pool.last_stopped > datetime.timedelta(days=180)
    ]
    assert closed_long_ago
    assert any(
        pool.last_stopped is not None and START - pool.last_stopped <= datetime.timedelta(days=1)
        for pool in pools.values()
    )
    in_window = [
        pool
        for pool in pools.values()
        if pool.archivable_from is not None and pool.archivable_from > START
    ]
    assert [pool.id for pool in in_window] == ["304"]
    assert all(pool.created >= signs.created for pool in pools.values())
    finished = fake.project("1003")
    assert {fake.pool(pool_id).status for pool_id in finished.pool_ids} == {"CLOSED", "ARCHIVED"}
    assert sorted(fake.project("1001").pool_ids, key=int) == [str(n) for n in range(100, 122)]
    assert fake.project("2001").pool_ids == ("200",)


def test_default_scenario_has_a_project_with_trainings_and_one_being_edited() -> None:
    clock = ManualClock(start=START)
    fake = FakeToloka.from_scenario(Scenario.load(None), clock=clock)
    reviews = fake.project("1004")
    assert (reviews.status, reviews.training_ids, reviews.pool_ids) == (
        "ACTIVE",
        ("401", "402"),
        ("411", "412", "413", "414"),
    )
    assert [fake.training(t).status for t in reviews.training_ids] == ["CLOSED", "OPEN"]
    assert [fake.pool(p).status for p in reviews.pool_ids] == ["CLOSED"] * 4
    assert [fake.pool(p).training_id for p in reviews.pool_ids] == ["401", "401", "402", "402"]
    edited = fake.project("1005")
    assert edited.pool_ids == ("501", "502")
    editing = fake.pool("501")
    assert (editing.status, editing.last_close_reason, editing.last_stopped) == (
        "CLOSED",
        "FOR_UPDATE",
        START,
    )
    assert fake.pool("502").archive_refusal == "THERE_IS_ACTIVE_ASSIGNMENT"
    clock.advance(15 * 60.0)
    assert fake.pool("501").status == "OPEN"
    assert {fake.project(p).owner for p in ("1004", "1005")} == {"requester-1"}


def test_default_scenario_rejection_is_relative_to_the_clock_start() -> None:
    for start in (START, datetime.datetime(2031, 5, 5)):
        fake = FakeToloka.from_scenario(Scenario.load(None), clock=ManualClock(start=start))
        assert fake.pool("103").last_rejected == start - datetime.timedelta(days=2)


def test_every_field(tmp_path: Path) -> None:
    path = tmp_path / "full.toml"
    path.write_text(
        """
[settings]
seed = 42
rate_limit = false
clock_start = 2030-01-02T03:04:05

[[requesters]]
name = "a"
api_keys = ["ka"]
oauth_tokens = ["ta"]

[[requesters]]
name = "b"

[[pools]]
id = 7
owner = "a"
status = "CLOSED"
last_rejected = 2029-12-30T00:00:00Z
archive_seconds = 1.5
fail = true

[[pools]]
id = "8"
owner = "b"
last_rejected_days_ago = 0.5

[[pool_ranges]]
first = 1000
count = 3
owner = "a"
status = "OPEN"

[[faults]]
kind = "rate_limit"
pool = 7
endpoint = "archive"
first = 2
probability = 0.5
retry_after = 3
retry_after_ms = 2500

[[faults]]
kind = "slow"
delay = 0.25
""",
        encoding="utf-8",
    )
    scenario = Scenario.load(path)
    assert scenario.source == str(path)
    assert (scenario.seed, scenario.rate_limit) == (42, None)
    assert scenario.clock_start == datetime.datetime(2030, 1, 2, 3, 4, 5)
    assert [pool.id for pool in scenario.pools] == ["7", "8", "1000", "1001", "1002"]
    assert scenario.faults == (
        Fault(
            "rate_limit",
            pool="7",
            endpoint="archive",
            first=2,
            probability=0.5,
            retry_after=3,
            retry_after_ms=2500,
        ),
        Fault("slow", delay=0.25),
    )

    fake = FakeToloka.from_scenario(scenario)  # no clock: a real one, starting at clock_start
    assert fake.seed == 42
    assert fake.rate_limit is None
    assert abs(fake.clock.now() - datetime.datetime(2030, 1, 2, 3, 4, 5)).total_seconds() < 60
    seven = fake.pool("7")
    assert (seven.owner, seven.fail, seven.archive_seconds) == ("a", True, 1.5)
    assert seven.last_rejected == datetime.datetime(2029, 12, 30)  # the Z converted to naive UTC
    assert fake.pool("1001").status == "OPEN"
    assert fake.pool("8").last_rejected is not None
    assert FakeToloka.from_scenario(scenario, seed=5).seed == 5


def test_a_large_pool_range_loads_quickly_enough_for_benchmarks() -> None:
    scenario = Scenario.loads(
        '[[requesters]]\nname = "a"\n[[pool_ranges]]\nfirst = 1\ncount = 10000\n'
    )
    fake = FakeToloka.from_scenario(scenario, clock=ManualClock())
    assert fake.pool("10000").owner == "a"  # owner defaults to the only requester


def test_minimal_scenario_uses_defaults() -> None:
    scenario = Scenario.loads("")
    assert (scenario.seed, scenario.rate_limit, scenario.clock_start) == (0, 300, None)
    assert scenario.pools == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[settings\n", r"^<string>: invalid TOML: .*\(at line 1, column 10\)$"),
        ('x = 1\ny = "\n', r"^<string>: invalid TOML: .*\(at line 2, column \d+\)$"),
        ("pool_range = []", r"^<string>: pool_range: unknown field; did you mean 'pool_ranges'\?"),
        ("[settings]\nsead = 1", r"^<string>: settings\.sead: unknown field; did you mean 'seed'"),
        ("[settings]\nseed = '1'", r"^<string>: settings\.seed: expected an integer, got str '1'$"),
        ("[settings]\nrate_limit = true", r"^<string>: settings\.rate_limit: expected requests"),
        ("[settings]\nrate_limit = 0", r"^<string>: settings\.rate_limit: must be >= 1, got 0$"),
        ("[settings]\nclock_start = 'soon'", r"^<string>: settings\.clock_start: expected an ISO"),
        ("settings = 3", r"^<string>: settings: expected a table, got int$"),
        ("pools = 3", r"^<string>: pools: expected an array of tables \(\[\[pools\]\]\), got int$"),
        ("[[requesters]]\napi_keys = ['k']", r"^<string>: requesters\[0\]\.name: required$"),
        (
            '[[requesters]]\nname = "a"\napi_keys = [1]',
            r"^<string>: requesters\[0\]\.api_keys\[0\]: expected a non-empty string, got a secret",
        ),
        (
            '[[requesters]]\nname = "a"\n[[requesters]]\nname = "a"',
            r"^<string>: requesters\[1\]\.name: requester 'a' is declared twice$",
        ),
    ],
)
def test_bad_scenarios_name_the_line_or_field(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as caught:
        Scenario.loads(text)
    assert "\n" not in str(caught.value)


POOLS = '[[requesters]]\nname = "r"\n[[requesters]]\nname = "s"\n'


@pytest.mark.parametrize(
    ("pools", "message"),
    [
        (
            '[[pools]]\nid = "1"\nowner = "r"\n[[pools]]\nid = "2"\nowner = "r"\n'
            '[[pools]]\nid = "3"\nowner = "r"\nstatus = "CLOSSED"',
            r"^<string>: pools\[2\]\.status: unknown status 'CLOSSED'; "
            r"choose OPEN, CLOSED, ARCHIVED or LOCKED$",
        ),
        ('[[pools]]\nid = "x"\nowner = "r"', r"pools\[0\]\.id: a pool id is a string of decimal"),
        ('[[pools]]\nowner = "r"', r"pools\[0\]\.id: required$"),
        ('[[pools]]\nid = "1"', r"pools\[0\]\.owner: required unless exactly one requester"),
        ('[[pools]]\nid = "1"\nowner = "q"', r"pools\[0\]\.owner: unknown requester 'q'; declared"),
        ('[[pools]]\nid = "1"\nowner = "r"\nfail = 1', r"pools\[0\]\.fail: expected true or false"),
        (
            '[[pools]]\nid = "1"\nowner = "r"\narchive_seconds = -1',
            r"pools\[0\]\.archive_seconds: must be >= 0, got -1$",
        ),
        (
            '[[pools]]\nid = "1"\nowner = "r"\nlast_rejected = 2026-01-01\n'
            "last_rejected_days_ago = 1",
            r"pools\[0\]\.last_rejected_days_ago: give last_rejected or this, not both$",
        ),
        (
            '[[pools]]\nid = "1"\nowner = "r"\nlast_rejected = 2026-01-01',
            r"pools\[0\]\.last_rejected: expected a date-time \(UTC\), got date",
        ),
        (
            '[[pools]]\nid = "5"\nowner = "r"\n[[pool_ranges]]\nfirst = 3\ncount = 5\nowner = "s"',
            r"pool_ranges\[0\]\.first: pool '5' is declared twice \(also at pools\[0\]\)$",
        ),
        ('[[pool_ranges]]\nfirst = 3\nowner = "r"', r"pool_ranges\[0\]\.count: required$"),
        (
            '[[pool_ranges]]\nfirst = 1\ncount = 0\nowner = "r"',
            r"pool_ranges\[0\]\.count: must be >= 1, got 0$",
        ),
        (
            '[[pool_ranges]]\nfirst = 1\ncount = 2\nowner = "r"\nid = "4"',
            r"pool_ranges\[0\]\.id: unknown field; expected one of first, count, owner",
        ),
        ('[[faults]]\nkind = "boom"', r"^<string>: faults\[0\]\.kind: unknown fault kind 'boom'; "),
        ("[[faults]]\nfirst = 1", r"faults\[0\]\.kind: required$"),
        ('[[faults]]\nkind = "slow"\npool = "9"', r"faults\[0\]\.pool: unknown pool '9'$"),
        ('[[faults]]\nkind = "slow"\nwhen = 1', r"faults\[0\]\.when: unknown field; expected one"),
        (
            '[[faults]]\nkind = "slow"\nendpoint = "archive"\n[[faults]]\nkind = "slow"\n'
            'endpoint = "archives"',
            r"faults\[1\]\.endpoint: unknown endpoint 'archives'",
        ),
    ],
)
def test_bad_pools_and_faults_name_the_field(pools: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        Scenario.loads(POOLS + pools)


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ScenarioError, match=rf"^{missing}: cannot read: No such file"):
        Scenario.load(missing)
    broken = tmp_path / "broken.toml"
    broken.write_text('[[pools]]\nid = "1"\nstatus = OPEN\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=rf"^{broken}: invalid TOML: .*line 3"):
        Scenario.load(broken)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(ScenarioError, match=rf"^{binary}: not UTF-8 text"):
        Scenario.load(binary)


def test_scenario_errors_are_value_errors() -> None:
    assert issubclass(ScenarioError, ValueError)


def test_python_api_errors_name_the_field(clock: ManualClock) -> None:
    fake = FakeToloka(clock=clock)
    fake.add_requester("a", api_keys=["k"])
    with pytest.raises(ValueError, match=r"^add_pool\.status: unknown status 'closed'; choose"):
        fake.add_pool("1", status="closed")
    fake.add_pool("1")
    with pytest.raises(ValueError, match=r"^add_pool\.pool_id: pool '1' already exists$"):
        fake.add_pool("1")
    with pytest.raises(ValueError, match=r"^add_pool\.owner: unknown requester 'b'"):
        fake.add_pool("2", owner="b")
    with pytest.raises(ValueError, match=r"^add_requester\.name: requester 'a' is already"):
        fake.add_requester("a")
    with pytest.raises(ValueError, match=r"^add_requester\.api_keys: a credential may belong"):
        fake.add_requester("b", api_keys=["k"])
    with pytest.raises(ValueError, match=r"^FakeToloka\.rate_limit: must be >= 1, got 0$"):
        FakeToloka(rate_limit=0)


def toloka_kit_scheme(token: str) -> str:
    """The scheme toloka-kit 1.2.3 sends a token under (``TolokaClient.__is_apikey`` and
    ``_headers`` in src/client/__init__.py): a token with exactly two dots whose first dot is at
    index 22 to 24, the shape of Toloka's API keys, goes as ``ApiKey``; any other as ``OAuth``."""
    if token.count(".") == 2 and 21 < token.find(".") < 25:
        return "ApiKey"
    return "OAuth"


def test_toloka_kit_can_use_the_default_scenario(clock: ManualClock) -> None:
    fake = FakeToloka.from_scenario(Scenario.load(None), clock=clock)
    requesters = {requester.name: requester for requester in Scenario.load(None).requesters}
    for name, requester in requesters.items():
        shaped = [key for key in requester.api_keys if toloka_kit_scheme(key) == "ApiKey"]
        assert len(shaped) == 1, name  # one key of a real API key's shape per requester
        assert "NOT-A-SECRET" in shaped[0]
        usable = shaped + [t for t in requester.oauth_tokens if toloka_kit_scheme(t) == "OAuth"]
        for token in usable:
            header = {"Authorization": f"{toloka_kit_scheme(token)} {token}"}
            response = fake.handle("GET", "/api/v1/pools", "limit=1", header)
            assert response.status == 200, (name, toloka_kit_scheme(token))
    # The README's key is not of that shape: toloka-kit would send it as OAuth, which the fake,
    # like Toloka, refuses for an API key. The command and the facade send it as ApiKey.
    assert toloka_kit_scheme("fake-api-key-0001") == "OAuth"
    refused = fake.handle("GET", "/api/v1/pools", "", {"Authorization": "OAuth fake-api-key-0001"})
    assert refused.status == 401
    accepted = fake.handle(
        "GET", "/api/v1/pools", "", {"Authorization": "ApiKey fake-api-key-0001"}
    )
    assert accepted.status == 200


@pytest.mark.parametrize(
    ("token", "scheme"),
    [
        # toloka-kit's own test of the rule (tests/test_client.py, test_client_auth_headers)
        ("fake-token", "OAuth"),
        (
            "LrB_oHKYMtXeD-BoVFWTwi.nfNC.vcRjfXLoJtfWAExAizBKrsBlbfLQJFSFDEnoUODffGsyPjpOlfyAI",
            "ApiKey",
        ),
        ("a" * 21 + ".b.c", "OAuth"),
        ("a" * 25 + ".b.c", "OAuth"),
        ("a" * 24 + ".b.c", "ApiKey"),
        ("a" * 22 + ".b.c.d", "OAuth"),
    ],
)
def test_the_toloka_kit_rule_as_copied(token: str, scheme: str) -> None:
    assert toloka_kit_scheme(token) == scheme
