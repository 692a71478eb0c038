"""A Toloka connection's fields, read into the facade's client settings. No Airflow here.

Two forms are read, whatever the connection's type:

**Ours** (type ``toloka_archive``, the form this provider registers):

- the key is the connection's **password**, sent as ``ApiKey <key>``; with the extra
  ``auth_type: oauth`` it is a legacy OAuth token, sent as ``OAuth <token>``;
- where: the extra ``environment``: ``sandbox`` (the default), ``production``, or ``custom``
  with the extra ``base_url`` (any API root, https only except on loopback: a proxy, the fake
  Toloka). A ``base_url`` alone means ``custom``; a ``base_url`` with ``sandbox`` or
  ``production`` is an error, and so is ``custom`` without one.

**airflow-provider-toloka's** (Toloka's official provider, type ``toloka``), read as it reads
it, so that the ``toloka_default`` a Toloka user already has works unchanged:

- the token from the extra ``extra__toloka__token`` (or ``token``; Airflow masks extras named
  so), or, up to its 0.0.5, from the password;
- the extra ``extra__toloka__environment`` (``SANDBOX``/``PRODUCTION``, any case; up to 0.0.5
  ``env``) or ``extra__toloka__url``, toloka-kit's URL: the root under which ``/api/v1`` lives
  (a host root, as toloka-kit takes it);
- the scheme chosen as toloka-kit (1.2 and later) chooses it: ``ApiKey`` for a token shaped like
  an API key (two dots, the first at index 22 to 24), ``OAuth`` for anything else, unless the
  extra ``auth_type`` says which.

It is that form when it has one of those extras, or when its type is ``toloka`` and it has none
of ours (0.0.5's form: the token in the password, nothing else). Either way: with no
environment and no URL it is the sandbox (production is only reached when a connection asks for
it; airflow-provider-toloka 0.0.8 refuses such a connection, and up to 0.0.7 took production),
and ``described`` says, without the secret, where the key came from, how it is sent and why.
Other extras that look like a credential (``api_key``, ``password``, ...) are refused, and so is
any unknown extra, so that a misspelt ``enviroment`` cannot quietly send a run to the sandbox.

The worker's ``TOLOKA_*`` variables are not read: the connection alone says where the hook
points, so the worker that starts the archives and the triggerer that follows them agree.

The checks themselves (environment names, base URL, https, the key's characters) are the
facade's (``_environment``), run when a client is built from these settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from toloka_archive._core.environment import API_ROOT
from toloka_archive._core.errors import ConfigurationError

# Our own connection type. Not "toloka": airflow-provider-toloka (Toloka's official provider)
# registers that one, Airflow keeps one form, hook and Test button per type, and with both
# providers installed the first registered wins ("connection_type 'toloka' has been already
# registered") and the other's form is lost. A type of our own keeps both forms working; the hook
# still reads a "toloka" connection (its form, or ours from 0.2), whatever its type.
CONN_TYPE = "toloka_archive"
OFFICIAL_CONN_TYPE = "toloka"
OFFICIAL_PROVIDER = "airflow-provider-toloka"
# How the connection form's list of types names ours ("Toloka" is the official provider's).
HOOK_NAME = "Toloka (toloka-archive)"
# The id a Toloka user already has (airflow-provider-toloka's default too), whatever its type.
DEFAULT_CONN_ID = "toloka_default"

AUTH_API_KEY = "api_key"
AUTH_OAUTH = "oauth"
AUTH_TYPES = (AUTH_API_KEY, AUTH_OAUTH)

SANDBOX = "sandbox"
PRODUCTION = "production"
CUSTOM = "custom"  # the extra base_url says where
ENVIRONMENTS = (SANDBOX, PRODUCTION, CUSTOM)

EXTRA_FIELDS = ("environment", "base_url", "auth_type")
# airflow-provider-toloka's extras, by the name left when the prefix is taken off: its token,
# its URL, and (up to 0.0.5) ``env``; its ``extra__toloka__environment`` is our ``environment``.
OFFICIAL_FIELDS = ("token", "url", "env")
TOKEN_EXTRA = "extra__toloka__token"  # noqa: S105 - the name of an extra, not a secret
# Any of these keys makes it that provider's form.
_OFFICIAL_KEYS = frozenset(
    {TOKEN_EXTRA, "extra__toloka__environment", "extra__toloka__url", *OFFICIAL_FIELDS}
)
# Other extras that look like a credential: refused, whatever their value (never shown).
_SECRET_NAMES = frozenset(
    {"api_key", "apikey", "key", "oauth_token", "oauth", "password", "secret"}
)
# How Airflow 2-era forms stored a custom field (airflow-provider-toloka's still do).
_PREFIXES = (f"extra__{OFFICIAL_CONN_TYPE}__", f"extra__{CONN_TYPE}__")


@dataclass(frozen=True)
class ClientSettings:
    """What a client needs from a connection; the secret never shows in a ``repr``."""

    conn_id: str
    secret: str
    auth_type: str
    environment: str | None
    base_url: str | None
    # Where the key came from, how it is sent and why, and where it points: for the task's
    # log. Never the secret.
    described: str = field(default="", compare=False)

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``TolokaClient`` / ``AsyncTolokaClient``.

        ``env={}``: the process's ``TOLOKA_*`` variables play no part (see the module's doc).
        """
        credential = "oauth_token" if self.auth_type == AUTH_OAUTH else "api_key"
        return {
            credential: self.secret,
            "environment": self.environment,
            "base_url": self.base_url,
            "env": {},
        }

    def __repr__(self) -> str:
        return (
            f"ClientSettings(conn_id={self.conn_id!r}, auth_type={self.auth_type!r}, "
            f"environment={self.environment!r}, base_url={self.base_url!r}, secret=***)"
        )


