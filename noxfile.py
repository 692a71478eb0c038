"""The test suite on every Python the package supports: `make pythons` runs these sessions.

Python 3.11 is the project's own `.venv` (`make test`, linters included); these sessions run the
suite, without the linters, on 3.12 and 3.13, each in a fresh virtual environment with the same
pinned tree (`constraints.txt`, the Airflow extra included). The interpreters come from PATH
(`python3.12`), or from pyenv when it has them and PATH does not.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).parent / "scripts"))
from pythons import SUPPORTED, put_on_path

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = False
nox.options.error_on_missing_interpreters = True

VERSIONS = tuple(version for version in SUPPORTED if version != "3.11")  # 3.11: make test
PIP_VERSION = "26.3"  # as the Makefile's: dependency groups need pip 25.1 or newer
LOOPBACK = r"--allowed-hosts=127\.0\.0\.1$,::1$,localhost$"

put_on_path(VERSIONS)


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
