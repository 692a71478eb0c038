"""What a real account holds: trainings (required by main pools), pools closed for editing, and
Toloka's refusals, through the same engine as pools, on the fake Toloka."""

from __future__ import annotations

import asyncio
import datetime

import pytest
from toloka_archive import (
    AsyncTolokaClient,
    Outcome,
    ProjectOutcome,
    Report,
    TolokaClient,
    Training,
    Verdict,
)
from toloka_archive.testing import FakeToloka, Fault, ManualClock

KEY = "fake-key-trainings-0001"
START = datetime.datetime(2026, 11, 1, 12, 0, 0)


def world(seed: int = 5) -> tuple[FakeToloka, ManualClock]:
    clock = ManualClock(start=START)
    fake = FakeToloka(clock=clock, seed=seed)
    fake.add_requester("me", api_keys=[KEY])
    return fake, clock


def project_with_trainings(fake: FakeToloka) -> None:
    """Project 10: four closed pools that require two trainings, one of them still open, and a
    pool closed for editing (it requires nothing)."""
    fake.add_project("10")
    fake.add_training("501", project_id="10", status="CLOSED")
    fake.add_training("502", project_id="10", status="OPEN")
    for pool_id, training in (("101", "501"), ("102", "501"), ("103", "502"), ("104", "502")):
        fake.add_pool(pool_id, project_id="10", training_id=training)
    fake.add_pool("105", project_id="10", status="CLOSED", last_close_reason="FOR_UPDATE")


def client(fake: FakeToloka, clock: ManualClock) -> TolokaClient:
    return TolokaClient(
        api_key=KEY,
        base_url="https://fake.toloka.invalid/api/v1",
        env={},
        transport=fake.transport(),
        clock=clock,
        random=lambda: 0.0,
    )


def started_types(fake: FakeToloka) -> list[tuple[str, str]]:
    """Every operation the fake started, in order: (type, subject id)."""
    found = []
    for operation in fake.operations():
        subject = operation.to_json()["parameters"]
        found.append((operation.type, next(iter(subject.values()))))
    return found


def test_a_training_is_archived_waited_on_and_204_is_already_archived() -> None:
    fake, clock = world()
    fake.add_project("10")
    fake.add_training("501", project_id="10", status="CLOSED")
    with client(fake, clock) as toloka:
        result = toloka.archive_training("501")
        assert not result.already_archived
        assert result.subject == "training"
        assert result.operation is not None
        assert result.operation.training_id == "501"
        assert fake.training("501").status == "ARCHIVED"
        again = toloka.archive_training(501)
        assert again.already_archived
        assert again.pool_id is None  # not a pool's
        training = toloka.get_training("501")
        assert isinstance(training, Training)
        assert training.status == "ARCHIVED"


def test_a_training_is_closed_and_its_close_204_is_already_done() -> None:
    fake, clock = world()
    fake.add_project("10")
    fake.add_training("502", project_id="10", status="OPEN")
    with client(fake, clock) as toloka:
        assert not toloka.close_training("502").already_done
        assert fake.training("502").status == "CLOSED"
        assert toloka.close_training("502").already_done


def test_trainings_are_listed_and_archived_in_bulk_with_reports_about_trainings() -> None:
    fake, clock = world()
    project_with_trainings(fake)
    with client(fake, clock) as toloka:
        listed = list(toloka.find_trainings(project_id=10, status=None))
        assert [training.id for training in listed] == ["501", "502"]
        assert [training.id for training in toloka.find_trainings(project_id=10)] == ["501"]
        reports = {r.subject_id: r for r in toloka.archive_trainings(["501", "502", "0501"])}
    assert set(reports) == {"501", "502"}  # "0501" is 501 again
    assert all(report.subject == "training" for report in reports.values())
    # 501's pools are not archived yet: Toloka refuses, and the report says what to do.
    assert reports["501"].outcome is Outcome.BLOCKED
    assert "archive the pools that require it first" in reports["501"].detail
    assert reports["502"].outcome is Outcome.WRONG_STATUS
    assert reports["502"].detail == "status OPEN, close it first"


