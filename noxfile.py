"""The test suite on every Python the package supports: `make pythons` runs these sessions.

Python 3.11 is the project's own `.venv` (`make test`, linters included); these sessions run the
suite, without the linters, on 3.12 and 3.13, each in a fresh virtual environment with the same
pinned tree (`constraints.txt`, the Airflow extra included). The interpreters come from PATH
(`python3.12`), or from pyenv when it has them and PATH does not.
"""

from __future__ import annotations

import sys
import tomllib
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


# The lowest httpx the package allows (`nox -s httpx_floor`; not run by a bare `nox`). Users of
# toloka-kit 1.2.3, which breaks on httpx 0.28, pin `httpx<0.28`, so the floor is part of what
# the package promises: the HTTP-facing suite runs on exactly the version pyproject.toml names.
ROOT = Path(__file__).resolve().parent
OVER_HTTP = (
    "tests/facade",  # the cassette tests (tests/facade/test_cassettes.py) included
    "tests/cli",
    "tests/fake",
    "tests/contract/test_generated_client.py",
)


def declared_floor(package: str) -> str:
    """The ``>=`` bound of ``package`` among pyproject.toml's runtime dependencies."""
    from packaging.requirements import Requirement  # nox's own dependency

    with (ROOT / "pyproject.toml").open("rb") as handle:
        declared = [Requirement(item) for item in tomllib.load(handle)["project"]["dependencies"]]
    [floor] = [
        spec.version
        for requirement in declared
        if requirement.name == package
        for spec in requirement.specifier
        if spec.operator == ">="
    ]
    return floor


def pinned_at(package: str, version: str) -> str:
    """constraints.txt with ``package`` pinned at ``version`` instead."""
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pin = f"{package}=="
    if sum(line.startswith(pin) for line in lines) != 1:
        raise ValueError(f"constraints.txt should pin {package} once")
    return "\n".join(pin + version if line.startswith(pin) else line for line in lines) + "\n"


HTTPX_FLOOR = declared_floor("httpx")
put_on_path(SUPPORTED[:1])


@nox.session(python=SUPPORTED[0], default=False)
def httpx_floor(session: nox.Session) -> None:
    """The HTTP-facing suite (facade, cassettes, command, fake, generated client) on the lowest
    httpx that pyproject.toml allows, pinned exactly; everything else as constraints.txt pins it.
    """
    session.install(f"pip=={PIP_VERSION}")
    constraints = Path(session.create_tmp()) / "constraints-httpx-floor.txt"
    constraints.write_text(pinned_at("httpx", HTTPX_FLOOR), encoding="utf-8")
    session.install("-c", str(constraints), "--group", "dev", "-e", ".")
    session.run(
        "python",
        "-c",
        "import httpx, sys; "
        f"sys.exit(None if httpx.__version__ == {HTTPX_FLOOR!r} else httpx.__version__)",
    )
    session.run(
        "pytest",
        "-p",
        "no:cacheprovider",
        "--record-mode=none",
        "--block-network",
        LOOPBACK,
        *OVER_HTTP,
        *session.posargs,
    )


# The lowest Airflow the provider supports (`nox -s airflow_floor`; not run by a bare `nox`):
# Airflow 3.0.6 with common-compat 1.10.1, the whole tree pinned by constraints-airflow-floor.txt
# (how it was made is written at its top). `make test` runs the same tests on the pinned 3.3.
AIRFLOW_FLOOR_CONSTRAINTS = "constraints-airflow-floor.txt"
AIRFLOW_FLOOR_TESTS = ("tests/airflow", "tests/test_layers.py")
AIRFLOW_FLOOR_PACKAGES = ("apache-airflow", "apache-airflow-providers-common-compat")  # checked
# Airflow 3.0's own warning, for every hook of every provider that reads a connection in a task
# (its core BaseHook still goes through airflow.models.Connection); gone from 3.1.
AIRFLOW_3_0_WARNINGS = ("ignore:Using Connection.get_connection_from_secrets:DeprecationWarning",)
put_on_path(("3.11",))  # Airflow 3.0 runs on 3.9 to 3.12


def floor_pin(package: str) -> str:
    """The version constraints-airflow-floor.txt pins ``package`` at."""
    path = Path(__file__).resolve().parent / AIRFLOW_FLOOR_CONSTRAINTS
    lines = path.read_text(encoding="utf-8").splitlines()
    pins = [line.partition("==")[2] for line in lines if line.startswith(f"{package}==")]
    if len(pins) != 1:
        raise ValueError(f"{AIRFLOW_FLOOR_CONSTRAINTS} should pin {package} once")
    return pins[0]


@nox.session(python="3.11", default=False)
def airflow_floor(session: nox.Session) -> None:
    """The provider's tests (tests/airflow, three whole DAG runs included) and the facade's
    import layers on the lowest Airflow and common-compat the ``airflow`` extra allows."""
    session.install(f"pip=={PIP_VERSION}")
    session.install("-c", AIRFLOW_FLOOR_CONSTRAINTS, "-e", ".[airflow]", "pytest-recording")
    expected = {name: floor_pin(name) for name in AIRFLOW_FLOOR_PACKAGES}
    session.run(
        "python",
        "-c",
        "import sys; from importlib.metadata import version; "
        f"found = {{name: version(name) for name in {list(expected)!r}}}; "
        f"sys.exit(None if found == {expected!r} else f'installed {{found}}')",
    )
    warnings = [arg for rule in AIRFLOW_3_0_WARNINGS for arg in ("-W", rule)]
    session.run(
        "pytest",
        "-p",
        "no:cacheprovider",
        "--record-mode=none",
        "--block-network",
        LOOPBACK,
        *warnings,
        *AIRFLOW_FLOOR_TESTS,
        *session.posargs,
    )
