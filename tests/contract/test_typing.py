"""A user's script that imports the generated client type-checks under `mypy --strict`.

Two ways a user's mypy finds `toloka_archive_api`:

- installed: through site-packages (here, the editable install that `make venv` makes, whose
  `.pth` lists `generated/`). PEP 561 applies there: without `py.typed` mypy stops at
  `import-untyped` and every name from the package is `Any`. This is the case the marker is for.
- MYPYPATH: a source folder on mypy's own search path, where no marker is needed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import toloka_archive_api

ROOT = Path(__file__).resolve().parents[2]

USER_SCRIPT = """\
from typing import assert_type

from toloka_archive_api.models import Operation


def operation_id(operation: Operation) -> str:
    # Fails with "Expression is of type Any" if the package is read as untyped.
    assert_type(operation.id, str)
    identifier: str = operation.id
    return identifier
"""


def run_mypy(folder: Path, mypy_path: str | None) -> subprocess.CompletedProcess[str]:
    script = folder / "user_script.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "MYPYPATH"}
    if mypy_path is not None:
        env["MYPYPATH"] = mypy_path
    # Run in the temporary folder so that the project's own mypy configuration is not read, and
    # keep the cache there so that nothing is written to (or read from) the project.
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(folder / ".mypy_cache"),
            "--python-executable",
            sys.executable,
            script.name,
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_checked_package_is_this_checkout() -> None:
    # The "installed" case below is only meaningful if site-packages leads to this checkout.
    package = Path(toloka_archive_api.__file__).resolve().parent
    assert package == ROOT / "generated" / "toloka_archive_api", (
        "toloka_archive_api is not imported from this checkout: run `make venv`"
    )


@pytest.mark.parametrize(
    "mypy_path",
    [None, os.pathsep.join([str(ROOT / "generated"), str(ROOT / "facade")])],
    ids=["installed", "MYPYPATH"],
)
def test_user_script_type_checks_strictly(tmp_path: Path, mypy_path: str | None) -> None:
    result = run_mypy(tmp_path, mypy_path)
    output = result.stdout + result.stderr
    assert "import-untyped" not in output
    assert "Any" not in output
    assert result.returncode == 0, output
