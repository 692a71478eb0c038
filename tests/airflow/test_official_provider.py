"""Living beside Toloka's official provider (airflow-provider-toloka): its connections are read
as it reads them, our form has a type of its own, and ``toloka_default`` archives whatever its
type. The real package installed beside ours is checked by ``make airflow-peers``
(``scripts/airflow_peers.py``), in a venv of its own."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from toloka_archive import ConfigurationError, TolokaClient
from toloka_archive.airflow import get_provider_info
from toloka_archive.airflow._settings import (
    ClientSettings,
    looks_like_api_key,
    settings_from_connection,
)
from toloka_archive.airflow.hooks import TolokaHook

from tests.airflow.conftest import API_KEY, OAUTH_TOKEN, World, airflow_cli
from tests.airflow.test_dag_run import dag_files, dag_from_folder, reports_of  # noqa: F401

# Airflow's in-process API server imports starlette's test client, which warns about httpx.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Using `httpx` with `starlette.testclient` is deprecated"
)

# A token of a Toloka API key's shape (two dots, the first at index 22): toloka-kit sends it as
# ApiKey. It opens only the fakes built here.
SHAPED_KEY = "FakeTolokaApiKeyShape1.fake.not-a-secret"


def read(conn_type: str | None = "toloka", password: str | None = None, **extra: Any) -> Any:
    return settings_from_connection(
        "toloka_default", password=password, extra=extra, conn_type=conn_type
    )


def kwargs_of(settings: ClientSettings) -> dict[str, Any]:
    return settings.client_kwargs()


# -- its connections, as it reads them --------------------------------------------------------


def test_its_form_the_token_extra_sent_as_oauth_by_toloka_kits_rule() -> None:
    # What airflow-provider-toloka 0.0.8's form saves (a blank URL field included).
    settings = read(
        extra__toloka__token=OAUTH_TOKEN,
        extra__toloka__environment="PRODUCTION",
        extra__toloka__url="",
    )
    assert kwargs_of(settings) == {
        "oauth_token": OAUTH_TOKEN,
        "environment": "PRODUCTION",
        "base_url": None,
        "env": {},
    }
    said = settings.described
    assert "airflow-provider-toloka's form" in said
    assert "the key from the extra 'extra__toloka__token', sent as OAuth" in said
    assert "toloka-kit's rule: it is not shaped like an API key" in said
    assert "environment PRODUCTION" in said
    assert OAUTH_TOKEN not in said
    assert OAUTH_TOKEN not in repr(settings)


def test_a_token_shaped_like_an_api_key_is_sent_as_apikey() -> None:
    settings = read(extra__toloka__token=SHAPED_KEY, extra__toloka__environment="sandbox")
    assert kwargs_of(settings)["api_key"] == SHAPED_KEY
    assert "sent as ApiKey (toloka-kit's rule: it is shaped like an API key)" in settings.described


@pytest.mark.parametrize(
    ("token", "api_key"),
    [
        (SHAPED_KEY, True),
        ("a" * 22 + ".b.c", True),
        ("a" * 24 + ".b.c", True),
        ("a" * 21 + ".b.c", False),  # first dot too early
        ("a" * 25 + ".b.c", False),  # too late
        ("a" * 22 + ".b.c.d", False),  # three dots
        ("a" * 22 + ".b", False),  # one
        ("y0_AgAAAAAfakeOAuthToken", False),  # an OAuth token
    ],
)
def test_the_rule_is_toloka_kits(token: str, api_key: bool) -> None:
    # toloka-kit 1.2's TolokaClient.__is_apikey: count('.') == 2 and 21 < find('.') < 25.
    assert looks_like_api_key(token) is api_key


def test_the_auth_type_extra_overrides_the_rule() -> None:
    settings = read(extra__toloka__token=OAUTH_TOKEN, env="sandbox", auth_type="api_key")
    assert kwargs_of(settings)["api_key"] == OAUTH_TOKEN
    assert "sent as ApiKey (the extra auth_type 'api_key')" in settings.described


def test_its_url_is_toloka_kits_root_under_which_api_v1_lives() -> None:
    def base_url(url: str) -> object:
        return kwargs_of(read(extra__toloka__token=OAUTH_TOKEN, extra__toloka__url=url))["base_url"]

    assert base_url("http://127.0.0.1:8765") == "http://127.0.0.1:8765/api/v1"
    assert base_url("https://proxy.example/toloka/") == "https://proxy.example/toloka/api/v1"
    assert base_url("https://toloka.dev/api/v1") == "https://toloka.dev/api/v1"  # as it is
    settings = read(token=OAUTH_TOKEN, url="https://proxy.example")  # names without the prefix
    assert settings.base_url == "https://proxy.example/api/v1"
    assert "base URL https://proxy.example/api/v1 (the extra 'url')" in settings.described


def test_its_old_form_the_token_in_the_password() -> None:
    # Up to 0.0.5: type toloka, the token in the password, the extra env (or nothing).
    settings = read(password=OAUTH_TOKEN, env="SANDBOX")
    assert kwargs_of(settings)["oauth_token"] == OAUTH_TOKEN
    assert settings.environment == "SANDBOX"
    bare = read(password=OAUTH_TOKEN)
    assert kwargs_of(bare)["oauth_token"] == OAUTH_TOKEN
    assert (bare.environment, bare.base_url) == (None, None)  # the sandbox, the facade's default
    assert "the sandbox: no environment or URL given" in bare.described
    assert "up to 0.0.7 took production here" in bare.described
    assert "the key from the password" in bare.described


def test_the_token_extra_wins_over_a_password_left_behind() -> None:
    settings = read(password="old-token", extra__toloka__token=OAUTH_TOKEN, env="sandbox")
    assert kwargs_of(settings)["oauth_token"] == OAUTH_TOKEN
    assert "the password is not read" in settings.described
    assert "old-token" not in settings.described


def test_its_extras_make_it_its_form_whatever_the_type() -> None:
    # `airflow connections add --conn-type toloka` without that provider stores type "generic".
    for conn_type in ("toloka", "generic", "toloka_archive", None):
        settings = read(conn_type, extra__toloka__token=OAUTH_TOKEN, env="sandbox")
        assert kwargs_of(settings)["oauth_token"] == OAUTH_TOKEN


def test_ours_is_unchanged_whatever_its_type() -> None:
    # Our form (0.2's connections have type toloka, new ones toloka_archive): ApiKey unless told.
    for conn_type in ("toloka_archive", "toloka", None):
        settings = read(conn_type, password=OAUTH_TOKEN, environment="production")
        assert kwargs_of(settings)["api_key"] == OAUTH_TOKEN
        assert "toloka-archive's form" in settings.described
    assert kwargs_of(read("toloka_archive", password=OAUTH_TOKEN))["api_key"] == OAUTH_TOKEN


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {
                "extra__toloka__token": OAUTH_TOKEN,
                "extra__toloka__environment": "PRODUCTION",
                "extra__toloka__url": "https://proxy.example",
            },
            r"environment 'PRODUCTION' and a URL \(the extra 'extra__toloka__url'\)",
        ),
        (
            {"extra__toloka__token": OAUTH_TOKEN, "env": "sandbox", "environment": "production"},
            "the extras 'env' and 'environment' say different things",
        ),
        (
            {"extra__toloka__token": OAUTH_TOKEN, "token": API_KEY, "env": "sandbox"},
            "the extras 'extra__toloka__token' and 'token' say different things",
        ),
        (
            {"extra__toloka__environment": "SANDBOX"},
            "or the token in the extra 'extra__toloka__token'",
        ),
        ({"extra__toloka__token": OAUTH_TOKEN, "env": "staging"}, "unknown Toloka environment"),
        (
            {"extra__toloka__token": OAUTH_TOKEN, "extra__toloka__tokn": "x"},
            "unknown extra 'extra__toloka__tokn'",
        ),
    ],
)
def test_what_its_form_cannot_hold(fields: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as caught:
        TolokaClient(**read(**fields).client_kwargs())  # the facade's own checks come last
    assert OAUTH_TOKEN not in str(caught.value)
    assert API_KEY not in str(caught.value)


# -- through the hook, against the fake --------------------------------------------------------


def official(world: World, conn_id: str = "toloka_default", **extra: str) -> None:
    """A connection as airflow-provider-toloka writes it, pointing at the world's fake."""
    root = world.url.removesuffix("/api/v1")  # toloka-kit's URL: the host root
    world.connect(
        conn_id, conn_type="toloka", password=None, extra={"extra__toloka__url": root, **extra}
    )


