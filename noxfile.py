"""The test suite on every Python the package supports: `make pythons` runs these sessions.

Python 3.11 is the project's own `.venv` (`make test`, linters included); these sessions run the
suite, without the linters, on 3.12 and 3.13, each in a fresh virtual environment with the same
pinned tree (`constraints.txt`, the Airflow extra included). The interpreters come from PATH
(`python3.12`), or from pyenv when it has them and PATH does not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = False
nox.options.error_on_missing_interpreters = True

VERSIONS = ("3.12", "3.13")
PIP_VERSION = "26.3"  # as the Makefile's: dependency groups need pip 25.1 or newer
LOOPBACK = r"--allowed-hosts=127\.0\.0\.1$,::1$,localhost$"


def _runs(program: str | None) -> bool:
    return (
        program is not None
        # an interpreter found on PATH, asked to do nothing: does it run at all?
        and subprocess.run([program, "-c", ""], capture_output=True).returncode == 0  # noqa: S603
    )


def _find_interpreters() -> None:
    """Put pyenv's newest 3.12.x and 3.13.x on PATH when PATH has no working ``python3.12``
    (pyenv's shim for a version not selected fails), so nox finds them by version."""
    root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    for version in VERSIONS:
        if _runs(shutil.which(f"python{version}")):
            continue
        found = sorted(Path(root, "versions").glob(f"{version}.*/bin/python{version}"))
        if found:
            os.environ["PATH"] = f"{found[-1].parent}{os.pathsep}{os.environ.get('PATH', '')}"


_find_interpreters()


@nox.session(python=list(VERSIONS))
def tests(session: nox.Session) -> None:
    """The whole pytest suite, as `make test` runs it, on one more Python."""
    session.install(f"pip=={PIP_VERSION}")
    session.install("-c", "constraints.txt", "--group", "dev", "-e", ".[airflow]")
    session.run(
        "pytest",
        "-p",
        "no:cacheprovider",
        "--record-mode=none",
        "--block-network",
        LOOPBACK,
        *session.posargs,
    )
