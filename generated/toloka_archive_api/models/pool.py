from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_pool_status import KnownPoolStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.pool_quality_control import PoolQualityControl


T = TypeVar("T", bound="Pool")


@_attrs_define
class Pool:
    """A pool, with the properties that archiving reads; Toloka sends many more (its
    settings), which are kept as they come.

        Attributes:
            id (str): The pool ID.
            status (KnownPoolStatus | str): A documented pool status, or a string that Toloka adds later.
            project_id (str | Unset): The project the pool belongs to.
            private_name (str | Unset): The pool's name, visible only to the requester.
            type_ (str | Unset): Deprecated by Toloka; always `REGULAR` for a pool.
            last_close_reason (str | Unset): Why the pool was last closed: `MANUAL`, `EXPIRED`, `COMPLETED`,
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
            quality_control (PoolQualityControl | Unset): The pool's quality control settings. Archiving reads only
                `training_requirement`; the
                rest (`configs`, `checkpoints_config`, ...) is kept as it comes.
    """

    id: str
    status: KnownPoolStatus | str
    project_id: str | Unset = UNSET
    private_name: str | Unset = UNSET
    type_: str | Unset = UNSET
    last_close_reason: str | Unset = UNSET
    created: str | Unset = UNSET
    last_started: str | Unset = UNSET
    last_stopped: str | Unset = UNSET
    quality_control: PoolQualityControl | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status: str
        if isinstance(self.status, KnownPoolStatus):
            status = self.status.value
        else:
            status = self.status

        project_id = self.project_id

        private_name = self.private_name

        type_ = self.type_

        last_close_reason = self.last_close_reason

        created = self.created

        last_started = self.last_started

        last_stopped = self.last_stopped

        quality_control: dict[str, Any] | Unset = UNSET
        if not isinstance(self.quality_control, Unset):
            quality_control = self.quality_control.to_dict()

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
        if type_ is not UNSET:
            field_dict["type"] = type_
        if last_close_reason is not UNSET:
            field_dict["last_close_reason"] = last_close_reason
        if created is not UNSET:
            field_dict["created"] = created
        if last_started is not UNSET:
            field_dict["last_started"] = last_started
        if last_stopped is not UNSET:
            field_dict["last_stopped"] = last_stopped
        if quality_control is not UNSET:
            field_dict["quality_control"] = quality_control

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.pool_quality_control import PoolQualityControl

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_status(data: object) -> KnownPoolStatus | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_pool_status_type_0 = KnownPoolStatus(data)

                return componentsschemas_pool_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KnownPoolStatus | str, data)

        status = _parse_status(d.pop("status"))

        project_id = d.pop("project_id", UNSET)

        private_name = d.pop("private_name", UNSET)

        type_ = d.pop("type", UNSET)

        last_close_reason = d.pop("last_close_reason", UNSET)

        created = d.pop("created", UNSET)

        last_started = d.pop("last_started", UNSET)

        last_stopped = d.pop("last_stopped", UNSET)

        _quality_control = d.pop("quality_control", UNSET)
        quality_control: PoolQualityControl | Unset
        if isinstance(_quality_control, Unset):
            quality_control = UNSET
        else:
            quality_control = PoolQualityControl.from_dict(_quality_control)

        pool = cls(
            id=id,
            status=status,
            project_id=project_id,
            private_name=private_name,
            type_=type_,
            last_close_reason=last_close_reason,
            created=created,
            last_started=last_started,
            last_stopped=last_stopped,
            quality_control=quality_control,
        )

        pool.additional_properties = d
        return pool

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
