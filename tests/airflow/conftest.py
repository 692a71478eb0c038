"""Airflow in a box: a temporary AIRFLOW_HOME for the session, a fake Toloka on loopback, and
the connection that points at it.

Airflow reads its configuration when it is first imported, so the home is set here, when pytest
imports this file, before any test module imports Airflow; nothing is written to the repository
or to ``~``. The home is removed when the session ends.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from toloka_archive.testing import FakeToloka, ManualClock, serve

AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="toloka-airflow-home-"))
atexit.register(shutil.rmtree, AIRFLOW_HOME, ignore_errors=True)
_SETTINGS = {
    "AIRFLOW_HOME": str(AIRFLOW_HOME),
    "AIRFLOW__CORE__DAGS_FOLDER": str(AIRFLOW_HOME / "dags"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{AIRFLOW_HOME / 'airflow.db'}",
    "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(AIRFLOW_HOME / "logs"),
}
os.environ.update(_SETTINGS)
(AIRFLOW_HOME / "dags").mkdir()

API_KEY = "test-api-key"  # opens only the fakes built here: not a secret
OAUTH_TOKEN = "test-oauth-token"  # likewise
CONN_ID = "toloka_test"


def connection_env(
    conn_id: str = CONN_ID, conn_type: str = "toloka_archive", **fields: Any
) -> tuple[str, str]:
    """The variable that defines a connection for Airflow's environment secrets backend; of our
    own type unless ``conn_type`` says otherwise (``toloka``: airflow-provider-toloka's)."""
    return f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps({"conn_type": conn_type, **fields})


@dataclass
class FakeTI:
    """What the operator asks of a task instance: ``xcom_push``."""

    xcoms: dict[str, Any] = field(default_factory=dict)

    def xcom_push(self, key: str, value: Any) -> None:
        self.xcoms[key] = value


@pytest.fixture
def context() -> dict[str, Any]:
    return {"ti": FakeTI()}


class RecordingClock(ManualClock):
    """The fake's ``ManualClock``, remembering every pause the clients took."""

    def __init__(self) -> None:
        super().__init__()
        self.pauses: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        super().sleep(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        await super().async_sleep(seconds)


@dataclass
class World:
    """A fake Toloka on a loopback port, the ``toloka_test`` connection pointing at it, and one
    clock for the fake and every client the hook builds (so no test waits in real time)."""

    fake: FakeToloka
    clock: RecordingClock
    url: str
    monkeypatch: pytest.MonkeyPatch

    def connect(self, conn_id: str = CONN_ID, **fields: Any) -> None:
        """(Re)define a connection; by default the key and this fake's URL."""
        settings = {"password": API_KEY, "extra": {"base_url": self.url}, **fields}
        name, value = connection_env(conn_id, **settings)
        self.monkeypatch.setenv(name, value)

    def archive_requests(self) -> list[str]:
        return [r.path for r in self.fake.requests if r.method == "POST"]

    def days_ago(self, days: float) -> datetime:
        return self.clock.now() - timedelta(days=days)


@pytest.fixture(scope="session")
def metadata_db() -> None:
    """``airflow db migrate``, in-process, in the session's temporary home, once."""
    from airflow.utils import db

    db.upgradedb()


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    from toloka_archive.airflow.hooks import TolokaHook

    clock = RecordingClock()
    fake = FakeToloka(clock=clock, seed=0, rate_limit=None)
    fake.add_requester("me", api_keys=[API_KEY], oauth_tokens=[OAUTH_TOKEN])
    monkeypatch.setattr(TolokaHook, "client_defaults", {"clock": clock})
    for variable in [name for name in os.environ if name.startswith("TOLOKA_")]:
        monkeypatch.delenv(variable)
    with serve(fake) as server:
        built = World(fake, clock, server.url, monkeypatch)
        built.connect()
        yield built


def airflow_cli(*args: str) -> None:
    """An ``airflow`` command, run in this process as the command line runs it."""
    from airflow.cli import cli_parser

    from tests.airflow.compat import DeprecatedImportWarning

    parsed = cli_parser.get_parser().parse_args(list(args))
    with warnings.catch_warnings():
        # `connections add` reads ProvidersManager.hooks, which Airflow 3.3 itself deprecates.
        warnings.simplefilter("ignore", DeprecatedImportWarning)
        parsed.func(parsed)


@pytest.fixture
def stored_connection(metadata_db: None, world: World) -> Iterator[str]:
    """``toloka_default`` pointing at the world's fake, kept in the metadata database by
    ``airflow connections add`` as a user would (no ``AIRFLOW_CONN_`` variable defines it)."""
    conn_id = "toloka_default"
    world.monkeypatch.delenv(f"AIRFLOW_CONN_{conn_id.upper()}", raising=False)
    extra = json.dumps({"environment": "custom", "base_url": world.url})
    airflow_cli(
        "connections", "add", conn_id, "--conn-type", "toloka_archive",
        "--conn-password", API_KEY, "--conn-extra", extra,
    )  # fmt: skip
    try:
        yield conn_id
    finally:
        airflow_cli("connections", "delete", conn_id)
