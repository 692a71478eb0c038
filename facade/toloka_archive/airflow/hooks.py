"""``TolokaHook``: the facade's clients, built from an Airflow connection of type ``toloka``.

The connection holds the key in its password (masked by Airflow, never logged here) and, in its
extras, where to point: ``environment`` (``sandbox``/``production``) or ``base_url``, and
``auth_type: oauth`` for a legacy OAuth token. See ``_settings`` for the rules; the checks are
the facade's own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

from airflow.sdk import BaseHook

from toloka_archive import AsyncTolokaClient, TolokaClient
from toloka_archive._core.clock import Clock, SystemClock
from toloka_archive._core.errors import ConfigurationError, TolokaError
from toloka_archive.airflow._settings import (
    CONN_TYPE,
    DEFAULT_CONN_ID,
    ClientSettings,
    settings_from_connection,
)


class TolokaHook(BaseHook):
    """Build ``TolokaClient`` / ``AsyncTolokaClient`` from a ``toloka`` connection.

    ``client_options``: more keyword arguments for every client this hook builds (``poll``,
    ``retry``, ``http_timeout``, ``transport``, ``clock``); ``client_defaults`` does the same for
    every hook, which is how tests hand the fake's ``ManualClock`` to a trigger rebuilt from its
    serialized form.
    """

    conn_name_attr = "toloka_conn_id"
    default_conn_name = DEFAULT_CONN_ID
    conn_type = CONN_TYPE
    hook_name = "Toloka"

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
        connection = self.get_connection(self.toloka_conn_id)
        return self._settings_of(connection)

    async def asettings(self) -> ClientSettings:
        """``settings`` for async code (the triggerer): the connection is read without
        blocking the event loop."""
        connection = await self.aget_connection(self.toloka_conn_id)
        return self._settings_of(connection)

    def _settings_of(self, connection: Any) -> ClientSettings:
        return settings_from_connection(
            self.toloka_conn_id,
            password=connection.password,
            extra=connection.extra_dejson,
            host=connection.host,
            port=connection.port,
        )

    def get_conn(self) -> TolokaClient:
        """Airflow's name for ``get_client``."""
        return self.get_client()

    def get_client(self) -> TolokaClient:
        """A blocking client; use it as a context manager to close it."""
        settings = self.settings()
        with _naming(settings):
            return TolokaClient(**settings.client_kwargs(), **self._client_options)

    def get_async_client(self) -> AsyncTolokaClient:
        """An asyncio client, from code that may block (the connection is read synchronously)."""
        return self._async_client(self.settings())

    async def aget_async_client(self) -> AsyncTolokaClient:
        """An asyncio client, from the triggerer's event loop."""
        return self._async_client(await self.asettings())

    def _async_client(self, settings: ClientSettings) -> AsyncTolokaClient:
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


@contextmanager
def _naming(settings: ClientSettings) -> Iterator[None]:
    """A configuration problem found by the facade's checks, with the connection's name."""
    try:
        yield
    except ConfigurationError as error:
        raise ConfigurationError(f"Toloka connection {settings.conn_id!r}: {error}") from None
