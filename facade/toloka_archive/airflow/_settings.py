"""A ``toloka`` connection's fields, read into the facade's client settings. No Airflow here.

The rules are the facade's, applied to what a connection holds:

- the key is the connection's **password**, sent as ``ApiKey <key>``; with the extra
  ``auth_type: oauth`` it is a legacy OAuth token, sent as ``OAuth <token>``. A key in the
  extras is refused (extras are shown in the UI and in logs; the password is masked);
- where: the extra ``environment``: ``sandbox`` (the default), ``production``, or ``custom``
  with the extra ``base_url`` (any API root, https only except on loopback: a proxy, the fake
  Toloka). A ``base_url`` alone means ``custom``; a ``base_url`` with ``sandbox`` or
  ``production`` is an error, and so is ``custom`` without one. Production is only reached when
  a connection asks for it;
- the worker's ``TOLOKA_*`` variables are not read: the connection alone says where the hook
  points, so the worker that starts the archives and the triggerer that follows them agree.

The checks themselves (environment names, base URL, https, the key's characters) are the
facade's (``_environment``), run when a client is built from these settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toloka_archive._core.errors import ConfigurationError

CONN_TYPE = "toloka"
DEFAULT_CONN_ID = "toloka_default"

AUTH_API_KEY = "api_key"
AUTH_OAUTH = "oauth"
AUTH_TYPES = (AUTH_API_KEY, AUTH_OAUTH)

SANDBOX = "sandbox"
PRODUCTION = "production"
CUSTOM = "custom"  # the extra base_url says where
ENVIRONMENTS = (SANDBOX, PRODUCTION, CUSTOM)

EXTRA_FIELDS = ("environment", "base_url", "auth_type")
# Extras that look like a credential: refused, whatever their value (which is never shown).
_SECRET_NAMES = frozenset(
    {"api_key", "apikey", "key", "token", "oauth_token", "oauth", "password", "secret"}
)
_PREFIX = f"extra__{CONN_TYPE}__"  # how Airflow 2-era forms stored a custom field


@dataclass(frozen=True)
class ClientSettings:
    """What a client needs from a connection; the secret never shows in a ``repr``."""

    conn_id: str
    secret: str
    auth_type: str
    environment: str | None
    base_url: str | None

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
) -> ClientSettings:
    """Read a connection's fields; a ``ConfigurationError`` names the connection and the field.

    Empty values (what a form leaves in a blank field) count as absent. Unknown extras are
    refused, so that a misspelt ``enviroment`` cannot quietly send a run to the sandbox.
    """
    where = f"Toloka connection {conn_id!r}"
    if host or port:
        raise ConfigurationError(
            f"{where}: leave host and port empty; put the API root in the extra 'base_url' "
            "(or choose the extra 'environment': sandbox or production)"
        )
    fields = _extras(where, extra or {})
    if not password:
        raise ConfigurationError(
            f"{where} has no password: put the Toloka API key (or, with the extra "
            f"auth_type={AUTH_OAUTH!r}, the legacy OAuth token) in the password field"
        )
    auth_type = (fields.get("auth_type") or AUTH_API_KEY).strip().lower()
    if auth_type not in AUTH_TYPES:
        choices = " or ".join(repr(name) for name in AUTH_TYPES)
        raise ConfigurationError(f"{where}: extra 'auth_type' must be {choices}")
    environment, base_url = _where(where, fields.get("environment"), fields.get("base_url"))
    return ClientSettings(
        conn_id=conn_id,
        secret=password,
        auth_type=auth_type,
        environment=environment,
        base_url=base_url,
    )


def _where(
    where: str, environment: str | None, base_url: str | None
) -> tuple[str | None, str | None]:
    """``environment`` and ``base_url`` as the facade takes them: ``custom`` is "the base URL".

    Any other name goes to the facade as it is, so that its own check and message apply."""
    if environment is None:
        return None, base_url
    if environment.strip().lower() != CUSTOM:
        if base_url is not None and environment.strip().lower() in (SANDBOX, PRODUCTION):
            raise ConfigurationError(
                f"{where}: environment {environment!r} and a base_url: choose environment "
                f"{CUSTOM!r} to use the base URL, or clear the base URL"
            )
        return environment, base_url
    if base_url is None:
        raise ConfigurationError(
            f"{where}: environment {CUSTOM!r} needs the extra 'base_url' (the API root, e.g. "
            "https://toloka.example.com/api/v1); or choose 'sandbox' or 'production'"
        )
    return None, base_url


def _extras(where: str, extra: Mapping[str, Any]) -> dict[str, str]:
    """The known extras that are set, as strings; anything else is refused by name."""
    fields: dict[str, str] = {}
    for raw_name, value in extra.items():
        name = str(raw_name).removeprefix(_PREFIX)
        if name.lower() in _SECRET_NAMES:
            raise ConfigurationError(
                f"{where}: the extra {name!r} looks like a credential; extras are shown in the "
                "UI and in logs, so the key goes in the password field (and is never logged)"
            )
        if name not in EXTRA_FIELDS:
            known = ", ".join(EXTRA_FIELDS)
            raise ConfigurationError(f"{where}: unknown extra {name!r}; the extras are {known}")
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise ConfigurationError(f"{where}: extra {name!r} must be a string")
        fields[name] = value
    return fields
