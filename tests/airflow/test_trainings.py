"""Trainings and consent in the provider: ``TolokaArchiveTrainingsOperator`` by id and by
selection, deferred to the trigger and followed there; pools (and trainings) closed for editing
left alone unless ``include_editing=True``; ``being_edited`` and ``blocked`` among the acceptable
outcomes; the training's page among the extra links. Against the fake Toloka on loopback."""

from __future__ import annotations

import json
from typing import Any

import pytest
from airflow.providers.common.compat.sdk import AirflowException, AirflowFailException
from airflow.providers_manager import ProvidersManager
from toloka_archive import Environment, Outcome
from toloka_archive.airflow import get_provider_info
from toloka_archive.airflow.hooks import TolokaHook
from toloka_archive.airflow.links import (
    PAGES_ATTRIBUTE,
    TolokaProjectLink,
    TolokaTrainingLink,
    pages_for,
)
from toloka_archive.airflow.operators import REPORTS_KEY, TolokaArchiveTrainingsOperator
from toloka_archive.airflow.triggers import TolokaArchiveTrigger

from tests.airflow.conftest import World
from tests.airflow.scenarios import (
    by_subject,
    defer,
    operator,
    rebuilt,
    run_trigger,
    training_operator,
)
from tests.airflow.test_links import PRODUCTION, SANDBOX, FakeRuntimeTI

EDITING = "FOR_UPDATE"  # Toloka's last_close_reason of a pool closed for editing


def training_requests(world: World) -> list[str]:
    return [path for path in world.archive_requests() if path.startswith("/api/v1/trainings/")]


# -- trainings by id and by selection -------------------------------------------------------


def test_trainings_by_id_are_archived_and_reported_by_subject(
    world: World, context: dict[str, Any]
) -> None:
    fake = world.fake
    fake.add_training("50", status="CLOSED", archive_seconds=30.0)
    fake.add_training("51", status="ARCHIVED")
    task = training_operator(training_ids=["50", "51", 50], deferrable=False)  # a repeat: once
    reports = task.execute(context)

    assert [(r["subject"], r["subject_id"], r["outcome"]) for r in reports] == [
        ("training", "50", "archived"),
        ("training", "51", "already_archived"),
    ]
    assert all(r["pool_id"] is None for r in reports)  # a training is not a pool
    [operation] = fake.operations(training_id="50")
    assert operation.type == "TRAINING.ARCHIVE"
    assert reports[0]["operation_id"] == operation.id
    assert fake.training("50").status == "ARCHIVED"
    assert training_requests(world) == ["/api/v1/trainings/50/archive"]
    assert context["ti"].xcoms[REPORTS_KEY] == reports


def test_a_project_selection_archives_only_its_idle_closed_trainings(
    world: World, context: dict[str, Any]
) -> None:
    fake = world.fake
    fake.add_project("7")
    fake.add_project("8")
    old = world.days_ago(120)
    fake.add_training("51", project_id="7", created=old, last_stopped=world.days_ago(100))
    fake.add_training("52", project_id="7", created=old, last_stopped=world.days_ago(3))  # recent
    fake.add_training("53", project_id="7", created=old, status="OPEN")
    fake.add_training("54", project_id="7", created=old, status="ARCHIVED")
    fake.add_training("55", project_id="8", created=old)  # another project
    fake.add_pool("21", project_id="7", created=old, last_stopped=world.days_ago(100))  # a pool
    task = training_operator(project_id="7", idle_for="90d", deferrable=False)
    reports = task.execute(context)

    assert [(r["subject_id"], r["outcome"]) for r in reports] == [("51", "archived")]
    counts = [len(fake.operations(training_id=t)) for t in ("51", "52", "53", "54", "55")]
    assert counts == [1, 0, 0, 0, 0]
    assert fake.operations("21") == ()  # the trainings operator leaves pools alone


