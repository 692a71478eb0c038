"""``_generated``, the facade's lazy door to ``toloka_api``: each name it serves at run time is
the very object its typed imports name, and nothing else gets through."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
import toloka_api.models
from toloka_archive._wire import generated as _generated
from toloka_archive._flows.selection import ARCHIVABLE_STATUS


def typed_imports() -> dict[str, object]:
    """What the ``if TYPE_CHECKING:`` block imports, resolved for real: name -> object."""
    tree = ast.parse(Path(_generated.__file__).read_text())
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    resolved: dict[str, object] = {}
    for statement in block.body:
        assert isinstance(statement, ast.ImportFrom), ast.unparse(statement)
        assert statement.module is not None
        module = importlib.import_module(statement.module)
        for alias in statement.names:
            value = getattr(module, alias.name, None)
            if value is None:  # a submodule: `from toloka_api.api.pool import archive_pool`
                value = importlib.import_module(f"{statement.module}.{alias.name}")
            resolved[alias.asname or alias.name] = value
    return resolved


def test_the_typed_imports_and_the_run_time_table_name_the_same_objects() -> None:
    typed = typed_imports()
    assert set(typed) == set(_generated._HOMES)
    for name, value in typed.items():
        assert getattr(_generated, name) is value, name


def test_a_name_outside_the_table_is_refused() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = _generated.Nope  # type: ignore[attr-defined]


def test_the_archivable_status_written_out_is_the_generated_one() -> None:
    assert toloka_api.models.KnownPoolStatus.CLOSED.value == ARCHIVABLE_STATUS
