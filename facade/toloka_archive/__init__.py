"""toloka-archive: archive Toloka pools from Python, safely, one at a time or in bulk.

Quick start::

    from toloka_archive import TolokaClient

    with TolokaClient(environment="sandbox") as client:   # key from TOLOKA_API_KEY
        result = client.archive_pool("32267581")
        print(result.already_archived, result.operation)

The low-level client generated from ``openapi.yaml`` is the ``toloka_api`` package, reachable
from any client as ``client.raw``. The fake Toloka for tests is ``toloka_archive.testing``.
"""

from toloka_archive._bulk import Outcome, PoolReport
from toloka_archive._client import AsyncTolokaClient, TolokaClient
from toloka_archive._environment import Environment
from toloka_archive._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    InvalidIdError,
    InvalidOperationIdError,
    InvalidPoolIdError,
    NotFoundError,
    OperationError,
    OperationFailedError,
    OperationTimeoutError,
    PermissionDeniedError,
    RateLimitError,
    TolokaError,
    UnexpectedResponseError,
)
from toloka_archive._flow import Runtime
from toloka_archive._operation import (
    DEFAULT_TIMEOUT,
    ArchiveOperation,
    ArchiveResult,
    AsyncArchiveOperation,
)
from toloka_archive._policies import PollPolicy, RetryPolicy
from toloka_archive._preflight import Archivability, Verdict
from toloka_archive._version import __version__

__all__ = [
    "DEFAULT_TIMEOUT",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "Archivability",
    "ArchiveOperation",
    "ArchiveResult",
    "AsyncArchiveOperation",
    "AsyncTolokaClient",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "Environment",
    "InternalServerError",
    "InvalidIdError",
    "InvalidOperationIdError",
    "InvalidPoolIdError",
    "NotFoundError",
    "OperationError",
    "OperationFailedError",
    "OperationTimeoutError",
    "Outcome",
    "PermissionDeniedError",
    "PollPolicy",
    "PoolReport",
    "RateLimitError",
    "RetryPolicy",
    "Runtime",
    "TolokaClient",
    "TolokaError",
    "UnexpectedResponseError",
    "Verdict",
    "__version__",
]