def test_a_training_whose_pool_is_not_archived_is_blocked_until_the_pool_is(
    world: World, context: dict[str, Any]
) -> None:
    # Toloka's order: the pools that require a training, then the training.
    fake = world.fake
    fake.add_project("7")
    fake.add_training("50", project_id="7")
    fake.add_pool("21", project_id="7", training_id="50")
    trainings = training_operator(project_id="7", deferrable=False)
    with pytest.raises(AirflowException) as failed:
        trainings.execute(context)
    message = str(failed.value)
    assert message.splitlines()[:2] == ["1 trainings: blocked 1", "1 not archived:"]
    assert "training 50: blocked: not archived: a pool that requires this training" in message
    assert "TRAINING_ARCHIVE_CONFLICT" in message
    [report] = context["ti"].xcoms[REPORTS_KEY]
    assert (report["subject"], report["subject_id"], report["outcome"]) == (
        "training",
        "50",
        "blocked",
    )
    assert fake.operations(training_id="50") == ()

    # A nightly clean-up that accepts it succeeds; a later run takes the training.
    lenient = training_operator(project_id="7", deferrable=False, acceptable_outcomes=["blocked"])
    assert [r["outcome"] for r in lenient.execute(context)] == ["blocked"]
    pools = operator(project_id="7", deferrable=False)
    assert [r["outcome"] for r in pools.execute(context)] == ["archived"]
    assert [r["outcome"] for r in trainings.execute(context)] == ["archived"]
    assert fake.training("50").status == "ARCHIVED"


# -- the deferrable path ----------------------------------------------------------------------


def test_trainings_defer_and_are_followed_on_the_triggerer(
    world: World, context: dict[str, Any]
) -> None:
    fake = world.fake
    fake.add_training("50", status="CLOSED", archive_seconds=30.0)
    fake.add_training("51", status="CLOSED", archive_seconds=7200.0)  # past the deadline
    fake.add_training("52", status="OPEN")
    task = training_operator(training_ids=["50", "51", "52"], timeout=600)
    deferred = defer(task, context)

    trigger = deferred.trigger
    assert isinstance(trigger, TolokaArchiveTrigger)
    _, kwargs = trigger.serialize()
    assert json.loads(json.dumps(kwargs)) == kwargs  # plain data
    assert kwargs["subject"] == "training"
    assert kwargs["operations"] == {
        training: fake.operations(training_id=training)[0].id for training in ("50", "51")
    }
    assert [(r["subject_id"], r["outcome"]) for r in kwargs["settled"]] == [("52", "wrong_status")]
    assert fake.training("50").status == "CLOSED"  # started, not waited for

    event = run_trigger(rebuilt(trigger))  # as a restarted triggerer rebuilds it
    assert event["status"] == "success"
    reports = by_subject(event["reports"])
    assert list(reports) == ["50", "51", "52"]  # in training id order
    assert {r["subject"] for r in reports.values()} == {"training"}
    assert {key: r["outcome"] for key, r in reports.items()} == {
        "50": "archived",
        "51": "timed_out",
        "52": "wrong_status",
    }
    slow = reports["51"]
    assert slow["detail"].startswith("still running at the deadline")
    assert slow["operation_id"] in slow["detail"]

    with pytest.raises(AirflowException) as failed:
        task.execute_complete(context, event)
    message = str(failed.value)
    assert message.startswith("3 trainings: archived 1, timed_out 1, wrong_status 1")
    assert "training 51: timed_out: still running at the deadline" in message
    assert "training 52: wrong_status: status OPEN, close it first" in message
    assert "pool " not in message
    assert [len(fake.operations(training_id=t)) for t in ("50", "51", "52")] == [1, 1, 0]
    assert len(training_requests(world)) == 2  # the trigger only reads


def test_a_trigger_that_cannot_follow_names_each_training_and_its_operation(
    world: World, context: dict[str, Any]
) -> None:
    world.fake.add_training("50", status="CLOSED")
    task = training_operator(training_ids=["50"])
    trigger = defer(task, context).trigger
    world.connect(password="revoked-key")  # the key was revoked while the task waited
    event = run_trigger(trigger)
    assert event["status"] == "error"
    [report] = event["reports"]
    operation = world.fake.operations(training_id="50")[0].id
    assert (report["subject"], report["subject_id"], report["outcome"]) == (
        "training",
        "50",
        "unknown",
    )
    assert report["operation_id"] == operation
    with pytest.raises(AirflowFailException) as failed:
        task.execute_complete(context, event)
    assert "training 50: unknown: archiving started, but it could not be followed" in str(
        failed.value
    )


def test_a_trigger_from_before_trainings_follows_pools(
    world: World, context: dict[str, Any]
) -> None:
    world.fake.add_pool("1", status="CLOSED")
    kwargs = defer(operator(pool_ids=["1"]), context).trigger.serialize()[1]
    assert kwargs.pop("subject") == "pool"
    [report] = run_trigger(TolokaArchiveTrigger(**kwargs))["reports"]  # stored by 0.1
    assert (report["subject"], report["pool_id"], report["outcome"]) == ("pool", "1", "archived")
    with pytest.raises(ValueError, match="subject must be one of pool, training"):
        TolokaArchiveTrigger(operations={}, subject="project")


