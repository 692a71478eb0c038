from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OperationParameters")


@_attrs_define
class OperationParameters:
    """The parameters the operation was started with; which ones depends on its type.

    Attributes:
        pool_id (str | Unset): The pool the operation works on.
        project_id (str | Unset): The project the operation works on.
        training_id (str | Unset): The training pool the operation works on.
    """

    pool_id: str | Unset = UNSET
    project_id: str | Unset = UNSET
    training_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pool_id = self.pool_id

        project_id = self.project_id

        training_id = self.training_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if pool_id is not UNSET:
            field_dict["pool_id"] = pool_id
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if training_id is not UNSET:
            field_dict["training_id"] = training_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        pool_id = d.pop("pool_id", UNSET)

        project_id = d.pop("project_id", UNSET)

        training_id = d.pop("training_id", UNSET)

        operation_parameters = cls(
            pool_id=pool_id,
            project_id=project_id,
            training_id=training_id,
        )

        operation_parameters.additional_properties = d
        return operation_parameters

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
