"""The provider on every Airflow 3 it supports: the running one (3.3 in `make test`, 3.0 in the
``airflow_floor`` nox session) lies in the extra's range, each module imports with warnings as
errors, and the names Airflow moved come from where this Airflow keeps them."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import airflow
import pytest
from packaging.requirements import Requirement
from toloka_archive.airflow import _compat
from toloka_archive.airflow._settings import CONN_TYPE
from toloka_archive.airflow.hooks import TolokaHook

from tests.airflow.compat import AIRFLOW_VERSION, runtime_hooks
from tests.airflow.conftest import API_KEY

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
MODULES = [
    "toloka_archive.airflow.hooks",
    "toloka_archive.airflow.operators",
    "toloka_archive.airflow.triggers",
    "toloka_archive.airflow.links",
    "toloka_archive.airflow.example_dags.toloka_nightly_cleanup",
]


def extra_requirements() -> dict[str, Requirement]:
    """What ``toloka-archive[airflow]`` asks for, by distribution name (pyproject.toml's, so that
    an install made before the extra changed does not hide the change)."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    found = [Requirement(line) for line in project["optional-dependencies"]["airflow"]]
    return {requirement.name: requirement for requirement in found}


def test_the_running_airflow_and_common_compat_are_in_the_extras_range() -> None:
    wanted = extra_requirements()
    assert set(wanted) == {"apache-airflow", "apache-airflow-providers-common-compat"}
    assert wanted["apache-airflow"].specifier.contains(airflow.__version__)
    assert wanted["apache-airflow"].specifier.contains("3.0.0")  # every Airflow 3
    assert not wanted["apache-airflow"].specifier.contains("2.11.2")  # not Airflow 2
    compat = metadata.version("apache-airflow-providers-common-compat")
    assert wanted["apache-airflow-providers-common-compat"].specifier.contains(compat)


def test_every_module_imports_without_a_warning() -> None:
    # A fresh interpreter, so that the first import is the one checked: a name imported from a
    # home this Airflow deprecates warns at our import line, and such a warning is an error here
    # (warnings the environment raises for itself, e.g. an old opentelemetry's, are not ours).
    code = "import warnings; warnings.filterwarnings('error', module='toloka_archive'); "
    subprocess.run(
        [sys.executable, "-c", f"{code}import {', '.join(MODULES)}"],
        check=True,
        env=os.environ.copy(),  # conftest's temporary AIRFLOW_HOME
        timeout=120,
    )


def test_the_moved_names_are_this_airflows_own() -> None:
    exceptions = importlib.import_module(
        "airflow.sdk.exceptions" if AIRFLOW_VERSION >= (3, 2) else "airflow.exceptions"
    )
    assert _compat.AirflowException is exceptions.AirflowException
    assert _compat.AirflowFailException is exceptions.AirflowFailException
    assert _compat.AirflowNotFoundException is exceptions.AirflowNotFoundException
    hooks = importlib.import_module(
        "airflow.sdk" if AIRFLOW_VERSION >= (3, 1) else "airflow.hooks.base"
    )
    assert _compat.BaseHook is hooks.BaseHook
    assert issubclass(TolokaHook, hooks.BaseHook)


def test_airflow_knows_the_hook_of_the_connection_type() -> None:
    hook = runtime_hooks()[CONN_TYPE]
    assert hook is not None
    assert hook.hook_class_name == "toloka_archive.airflow.hooks.TolokaHook"
    assert hook.connection_id_attribute_name == "toloka_conn_id"


@pytest.mark.skipif(AIRFLOW_VERSION >= (3, 1), reason="Airflow 3.0's lookup only")
def test_on_airflow_3_0_a_script_finds_a_stored_connection(stored_connection: str) -> None:
    # 3.0's BaseHook is the core one, which asks the metadata database from anywhere: what the
    # hook's message for a connection not found outside a task says of 3.1 and later is moot.
    settings = TolokaHook(stored_connection).settings()
    assert settings.client_kwargs()["api_key"] == API_KEY
