from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.training_requirement import TrainingRequirement


T = TypeVar("T", bound="PoolQualityControl")


@_attrs_define
class PoolQualityControl:
    """The pool's quality control settings. Archiving reads only `training_requirement`; the
    rest (`configs`, `checkpoints_config`, ...) is kept as it comes.

        Attributes:
            training_requirement (TrainingRequirement | Unset): The training linked to a main pool: a Toloker gets the
                pool's tasks after passing it.
                Such a training can be archived only once every pool that requires it is archived.
                Both properties are required, as Toloka's reference states.
    """

    training_requirement: TrainingRequirement | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        training_requirement: dict[str, Any] | Unset = UNSET
        if not isinstance(self.training_requirement, Unset):
            training_requirement = self.training_requirement.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if training_requirement is not UNSET:
            field_dict["training_requirement"] = training_requirement

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.training_requirement import TrainingRequirement

        d = dict(src_dict)
        _training_requirement = d.pop("training_requirement", UNSET)
        training_requirement: TrainingRequirement | Unset
        if isinstance(_training_requirement, Unset):
            training_requirement = UNSET
        else:
            training_requirement = TrainingRequirement.from_dict(_training_requirement)

        pool_quality_control = cls(
            training_requirement=training_requirement,
        )

        pool_quality_control.additional_properties = d
        return pool_quality_control

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
