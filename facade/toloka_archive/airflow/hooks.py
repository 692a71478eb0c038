"""``TolokaHook``: the facade's clients, built from an Airflow connection.

Its own connection type is ``toloka_archive`` (not ``toloka``, which Toloka's official
airflow-provider-toloka registers: see ``_settings``). The connection holds the key in its
password (masked by Airflow, never logged here) and, in its extras, where to point:
``environment`` (``sandbox``/``production``) or ``base_url``, and ``auth_type: oauth`` for a
legacy OAuth token. A connection written by airflow-provider-toloka (type ``toloka``: the token
in ``extra__toloka__token``, ``extra__toloka__environment`` or ``extra__toloka__url``) is read
as that provider reads it, so ``toloka_default`` works whatever its type; the hook logs which
form it read, where the key came from and how it is sent (never the key). See ``_settings`` for
the rules; the checks are the facade's own.

Where Airflow finds the connection depends on where the hook runs, and that is Airflow's rule,
not ours: in a task or a trigger, in ``AIRFLOW_CONN_*`` variables, the secrets backends and the
metadata database (through the API server); anywhere else (a script, a notebook), in the
variables and the secrets backends only. A connection not found says which case it was and what
to do (``not_found_message``).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

from toloka_archive import AsyncTolokaClient, TolokaClient
from toloka_archive._core.clock import Clock, SystemClock
from toloka_archive._core.errors import ConfigurationError, TolokaError
from toloka_archive.airflow._compat import AirflowNotFoundException, BaseHook, get_async_connection
from toloka_archive.airflow._settings import (
    CONN_TYPE,
    DEFAULT_CONN_ID,
    HOOK_NAME,
    ClientSettings,
    settings_from_connection,
)


class TolokaHook(BaseHook):
    """Build ``TolokaClient`` / ``AsyncTolokaClient`` from a Toloka connection: ours
    (``toloka_archive``) or airflow-provider-toloka's (``toloka``).

    ``client_options``: more keyword arguments for every client this hook builds (``poll``,
    ``retry``, ``http_timeout``, ``transport``, ``clock``); ``client_defaults`` does the same for
    every hook, which is how tests hand the fake's ``ManualClock`` to a trigger rebuilt from its
    serialized form.
    """

    conn_name_attr = "toloka_conn_id"
    default_conn_name = DEFAULT_CONN_ID
    conn_type = CONN_TYPE
    hook_name = HOOK_NAME

    client_defaults: ClassVar[Mapping[str, Any]] = {}

    def __init__(
        self,
        toloka_conn_id: str = DEFAULT_CONN_ID,
        *,
        client_options: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.toloka_conn_id = toloka_conn_id
        self._client_options = {**self.client_defaults, **(client_options or {})}

    @property
    def clock(self) -> Clock:
        """The clock the clients read (deadlines are measured on it): the real one by default."""
        clock: Clock | None = self._client_options.get("clock")
        return SystemClock() if clock is None else clock

    def settings(self) -> ClientSettings:
        """The connection's settings, checked; the key is in them but never in their repr."""
        return self._settings_of(self._connection())

    async def asettings(self) -> ClientSettings:
        """``settings`` for async code (the triggerer): the connection is read without
        blocking the event loop.

        When the async lookup finds nothing, the blocking one is asked too, in a thread:
        Airflow 3.3's in-process trigger runner (``airflow dags test``, ``dag.test()``) answers
        only blocking lookups, so the async one misses every connection kept in the metadata
        database there. In a real triggerer both ask the same backends, so the second lookup
        costs one more request, and only for a connection that is not there.
        """
        try:
            connection = await get_async_connection(self.toloka_conn_id)
        except AirflowNotFoundException:
            connection = await asyncio.to_thread(self._connection)
        return self._settings_of(connection)

    def _connection(self) -> Any:
        try:
            return self.get_connection(self.toloka_conn_id)
        except AirflowNotFoundException:
            raise AirflowNotFoundException(not_found_message(self.toloka_conn_id)) from None

    def _settings_of(self, connection: Any) -> ClientSettings:
        return settings_from_connection(
            self.toloka_conn_id,
            password=connection.password,
            extra=connection.extra_dejson,
            host=connection.host,
            port=connection.port,
            conn_type=connection.conn_type,
        )

    def get_conn(self) -> TolokaClient:
        """Airflow's name for ``get_client``."""
        return self.get_client()

    def get_client(self) -> TolokaClient:
        """A blocking client; use it as a context manager to close it."""
        settings = self.settings()
        self.log.info("%s", settings.described)
        with _naming(settings):
            return TolokaClient(**settings.client_kwargs(), **self._client_options)

    def get_async_client(self) -> AsyncTolokaClient:
        """An asyncio client, from code that may block (the connection is read synchronously)."""
        return self._async_client(self.settings())

    async def aget_async_client(self) -> AsyncTolokaClient:
        """An asyncio client, from the triggerer's event loop."""
        return self._async_client(await self.asettings())

    def _async_client(self, settings: ClientSettings) -> AsyncTolokaClient:
        self.log.info("%s", settings.described)
        with _naming(settings):
            return AsyncTolokaClient(**settings.client_kwargs(), **self._client_options)

    def test_connection(self) -> tuple[bool, str]:
        """The UI's "Test" button: read one page of archive operations, which needs a valid
        key and nothing else."""
        try:
            with self.get_client() as client:
                next(iter(client.find_operations(type="POOL.ARCHIVE")), None)
                where = client.environment.value if client.environment else client.base_url
        except TolokaError as error:
            return False, f"{type(error).__name__}: {error}"
        return True, f"Toloka answered ({where})"


