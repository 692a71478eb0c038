"""toloka-archive: archive Toloka pools from Python, safely, one at a time or in bulk.

Quick start::

    from toloka_archive import TolokaClient

    with TolokaClient(environment="sandbox") as client:   # key from TOLOKA_API_KEY
        result = client.archive_pool("32267581")
        print(result.already_archived, result.operation)

The low-level client generated from ``openapi.yaml`` is the ``toloka_api`` package, reachable
from any client as ``client.raw``. The fake Toloka for tests is ``toloka_archive.testing``.

Names are loaded on first use (PEP 562), so ``import toloka_archive`` and the command line
tool's ``--help`` stay fast; ``from toloka_archive import TolokaClient`` loads what it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toloka_archive._core.lazy import lazy_getattr
from toloka_archive._version import __version__

if TYPE_CHECKING:
    from toloka_archive._clients.async_client import AsyncTolokaClient as AsyncTolokaClient
    from toloka_archive._clients.sync_client import TolokaClient as TolokaClient
    from toloka_archive._core.clock import Clock as Clock
    from toloka_archive._core.environment import Environment as Environment
    from toloka_archive._core.errors import APIConnectionError as APIConnectionError
    from toloka_archive._core.errors import APIError as APIError
    from toloka_archive._core.errors import APIStatusError as APIStatusError
    from toloka_archive._core.errors import APITimeoutError as APITimeoutError
    from toloka_archive._core.errors import ArchiveNotStartedError as ArchiveNotStartedError
    from toloka_archive._core.errors import AuthenticationError as AuthenticationError
    from toloka_archive._core.errors import BadRequestError as BadRequestError
    from toloka_archive._core.errors import ConfigurationError as ConfigurationError
    from toloka_archive._core.errors import ConflictError as ConflictError
    from toloka_archive._core.errors import InternalServerError as InternalServerError
    from toloka_archive._core.errors import InvalidIdError as InvalidIdError
    from toloka_archive._core.errors import InvalidOperationIdError as InvalidOperationIdError
    from toloka_archive._core.errors import InvalidPoolIdError as InvalidPoolIdError
    from toloka_archive._core.errors import InvalidProjectIdError as InvalidProjectIdError
    from toloka_archive._core.errors import NotFoundError as NotFoundError
    from toloka_archive._core.errors import NotTolokaAPIError as NotTolokaAPIError
    from toloka_archive._core.errors import OperationError as OperationError
    from toloka_archive._core.errors import OperationFailedError as OperationFailedError
    from toloka_archive._core.errors import OperationTimeoutError as OperationTimeoutError
    from toloka_archive._core.errors import PermissionDeniedError as PermissionDeniedError
    from toloka_archive._core.errors import RateLimitError as RateLimitError
    from toloka_archive._core.errors import RunEndingError as RunEndingError
    from toloka_archive._core.errors import TolokaError as TolokaError
    from toloka_archive._core.errors import TolokaUnreachableError as TolokaUnreachableError
    from toloka_archive._core.errors import UnexpectedResponseError as UnexpectedResponseError
    from toloka_archive._core.policies import PollPolicy as PollPolicy
    from toloka_archive._core.policies import RetryPolicy as RetryPolicy
    from toloka_archive._engine.handles import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT
    from toloka_archive._engine.handles import ArchiveOperation as ArchiveOperation
    from toloka_archive._engine.handles import ArchiveResult as ArchiveResult
    from toloka_archive._engine.handles import AsyncArchiveOperation as AsyncArchiveOperation
    from toloka_archive._engine.reports import Outcome as Outcome
    from toloka_archive._engine.reports import PoolReport as PoolReport
    from toloka_archive._engine.reports import ProjectOutcome as ProjectOutcome
    from toloka_archive._engine.reports import ProjectReport as ProjectReport
    from toloka_archive._flows.preflight import Archivability as Archivability
    from toloka_archive._flows.preflight import Verdict as Verdict

# Where each public name lives; read by __getattr__ below.
_HOMES = {
    "AsyncTolokaClient": "_clients.async_client",
    "TolokaClient": "_clients.sync_client",
    "Clock": "_core.clock",
    "Environment": "_core.environment",
    "DEFAULT_TIMEOUT": "_engine.handles",
    "ArchiveOperation": "_engine.handles",
    "ArchiveResult": "_engine.handles",
    "AsyncArchiveOperation": "_engine.handles",
    "PollPolicy": "_core.policies",
    "RetryPolicy": "_core.policies",
    "Archivability": "_flows.preflight",
    "Verdict": "_flows.preflight",
    "Outcome": "_engine.reports",
    "PoolReport": "_engine.reports",
    "ProjectOutcome": "_engine.reports",
    "ProjectReport": "_engine.reports",
    **{
        name: "_core.errors"
        for name in (
            "APIConnectionError",
            "APIError",
            "APIStatusError",
            "APITimeoutError",
            "ArchiveNotStartedError",
            "AuthenticationError",
            "BadRequestError",
            "ConfigurationError",
            "ConflictError",
            "InternalServerError",
            "InvalidIdError",
            "InvalidOperationIdError",
            "InvalidPoolIdError",
            "InvalidProjectIdError",
            "NotFoundError",
            "NotTolokaAPIError",
            "OperationError",
            "OperationFailedError",
            "OperationTimeoutError",
            "PermissionDeniedError",
            "RateLimitError",
            "RunEndingError",
            "TolokaError",
            "TolokaUnreachableError",
            "UnexpectedResponseError",
        )
    },
}

__all__ = [  # noqa: RUF022 - grouped as the docs present them
    "TolokaClient",
    "AsyncTolokaClient",
    "Environment",
    "ArchiveOperation",
    "AsyncArchiveOperation",
    "ArchiveResult",
    "DEFAULT_TIMEOUT",
    "Archivability",
    "Verdict",
    "PoolReport",
    "Outcome",
    "ProjectReport",
    "ProjectOutcome",
    "PollPolicy",
    "RetryPolicy",
    "Clock",
    "TolokaError",
    "ConfigurationError",
    "InvalidIdError",
    "InvalidPoolIdError",
    "InvalidProjectIdError",
    "InvalidOperationIdError",
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "TolokaUnreachableError",
    "ArchiveNotStartedError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "NotTolokaAPIError",
    "ConflictError",
    "RateLimitError",
    "InternalServerError",
    "UnexpectedResponseError",
    "OperationError",
    "OperationFailedError",
    "OperationTimeoutError",
    "RunEndingError",
    "__version__",
]


__getattr__ = lazy_getattr(
    globals(), {name: (f"toloka_archive.{home}", name) for name, home in _HOMES.items()}
)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
