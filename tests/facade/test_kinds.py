"""Operation kinds and jobs: what an operation is, whatever way its subject's id is written,
and ``RunningOperations``, the client's notes of operations seen running."""

from __future__ import annotations

import pytest
from toloka_archive import InvalidPoolIdError, InvalidProjectIdError, OperationType
from toloka_archive._core.context import RunningOperations
from toloka_archive._wire.kinds import (
    KINDS,
    POOL_ARCHIVE,
    POOL_CLOSE,
    PROJECT_ARCHIVE,
    TRAINING_ARCHIVE,
    TRAINING_CLOSE,
    Job,
    kind_of,
)
from toloka_archive._wire.refusals import Conflict

from tests.facade.scripted import snapshot


def test_a_note_is_found_by_its_key_and_forgotten_only_for_the_same_operation() -> None:
    notes = RunningOperations()
    key = POOL_ARCHIVE.on("21").key
    notes.note(key, "op-1")
    assert notes.get(key) == "op-1"
    notes.forget(key, "op-0")  # an older operation's mistake does not erase a newer note
    assert notes.get(key) == "op-1"
    notes.forget(key, "op-1")
    assert notes.get(key) is None


def test_past_the_size_the_oldest_note_makes_way() -> None:
    notes = RunningOperations()
    notes.SIZE = 2
    keys = [POOL_ARCHIVE.on(str(n)).key for n in (1, 2, 3)]
    notes.note(keys[0], "op-1")
    notes.note(keys[1], "op-2")
    notes.note(keys[0], "op-1b")  # noted again: now the newest
    notes.note(keys[2], "op-3")
    assert [notes.get(key) for key in keys] == ["op-1b", None, "op-3"]


def test_a_job_is_the_same_however_its_id_is_written() -> None:
    assert POOL_ARCHIVE.on("007").key == POOL_ARCHIVE.on("7").key == ("POOL.ARCHIVE", "7")
    assert PROJECT_ARCHIVE.on("7").key != POOL_ARCHIVE.on("7").key
    assert POOL_CLOSE.on("7").key != POOL_ARCHIVE.on("7").key


def test_an_operation_says_which_job_it_is() -> None:
    pool_archive = snapshot("RUNNING", op_id="op-1", pool_id="21")
    assert Job.of(pool_archive) == POOL_ARCHIVE.on("21")
    project_archive = snapshot(
        "RUNNING", op_id="op-2", type="PROJECT.ARCHIVE", parameters={"project_id": "7"}
    )
    assert Job.of(project_archive) == PROJECT_ARCHIVE.on("7")
    closing = snapshot("RUNNING", op_id="op-3", type="POOL.CLOSE")
    assert Job.of(closing) == POOL_CLOSE.on("21")
    cloning = snapshot("RUNNING", op_id="op-4", type="POOL.CLONE")
    assert Job.of(cloning) is None  # not a kind this package starts
    silent = snapshot("RUNNING", op_id="op-5", parameters={})
    assert Job.of(silent) is None


@pytest.mark.parametrize(
    ("operation", "problem"),
    [
        (snapshot("RUNNING", pool_id="0021"), None),
        (snapshot("RUNNING", type="POOL.CLOSE"), "a POOL.CLOSE operation instead of POOL.ARCHIVE"),
        (snapshot("RUNNING", pool_id="22"), "an operation for pool '22' instead of '21'"),
        (snapshot("RUNNING", parameters={}), "an operation for pool None instead of '21'"),
        (snapshot("RUNNING", id="../x"), "an operation id that cannot be used in a URL"),
    ],
)
def test_a_job_says_what_makes_an_operation_another(operation: object, problem: str | None) -> None:
    assert POOL_ARCHIVE.on("21").contradiction(operation) == problem  # type: ignore[arg-type]


def test_every_kind_is_found_by_its_type_and_checks_its_subjects_ids() -> None:
    for kind in KINDS:
        assert kind_of(snapshot(type=kind.type.value)) is kind
    assert kind_of(snapshot(type="POOL.OPEN")) is None
    assert POOL_CLOSE.subject.normalize(7) == "7"
    with pytest.raises(InvalidPoolIdError):
        POOL_CLOSE.subject.normalize("7/../8")
    with pytest.raises(InvalidProjectIdError):
        PROJECT_ARCHIVE.subject.normalize(-1)
    assert {kind.type for kind in KINDS} <= set(OperationType)


