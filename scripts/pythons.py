"""Where the supported Pythons are on this machine: for `make pythons` (noxfile.py) and the
installed-wheel check of `make dist` (check_dist.py).

An interpreter is taken from PATH (``python3.12``) when it runs, else pyenv's newest patch
release of that version (pyenv's shim for a version that is not selected exists but fails).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SUPPORTED = ("3.11", "3.12", "3.13")
"""The Pythons the package is tested on; pyproject.toml's classifiers name the same."""


def _runs(program: str | None) -> bool:
    return (
        program is not None
        # an interpreter found on PATH, asked to do nothing: does it run at all?
        and subprocess.run([program, "-c", ""], capture_output=True).returncode == 0
    )


def interpreter(version: str) -> str | None:
    """A working ``python{version}``, or None when this machine has none."""
    on_path = shutil.which(f"python{version}")
    if _runs(on_path):
        return on_path
    root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    found = sorted(
        Path(root, "versions").glob(f"{version}.*/bin/python{version}"),
        key=lambda path: [int(part) for part in path.parts[-3].split(".") if part.isdigit()],
    )
    return str(found[-1]) if found and _runs(str(found[-1])) else None


def put_on_path(versions: tuple[str, ...]) -> None:
    """Put each version's interpreter first on PATH when PATH has no working one, so tools that
    look interpreters up by name (nox) find them."""
    for version in versions:
        found = interpreter(version)
        if found is not None and found != shutil.which(f"python{version}"):
            os.environ["PATH"] = f"{Path(found).parent}{os.pathsep}{os.environ.get('PATH', '')}"
