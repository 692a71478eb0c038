"""Requesters and their credentials: who is asking, from the ``Authorization`` header.

Toloka accepts ``Authorization: ApiKey <key>`` (the current form) and ``Authorization: OAuth
<token>`` (the legacy one). A key found under the other scheme is not accepted: an API key sent
as ``OAuth`` is as wrong here as it is at Toloka. Credentials are only ever compared, never
stored anywhere a response or a log could show them.
"""

from __future__ import annotations

from collections.abc import Iterable

from toloka_archive.testing._world import validation as check

SCHEMES = {"apikey": "ApiKey", "oauth": "OAuth"}


class Requesters:
    def __init__(self) -> None:
        self._names: list[str] = []
        self._by_credential: dict[tuple[str, str], str] = {}

    def add(self, name: str, api_keys: Iterable[str], oauth_tokens: Iterable[str]) -> None:
        owner = "add_requester"
        check.text(owner, "name", name)
        if name in self._names:
            raise check.FieldError(owner, "name", f"requester {name!r} is already declared")
        pairs = [("apikey", key, "api_keys") for key in api_keys]
        pairs += [("oauth", token, "oauth_tokens") for token in oauth_tokens]
        for scheme, credential, field in pairs:
            check.text(owner, field, credential, secret=True)
            if (scheme, credential) in self._by_credential:
                raise check.FieldError(owner, field, "a credential may belong to one requester")
        for scheme, credential, _ in pairs:
            self._by_credential[scheme, credential] = name
        self._names.append(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def identify(self, authorization: str | None) -> str | None:
        """The requester the header belongs to, or ``None`` if it is missing or unknown."""
        if not authorization:
            return None
        scheme, _, credential = authorization.strip().partition(" ")
        return self._by_credential.get((scheme.lower(), credential.strip()))