@pytest.mark.parametrize(
    ("kind", "code", "meaning"),
    [
        (POOL_ARCHIVE, "POOL_LOCKED_BY_ANOTHER_OPERATION", Conflict.LOCKED),
        (POOL_ARCHIVE, "INAPPROPRIATE_STATUS", Conflict.WRONG_STATUS),
        (POOL_ARCHIVE, "THERE_IS_REJECTED_ASSIGNMENT", Conflict.NOT_YET),
        (POOL_CLOSE, "POOL_LOCKED_BY_ANOTHER_OPERATION", Conflict.LOCKED),
        (POOL_CLOSE, "INAPPROPRIATE_STATUS", Conflict.WRONG_STATUS),
        (POOL_CLOSE, "THERE_IS_REJECTED_ASSIGNMENT", Conflict.NOT_YET),  # one meaning a code
        (PROJECT_ARCHIVE, "UNARCHIVED_POOLS_CONFLICT", Conflict.BLOCKED),
        (PROJECT_ARCHIVE, "CONFLICT_STATE", Conflict.LOCKED),  # the project's own reading
        (POOL_ARCHIVE, "CONFLICT_STATE", Conflict.BLOCKED),  # Toloka's general one
        (TRAINING_ARCHIVE, "TRAINING_LOCKED_BY_ANOTHER_OPERATION", Conflict.LOCKED),
        (TRAINING_ARCHIVE, "TRAINING_ARCHIVE_CONFLICT", Conflict.BLOCKED),
        (TRAINING_CLOSE, "INAPPROPRIATE_STATUS", Conflict.WRONG_STATUS),
        (POOL_ARCHIVE, "THERE_IS_ACTIVE_ASSIGNMENT", Conflict.BLOCKED),
        (POOL_ARCHIVE, "SUBMITTED_ASSIGNMENTS_CONFLICT", Conflict.BLOCKED),
        (PROJECT_ARCHIVE, "PROJECT_INAPPROPRIATE_STATUS", Conflict.WRONG_STATUS),
        (POOL_ARCHIVE, "A_CODE_TOLOKA_ADDS_LATER", None),
        (POOL_ARCHIVE, None, None),
    ],
)
def test_each_kind_reads_its_own_409s(kind: object, code: str | None, meaning: object) -> None:
    assert kind.conflict(code) is meaning  # type: ignore[attr-defined]


def test_the_done_states_say_when_there_is_nothing_to_do() -> None:
    done = {
        kind.type.value: [
            status for status in ("OPEN", "CLOSED", "ARCHIVED", "ACTIVE") if kind.done_in(status)
        ]
        for kind in KINDS
    }
    assert done == {
        "POOL.ARCHIVE": ["ARCHIVED"],
        "POOL.CLOSE": ["CLOSED", "ARCHIVED"],  # an archived pool is closed too
        "TRAINING.ARCHIVE": ["ARCHIVED"],
        "TRAINING.CLOSE": ["CLOSED", "ARCHIVED"],
        "PROJECT.ARCHIVE": ["ARCHIVED"],
    }


def test_the_engine_names_no_kind_of_subject() -> None:
    """Adding a kind touches no ``_engine/`` file: the engine imports the kinds' machinery
    (``Job``, ``Lifecycle``, ...), never a pool, a training or a project."""
    import ast
    from pathlib import Path

    import toloka_archive._engine as engine
    from toloka_archive._wire import kinds

    constants = {name for name in vars(kinds) if name.isupper()}
    assert {"POOL", "POOL_ARCHIVE", "TRAINING_CLOSE", "PROJECTS"} <= constants
    for module in Path(engine.__path__[0]).glob("*.py"):
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "toloka_archive._wire.kinds":
                named = {alias.name for alias in node.names}
                assert not named & constants, f"{module.name} imports {named & constants}"
            if isinstance(node, ast.Attribute) and node.attr in constants:
                raise AssertionError(f"{module.name} uses {node.attr}")
