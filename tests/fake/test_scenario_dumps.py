"""Scenarios as data: trainings and the new pool fields in TOML, a `Scenario` made in Python from
its parts, and `Scenario.dumps`, which `Scenario.loads` reads back to an equal scenario."""

from __future__ import annotations

import dataclasses
import datetime
import tomllib

import pytest
from toloka_archive.testing import (
    FakeToloka,
    Fault,
    ManualClock,
    PoolSpec,
    ProjectSpec,
    RequesterSpec,
    Scenario,
    ScenarioError,
    TrainingSpec,
)

START = datetime.datetime(2026, 11, 1, 12, 0)

TRAININGS = """
[settings]
clock_start = 2026-11-01T12:00:00

[[requesters]]
name = "a"
api_keys = ["ka"]

[[projects]]
id = "7"
public_name = "Signs"

[[trainings]]
id = "41"
project_id = "7"
status = "OPEN"
private_name = "Signs, training"
created_days_ago = 10
close_seconds = 1.5

[[trainings]]
id = 42
project_id = "7"
last_close_reason = "FOR_UPDATE"
last_stopped_days_ago = 0.001
archive_refusal = "CONFLICT_STATE"

[[pools]]
id = "71"
project_id = "7"
training_id = "41"
archive_refusal = "THERE_IS_ACTIVE_ASSIGNMENT"

[[pool_ranges]]
first = 80
count = 2
project_id = "7"
training_id = 42

[[faults]]
kind = "internal_error"
training = "41"
endpoint = "training_close"
first = 1

[[faults]]
kind = "locked_by_other"
project = "7"
"""


def test_trainings_and_their_pools_in_a_file() -> None:
    scenario = Scenario.loads(TRAININGS)
    assert [training.id for training in scenario.trainings] == ["41", "42"]
    assert scenario.trainings[0] == TrainingSpec(
        id="41",
        owner="a",
        project_id="7",
        status="OPEN",
        private_name="Signs, training",
        created_days_ago=10.0,
        close_seconds=1.5,
    )
    assert [(pool.id, pool.training_id) for pool in scenario.pools] == [
        ("71", "41"),
        ("80", "42"),
        ("81", "42"),
    ]
    assert scenario.faults[0].subject == ("training", "41")
    fake = FakeToloka.from_scenario(scenario, clock=ManualClock(start=START))
    training = fake.training("41")
    assert (training.status, training.private_name, training.close_seconds) == (
        "OPEN",
        "Signs, training",
        1.5,
    )
    assert training.created == START - datetime.timedelta(days=10)
    editing = fake.training("42")
    assert (editing.status, editing.last_close_reason, editing.archive_refusal) == (
        "CLOSED",
        "FOR_UPDATE",
        "CONFLICT_STATE",
    )
    assert fake.pool("71").archive_refusal == "THERE_IS_ACTIVE_ASSIGNMENT"
    assert fake.pool("81").training_id == "42"
    assert fake.project("7").training_ids == ("41", "42")


