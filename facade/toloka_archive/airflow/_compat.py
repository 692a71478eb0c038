"""The names Airflow 3 moved, from wherever the running Airflow keeps them (3.0 and later).

Taken from ``apache-airflow-providers-common-compat``, as Apache's own providers take them, so
that there is no try/except ladder here: its ``sdk`` module tries the Task SDK's home first and
falls back to the old one. What moved between Airflow 3.0 and 3.3, for what this provider uses:

- ``BaseHook``: ``airflow.hooks.base`` in 3.0, ``airflow.sdk`` from 3.1;
- ``AirflowException``, ``AirflowFailException``, ``AirflowNotFoundException``:
  ``airflow.exceptions`` in 3.0 and 3.1, ``airflow.sdk.exceptions`` from 3.2 (which deprecates
  the old names with a ``DeprecatedImportWarning``);
- ``BaseHook.aget_connection``: only from 3.1; ``get_async_connection`` reads the connection
  without blocking the event loop on every version (before 3.1, the blocking lookup in a
  thread).

``BaseOperator``, ``BaseOperatorLink``, ``Context``, ``DAG``, ``Param`` and ``task`` are in
``airflow.sdk`` since 3.0, and ``BaseTrigger``/``TriggerEvent`` in ``airflow.triggers.base``
on every Airflow 3: the modules import those directly. common-compat 1.10.1 is the first with
all the names above (the ``airflow`` extra asks for it).
"""

from __future__ import annotations

from airflow.providers.common.compat.connection import get_async_connection
from airflow.providers.common.compat.sdk import (
    AirflowException,
    AirflowFailException,
    AirflowNotFoundException,
    BaseHook,
)

__all__ = [
    "AirflowException",
    "AirflowFailException",
    "AirflowNotFoundException",
    "BaseHook",
    "get_async_connection",
]