def test_a_project_is_archived_whole_in_tolokas_order_with_close_open_and_consent() -> None:
    fake, clock = world()
    project_with_trainings(fake)
    heard: list[Report] = []
    with client(fake, clock) as toloka:
        report = toloka.archive_project(
            10, close_open=True, include_editing=True, on_report=heard.append
        )
    assert report.outcome is ProjectOutcome.ARCHIVED, report.detail
    assert dict(report.pools) == {Outcome.ARCHIVED: 5}
    assert dict(report.trainings) == {Outcome.ARCHIVED: 2}
    order = started_types(fake)
    # Pools first (in whatever order the workers take them), then the trainings, then the project.
    assert sorted(order[:5]) == [("POOL.ARCHIVE", p) for p in ("101", "102", "103", "104", "105")]
    assert sorted(order[5:8]) == [
        ("TRAINING.ARCHIVE", "501"),
        ("TRAINING.ARCHIVE", "502"),
        ("TRAINING.CLOSE", "502"),
    ]
    assert order.index(("TRAINING.CLOSE", "502")) < order.index(("TRAINING.ARCHIVE", "502"))
    assert order[-1] == ("PROJECT.ARCHIVE", "10")
    assert len(order) == 9  # one operation per pool, training (plus the close) and project
    assert {(r.subject, r.subject_id) for r in heard} == {
        *(("pool", p) for p in ("101", "102", "103", "104", "105")),
        ("training", "501"),
        ("training", "502"),
    }
    assert fake.project("10").status == "ARCHIVED"


def test_without_close_open_the_open_training_is_named_and_the_project_left() -> None:
    fake, clock = world()
    project_with_trainings(fake)
    with client(fake, clock) as toloka:
        report = toloka.archive_project(10, include_editing=True)
        again = toloka.archive_project(10, include_editing=True)
    assert report.outcome is ProjectOutcome.BLOCKED
    assert "1 training OPEN: --close-open (close_open=True) closes it first" in report.detail
    assert [(r.subject, r.subject_id) for r in report.blocking] == [("training", "502")]
    assert "run again" not in report.detail  # running again cannot help: closing it can
    assert again.detail == report.detail  # and a second run says the same, not "run again"
    assert fake.project("10").status == "ACTIVE"
    assert fake.training("502").status == "OPEN"  # never closed without the flag


def test_a_pool_closed_for_editing_survives_a_selection_and_holds_its_training() -> None:
    fake, clock = world()
    fake.add_project("10")
    fake.add_training("501", project_id="10", status="CLOSED")
    fake.add_pool("101", project_id="10", training_id="501")
    fake.add_pool("102", project_id="10", training_id="501", last_close_reason="FOR_UPDATE")
    with client(fake, clock) as toloka:
        report = toloka.archive_project(10, close_open=True)
        assert report.outcome is ProjectOutcome.BLOCKED
        by_id = {r.subject_id: r for r in report.blocking}
        assert by_id["102"].outcome is Outcome.BEING_EDITED
        assert "--include-editing" in by_id["102"].detail
        # The training waits on pool 102: not asked for at all, and it says why.
        assert by_id["501"].outcome is Outcome.BLOCKED
        assert by_id["501"].detail == (
            "not archived: required by pool 102, not archived; archive it first"
        )
        assert fake.pool("102").status == "CLOSED"
        assert ("TRAINING.ARCHIVE", "501") not in started_types(fake)
        # A selection leaves it alone too; an explicit id only with consent.
        selected = list(toloka.archive_pools(toloka.find_pools(project_id=10)))
        assert [(r.subject_id, r.outcome) for r in selected] == [("102", Outcome.BEING_EDITED)]
        [by_id_only] = toloka.archive_pools(["102"])
        assert by_id_only.outcome is Outcome.BEING_EDITED
        check = toloka.check_archivable("102")
        assert check.verdict is Verdict.CLOSED_FOR_EDITING
        assert toloka.check_archivable("102", include_editing=True).can_archive_now
        [consented] = toloka.archive_pools(["102"], include_editing=True)
        assert consented.outcome is Outcome.ARCHIVED
    assert fake.pool("102").status == "ARCHIVED"