def test_its_connection_tests_and_the_log_says_how_without_the_key(
    world: World, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)  # the facade's and httpx's loggers
    official(world, extra__toloka__token=OAUTH_TOKEN)
    assert TolokaHook("toloka_default").test_connection() == (
        True,
        f"Toloka answered ({world.url})",
    )
    said = capfd.readouterr().out  # Airflow's loggers write there
    assert "Toloka connection 'toloka_default' (airflow-provider-toloka's form)" in said
    assert "the key from the extra 'extra__toloka__token', sent as OAuth (toloka-kit's rule" in said
    for text in (said, caplog.text):
        assert OAUTH_TOKEN not in text
    # The same token sent as ApiKey is refused, as Toloka refuses it: the scheme mattered.
    official(world, extra__toloka__token=OAUTH_TOKEN, auth_type="api_key")
    works, message = TolokaHook("toloka_default").test_connection()
    assert (works, message.split(":")[0]) == (False, "AuthenticationError")


def test_a_key_of_its_shape_goes_as_apikey(world: World) -> None:
    world.fake.add_requester("shaped", api_keys=[SHAPED_KEY])
    official(world, extra__toloka__token=SHAPED_KEY)
    assert TolokaHook("toloka_default").test_connection()[0]


def test_the_async_client_reads_it_too(world: World) -> None:
    import asyncio

    official(world, token=OAUTH_TOKEN)

    async def check() -> None:
        async with await TolokaHook("toloka_default").aget_async_client() as client:
            assert client.base_url == world.url
            assert (await client.check_archivable("1")).verdict.value

    world.fake.add_pool("1", status="CLOSED")
    asyncio.run(check())


