"""The facade's one door to the generated client (``toloka_api``), opened on first use.

Importing ``toloka_api`` costs about as much as the whole hand-written facade: its models
package builds every attrs class at once, and attrs itself is loaded for them. Reached through
this module, the generated package loads when the first client is made (or the first answer is
read), not when ``from toloka_archive import TolokaClient`` runs. So whatever only imports the
facade stays quick: the command's ``--help`` and argument errors, Airflow parsing a DAG file,
a service that imports at start-up and archives later.

How the rest of the facade uses it:

- at run time, ``generated.Operation``, ``generated.KnownPoolStatus.CLOSED``,
  ``generated.archive_pool._get_kwargs(...)``, after
  ``from toloka_archive._wire import generated``;
- in annotations, the generated names themselves, imported under ``if TYPE_CHECKING:``.

ruff's TID253 refuses a module-level ``toloka_api`` import anywhere in the facade, and a test
checks that ``from toloka_archive import TolokaClient`` leaves ``toloka_api`` unloaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toloka_archive._core.lazy import Homes, lazy_getattr

if TYPE_CHECKING:
    from toloka_api import Client as Client
    from toloka_api.api.assignment import get_assignments as get_assignments
    from toloka_api.api.operation import get_operation as get_operation
    from toloka_api.api.operation import get_operation_log as get_operation_log
    from toloka_api.api.operation import get_operations as get_operations
    from toloka_api.api.pool import archive_pool as archive_pool
    from toloka_api.api.pool import get_pool as get_pool
    from toloka_api.api.pool import get_pools as get_pools
    from toloka_api.api.project import archive_project as archive_project
    from toloka_api.api.project import get_project as get_project
    from toloka_api.models import AssignmentPage as AssignmentPage
    from toloka_api.models import KnownOperationStatus as KnownOperationStatus
    from toloka_api.models import KnownOperationType as KnownOperationType
    from toloka_api.models import KnownPoolStatus as KnownPoolStatus
    from toloka_api.models import KnownProjectStatus as KnownProjectStatus
    from toloka_api.models import Operation as Operation
    from toloka_api.models import OperationLogItem as OperationLogItem
    from toloka_api.models import OperationPage as OperationPage
    from toloka_api.models import OperationParameters as OperationParameters
    from toloka_api.models import Pool as Pool
    from toloka_api.models import PoolPage as PoolPage
    from toloka_api.models import Project as Project
    from toloka_api.types import UNSET as UNSET

# Where each name above lives; a test checks that both name the same objects.
_MODELS = "toloka_api.models"
_HOMES: Homes = {
    "Client": ("toloka_api", "Client"),
    "UNSET": ("toloka_api.types", "UNSET"),
    "get_assignments": ("toloka_api.api.assignment.get_assignments", None),
    "get_operation": ("toloka_api.api.operation.get_operation", None),
    "get_operation_log": ("toloka_api.api.operation.get_operation_log", None),
    "get_operations": ("toloka_api.api.operation.get_operations", None),
    "archive_pool": ("toloka_api.api.pool.archive_pool", None),
    "get_pool": ("toloka_api.api.pool.get_pool", None),
    "get_pools": ("toloka_api.api.pool.get_pools", None),
    "archive_project": ("toloka_api.api.project.archive_project", None),
    "get_project": ("toloka_api.api.project.get_project", None),
    **{
        name: (_MODELS, name)
        for name in (
            "AssignmentPage",
            "KnownOperationStatus",
            "KnownOperationType",
            "KnownPoolStatus",
            "KnownProjectStatus",
            "Operation",
            "OperationLogItem",
            "OperationPage",
            "OperationParameters",
            "Pool",
            "PoolPage",
            "Project",
        )
    },
}


__getattr__ = lazy_getattr(globals(), _HOMES)
