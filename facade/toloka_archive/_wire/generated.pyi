# What the facade uses of the generated client, listed once: type checkers read this stub, and
# ``generated.py`` serves the same names lazily from it (see ``_core.lazy``). One re-export a line.
# ruff: noqa: I001, TID253 - the one place that names toloka_archive_api, for the type checker only

from toloka_archive_api import Client as Client
from toloka_archive_api.types import UNSET as UNSET
from toloka_archive_api.api.assignment import get_assignments as get_assignments
from toloka_archive_api.api.operation import get_operation as get_operation
from toloka_archive_api.api.operation import get_operation_log as get_operation_log
from toloka_archive_api.api.operation import get_operations as get_operations
from toloka_archive_api.api.pool import archive_pool as archive_pool
from toloka_archive_api.api.pool import close_pool as close_pool
from toloka_archive_api.api.pool import get_pool as get_pool
from toloka_archive_api.api.pool import get_pools as get_pools
from toloka_archive_api.api.project import archive_project as archive_project
from toloka_archive_api.api.project import get_project as get_project
from toloka_archive_api.api.training import archive_training as archive_training
from toloka_archive_api.api.training import close_training as close_training
from toloka_archive_api.api.training import get_training as get_training
from toloka_archive_api.api.training import get_trainings as get_trainings
from toloka_archive_api.models import AssignmentPage as AssignmentPage
from toloka_archive_api.models import Operation as Operation
from toloka_archive_api.models import OperationLogItem as OperationLogItem
from toloka_archive_api.models import OperationPage as OperationPage
from toloka_archive_api.models import Pool as Pool
from toloka_archive_api.models import PoolPage as PoolPage
from toloka_archive_api.models import Project as Project
from toloka_archive_api.models import Training as Training
from toloka_archive_api.models import TrainingPage as TrainingPage