# -- the type: ours, and the official one left to its provider ---------------------------------


def test_our_type_is_our_own_and_toloka_is_left_to_its_provider() -> None:
    [connection_type] = get_provider_info()["connection-types"]
    assert connection_type["connection-type"] == "toloka_archive"
    assert connection_type["hook-name"] == "Toloka (toloka-archive)"
    assert TolokaHook.conn_type == "toloka_archive"
    assert TolokaHook.default_conn_name == "toloka_default"  # the one a Toloka user has


def test_the_uri_form_of_our_type(world: World) -> None:
    # Secrets backends keep URIs; a scheme cannot hold "_", and Airflow reads "-" as "_".
    from urllib.parse import quote

    uri = f"toloka-archive://:{quote(API_KEY)}@/?base_url={quote(world.url, safe='')}"
    world.monkeypatch.setenv("AIRFLOW_CONN_TOLOKA_URI", uri)
    hook = TolokaHook("toloka_uri")
    assert hook.get_connection("toloka_uri").conn_type == "toloka_archive"
    assert hook.test_connection()[0]


# -- a whole DAG run with toloka_default in its form ---------------------------------------------


@pytest.fixture
def its_stored_connection(metadata_db: None, world: World) -> Iterator[str]:
    """``toloka_default`` as airflow-provider-toloka 0.0.8 writes it (type toloka, the token and
    the URL in its extras), added to the metadata database by ``airflow connections add``.

    ``--conn-json``: without that provider installed (as here) Airflow knows no type "toloka",
    and ``--conn-type toloka`` would store the connection as "generic" (read all the same)."""
    conn_id = "toloka_default"
    world.monkeypatch.delenv(f"AIRFLOW_CONN_{conn_id.upper()}", raising=False)
    extra = {
        "extra__toloka__token": OAUTH_TOKEN,
        "extra__toloka__url": world.url.removesuffix("/api/v1"),
    }
    connection = json.dumps({"conn_type": "toloka", "extra": extra})
    airflow_cli("connections", "add", conn_id, "--conn-json", connection)
    from airflow.models.connection import Connection
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        stored = session.scalar(select(Connection.conn_type).where(Connection.conn_id == conn_id))
    assert stored == "toloka"
    try:
        yield conn_id
    finally:
        airflow_cli("connections", "delete", conn_id)


@pytest.mark.usefixtures("dag_files", "its_stored_connection")
def test_the_nightly_clean_up_with_its_toloka_default(world: World) -> None:
    fake = world.fake
    fake.add_project("7")
    fake.add_pool("21", project_id="7", created=world.days_ago(90), archive_seconds=5.0)

    run = dag_from_folder("toloka_nightly_cleanup").test(run_conf={"project_id": "7"})

    assert run.state == "success"
    [operation] = fake.operations("21")
    assert [
        (r["pool_id"], r["outcome"], r["operation_id"])
        for r in reports_of(run, "archive_idle_pools")
    ] == [("21", "archived", operation.id)]
    assert fake.pool("21").status == "ARCHIVED"