# -- consent: closed for editing --------------------------------------------------------------


def test_a_pool_closed_for_editing_is_left_alone_unless_included(
    world: World, context: dict[str, Any]
) -> None:
    fake = world.fake
    fake.add_project("7")
    fake.add_pool("21", project_id="7", last_close_reason=EDITING)  # someone edits it
    fake.add_pool("22", project_id="7")
    fake.add_pool("30", last_close_reason=EDITING)  # by id

    for task in (
        operator(pool_ids=["30"], deferrable=False),
        operator(project_id="7", deferrable=False),
    ):
        with pytest.raises(AirflowException, match="being_edited"):
            task.execute(context)
    reports = by_subject(context["ti"].xcoms[REPORTS_KEY])
    assert {key: r["outcome"] for key, r in reports.items()} == {
        "21": "being_edited",
        "22": "archived",
    }
    assert reports["21"]["detail"].startswith("closed for editing")
    assert "include_editing=True" in reports["21"]["detail"]
    assert fake.operations("21") == ()
    assert fake.operations("30") == ()
    assert fake.pool("21").status == "CLOSED"

    # Accepting being_edited lets a clean-up succeed, still leaving them alone.
    lenient = operator(pool_ids=["30"], deferrable=False, acceptable_outcomes=["being_edited"])
    assert [r["outcome"] for r in lenient.execute(context)] == ["being_edited"]
    assert fake.operations("30") == ()

    # With consent they are archived, by id and by selection, on the deferrable path too.
    by_id = operator(pool_ids=["30"], include_editing=True)
    by_selection = operator(project_id="7", include_editing=True)
    outcomes = {}
    for task in (by_id, by_selection):
        event = run_trigger(rebuilt(defer(task, context).trigger))
        outcomes.update(
            {r["subject_id"]: r["outcome"] for r in task.execute_complete(context, event)}
        )
    assert outcomes == {"30": "archived", "21": "archived"}  # 22, archived, is not CLOSED
    assert [len(fake.operations(pool)) for pool in ("21", "22", "30")] == [1, 1, 1]
    assert {fake.pool(pool).status for pool in ("21", "22", "30")} == {"ARCHIVED"}


def test_a_training_closed_for_editing_is_left_alone_unless_included(
    world: World, context: dict[str, Any]
) -> None:
    world.fake.add_training("50", last_close_reason=EDITING)
    with pytest.raises(AirflowException, match="training 50: being_edited: closed for editing"):
        training_operator(training_ids=["50"], deferrable=False).execute(context)
    assert world.fake.operations(training_id="50") == ()
    task = training_operator(training_ids=["50"], deferrable=False, include_editing=True)
    assert [r["outcome"] for r in task.execute(context)] == ["archived"]
    assert world.fake.training("50").status == "ARCHIVED"


def test_include_editing_must_be_a_bool() -> None:
    with pytest.raises(ValueError, match="include_editing must be True or False"):
        operator(pool_ids=["1"], include_editing="yes")


# -- acceptable outcomes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accepted",
    [
        ["being_edited", "blocked"],
        [" BEING_EDITED ", "Blocked"],
        [Outcome.BEING_EDITED, Outcome.BLOCKED],
    ],
)
def test_the_new_outcomes_are_acceptable(accepted: list[Any]) -> None:
    task = training_operator(training_ids=["1"], acceptable_outcomes=accepted)
    assert task.acceptable_outcomes == ["being_edited", "blocked"]


def test_acceptable_outcomes_decide_being_edited_and_blocked(
    world: World, context: dict[str, Any]
) -> None:
    fake = world.fake
    fake.add_project("7")
    fake.add_training("50", project_id="7")  # required by pool 21: blocked
    fake.add_training("51", project_id="7", last_close_reason=EDITING)  # being edited
    fake.add_training("52", project_id="7")  # archived
    fake.add_pool("21", project_id="7", training_id="50")
    options: dict[str, Any] = {"project_id": "7", "deferrable": False}

    with pytest.raises(AirflowException) as failed:
        training_operator(acceptable_outcomes=["blocked"], **options).execute(context)
    assert "1 not archived:" in str(failed.value)
    assert "training 51: being_edited" in str(failed.value)
    assert "training 50" not in str(failed.value)

    task = training_operator(acceptable_outcomes=["blocked", "being_edited"], **options)
    outcomes = {r["subject_id"]: r["outcome"] for r in task.execute(context)}
    assert outcomes == {"50": "blocked", "51": "being_edited"}  # 52 is archived: not listed


