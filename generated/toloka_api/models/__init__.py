"""Contains all the data models used in inputs/outputs"""

from .error import Error
from .error_payload import ErrorPayload
from .known_operation_status import KnownOperationStatus
from .known_operation_type import KnownOperationType
from .operation import Operation
from .operation_details import OperationDetails
from .operation_log_item import OperationLogItem
from .operation_log_item_input import OperationLogItemInput
from .operation_log_item_output import OperationLogItemOutput
from .operation_parameters import OperationParameters

__all__ = (
    "Error",
    "ErrorPayload",
    "KnownOperationStatus",
    "KnownOperationType",
    "Operation",
    "OperationDetails",
    "OperationLogItem",
    "OperationLogItemInput",
    "OperationLogItemOutput",
    "OperationParameters",
)
