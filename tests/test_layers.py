"""The facade's folders are its layers, and imports only ever point down.

From the bottom up: ``_core`` (pure base), ``_wire`` (what goes on the wire), ``_flows`` (the
decisions), ``_engine`` (many subjects at once), ``_clients``, the public package, and on top
``cli`` and ``airflow``, which use only the public facade and ``_core``. The fake Toloka
(``testing``) stands apart: it imports nothing of the facade. Every import counts, at module
level, inside functions and under ``TYPE_CHECKING`` alike, so the rule cannot be dodged by
importing late.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "facade" / "toloka_archive"
ROOT = "toloka_archive"
LAYERS = {"_version": 0, "_core": 0, "_wire": 1, "_flows": 2, "_engine": 3, "_clients": 4}
PUBLIC = 5  # toloka_archive itself: the names in __init__.pyi
ON_TOP = {"cli", "airflow", "__main__"}  # may use only the public facade and _core
# What each on top may reach besides the public package, _core and itself: the command runs
# the fake (`toloka-archive fake`), and `python -m toloka_archive` is the command.
ALSO_ALLOWED = {"cli": {"testing"}, "airflow": set[str](), "__main__": {"cli"}}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> list[str]:
    """Every toloka_archive module ``path`` imports, anywhere in it, as a dotted name."""
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            for alias in node.names:
                # `from toloka_archive import TolokaClient` takes a name of the package itself
                submodule = (PACKAGE / alias.name).is_dir() or (
                    PACKAGE / f"{alias.name}.py"
                ).is_file()
                names.append(base if base == ROOT and not submodule else f"{base}.{alias.name}")
    return [name for name in names if name == ROOT or name.startswith(ROOT + ".")]


def area(name: str) -> str:
    """The top folder (or module) of the package a module belongs to; "" for the package."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def rank(name: str) -> int | None:
    """The layer of a module of the package; None for the folders on top and the fake."""
    where = area(name)
    if where == "":
        return PUBLIC
    if where in LAYERS:
        return LAYERS[where]
    return None


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda path: module_name(path))
def test_imports_point_only_down(path: Path) -> None:
    here = module_name(path)
    own = area(here)
    problems = []
    for target in imported(path):
        there = area(target)
        if there == own and own:
            continue  # within one folder
        if own == "testing":
            problems.append(f"{target}: the fake imports nothing of the facade")
        elif own in ON_TOP:
            if there not in {"", "_core", "_version", *ALSO_ALLOWED[own]}:
                problems.append(f"{target}: {own}/ uses only the public facade and _core")
        elif own == "":
            if path.name == "__init__.py" and there not in {"_core", "_version"}:
                problems.append(f"{target}: the package serves the rest lazily, from its stub")
        else:
            mine, theirs = rank(here), rank(target)
            assert mine is not None
            if theirs is None or theirs > mine:
                problems.append(f"{target}: {own} is below {there or 'the public package'}")
    assert not problems, f"{here} imports upward: " + "; ".join(problems)


def test_no_folder_holds_more_than_about_ten_modules() -> None:
    for folder in [PACKAGE, *[p for p in PACKAGE.rglob("*") if p.is_dir()]]:
        if folder.name == "__pycache__":
            continue
        modules_here = [p for p in folder.glob("*.py") if p.stem not in ("__init__", "__main__")]
        assert len(modules_here) <= 10, f"{folder.relative_to(PACKAGE)}: {len(modules_here)}"
