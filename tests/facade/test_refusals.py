"""Toloka's refusals read as Toloka means them: one line and a next step for each code it names,
an unknown code shown as sent, and a failed operation's reason from its details when its log
says nothing."""

from __future__ import annotations

import pytest
from toloka_archive import ConflictError, Outcome
from toloka_archive._core.models import LogEntry, failure_reason
from toloka_archive._engine.reports import report_from_conflict
from toloka_archive._wire.kinds import POOL_ARCHIVE, PROJECT_ARCHIVE, TRAINING_ARCHIVE
from toloka_archive._wire.refusals import REFUSALS, Conflict, in_words, refusal


def conflict(code: str, message: str = "Toloka's own words", **payload: object) -> ConflictError:
    return ConflictError(409, code=code, message=message, request_id="r-1", payload=payload)


@pytest.mark.parametrize(
    ("code", "says", "step"),
    [
        ("UNARCHIVED_POOLS_CONFLICT", "pools or trainings that are not archived", "archive them"),
        ("TRAINING_ARCHIVE_CONFLICT", "a pool that requires this training", "archive the pools"),
        ("PROJECT_INAPPROPRIATE_STATUS", "its project is not in a status", "project's status"),
        ("POOL_INAPPROPRIATE_STATUS", "not in a status that allows it", "check its status"),
        ("INAPPROPRIATE_STATUS", "the training is not in a status", "check its status"),
        ("CONFLICT_STATE", "another operation may be running", "run again once"),
        ("THERE_IS_ACTIVE_ASSIGNMENT", "Tolokers are still doing its tasks", "submitted or expire"),
        ("SUBMITTED_ASSIGNMENTS_CONFLICT", "submitted assignments waiting", "accept or reject"),
    ],
)
def test_each_refusal_reads_as_one_line_with_its_next_step(code: str, says: str, step: str) -> None:
    line = in_words(code, "ignored when the code is known", "training")
    assert says in line
    assert step in line
    assert code in line  # the code stays, for whoever searches Toloka's docs
    assert "\n" not in line


def test_an_unknown_code_is_shown_exactly_as_toloka_sent_it() -> None:
    line = in_words("SOMETHING_NEW", "The pool has a new kind of problem", "pool")
    assert line == "refused by Toloka: SOMETHING_NEW: The pool has a new kind of problem"
    assert refusal("SOMETHING_NEW") is None
    assert in_words(None, None, "pool") == "refused by Toloka: no reason given"


def test_every_lock_code_is_a_lock_whatever_the_subject() -> None:
    for code in ("POOL_LOCKED_BY_ANOTHER_OPERATION", "TRAINING_LOCKED_BY_ANOTHER_OPERATION"):
        found = refusal(code)
        assert found is not None
        assert found.meaning is Conflict.LOCKED


def test_a_refusal_that_waiting_cannot_change_is_final_not_unknown() -> None:
    for code in ("THERE_IS_ACTIVE_ASSIGNMENT", "SUBMITTED_ASSIGNMENTS_CONFLICT"):
        report = report_from_conflict("21", conflict(code), POOL_ARCHIVE)
        assert report.outcome is Outcome.BLOCKED
        assert report.detail.startswith("not archived: ")
        assert not report.outcome.ok
    training = report_from_conflict("7", conflict("TRAINING_ARCHIVE_CONFLICT"), TRAINING_ARCHIVE)
    assert training.outcome is Outcome.BLOCKED
    assert training.subject == "training"
    assert training.label == "training 7"
    project = report_from_conflict("9", conflict("UNARCHIVED_POOLS_CONFLICT"), PROJECT_ARCHIVE)
    assert project.outcome is Outcome.BLOCKED
    unknown = report_from_conflict("21", conflict("SOMETHING_NEW", "new words"), POOL_ARCHIVE)
    assert unknown.outcome is Outcome.FAILED
    assert "SOMETHING_NEW: new words" in unknown.detail


def test_the_table_names_each_code_toloka_is_known_to_send() -> None:
    assert set(REFUSALS) >= {
        "UNARCHIVED_POOLS_CONFLICT",
        "TRAINING_ARCHIVE_CONFLICT",
        "PROJECT_INAPPROPRIATE_STATUS",
        "POOL_INAPPROPRIATE_STATUS",
        "INAPPROPRIATE_STATUS",
        "CONFLICT_STATE",
        "THERE_IS_ACTIVE_ASSIGNMENT",
        "SUBMITTED_ASSIGNMENTS_CONFLICT",
    }


def test_a_failed_operations_reason_falls_back_to_its_details() -> None:
    said = LogEntry(success=False, output={"message": "from the log"})
    assert failure_reason([said], {"message": "from the details"}) == "from the log"
    assert failure_reason([], {"message": "from the details"}) == "from the details"
    assert failure_reason(None, {"code": "POOL_ARCHIVE_FAILED"}) == "POOL_ARCHIVE_FAILED"
    assert failure_reason([], {"items": 3}) == "details: items=3"
    assert failure_reason([], {}) is None
    assert failure_reason(None, None) is None
    long = failure_reason([], {"text": "x" * 500})
    assert long is not None
    assert len(long) <= len("details: ") + 200


def test_a_wrong_status_of_another_object_says_whose() -> None:
    report = report_from_conflict("21", conflict("PROJECT_INAPPROPRIATE_STATUS"), POOL_ARCHIVE)
    assert report.outcome is Outcome.WRONG_STATUS
    assert "its project is not in a status that allows it" in report.detail
    own = report_from_conflict(
        "21", conflict("INAPPROPRIATE_STATUS", appropriate_statuses=["CLOSED"]), POOL_ARCHIVE
    )
    assert own.detail == "not in a status that can be archived (needs CLOSED)"
