"""What the sync and async clients share: settings resolved once, and the read-only surface."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import httpx

from toloka_archive._core.clock import Clock, SystemClock
from toloka_archive._core.context import FlowContext
from toloka_archive._core.environment import Environment, resolve_credentials, resolve_target
from toloka_archive._core.policies import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_HTTP_TIMEOUT,
    PollPolicy,
    RetryPolicy,
)
from toloka_archive._version import __version__
from toloka_archive._wire import generated
from toloka_archive._wire.kinds import Job, OperationKind

if TYPE_CHECKING:
    from toloka_archive_api import Client as RawClient

USER_AGENT = f"toloka-archive/{__version__}"
HTTP_TIMEOUT = httpx.Timeout(DEFAULT_HTTP_TIMEOUT, connect=DEFAULT_CONNECT_TIMEOUT)


class _ClientCore:
    """Settings shared by the sync and async clients, resolved once and checked up front."""

    def __init__(
        self,
        *,
        api_key: str | None,
        oauth_token: str | None,
        environment: Environment | str | None,
        base_url: str | None,
        retry: RetryPolicy | None,
        max_retries: int | None,
        poll: PollPolicy | None,
        http_timeout: float | httpx.Timeout,
        env: Mapping[str, str] | None,
        clock: Clock | None,
        random: Callable[[], float] | None,
        httpx_args: dict[str, Any],
    ) -> None:
        variables = os.environ if env is None else env
        target = resolve_target(base_url=base_url, environment=environment, env=variables)
        self.credentials = resolve_credentials(
            api_key=api_key, oauth_token=oauth_token, env=variables
        )
        self.base_url = target.base_url
        self.environment = target.environment
        retry = retry or RetryPolicy()
        context = FlowContext(
            retry=retry if max_retries is None else replace(retry, max_retries=max_retries),
            poll=poll or PollPolicy(),
            clock=clock or SystemClock(),
        )
        self.context = context if random is None else replace(context, random=random)
        self._timeout = (
            http_timeout if isinstance(http_timeout, httpx.Timeout) else httpx.Timeout(http_timeout)
        )
        self.raw = self._raw_client(httpx_args)

    def _raw_client(self, httpx_args: dict[str, Any]) -> RawClient:
        # The key travels as an httpx.Auth, never in a headers dict that a repr would print.
        return generated.Client(
            base_url=self.base_url,
            headers={"User-Agent": USER_AGENT},
            timeout=self._timeout,
            follow_redirects=False,
            httpx_args={"auth": self.credentials, **httpx_args},
        )

    @staticmethod
    def job(kind: OperationKind, subject_id: object) -> Job:
        """The job of ``kind`` on a subject whose id is checked first (``InvalidIdError``)."""
        return kind.on(kind.subject.normalize(subject_id))

    def twin(self, httpx_args: dict[str, Any]) -> _ClientCore:
        """The same settings and shared state (throttle, clock) over another HTTP client."""
        twin = copy.copy(self)
        twin.raw = self._raw_client(httpx_args)
        return twin

    def describe(self, cls: type) -> str:
        environment = self.environment.value if self.environment else None
        return (
            f"{cls.__name__}(environment={environment!r}, base_url={self.base_url!r}, "
            f"auth={self.credentials.scheme} ***)"
        )


class _ClientBase:
    """What both clients show of their settings."""

    _core: _ClientCore

    @property
    def environment(self) -> Environment | None:
        """The environment in use, or None for a custom base URL."""
        return self._core.environment

    @property
    def base_url(self) -> str:
        return self._core.base_url

    @property
    def raw(self) -> RawClient:
        """The generated client (``toloka_archive_api``), set up the same way, for calls of your
        own."""
        return self._core.raw

    def __repr__(self) -> str:
        return self._core.describe(type(self))
