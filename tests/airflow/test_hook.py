"""``TolokaHook``: a connection's fields become the facade's clients, with the facade's rules."""

from __future__ import annotations

import asyncio
import logging

import pytest
from airflow.providers.common.compat.sdk import AirflowNotFoundException
from toloka_archive import ConfigurationError, Environment
from toloka_archive.airflow._settings import settings_from_connection
from toloka_archive.airflow.hooks import TolokaHook, not_found_message

from tests.airflow.compat import AIRFLOW_VERSION, READS_THE_DATABASE_EVERYWHERE
from tests.airflow.conftest import API_KEY, CONN_ID, OAUTH_TOKEN, World


def read(**fields: object) -> object:
    options: dict[str, object] = {"password": API_KEY, "extra": {}}
    options.update(fields)
    return settings_from_connection("toloka_x", **options)  # type: ignore[arg-type]


def test_the_key_is_the_password_and_the_sandbox_is_the_default() -> None:
    settings = read()
    assert settings.client_kwargs() == {  # type: ignore[attr-defined]
        "api_key": API_KEY,
        "environment": None,
        "base_url": None,
        "env": {},
    }
    assert API_KEY not in repr(settings)


def test_oauth_and_prefixed_and_blank_extras() -> None:
    settings = read(
        password=OAUTH_TOKEN,
        extra={"extra__toloka__auth_type": "OAuth", "environment": "", "base_url": None},
    )
    assert settings.client_kwargs() == {  # type: ignore[attr-defined]
        "oauth_token": OAUTH_TOKEN,
        "environment": None,
        "base_url": None,
        "env": {},
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"password": None}, "has no password"),
        ({"password": ""}, "has no password"),
        ({"extra": {"api_key": API_KEY}}, "the extra 'api_key' looks like a credential"),
        ({"extra": {"extra__toloka__secret": API_KEY}}, "'extra__toloka__secret' looks like a"),
        ({"extra": {"enviroment": "production"}}, "unknown extra 'enviroment'"),
        ({"extra": {"auth_type": "basic"}}, "'auth_type' must be 'api_key' or 'oauth'"),
        ({"extra": {"base_url": 8765}}, "extra 'base_url' must be a string"),
        ({"host": "127.0.0.1"}, "leave host and port empty"),
    ],
)
def test_what_a_connection_cannot_hold(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as caught:
        read(**fields)
    assert "toloka_x" in str(caught.value)
    assert API_KEY not in str(caught.value)


def test_the_facades_rules_apply_environment_and_base_url(world: World) -> None:
    world.connect(extra={"environment": "Production"})
    client = TolokaHook(CONN_ID).get_client()
    assert client.environment is Environment.PRODUCTION  # built, never used: no request sent
    world.connect(extra={"base_url": world.url.removesuffix("/api/v1")})  # a host root
    assert TolokaHook(CONN_ID).get_client().base_url == world.url


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        # The facade's own messages, with the connection's name in front.
        ({"environment": "staging"}, "unknown Toloka environment 'staging'"),
        ({"environment": "sandbox", "base_url": "https://proxy.invalid"}, "choose .*'custom'"),
        ({"environment": "custom"}, "environment 'custom' needs the extra 'base_url'"),
        ({"base_url": "http://10.1.2.3:8080/api/v1"}, "plain http on a non-loopback host"),
        ({"base_url": "ftp://files.invalid"}, r"is not an http\(s\) URL"),
    ],
)
def test_bad_settings_fail_with_the_facades_message(
    world: World, extra: dict[str, str], message: str
) -> None:
    world.connect(extra=extra)
    with pytest.raises(ConfigurationError, match=message) as caught:
        TolokaHook(CONN_ID).get_client()
    assert str(caught.value).startswith(f"Toloka connection {CONN_ID!r}: ")


def test_custom_is_the_base_url(world: World) -> None:
    # What the form saves: an environment chosen from the list, and the base URL for "custom".
    world.connect(extra={"environment": "custom", "base_url": world.url, "auth_type": "api_key"})
    client = TolokaHook(CONN_ID).get_client()
    assert (client.base_url, client.environment) == (world.url, None)
    world.connect(extra={"environment": "production", "base_url": None})  # a blank field
    assert TolokaHook(CONN_ID).get_client().environment is Environment.PRODUCTION


@pytest.mark.skipif(AIRFLOW_VERSION < (3, 1), reason=READS_THE_DATABASE_EVERYWHERE)
def test_outside_a_task_a_stored_connection_is_not_found_and_it_says_what_to_do(
    stored_connection: str,
) -> None:
    # Airflow 3 reads the metadata database for tasks and triggers only: a script gets an
    # error that says so, and what to do instead.
    with pytest.raises(AirflowNotFoundException) as missing:
        TolokaHook(stored_connection).get_client()
    message = str(missing.value)
    assert "outside a running task or trigger" in message
    assert 'AIRFLOW_CONN_TOLOKA_DEFAULT=\'{"conn_type": "toloka_archive"' in message
    assert API_KEY not in message


def test_a_missing_connection_in_a_task_says_where_airflow_looked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from airflow.sdk.execution_time import task_runner

    monkeypatch.setattr(task_runner, "SUPERVISOR_COMMS", object(), raising=False)
    message = not_found_message("toloka_nightly")
    assert "is not defined: Airflow looked in the variable AIRFLOW_CONN_TOLOKA_NIGHTLY" in message
    assert "`airflow connections add toloka_nightly --conn-type toloka_archive " in message
    assert "for `airflow dags test`, AIRFLOW_CONN_TOLOKA_NIGHTLY=" in message


def test_the_workers_toloka_variables_play_no_part(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOLOKA_ENVIRONMENT", "production")
    monkeypatch.setenv("TOLOKA_API_KEY", "another-key")
    world.connect(extra={})
    client = TolokaHook(CONN_ID).get_client()
    assert client.environment is Environment.SANDBOX
    world.connect(extra={"base_url": world.url})
    assert TolokaHook(CONN_ID).test_connection()[0]  # the connection's key, not the variable's


def test_test_connection_with_api_key_and_oauth(world: World) -> None:
    assert TolokaHook(CONN_ID).test_connection() == (True, f"Toloka answered ({world.url})")
    world.connect(password=OAUTH_TOKEN, extra={"base_url": world.url, "auth_type": "oauth"})
    assert TolokaHook(CONN_ID).test_connection()[0]
    world.connect(password=OAUTH_TOKEN, extra={"base_url": world.url})  # sent as ApiKey: refused
    works, message = TolokaHook(CONN_ID).test_connection()
    assert not works
    assert message.startswith("AuthenticationError")
    assert OAUTH_TOKEN not in message


def test_the_key_is_never_logged(
    world: World, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)  # the facade's and httpx's loggers
    hook = TolokaHook(CONN_ID)
    assert hook.test_connection()[0]
    world.connect(password="wrong-key-0123456789", extra={"base_url": world.url})
    assert not hook.test_connection()[0]
    output = capfd.readouterr()  # Airflow's own loggers write there
    for text in (caplog.text, output.out, output.err, repr(hook.get_client())):
        assert API_KEY not in text
        assert "wrong-key-0123456789" not in text
    assert "GET /operations" in caplog.text  # the log was on


def test_the_async_client_reads_the_connection_without_blocking(world: World) -> None:
    async def check() -> None:
        client = await TolokaHook(CONN_ID).aget_async_client()
        async with client:
            assert client.base_url == world.url
            assert (await client.check_archivable("1")).verdict.value  # it talks to the fake

    world.fake.add_pool("1", status="CLOSED")
    asyncio.run(check())
