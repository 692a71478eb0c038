"""What the tests read of Airflow that moved between 3.0 and 3.3, from where the running Airflow
keeps it: the newest home first, then the old one, with the version that moved it.

The provider's own moved names come from ``toloka_archive.airflow._compat`` (through
``apache-airflow-providers-common-compat``); these are the tests' extras, which common-compat
does not cover (or covers only in versions newer than the floor the extra asks for).
"""

from __future__ import annotations

import inspect
from typing import Any

import airflow
from packaging.version import Version

AIRFLOW_VERSION = Version(airflow.__version__).release[:2]  # (3, 0), ..., (3, 3)

# Why a test does not apply to an older Airflow 3 (the provider works there; Airflow differs).
READS_THE_DATABASE_EVERYWHERE = (
    "Airflow 3.0's BaseHook (airflow.hooks.base) reads the metadata database outside a task too; "
    "from 3.1 the Task SDK's reads it only in tasks, triggers and servers"
)
FORM_FROM_PROVIDER_INFO = (
    "Airflow builds the connection form from the provider info's conn-fields and "
    "ui-field-behaviour from 3.2; 3.0 and 3.1 show their generic form (extras as JSON)"
)
UI_METADATA_FROM_3_3 = "ProvidersManager.iter_connection_type_hook_ui_metadata is Airflow 3.3's"

__all__ = [
    "AIRFLOW_VERSION",
    "FORM_FROM_PROVIDER_INFO",
    "READS_THE_DATABASE_EVERYWHERE",
    "UI_METADATA_FROM_3_3",
    "DeprecatedImportWarning",
    "dag_bag",
    "first_xcom",
    "import_string",
    "runtime_hooks",
]

try:  # airflow.sdk.module_loading from 3.1
    from airflow.sdk.module_loading import import_string
except ImportError:  # 3.0
    from airflow.utils.module_loading import import_string  # type: ignore[no-redef]

try:  # Airflow's own deprecation category (a FutureWarning) from 3.1
    from airflow.utils.deprecation_tools import DeprecatedImportWarning
except ImportError:  # 3.0: nothing the tests silence warns there
    DeprecatedImportWarning = DeprecationWarning  # type: ignore[misc,assignment]


def dag_bag(dag_folder: str) -> Any:
    """Airflow's DagBag: ``airflow.dag_processing.dagbag`` from 3.2, which deprecates the old
    home, ``airflow.models.dagbag`` (the only one in 3.0 and 3.1)."""
    try:
        from airflow.dag_processing.dagbag import DagBag
    except ImportError:
        from airflow.models.dagbag import DagBag  # type: ignore[no-redef]
    return DagBag(dag_folder=dag_folder)


def runtime_hooks() -> Any:
    """The hooks the Task SDK's runtime knows: ``ProvidersManagerTaskRuntime`` from 3.2, which
    3.3 points to instead of ``ProvidersManager().hooks`` (the only one before 3.2)."""
    try:
        from airflow.sdk.providers_manager_runtime import ProvidersManagerTaskRuntime
    except ImportError:
        from airflow.providers_manager import ProvidersManager

        return ProvidersManager().hooks
    return ProvidersManagerTaskRuntime().hooks


def first_xcom(session: Any, **filters: Any) -> Any:
    """The first XCom row ``XComModel.get_many(**filters)`` finds: a ``Select`` to run on the
    session in later Airflows, a ``Query`` on the session it is handed in 3.0."""
    from airflow.models.xcom import XComModel

    if "session" in inspect.signature(XComModel.get_many).parameters:
        return XComModel.get_many(session=session, **filters).first()
    return session.scalars(XComModel.get_many(**filters)).first()
