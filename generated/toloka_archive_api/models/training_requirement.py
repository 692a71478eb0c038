from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TrainingRequirement")


@_attrs_define
class TrainingRequirement:
    """The training linked to a main pool: a Toloker gets the pool's tasks after passing it.
    Such a training can be archived only once every pool that requires it is archived.
    Both properties are required, as Toloka's reference states.

        Attributes:
            training_pool_id (str): The ID of the training (training pool) linked to the pool.
            training_passing_skill_value (int): The share of correct training answers, in percent, that opens the pool.
    """

    training_pool_id: str
    training_passing_skill_value: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        training_pool_id = self.training_pool_id

        training_passing_skill_value = self.training_passing_skill_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "training_pool_id": training_pool_id,
                "training_passing_skill_value": training_passing_skill_value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        training_pool_id = d.pop("training_pool_id")

        training_passing_skill_value = d.pop("training_passing_skill_value")

        training_requirement = cls(
            training_pool_id=training_pool_id,
            training_passing_skill_value=training_passing_skill_value,
        )

        training_requirement.additional_properties = d
        return training_requirement

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