BASE = '[[requesters]]\nname = "a"\n[[requesters]]\nname = "b"\n'
PROJECTS = '[[projects]]\nid = "7"\nowner = "a"\n[[projects]]\nid = "8"\nowner = "a"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[trainings]]\nowner = 'a'", r"trainings\[0\]\.id: required$"),
        ("[[trainings]]\nid = 'x'\nowner = 'a'", r"trainings\[0\]\.id: a training id is a str"),
        (
            PROJECTS + "[[trainings]]\nid = 1\nproject_id = '7'\nlast_rejected_days_ago = 1",
            r"trainings\[0\]\.last_rejected_days_ago: unknown field",
        ),
        (
            PROJECTS + "[[trainings]]\nid = 1\nproject_id = '7'\ntraining_id = '2'",
            r"trainings\[0\]\.training_id: unknown field",
        ),
        (
            PROJECTS + "[[trainings]]\nid = 1\nproject_id = '7'\n[[pools]]\nid = 1\nowner = 'a'",
            r"pools\[0\]\.id: pool '1' is declared twice \(also at trainings\[0\]\)$",
        ),
        (
            PROJECTS + "[[pools]]\nid = 1\nproject_id = '7'\ntraining_id = '4'",
            r"pools\[0\]\.training_id: unknown training '4'; declared: none$",
        ),
        (
            PROJECTS + "[[trainings]]\nid = 4\nproject_id = '8'\n"
            "[[pools]]\nid = 1\nproject_id = '7'\ntraining_id = '4'",
            r"pools\[0\]\.training_id: training '4' is in another project",
        ),
        (
            PROJECTS + "[[pools]]\nid = 1\nproject_id = '7'\narchive_refusal = 'NO'",
            r"pools\[0\]\.archive_refusal: unknown refusal 'NO'; choose THERE_IS_ACTIVE_ASSIGN",
        ),
        (
            PROJECTS + "[[trainings]]\nid = 1\nproject_id = '7'\nstatus = 'DONE'",
            r"trainings\[0\]\.status: unknown status 'DONE'",
        ),
        (
            '[[projects]]\nid = "7"\nowner = "a"\nstatus = "ARCHIVED"\n'
            "[[trainings]]\nid = 1\nproject_id = '7'",
            r"trainings\[0\]\.status: project '7' is archived, so its trainings are too$",
        ),
        ('[[faults]]\nkind = "slow"\ntraining = "9"', r"faults\[0\]\.training: unknown training"),
        ('[[faults]]\nkind = "slow"\nproject = "9"', r"faults\[0\]\.project: unknown project"),
        (
            PROJECTS + "[[trainings]]\nid = 1\nproject_id = '7'\n"
            '[[faults]]\nkind = "slow"\npool = "1"',
            r"faults\[0\]\.pool: unknown pool '1'$",
        ),
        (
            '[[faults]]\nkind = "slow"\npool = "1"\nproject = "2"',
            r"faults\[0\]\.project: give pool or this, not both$",
        ),
    ],
)
def test_mistakes_name_the_field(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        Scenario.loads(BASE + text)


# -- made in Python, and written back out -------------------------------------------------


def made_in_python() -> Scenario:
    return Scenario(
        requesters=(
            RequesterSpec("me", api_keys=("key-1", 'odd "key" \\ \x7f ünïcode'), oauth_tokens=()),
            RequesterSpec("other", oauth_tokens=("token-2",)),
        ),
        projects=(
            ProjectSpec("7", owner="me", public_name="Signs\nand more", created_days_ago=400.5),
            ProjectSpec(
                "8",
                owner="other",
                status="ARCHIVED",
                created=datetime.datetime(2025, 1, 2, 3, 4, 5, 678901),
                archive_seconds=0.25,
                fail=True,
            ),
        ),
        trainings=(
            TrainingSpec("41", owner="me", project_id="7", status="OPEN", close_seconds=1.0),
            TrainingSpec(
                "42",
                owner="me",
                project_id="7",
                last_close_reason="FOR_UPDATE",
                last_stopped=datetime.datetime(2026, 11, 1, 11, 58),
                archive_refusal="SUBMITTED_ASSIGNMENTS_CONFLICT",
            ),
        ),
        pools=(
            PoolSpec(
                "71",
                owner="me",
                project_id="7",
                training_id="41",
                last_rejected_days_ago=2.0,
                last_started=datetime.datetime(2026, 10, 1),
                last_stopped_days_ago=1e-3,
                fail=True,
            ),
            PoolSpec("81", owner="other", project_id="8", status="ARCHIVED"),
            PoolSpec("99", owner="me", status="LOCKED", private_name="Default project's"),
        ),
        faults=(
            Fault("rate_limit", pool="71", first=2, retry_after="Wed, 21 Oct 2026 07:28:00 GMT"),
            Fault("rate_limit", retry_after=3, retry_after_ms=1500, probability=0.25),
            Fault("timeout_after_commit", training="42", endpoint="training_archive", delay=0.5),
            Fault("locked_by_other", project="7"),
            Fault("slow", delay=2.0),
        ),
        seed=-12,
        rate_limit=None,
        clock_start=datetime.datetime(2026, 11, 1, 12, 0, 0, 250000),
    )


def test_a_scenario_made_in_python_builds_a_fake() -> None:
    fake = made_in_python().build(clock=ManualClock(start=START))
    assert fake.pool("71").training_id == "41"
    assert fake.pool("99").project_id == "900000001"
    assert fake.training("42").archive_refusal == "SUBMITTED_ASSIGNMENTS_CONFLICT"
    assert (fake.seed, fake.rate_limit) == (-12, None)
    assert len(fake.faults) == 5


def test_dumps_and_loads_give_the_same_scenario() -> None:
    scenario = made_in_python()
    text = scenario.dumps()
    tomllib.loads(text)  # TOML, whatever the strings hold
    again = Scenario.loads(text)
    assert again == scenario
    assert again.clock_start == datetime.datetime(2026, 11, 1, 12, 0, 0, 250000)
    assert again.projects[1].created == datetime.datetime(2025, 1, 2, 3, 4, 5, 678901)
    assert again.faults[0].retry_after == "Wed, 21 Oct 2026 07:28:00 GMT"
    assert again.requesters[0].api_keys[1] == 'odd "key" \\ \x7f ünïcode'
    assert again.dumps() == text  # and written again, the same text


def test_dumps_writes_only_what_differs_from_the_defaults() -> None:
    text = Scenario(requesters=(RequesterSpec("me"),), pools=(PoolSpec("1", owner="me"),)).dumps()
    assert tomllib.loads(text) == {
        "settings": {"seed": 0, "rate_limit": 300},
        "requesters": [{"name": "me"}],
        "pools": [{"id": "1", "owner": "me"}],
    }


def test_the_default_scenario_round_trips() -> None:
    default = Scenario.load(None)
    again = Scenario.loads(default.dumps(), source="copy.toml")
    assert again == default
    assert again.source == "copy.toml"  # where it was read from is no part of equality
    fake, copy = (scenario.build(clock=ManualClock(start=START)) for scenario in (default, again))
    assert [fake.pool(p.id) for p in default.pools] == [copy.pool(p.id) for p in default.pools]


def test_a_scenario_differs_by_any_field() -> None:
    scenario = made_in_python()
    other = dataclasses.replace(scenario, pools=scenario.pools[:2], seed=5)
    assert other != scenario
    assert Scenario.loads(other.dumps()) == other
