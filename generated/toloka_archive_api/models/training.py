from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_training_status import KnownTrainingStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Training")


@_attrs_define
class Training:
    """A training (a training pool: unpaid tasks a Toloker completes to get the skill that a
    main pool requires), with the properties that archiving reads; Toloka sends many more
    (its settings, instructions, owner), which are kept as they come.

        Attributes:
            id (str): The training ID.
            status (KnownTrainingStatus | str): A documented training status, or a string that Toloka adds later.
            project_id (str | Unset): The project the training belongs to.
            private_name (str | Unset): The training's name, visible only to the requester.
            last_close_reason (str | Unset): Why the training was last closed: `MANUAL`, `EXPIRED`, `COMPLETED`,
                `NOT_ENOUGH_BALANCE`, `ASSIGNMENTS_LIMIT_EXCEEDED`, `BLOCKED` or `FOR_UPDATE`.
            created (str | Unset): A moment in UTC, ISO 8601 without an offset: `YYYY-MM-DDThh:mm:ss[.sss]`, e.g.
                `2016-04-07T16:06:15.902`. Not `format: date-time`, which would require an offset.
                 Example: 2016-04-07T16:06:15.902.
            last_started (str | Unset): A moment in UTC, ISO 8601 without an offset: `YYYY-MM-DDThh:mm:ss[.sss]`, e.g.
                `2016-04-07T16:06:15.902`. Not `format: date-time`, which would require an offset.
                 Example: 2016-04-07T16:06:15.902.
            last_stopped (str | Unset): A moment in UTC, ISO 8601 without an offset: `YYYY-MM-DDThh:mm:ss[.sss]`, e.g.
                `2016-04-07T16:06:15.902`. Not `format: date-time`, which would require an offset.
                 Example: 2016-04-07T16:06:15.902.
    """

    id: str
    status: KnownTrainingStatus | str
    project_id: str | Unset = UNSET
    private_name: str | Unset = UNSET
    last_close_reason: str | Unset = UNSET
    created: str | Unset = UNSET
    last_started: str | Unset = UNSET
    last_stopped: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status: str
        if isinstance(self.status, KnownTrainingStatus):
            status = self.status.value
        else:
            status = self.status

        project_id = self.project_id

        private_name = self.private_name

        last_close_reason = self.last_close_reason

        created = self.created

        last_started = self.last_started

        last_stopped = self.last_stopped

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
            }
        )
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if private_name is not UNSET:
            field_dict["private_name"] = private_name
        if last_close_reason is not UNSET:
            field_dict["last_close_reason"] = last_close_reason
        if created is not UNSET:
            field_dict["created"] = created
        if last_started is not UNSET:
            field_dict["last_started"] = last_started
        if last_stopped is not UNSET:
            field_dict["last_stopped"] = last_stopped

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_status(data: object) -> KnownTrainingStatus | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_training_status_type_0 = KnownTrainingStatus(data)

                return componentsschemas_training_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KnownTrainingStatus | str, data)

        status = _parse_status(d.pop("status"))

        project_id = d.pop("project_id", UNSET)

        private_name = d.pop("private_name", UNSET)

        last_close_reason = d.pop("last_close_reason", UNSET)

        created = d.pop("created", UNSET)

        last_started = d.pop("last_started", UNSET)

        last_stopped = d.pop("last_stopped", UNSET)

        training = cls(
            id=id,
            status=status,
            project_id=project_id,
            private_name=private_name,
            last_close_reason=last_close_reason,
            created=created,
            last_started=last_started,
            last_stopped=last_stopped,
        )

        training.additional_properties = d
        return training

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
