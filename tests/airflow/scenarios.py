"""Shared steps: pools for every outcome, running an operator up to its deferral, running a
trigger to its event."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from airflow.providers.common.compat.sdk import TaskDeferred
from toloka_archive.airflow.operators import (
    TolokaArchivePoolsOperator,
    TolokaArchiveTrainingsOperator,
)
from toloka_archive.airflow.triggers import TolokaArchiveTrigger

from tests.airflow.compat import import_string
from tests.airflow.conftest import CONN_ID, World

ARCHIVED, ALREADY, OPEN, WINDOW, FAILS, SLOW = "100", "101", "102", "103", "104", "105"


def add_pools_for_every_outcome(world: World) -> None:
    fake = world.fake
    fake.add_pool(ARCHIVED, status="CLOSED", archive_seconds=30.0)
    fake.add_pool(ALREADY, status="ARCHIVED")
    fake.add_pool(OPEN, status="OPEN")
    fake.add_pool(WINDOW, status="CLOSED", last_rejected=world.days_ago(2))
    fake.add_pool(FAILS, status="CLOSED", archive_seconds=20.0, fail=True)
    fake.add_pool(SLOW, status="CLOSED", archive_seconds=7200.0)  # past the 600 s deadline


def operator(**options: Any) -> TolokaArchivePoolsOperator:
    options.setdefault("task_id", "archive")
    options.setdefault("toloka_conn_id", CONN_ID)
    return TolokaArchivePoolsOperator(**options)


def training_operator(**options: Any) -> TolokaArchiveTrainingsOperator:
    options.setdefault("task_id", "archive_trainings")
    options.setdefault("toloka_conn_id", CONN_ID)
    return TolokaArchiveTrainingsOperator(**options)


def defer(
    task: TolokaArchivePoolsOperator | TolokaArchiveTrainingsOperator, context: dict[str, Any]
) -> TaskDeferred:
    with pytest.raises(TaskDeferred) as deferred:
        task.execute(context)
    return deferred.value


def rebuilt(trigger: TolokaArchiveTrigger) -> TolokaArchiveTrigger:
    """The trigger as a triggerer rebuilds it: its class path and kwargs, through JSON."""
    classpath, kwargs = trigger.serialize()
    trigger_class = import_string(classpath)
    again = trigger_class(**json.loads(json.dumps(kwargs)))
    assert isinstance(again, TolokaArchiveTrigger)
    return again


def run_trigger(trigger: TolokaArchiveTrigger) -> dict[str, Any]:
    """The trigger's single event, as the triggerer would fire it."""

    async def first_event() -> dict[str, Any]:
        events = [event async for event in trigger.run()]
        assert len(events) == 1
        payload = events[0].payload
        assert isinstance(payload, dict)
        return payload

    return asyncio.run(first_event())


def by_pool(reports: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {report["pool_id"]: report for report in reports}


def by_subject(reports: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Reports by ``subject_id``, each checked to name its subject."""
    assert all(report["subject"] in {"pool", "training"} for report in reports)
    return {report["subject_id"]: report for report in reports}
