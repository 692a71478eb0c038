from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_project_status import KnownProjectStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Project")


@_attrs_define
class Project:
    """A project, with the properties that archiving reads; Toloka sends many more (its task
    specification, instructions, quality control), which are kept as they come.

        Attributes:
            id (str): The project ID.
            status (KnownProjectStatus | str): A documented project status, or a string that Toloka adds later.
            public_name (str | Unset): The project's name, shown to Tolokers.
            created (str | Unset): A moment in UTC, ISO 8601 without an offset: `YYYY-MM-DDThh:mm:ss[.sss]`, e.g.
                `2016-04-07T16:06:15.902`. Not `format: date-time`, which would require an offset.
                 Example: 2016-04-07T16:06:15.902.
    """

    id: str
    status: KnownProjectStatus | str
    public_name: str | Unset = UNSET
    created: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status: str
        if isinstance(self.status, KnownProjectStatus):
            status = self.status.value
        else:
            status = self.status

        public_name = self.public_name

        created = self.created

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
            }
        )
        if public_name is not UNSET:
            field_dict["public_name"] = public_name
        if created is not UNSET:
            field_dict["created"] = created

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_status(data: object) -> KnownProjectStatus | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_project_status_type_0 = KnownProjectStatus(data)

                return componentsschemas_project_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KnownProjectStatus | str, data)

        status = _parse_status(d.pop("status"))

        public_name = d.pop("public_name", UNSET)

        created = d.pop("created", UNSET)

        project = cls(
            id=id,
            status=status,
            public_name=public_name,
            created=created,
        )

        project.additional_properties = d
        return project

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
