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
        open_pool (bool | Unset): For tasks and task suites, whether the pool opens once they are created.
        allow_defaults (bool | Unset): For tasks and task suites, whether the pool's default overlap is used.
        skip_invalid_items (bool | Unset): For tasks and task suites, whether invalid items are skipped.
    """

    pool_id: str | Unset = UNSET
    project_id: str | Unset = UNSET
    training_id: str | Unset = UNSET
    open_pool: bool | Unset = UNSET
    allow_defaults: bool | Unset = UNSET
    skip_invalid_items: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pool_id = self.pool_id

        project_id = self.project_id

        training_id = self.training_id

        open_pool = self.open_pool

        allow_defaults = self.allow_defaults

        skip_invalid_items = self.skip_invalid_items

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if pool_id is not UNSET:
            field_dict["pool_id"] = pool_id
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if training_id is not UNSET:
            field_dict["training_id"] = training_id
        if open_pool is not UNSET:
            field_dict["open_pool"] = open_pool
        if allow_defaults is not UNSET:
            field_dict["allow_defaults"] = allow_defaults
        if skip_invalid_items is not UNSET:
            field_dict["skip_invalid_items"] = skip_invalid_items

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        pool_id = d.pop("pool_id", UNSET)

        project_id = d.pop("project_id", UNSET)

        training_id = d.pop("training_id", UNSET)

        open_pool = d.pop("open_pool", UNSET)

        allow_defaults = d.pop("allow_defaults", UNSET)

        skip_invalid_items = d.pop("skip_invalid_items", UNSET)

        operation_parameters = cls(
            pool_id=pool_id,
            project_id=project_id,
            training_id=training_id,
            open_pool=open_pool,
            allow_defaults=allow_defaults,
            skip_invalid_items=skip_invalid_items,
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