def not_found_message(conn_id: str) -> str:
    """What to do about a connection Airflow did not find, depending on where we run."""
    variable = f"AIRFLOW_CONN_{conn_id.upper()}"
    example = (
        f"""{variable}='{{"conn_type": "{CONN_TYPE}", "password": "<the API key>", """
        """"extra": {"environment": "production"}}'"""
    )
    if _in_airflow_process():
        return (
            f"the Toloka connection {conn_id!r} is not defined: Airflow looked in the variable "
            f"{variable}, in the secrets backends ([secrets] backend) and in the metadata "
            "database (the UI's Admin > Connections, `airflow connections add`). Create it in "
            f"one of them, e.g. `airflow connections add {conn_id} --conn-type {CONN_TYPE} "
            '--conn-password <the API key> --conn-extra \'{"environment": "production"}\'`, '
            f"or correct the task's toloka_conn_id; for `airflow dags test`, {example} works "
            "in every case"
        )
    return (
        f"the Toloka connection {conn_id!r} is not defined here: outside a running task or "
        "trigger (a script, a notebook, a Python shell) Airflow 3 reads connections only from "
        "AIRFLOW_CONN_* variables and the secrets backends ([secrets] backend), never from the "
        "metadata database, where the UI and `airflow connections add` keep them. Define "
        f"{example} in this process's environment, or build a client without Airflow: "
        "TolokaClient(api_key=..., environment=...)"
    )


def _in_airflow_process() -> bool:
    """True in a task, a trigger or an Airflow server: where the metadata database is asked.

    Airflow 3 tells them apart by its supervisor's channel (tasks, triggers, the DAG
    processor) or by the process context it sets for its servers; neither is public, so this
    guess only chooses the wording of a message."""
    if os.environ.get("_AIRFLOW_PROCESS_CONTEXT") == "server":
        return True
    try:
        from airflow.sdk.execution_time import task_runner
    except ImportError:  # pragma: no cover - a Task SDK without it
        return False
    return getattr(task_runner, "SUPERVISOR_COMMS", None) is not None


@contextmanager
def _naming(settings: ClientSettings) -> Iterator[None]:
    """A configuration problem found by the facade's checks, with the connection's name."""
    try:
        yield
    except ConfigurationError as error:
        raise ConfigurationError(f"Toloka connection {settings.conn_id!r}: {error}") from None