def test_an_id_read_first_settles_what_needs_no_request() -> None:
    fake, clock = world()
    fake.add_pool("1", status="ARCHIVED")
    fake.add_pool("2", status="OPEN")
    with client(fake, clock) as toloka:
        before = fake.request_count
        reports = {r.subject_id: r for r in toloka.archive_pools(["1", "2"])}
    assert reports["1"].outcome is Outcome.ALREADY_ARCHIVED
    assert reports["2"].outcome is Outcome.WRONG_STATUS
    posted = [r for r in list(fake.requests)[before:] if r.method == "POST"]
    assert posted == []  # one read each, and nothing sent that could only be refused


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("THERE_IS_ACTIVE_ASSIGNMENT", "Tolokers are still doing its tasks"),
        ("SUBMITTED_ASSIGNMENTS_CONFLICT", "accept or reject them, then run again"),
    ],
)
def test_tolokas_own_refusals_are_final_with_a_next_step(code: str, words: str) -> None:
    fake, clock = world()
    fake.add_pool("1", archive_refusal=code)
    with client(fake, clock) as toloka:
        [report] = toloka.archive_pools(["1"])
    assert report.outcome is Outcome.BLOCKED
    assert words in report.detail
    assert code in report.detail


def test_the_async_client_archives_a_project_with_trainings_too() -> None:
    fake, clock = world()
    project_with_trainings(fake)

    async def run() -> ProjectOutcome:
        async with AsyncTolokaClient(
            api_key=KEY,
            base_url="https://fake.toloka.invalid/api/v1",
            env={},
            transport=fake.async_transport(),
            clock=clock,
            random=lambda: 0.0,
        ) as toloka:
            report = await toloka.archive_project(10, close_open=True, include_editing=True)
            return report.outcome

    assert asyncio.run(run()) is ProjectOutcome.ARCHIVED


SEEDS = (1, 2, 3, 4, 5, 6)
FAULTED: set[str] = set()  # the endpoints a fault hit, over every seed


@pytest.mark.parametrize("seed", SEEDS)
def test_the_verdict_under_faults_on_every_request_equals_the_clean_one(seed: int) -> None:
    verdicts = []
    for faulty in (False, True):
        fake, clock = world(seed)
        project_with_trainings(fake)
        if faulty:  # 30 % of every kind of request: reads, lists, starts, polls, the project's
            for kind in ("unavailable", "bad_gateway", "disconnect"):
                fake.add_fault(Fault(kind=kind, probability=0.1))
            fake.add_fault(Fault(kind="drop_after_commit", probability=0.3))
        with client(fake, clock) as toloka:
            report = toloka.archive_project(10, close_open=True, include_editing=True)
        operations = started_types(fake)
        verdicts.append((report.outcome, dict(report.pools), dict(report.trainings)))
        assert len(operations) == len(set(operations))  # never a second operation for one job
        assert fake.project("10").status == "ARCHIVED"
        FAULTED.update(str(r.endpoint) for r in fake.requests if r.fault)
    assert verdicts[0][0] is verdicts[1][0] is ProjectOutcome.ARCHIVED


def test_the_faulty_runs_met_faults_on_every_kind_of_start() -> None:
    if not FAULTED:  # run alone: run the soak first
        for seed in SEEDS:
            test_the_verdict_under_faults_on_every_request_equals_the_clean_one(seed)
    assert {"archive", "training_archive", "project_archive", "operation"} <= FAULTED