def settings_from_connection(
    conn_id: str,
    *,
    password: str | None,
    extra: Mapping[str, Any] | None,
    host: str | None = None,
    port: int | None = None,
    conn_type: str | None = None,
) -> ClientSettings:
    """Read a connection's fields; a ``ConfigurationError`` names the connection and the field.

    Ours or airflow-provider-toloka's (see the module's doc); ``conn_type`` tells 0.0.5's form
    (a ``toloka`` connection with only a password) from ours. Empty values (what a form leaves
    in a blank field) count as absent. Unknown extras are refused, so that a misspelt
    ``enviroment`` cannot quietly send a run to the sandbox.
    """
    where = f"Toloka connection {conn_id!r}"
    if host or port:
        raise ConfigurationError(
            f"{where}: leave host and port empty; put the API root in the extra 'base_url' "
            "(or choose the extra 'environment': sandbox or production)"
        )
    extras = _extras(where, extra or {})
    official = _in_official_form(extra or {}, conn_type)
    token = extras.values.get("token")
    secret = token or password
    if not secret:
        raise ConfigurationError(
            f"{where} has no password: put the Toloka API key (or, with the extra "
            f"auth_type={AUTH_OAUTH!r}, the legacy OAuth token) in the password field"
            + (f", or the token in the extra {TOKEN_EXTRA!r}" if official else "")
        )
    auth_type, why = _scheme(where, extras.values.get("auth_type"), secret, official=official)
    url_key = extras.keys.get("base_url", "base_url")
    environment, base_url = _where(
        where, extras.values.get("environment"), extras.values.get("base_url"), url_key
    )
    source = f"the extra {extras.keys['token']!r}" if token else "the password"
    if token and password:
        source += f" (the password is not read: {OFFICIAL_PROVIDER} reads only the token)"
    form = f"{OFFICIAL_PROVIDER}'s form" if official else "toloka-archive's form"
    if base_url is not None:
        pointed = f"base URL {base_url} (the extra {url_key!r})"
    elif environment is not None:
        pointed = f"environment {environment}"
    else:
        pointed = "the sandbox: no environment or URL given, and production is never the default"
        if official:
            pointed += (
                f" ({OFFICIAL_PROVIDER} up to 0.0.7 took production here: for production, add "
                "the extra extra__toloka__environment PRODUCTION)"
            )
    scheme = "OAuth" if auth_type == AUTH_OAUTH else "ApiKey"
    return ClientSettings(
        conn_id=conn_id,
        secret=secret,
        auth_type=auth_type,
        environment=environment,
        base_url=base_url,
        described=f"{where} ({form}): the key from {source}, sent as {scheme} ({why}); {pointed}",
    )


def looks_like_api_key(secret: str) -> bool:
    """toloka-kit's rule (``TolokaClient.__is_apikey``, 1.2 and later) for its single ``token``:
    an API key has exactly two dots, the first at index 22 to 24; anything else is an OAuth
    token."""
    return secret.count(".") == 2 and 21 < secret.find(".") < 25


