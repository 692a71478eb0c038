"""Where a client points, and that its key goes nowhere else."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from toloka_archive import ConfigurationError, Environment, TolokaClient

from tests.facade.scripted import API_KEY, BASE_URL, FakeClock, Script, started, sync_client

SANDBOX = "https://sandbox.toloka.dev/api/v1"
PRODUCTION = "https://toloka.dev/api/v1"


def make(env: dict[str, str] | None = None, **options: object) -> TolokaClient:
    options.setdefault("api_key", API_KEY)
    return TolokaClient(env=env or {}, **options)  # type: ignore[arg-type]


def test_sandbox_is_the_default() -> None:
    client = make()
    assert (client.environment, client.base_url) == (Environment.SANDBOX, SANDBOX)


@pytest.mark.parametrize(
    ("options", "env", "expected"),
    [
        ({"environment": "production"}, {}, PRODUCTION),
        ({"environment": Environment.PRODUCTION}, {}, PRODUCTION),
        ({"environment": " Sandbox "}, {}, SANDBOX),
        ({"base_url": "https://proxy.example/api/v1/"}, {}, "https://proxy.example/api/v1"),
        # explicit arguments beat the environment variables
        ({"environment": "sandbox"}, {"TOLOKA_BASE_URL": "https://x.example/api/v1"}, SANDBOX),
        ({"base_url": SANDBOX}, {"TOLOKA_ENVIRONMENT": "production"}, SANDBOX),
        # TOLOKA_BASE_URL beats TOLOKA_ENVIRONMENT
        (
            {},
            {"TOLOKA_BASE_URL": "http://127.0.0.1:8765/api/v1", "TOLOKA_ENVIRONMENT": "production"},
            "http://127.0.0.1:8765/api/v1",
        ),
        ({}, {"TOLOKA_ENVIRONMENT": "production"}, PRODUCTION),
    ],
)
def test_precedence(options: dict[str, object], env: dict[str, str], expected: str) -> None:
    assert make(env, **options).base_url == expected


def test_a_known_url_reports_its_environment_and_a_custom_one_none() -> None:
    assert make(base_url=PRODUCTION).environment is Environment.PRODUCTION
    assert make(base_url="http://127.0.0.1:1/api/v1").environment is None


def test_both_base_url_and_environment_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="either base_url or environment"):
        make(base_url=SANDBOX, environment="sandbox")


@pytest.mark.parametrize(
    ("env", "options"), [({}, {"environment": "prod"}), ({"TOLOKA_ENVIRONMENT": "staging"}, {})]
)
def test_unknown_environment_names_the_choices(
    env: dict[str, str], options: dict[str, str]
) -> None:
    with pytest.raises(ConfigurationError, match="'sandbox', 'production'"):
        make(env, **options)


@pytest.mark.parametrize(
    "url",
    [
        "http://sandbox.toloka.dev/api/v1",  # a key in clear over the network
        "http://10.0.0.1/api/v1",
        "ftp://127.0.0.1/api",
        "sandbox.toloka.dev/api/v1",
        "https:///api/v1",
        "https://sandbox.toloka.dev/api/v1?x=1",
        "https://user:pw@sandbox.toloka.dev/api/v1",
    ],
)
def test_unsafe_or_malformed_base_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        make(base_url=url)
    assert "pw" not in str(caught.value)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8765/api/v1", "http://[::1]:8765/api/v1", "http://localhost/api/v1"]
)
def test_plain_http_is_allowed_on_loopback(url: str) -> None:
    assert make(base_url=url).base_url == url


def test_api_key_is_sent_as_apikey_header() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(204)

    TolokaClient(
        api_key=API_KEY, base_url=BASE_URL, env={}, transport=httpx.MockTransport(handler)
    ).start_archive_pool(1)
    TolokaClient(
        oauth_token="tok-123", base_url=BASE_URL, env={}, transport=httpx.MockTransport(handler)
    ).start_archive_pool(1)
    assert seen == [f"ApiKey {API_KEY}", "OAuth tok-123"]


@pytest.mark.parametrize(
    ("env", "scheme"),
    [({"TOLOKA_API_KEY": "k-from-env"}, "ApiKey"), ({"TOLOKA_OAUTH_TOKEN": "t-from-env"}, "OAuth")],
)
def test_credentials_from_the_environment(env: dict[str, str], scheme: str) -> None:
    client = TolokaClient(env=env)
    assert f"auth={scheme}" in repr(client)


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        ({}, {}, "TOLOKA_API_KEY"),
        ({"api_key": "a", "oauth_token": "b"}, {}, "not both"),
        ({}, {"TOLOKA_API_KEY": "a", "TOLOKA_OAUTH_TOKEN": "b"}, "unset one"),
        ({"api_key": ""}, {}, "non-empty"),
        ({"api_key": "has space"}, {}, "spaces"),
    ],
)
def test_missing_or_ambiguous_credentials(
    options: dict[str, str], env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        TolokaClient(env=env, **options)  # type: ignore[arg-type]


def test_the_key_appears_in_no_repr_str_or_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    clock = FakeClock()
    script = Script([started("SUCCESS")])
    client = sync_client(script, clock)
    operation = client.start_archive_pool("21")
    texts = [repr(client), str(client), repr(client.raw), repr(operation), caplog.text]
    texts.append(repr(client.raw.get_httpx_client().auth))
    for text in texts:
        assert API_KEY not in text
    assert "ApiKey ***" in repr(client)


def test_repr_says_what_the_properties_say() -> None:
    custom = TolokaClient(api_key=API_KEY, base_url=BASE_URL, env={})
    assert custom.environment is None
    assert repr(custom).startswith(f"TolokaClient(environment=None, base_url={BASE_URL!r}")
    sandbox = TolokaClient(api_key=API_KEY, env={})
    assert repr(sandbox).startswith("TolokaClient(environment='sandbox', ")


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("https://toloka.dev", "https://toloka.dev/api/v1"),
        ("https://toloka.dev/", "https://toloka.dev/api/v1"),
        ("https://toloka.dev/api/v1/", "https://toloka.dev/api/v1"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765/api/v1"),
        ("http://[::1]:8765/", "http://[::1]:8765/api/v1"),
        ("https://proxy.example/toloka/api/v1", "https://proxy.example/toloka/api/v1"),
    ],
)
def test_base_urls_as_users_write_them(given: str, used: str) -> None:
    assert TolokaClient(api_key=API_KEY, base_url=given, env={}).base_url == used


def test_the_host_root_of_production_is_production() -> None:
    client = TolokaClient(api_key=API_KEY, base_url="https://toloka.dev", env={})
    assert client.environment is Environment.PRODUCTION


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("http://[::1", "malformed"),
        ("http://127.0.0.1:99999", "malformed"),
        ("toloka.dev", "not an http(s) URL with a host"),
        ("", "not an http(s) URL with a host"),
    ],
)
def test_malformed_base_urls_are_configuration_errors(given: str, says: str) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(says)):
        TolokaClient(api_key=API_KEY, base_url=given, env={})