# -- argument checks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "give training_ids, or choose trainings with project_id"),
        ({"pool_ids": ["1"]}, "pool_ids"),  # the pools operator's argument is not this one's
        ({"training_ids": [1], "acceptable_outcomes": ["edited"]}, "unknown outcome 'edited'"),
    ],
)
def test_the_trainings_operator_checks_its_arguments(options: dict[str, Any], message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        training_operator(**options)


def test_a_bad_training_id_or_status_fails_before_anything_is_archived(
    world: World, context: dict[str, Any]
) -> None:
    world.fake.add_training("50")
    with pytest.raises(AirflowFailException, match=r"nothing was archived: training_ids: .*'5x'"):
        training_operator(training_ids=["50", "5x"]).execute(context)
    with pytest.raises(AirflowFailException, match="'DONE' is not a training status"):
        training_operator(project_id="7", status="DONE").execute(context)
    with pytest.raises(AirflowFailException, match="status chooses among the trainings"):
        training_operator(training_ids=["50"], status="CLOSED").execute(context)
    assert world.archive_requests() == []


def test_the_trainings_operator_templates_its_fields() -> None:
    fields = set(training_operator(training_ids=[1]).template_fields)
    assert fields >= {"training_ids", "project_id", "status", "idle_for", "idle_since"}
    assert "pool_ids" not in fields


# -- links ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "project", "trainings", "expected"),
    [
        (Environment.SANDBOX, "7", {"50": "7"}, (f"{SANDBOX}/7", f"{SANDBOX}/7/training/50")),
        (
            Environment.PRODUCTION,
            None,
            {"50": "7"},
            (f"{PRODUCTION}/7", f"{PRODUCTION}/7/training/50"),
        ),
        (Environment.PRODUCTION, "7", {"50": "7", "51": "7"}, (f"{PRODUCTION}/7", None)),
        (Environment.PRODUCTION, None, {"50": None}, (None, None)),  # given by id: no project
        (None, "7", {"50": "7"}, (None, None)),  # a custom base URL
    ],
)
def test_the_training_pages(
    environment: Environment | None,
    project: str | None,
    trainings: dict[str, str | None],
    expected: tuple[str | None, str | None],
) -> None:
    pages = pages_for(environment, project_id=project, training_projects=trainings)
    assert (pages["project"], pages["training"]) == expected
    assert pages["pool"] is None


def test_the_trainings_task_links_its_training(world: World, context: dict[str, Any]) -> None:
    # A production connection whose requests go to the fake, in this process: nothing leaves.
    world.monkeypatch.setattr(
        TolokaHook, "client_defaults", {"clock": world.clock, "transport": world.fake.transport()}
    )
    world.connect(extra={"environment": "production"})
    world.fake.add_project("7")
    world.fake.add_training("50", project_id="7")
    task = training_operator(project_id="7", deferrable=False)
    assert [r["outcome"] for r in task.execute(context)] == ["archived"]
    ti = FakeRuntimeTI(task_id=task.task_id)
    assert TolokaProjectLink().get_link(task, ti_key=ti) == f"{PRODUCTION}/7"
    assert TolokaTrainingLink().get_link(task, ti_key=ti) == f"{PRODUCTION}/7/training/50"
    assert getattr(task, PAGES_ATTRIBUTE)["pool"] is None


def test_the_training_link_is_declared_and_registered() -> None:
    names = [link.name for link in training_operator(training_ids=["1"]).operator_extra_links]
    assert names == ["Toloka project", "Toloka training"]
    registered = "toloka_archive.airflow.links.TolokaTrainingLink"
    assert registered in get_provider_info()["extra-links"]
    assert registered in ProvidersManager().extra_links_class_names


def test_the_package_names_the_trainings_operator() -> None:
    import toloka_archive.airflow as provider

    assert provider.TolokaArchiveTrainingsOperator is TolokaArchiveTrainingsOperator
    assert "TolokaTrainingLink" in provider.__all__
