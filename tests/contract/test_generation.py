"""`make check-generated` catches a hand edit and a spec change that was not regenerated."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate.py"
COMMITTED = ROOT / "generated" / "toloka_archive_api"


def check(*options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--check", *options],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_package(tmp_path: Path) -> Path:
    copy = tmp_path / "toloka_archive_api"
    shutil.copytree(COMMITTED, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_committed_client_matches_the_spec() -> None:
    result = check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_is_marked_as_typed() -> None:
    # PEP 561: without the marker, `mypy --strict` on a user's script that imports the installed
    # package stops at `import-untyped`. An empty marker means the whole package is typed.
    marker = COMMITTED / "py.typed"
    assert marker.is_file(), "generated/toloka_archive_api/py.typed is missing: run `make generate`"
    assert marker.read_bytes() == b""


def test_a_hand_edit_is_caught_and_named(copy_of_package: Path) -> None:
    edited = copy_of_package / "models" / "operation.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    (copy_of_package / "stray.py").write_text("", encoding="utf-8")
    result = check("--committed", str(copy_of_package))
    assert result.returncode == 1
    assert "differs: generated/toloka_archive_api/models/operation.py" in result.stdout
    assert "not produced by the generator: generated/toloka_archive_api/stray.py" in result.stdout


def test_a_spec_change_not_regenerated_is_caught(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    text = (ROOT / "openapi.yaml").read_text(encoding="utf-8")
    spec.write_text(
        text.replace("Completion, in percent.", "Completion, percent."), encoding="utf-8"
    )
    assert spec.read_text(encoding="utf-8") != text
    result = check("--spec", str(spec))
    assert result.returncode == 1
    assert "differs: generated/toloka_archive_api/models/operation.py" in result.stdout
