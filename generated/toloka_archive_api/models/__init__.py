"""Contains all the data models used in inputs/outputs"""

from .assignment import Assignment
from .assignment_page import AssignmentPage
from .error import Error
from .error_payload import ErrorPayload
from .known_assignment_status import KnownAssignmentStatus
from .known_operation_status import KnownOperationStatus
from .known_operation_type import KnownOperationType
from .known_pool_status import KnownPoolStatus
from .known_project_status import KnownProjectStatus
from .known_training_status import KnownTrainingStatus
from .operation import Operation
from .operation_details import OperationDetails
from .operation_log_item import OperationLogItem
from .operation_log_item_input import OperationLogItemInput
from .operation_log_item_output import OperationLogItemOutput
from .operation_page import OperationPage
from .operation_parameters import OperationParameters
from .pool import Pool
from .pool_page import PoolPage
from .pool_quality_control import PoolQualityControl
from .project import Project
from .training import Training
from .training_page import TrainingPage
from .training_requirement import TrainingRequirement

__all__ = (
    "Assignment",
    "AssignmentPage",
    "Error",
    "ErrorPayload",
    "KnownAssignmentStatus",
    "KnownOperationStatus",
    "KnownOperationType",
    "KnownPoolStatus",
    "KnownProjectStatus",
    "KnownTrainingStatus",
    "Operation",
    "OperationDetails",
    "OperationLogItem",
    "OperationLogItemInput",
    "OperationLogItemOutput",
    "OperationPage",
    "OperationParameters",
    "Pool",
    "PoolPage",
    "PoolQualityControl",
    "Project",
    "Training",
    "TrainingPage",
    "TrainingRequirement",
)
