# ruff: noqa: I001 - grouped as the documentation presents them, not sorted
# The package's public names, listed once: type checkers and editors read this stub, and
# ``__init__.py`` serves the same names lazily from it (see ``_core.lazy``). One re-export a line.

# The clients
from toloka_archive._clients.sync_client import TolokaClient as TolokaClient
from toloka_archive._clients.async_client import AsyncTolokaClient as AsyncTolokaClient
from toloka_archive._core.environment import Environment as Environment
from toloka_archive._core.clock import Clock as Clock
from toloka_archive._core.policies import PollPolicy as PollPolicy
from toloka_archive._core.policies import RetryPolicy as RetryPolicy
from toloka_archive._core.policies import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT

# Operations: handles, results, and what Toloka's objects say
from toloka_archive._engine.handles import OperationHandle as OperationHandle
from toloka_archive._engine.handles import AsyncOperationHandle as AsyncOperationHandle
from toloka_archive._engine.handles import OperationResult as OperationResult
from toloka_archive._engine.handles import ArchiveOperation as ArchiveOperation
from toloka_archive._engine.handles import AsyncArchiveOperation as AsyncArchiveOperation
from toloka_archive._engine.handles import ArchiveResult as ArchiveResult
from toloka_archive._core.models import Operation as Operation
from toloka_archive._core.models import OperationStatus as OperationStatus
from toloka_archive._core.models import OperationType as OperationType
from toloka_archive._core.models import Phase as Phase
from toloka_archive._core.models import LogEntry as LogEntry
from toloka_archive._core.models import Pool as Pool
from toloka_archive._core.models import PoolStatus as PoolStatus
from toloka_archive._core.models import Training as Training
from toloka_archive._core.models import TrainingStatus as TrainingStatus
from toloka_archive._core.models import Project as Project
from toloka_archive._core.models import ProjectStatus as ProjectStatus

# Many pools and trainings: selection, pre-flight, reports
from toloka_archive._flows.selection import PoolSelection as PoolSelection
from toloka_archive._flows.preflight import Archivability as Archivability
from toloka_archive._flows.preflight import Verdict as Verdict
from toloka_archive._engine.reports import Report as Report
from toloka_archive._engine.reports import PoolReport as PoolReport
from toloka_archive._wire.outcomes import Outcome as Outcome
from toloka_archive._engine.reports import ProjectReport as ProjectReport
from toloka_archive._engine.reports import ProjectOutcome as ProjectOutcome

# Errors
from toloka_archive._core.errors import TolokaError as TolokaError
from toloka_archive._core.errors import ConfigurationError as ConfigurationError
from toloka_archive._core.errors import InvalidIdError as InvalidIdError
from toloka_archive._core.errors import InvalidPoolIdError as InvalidPoolIdError
from toloka_archive._core.errors import InvalidProjectIdError as InvalidProjectIdError
from toloka_archive._core.errors import InvalidTrainingIdError as InvalidTrainingIdError
from toloka_archive._core.errors import InvalidOperationIdError as InvalidOperationIdError
from toloka_archive._core.errors import APIError as APIError
from toloka_archive._core.errors import APIConnectionError as APIConnectionError
from toloka_archive._core.errors import APITimeoutError as APITimeoutError
from toloka_archive._core.errors import TolokaUnreachableError as TolokaUnreachableError
from toloka_archive._core.errors import OperationNotStartedError as OperationNotStartedError
from toloka_archive._core.errors import ArchiveNotStartedError as ArchiveNotStartedError
from toloka_archive._core.errors import APIStatusError as APIStatusError
from toloka_archive._core.errors import BadRequestError as BadRequestError
from toloka_archive._core.errors import AuthenticationError as AuthenticationError
from toloka_archive._core.errors import PermissionDeniedError as PermissionDeniedError
from toloka_archive._core.errors import NotFoundError as NotFoundError
from toloka_archive._core.errors import NotTolokaAPIError as NotTolokaAPIError
from toloka_archive._core.errors import ConflictError as ConflictError
from toloka_archive._core.errors import RateLimitError as RateLimitError
from toloka_archive._core.errors import InternalServerError as InternalServerError
from toloka_archive._core.errors import UnexpectedResponseError as UnexpectedResponseError
from toloka_archive._core.errors import ListingError as ListingError
from toloka_archive._core.errors import OperationError as OperationError
from toloka_archive._core.errors import OperationFailedError as OperationFailedError
from toloka_archive._core.errors import OperationTimeoutError as OperationTimeoutError
from toloka_archive._core.errors import RunEndingError as RunEndingError

from toloka_archive._version import __version__ as __version__