def _scheme(where: str, given: str | None, secret: str, *, official: bool) -> tuple[str, str]:
    """The scheme (``api_key``/``oauth``) and, in words, why: the extra ``auth_type`` when it
    is set; else ours sends ``ApiKey`` and airflow-provider-toloka's form what toloka-kit would."""
    if given is not None:
        auth_type = given.strip().lower()
        if auth_type not in AUTH_TYPES:
            choices = " or ".join(repr(name) for name in AUTH_TYPES)
            raise ConfigurationError(f"{where}: extra 'auth_type' must be {choices}")
        return auth_type, f"the extra auth_type {auth_type!r}"
    if not official:
        return AUTH_API_KEY, "the default; the extra auth_type 'oauth' sends a legacy OAuth token"
    if looks_like_api_key(secret):
        return AUTH_API_KEY, "toloka-kit's rule: it is shaped like an API key"
    return AUTH_OAUTH, (
        "toloka-kit's rule: it is not shaped like an API key; the extra auth_type 'api_key' "
        "says otherwise"
    )


def _in_official_form(extra: Mapping[str, Any], conn_type: str | None) -> bool:
    """airflow-provider-toloka's form: one of its extras, or (its 0.0.5) a connection of its
    type with none of ours."""
    keys = {str(key) for key in extra}
    if keys & _OFFICIAL_KEYS:
        return True
    ours = {_unprefixed(key) for key in keys} & set(EXTRA_FIELDS)
    return conn_type == OFFICIAL_CONN_TYPE and not ours


def _where(
    where: str, environment: str | None, base_url: str | None, url_key: str = "base_url"
) -> tuple[str | None, str | None]:
    """``environment`` and ``base_url`` as the facade takes them: ``custom`` is "the base URL".

    Any other name goes to the facade as it is, so that its own check and message apply."""
    if environment is None:
        return None, base_url
    if environment.strip().lower() != CUSTOM:
        if base_url is not None and environment.strip().lower() in (SANDBOX, PRODUCTION):
            raise ConfigurationError(
                f"{where}: environment {environment!r} and a URL (the extra {url_key!r}): choose "
                f"environment {CUSTOM!r} to use the URL, or clear the URL"
            )
        return environment, base_url
    if base_url is None:
        raise ConfigurationError(
            f"{where}: environment {CUSTOM!r} needs the extra 'base_url' (the API root, e.g. "
            "https://toloka.example.com/api/v1); or choose 'sandbox' or 'production'"
        )
    return None, base_url


@dataclass
class _Extras:
    """The known extras that are set: ``values`` by our name, and ``keys``, the key each came
    from (for messages)."""

    values: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)


# airflow-provider-toloka's names for our fields.
_ALIASES = {"env": "environment", "url": "base_url"}


def _extras(where: str, extra: Mapping[str, Any]) -> _Extras:
    """The known extras that are set, as strings; anything else is refused by name. Two keys
    for one field (``env`` and ``environment``, ``token`` and ``extra__toloka__token``) must
    agree."""
    found = _Extras()
    known = ", ".join(
        [*EXTRA_FIELDS, *(f"{name} ({OFFICIAL_PROVIDER})" for name in OFFICIAL_FIELDS)]
    )
    for raw_name, value in extra.items():
        key = str(raw_name)
        name = _unprefixed(key)
        if name.lower() in _SECRET_NAMES:
            raise ConfigurationError(
                f"{where}: the extra {key!r} looks like a credential and is not read; the key goes "
                f"in the password field (or, as {OFFICIAL_PROVIDER} keeps it, in the extra "
                f"{TOKEN_EXTRA!r})"
            )
        if name not in EXTRA_FIELDS and name not in OFFICIAL_FIELDS:
            raise ConfigurationError(f"{where}: unknown extra {key!r}; the extras are {known}")
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise ConfigurationError(f"{where}: extra {key!r} must be a string")
        ours = _ALIASES.get(name, name)
        if name == "url":
            value = _api_root_of(value)
        if ours in found.values and found.values[ours] != value:
            raise ConfigurationError(
                f"{where}: the extras {found.keys[ours]!r} and {key!r} say different things; "
                "keep one"
            )
        found.values[ours] = value
        found.keys.setdefault(ours, key)
    return found


def _unprefixed(key: str) -> str:
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return key.removeprefix(prefix)
    return key


def _api_root_of(url: str) -> str:
    """toloka-kit's URL as the facade's base URL: toloka-kit asks ``{url}/api/v1/...``, so the
    API root is the URL with ``/api/v1`` (a URL that already ends so is left as it is)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url  # the facade's check says what is wrong with it
    path = parts.path.rstrip("/")
    if not path.endswith(API_ROOT):
        path += API_ROOT
    return urlunsplit(parts._replace(path=path))
