"""``RunningArchives``, the client's notes of archives seen running, and ``Archive.of``/``key``,
which say what archive an operation is whatever way its id is written."""

from __future__ import annotations

from toloka_api.models import Operation
from toloka_archive._core.context import RunningArchives
from toloka_archive._wire.snapshot import Archive

from tests.facade.scripted import operation


def test_a_note_is_found_by_its_key_and_forgotten_only_for_the_same_operation() -> None:
    notes = RunningArchives()
    key = Archive.of_pool("21").key
    notes.note(key, "op-1")
    assert notes.get(key) == "op-1"
    notes.forget(key, "op-0")  # an older operation's mistake does not erase a newer note
    assert notes.get(key) == "op-1"
    notes.forget(key, "op-1")
    assert notes.get(key) is None


def test_past_the_size_the_oldest_note_makes_way() -> None:
    notes = RunningArchives()
    notes.SIZE = 2
    keys = [Archive.of_pool(str(n)).key for n in (1, 2, 3)]
    notes.note(keys[0], "op-1")
    notes.note(keys[1], "op-2")
    notes.note(keys[0], "op-1b")  # noted again: now the newest
    notes.note(keys[2], "op-3")
    assert [notes.get(key) for key in keys] == ["op-1b", None, "op-3"]


def test_an_archive_is_the_same_however_its_id_is_written() -> None:
    assert Archive.of_pool("007").key == Archive.of_pool("7").key == ("POOL.ARCHIVE", "7")
    assert Archive.of_project("7").key != Archive.of_pool("7").key


def test_an_operation_says_which_archive_it_is() -> None:
    pool_archive = Operation.from_dict(operation("RUNNING", op_id="op-1", pool_id="21"))
    assert Archive.of(pool_archive) == Archive.of_pool("21")
    project_archive = Operation.from_dict(
        operation("RUNNING", op_id="op-2", type="PROJECT.ARCHIVE", parameters={"project_id": "7"})
    )
    assert Archive.of(project_archive) == Archive.of_project("7")
    closing = Operation.from_dict(operation("RUNNING", op_id="op-3", type="POOL.CLOSE"))
    assert Archive.of(closing) is None
    silent = Operation.from_dict(operation("RUNNING", op_id="op-4", parameters={}))
    assert Archive.of(silent) is None
