from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_operation_status import KnownOperationStatus
from ..models.known_operation_type import KnownOperationType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.operation_details import OperationDetails
    from ..models.operation_parameters import OperationParameters


T = TypeVar("T", bound="Operation")


@_attrs_define
class Operation:
    """An asynchronous operation, such as archiving a pool.

    Attributes:
        id (str): The operation ID.
        type_ (KnownOperationType | str): A documented operation type, or a string that Toloka adds later.
        status (KnownOperationStatus | str): A documented status, or a string that Toloka adds later.
        submitted (str): A moment in UTC, ISO 8601 without an offset: `YYYY-MM-DDThh:mm:ss[.sss]`, e.g.
            `2016-04-07T16:06:15.902`. Not `format: date-time`, which would require an offset.
             Example: 2016-04-07T16:06:15.902.
        started (str | Unset): A moment in UTC, ISO 8601 without an offset: `YYYY-MM-DDThh:mm:ss[.sss]`, e.g.
            `2016-04-07T16:06:15.902`. Not `format: date-time`, which would require an offset.
             Example: 2016-04-07T16:06:15.902.
        finished (str | Unset): A moment in UTC, ISO 8601 without an offset: `YYYY-MM-DDThh:mm:ss[.sss]`, e.g.
            `2016-04-07T16:06:15.902`. Not `format: date-time`, which would require an offset.
             Example: 2016-04-07T16:06:15.902.
        progress (int | Unset): Completion, in percent.
        parameters (OperationParameters | Unset): The parameters the operation was started with; which ones depends on
            its type.
        details (OperationDetails | Unset): Free-form details; their shape depends on the operation type. Batch
            operations give
            `total_count`, `valid_count`, `not_valid_count`, `success_count` and
            `failed_count`.
    """

    id: str
    type_: KnownOperationType | str
    status: KnownOperationStatus | str
    submitted: str
    started: str | Unset = UNSET
    finished: str | Unset = UNSET
    progress: int | Unset = UNSET
    parameters: OperationParameters | Unset = UNSET
    details: OperationDetails | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_: str
        if isinstance(self.type_, KnownOperationType):
            type_ = self.type_.value
        else:
            type_ = self.type_

        status: str
        if isinstance(self.status, KnownOperationStatus):
            status = self.status.value
        else:
            status = self.status

        submitted = self.submitted

        started = self.started

        finished = self.finished

        progress = self.progress

        parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parameters, Unset):
            parameters = self.parameters.to_dict()

        details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "status": status,
                "submitted": submitted,
            }
        )
        if started is not UNSET:
            field_dict["started"] = started
        if finished is not UNSET:
            field_dict["finished"] = finished
        if progress is not UNSET:
            field_dict["progress"] = progress
        if parameters is not UNSET:
            field_dict["parameters"] = parameters
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.operation_details import OperationDetails
        from ..models.operation_parameters import OperationParameters

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_type_(data: object) -> KnownOperationType | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_operation_type_type_0 = KnownOperationType(data)

                return componentsschemas_operation_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KnownOperationType | str, data)

        type_ = _parse_type_(d.pop("type"))

        def _parse_status(data: object) -> KnownOperationStatus | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_operation_status_type_0 = KnownOperationStatus(data)

                return componentsschemas_operation_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KnownOperationStatus | str, data)

        status = _parse_status(d.pop("status"))

        submitted = d.pop("submitted")

        started = d.pop("started", UNSET)

        finished = d.pop("finished", UNSET)

        progress = d.pop("progress", UNSET)

        _parameters = d.pop("parameters", UNSET)
        parameters: OperationParameters | Unset
        if isinstance(_parameters, Unset):
            parameters = UNSET
        else:
            parameters = OperationParameters.from_dict(_parameters)

        _details = d.pop("details", UNSET)
        details: OperationDetails | Unset
        if isinstance(_details, Unset):
            details = UNSET
        else:
            details = OperationDetails.from_dict(_details)

        operation = cls(
            id=id,
            type_=type_,
            status=status,
            submitted=submitted,
            started=started,
            finished=finished,
            progress=progress,
            parameters=parameters,
            details=details,
        )

        operation.additional_properties = d
        return operation

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
