"""Where a client points and how it proves who it is.

The rules, in the order they apply:

- base URL: an explicit ``base_url``, else an explicit ``environment``, else ``TOLOKA_BASE_URL``,
  else ``TOLOKA_ENVIRONMENT``, else the sandbox. Production is only ever reached when asked for.
- a base URL must be ``https://``, except on a loopback host (the fake Toloka), so that a key is
  never sent in clear over a network; a host root (``https://toloka.dev``) means its ``/api/v1``.
- credentials: ``api_key`` (sent as ``ApiKey <key>``) or ``oauth_token`` (``OAuth <token>``), else
  ``TOLOKA_API_KEY`` or ``TOLOKA_OAUTH_TOKEN``. Exactly one must be found.
"""

from __future__ import annotations

import enum
import ipaddress
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from toloka_archive._core.errors import ConfigurationError

API_ROOT = "/api/v1"  # what a host root given as a base URL is completed with
ENV_BASE_URL = "TOLOKA_BASE_URL"
ENV_ENVIRONMENT = "TOLOKA_ENVIRONMENT"
ENV_API_KEY = "TOLOKA_API_KEY"
ENV_OAUTH_TOKEN = "TOLOKA_OAUTH_TOKEN"  # noqa: S105 - a variable name, not a secret


class Environment(enum.Enum):
    """Toloka's two public installations. They differ only in URL and in their keys."""

    SANDBOX = "sandbox"
    PRODUCTION = "production"

    @property
    def base_url(self) -> str:
        return _BASE_URLS[self]


_BASE_URLS = {
    Environment.SANDBOX: "https://sandbox.toloka.dev/api/v1",
    Environment.PRODUCTION: "https://toloka.dev/api/v1",
}
_CHOICES = ", ".join(repr(env.value) for env in Environment)


@dataclass(frozen=True)
class Target:
    """Where requests go. ``environment`` is None for a custom base URL (a proxy, the fake)."""

    base_url: str
    environment: Environment | None


def parse_environment(value: Environment | str) -> Environment:
    """Accept an ``Environment`` or its name in any case; anything else names the choices."""
    if isinstance(value, Environment):
        return value
    try:
        return Environment(value.strip().lower())
    except (ValueError, AttributeError):
        raise ConfigurationError(
            f"unknown Toloka environment {value!r}; choose one of {_CHOICES}"
        ) from None


def resolve_target(
    *,
    base_url: str | None,
    environment: Environment | str | None,
    env: Mapping[str, str],
) -> Target:
    """Apply the precedence rules in this module's docstring."""
    if base_url is not None and environment is not None:
        raise ConfigurationError(
            "give either base_url or environment, not both: environment picks one of "
            f"{_CHOICES}, base_url points anywhere else (a proxy, the fake Toloka)"
        )
    if base_url is not None:
        return _target_for_url(base_url)
    if environment is not None:
        chosen = parse_environment(environment)
        return Target(chosen.base_url, chosen)
    if env.get(ENV_BASE_URL):
        return _target_for_url(env[ENV_BASE_URL])
    if env.get(ENV_ENVIRONMENT):
        chosen = parse_environment(env[ENV_ENVIRONMENT])
        return Target(chosen.base_url, chosen)
    return Target(Environment.SANDBOX.base_url, Environment.SANDBOX)


def _target_for_url(url: str) -> Target:
    normalized = validate_base_url(url)
    known = {env.base_url: env for env in Environment}
    return Target(normalized, known.get(normalized))


def validate_base_url(url: str) -> str:
    """The API root a user means, or a ``ConfigurationError`` that says what is wrong.

    Accepted as users write them: the API root (``https://toloka.dev/api/v1``) or the host
    root (``https://toloka.dev``, ``http://127.0.0.1:8765``, the form toloka-kit takes), with or
    without a trailing slash; a host root gets ``/api/v1``. Refused: anything that is not an
    http(s) URL with a host, and plain http except on loopback, which would send a key in clear.
    """
    text = url.strip() if isinstance(url, str) else ""
    try:
        parts = urlsplit(text)
        host, _port = parts.hostname, parts.port  # .port raises on a bad port
    except ValueError as error:
        raise ConfigurationError(
            f"base URL {_shown(url)} is malformed ({error}), e.g. 'https://sandbox.toloka.dev'"
        ) from None
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigurationError(
            f"base URL {_shown(url)} is not an http(s) URL with a host, "
            "e.g. 'https://sandbox.toloka.dev/api/v1'"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigurationError(
            f"base URL {_shown(_without_userinfo(text))} must not carry a query, a fragment or a "
            "user name and password; keys go in TOLOKA_API_KEY"
        )
    if parts.scheme == "http" and not is_loopback(host):
        raise ConfigurationError(
            f"base URL {_shown(url)} is plain http on a non-loopback host, which would send the "
            "key in clear; use https:// (plain http is allowed only on 127.0.0.1, ::1 or localhost)"
        )
    path = parts.path.rstrip("/") or API_ROOT
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _shown(url: object) -> str:
    text = repr(url)
    return text if len(text) <= 120 else text[:119] + "…"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    return (
        url if "@" not in parts.netloc else url.replace(parts.netloc, parts.netloc.split("@")[-1])
    )


class Credentials(httpx.Auth):
    """The ``Authorization`` header, kept out of every ``repr``, ``str`` and log line.

    It is an ``httpx.Auth`` so that the header is added as each request leaves, rather than
    stored in a headers dict that the generated client would print in its own ``repr``.
    """

    def __init__(self, scheme: str, secret: str) -> None:
        self._header = f"{scheme} {secret}"
        self.scheme = scheme

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return f"<Credentials {self.scheme} ***>"

    __str__ = __repr__


def resolve_credentials(
    *, api_key: str | None, oauth_token: str | None, env: Mapping[str, str]
) -> Credentials:
    """Exactly one credential, from the arguments first, then the environment."""
    if api_key is not None and oauth_token is not None:
        raise ConfigurationError("give either api_key or oauth_token, not both")
    if api_key is None and oauth_token is None:
        env_key, env_token = env.get(ENV_API_KEY) or None, env.get(ENV_OAUTH_TOKEN) or None
        if env_key and env_token:
            raise ConfigurationError(
                f"both {ENV_API_KEY} and {ENV_OAUTH_TOKEN} are set; unset one of them"
            )
        api_key, oauth_token = env_key, env_token
    if api_key is not None:
        return Credentials("ApiKey", _checked_secret(api_key, "api_key"))
    if oauth_token is not None:
        return Credentials("OAuth", _checked_secret(oauth_token, "oauth_token"))
    raise ConfigurationError(
        f"no Toloka credentials: pass api_key=... or set {ENV_API_KEY} "
        f"(or the legacy oauth_token=... / {ENV_OAUTH_TOKEN})"
    )


def _checked_secret(value: object, name: str) -> str:
    # The message names the argument, never the value: a malformed key is still a key.
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string")
    if any(ch.isspace() or not ch.isprintable() for ch in value.strip()) or not value.isascii():
        raise ConfigurationError(
            f"{name} holds spaces, control or non-ASCII characters; check how it was copied"
        )
    return value.strip()
