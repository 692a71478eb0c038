"""The names served lazily from a stub (the package's public names, and ``_wire.generated``,
the facade's door to ``toloka_archive_api``): the stub is the one list, its reading agrees with
Python's, each name is the very object the stub names, and nothing else gets through. Also:
the facade's own enums are the generated client's documented values."""

from __future__ import annotations

import ast
import enum
import importlib
from pathlib import Path
from types import ModuleType

import pytest
import toloka_archive
import toloka_archive_api.models
from toloka_archive import OperationStatus, OperationType, PoolStatus, ProjectStatus
from toloka_archive._core.lazy import stub_homes
from toloka_archive._wire import generated

DOORS = [toloka_archive, generated]


def stub_of(module: ModuleType) -> str:
    assert module.__file__ is not None
    return Path(module.__file__).with_suffix(".pyi").read_text()


def reexports(stub: str) -> dict[str, object]:
    """What the stub re-exports, read by ``ast`` and resolved for real: name -> object."""
    resolved: dict[str, object] = {}
    for statement in ast.parse(stub).body:
        assert isinstance(statement, ast.ImportFrom), ast.unparse(statement)
        assert statement.module is not None
        module = importlib.import_module(statement.module)
        for alias in statement.names:
            assert alias.asname == alias.name, "a stub re-exports a name as itself"
            value = getattr(module, alias.name, None)
            if value is None:  # a submodule: `from toloka_archive_api.api.pool import archive_pool`
                value = importlib.import_module(f"{statement.module}.{alias.name}")
            resolved[alias.name] = value
    return resolved


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.__name__)
def test_the_stub_is_read_as_python_reads_it(door: ModuleType) -> None:
    stub = stub_of(door)
    assert set(stub_homes(stub)) == set(reexports(stub))


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.__name__)
def test_each_name_is_the_object_its_stub_names(door: ModuleType) -> None:
    for name, value in reexports(stub_of(door)).items():
        assert getattr(door, name) is value, name


def test_the_public_names_are_the_stubs_in_its_order() -> None:
    assert toloka_archive.__all__ == [*reexports(stub_of(toloka_archive))]
    assert "__version__" in toloka_archive.__all__


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.__name__)
def test_a_name_outside_the_stub_is_refused(door: ModuleType) -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = door.Nope


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (OperationStatus, toloka_archive_api.models.KnownOperationStatus),
        (OperationType, toloka_archive_api.models.KnownOperationType),
        (PoolStatus, toloka_archive_api.models.KnownPoolStatus),
        (ProjectStatus, toloka_archive_api.models.KnownProjectStatus),
    ],
)
def test_the_facades_enums_are_the_documented_values(
    ours: type[enum.StrEnum], theirs: type[enum.StrEnum]
) -> None:
    assert {member.value for member in ours} == {member.value for member in theirs}
