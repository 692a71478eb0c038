from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.operation_log_item_input import OperationLogItemInput
    from ..models.operation_log_item_output import OperationLogItemOutput


T = TypeVar("T", bound="OperationLogItem")


@_attrs_define
class OperationLogItem:
    """One step of an operation.

    Attributes:
        type_ (str | Unset): What the step did, e.g. `TASK_CREATE`.
        success (bool | Unset): Whether the step succeeded.
        input_ (OperationLogItemInput | Unset): What the step was given.
        output (OperationLogItemOutput | Unset): What the step produced, or why it failed.
    """

    type_: str | Unset = UNSET
    success: bool | Unset = UNSET
    input_: OperationLogItemInput | Unset = UNSET
    output: OperationLogItemOutput | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        success = self.success

        input_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.input_, Unset):
            input_ = self.input_.to_dict()

        output: dict[str, Any] | Unset = UNSET
        if not isinstance(self.output, Unset):
            output = self.output.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if success is not UNSET:
            field_dict["success"] = success
        if input_ is not UNSET:
            field_dict["input"] = input_
        if output is not UNSET:
            field_dict["output"] = output

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.operation_log_item_input import OperationLogItemInput
        from ..models.operation_log_item_output import OperationLogItemOutput

        d = dict(src_dict)
        type_ = d.pop("type", UNSET)

        success = d.pop("success", UNSET)

        _input_ = d.pop("input", UNSET)
        input_: OperationLogItemInput | Unset
        if isinstance(_input_, Unset):
            input_ = UNSET
        else:
            input_ = OperationLogItemInput.from_dict(_input_)

        _output = d.pop("output", UNSET)
        output: OperationLogItemOutput | Unset
        if isinstance(_output, Unset):
            output = UNSET
        else:
            output = OperationLogItemOutput.from_dict(_output)

        operation_log_item = cls(
            type_=type_,
            success=success,
            input_=input_,
            output=output,
        )

        operation_log_item.additional_properties = d
        return operation_log_item

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
