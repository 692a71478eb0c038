from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.known_assignment_status import KnownAssignmentStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Assignment")


@_attrs_define
class Assignment:
    """A task suite given to a Toloker, with the properties the pre-flight reads.

    Attributes:
        id (str): The assignment ID.
        task_suite_id (str | Unset):
        pool_id (str | Unset):
        user_id (str | Unset):
        status (KnownAssignmentStatus | str | Unset): A documented assignment status, or a string that Toloka adds
            later.
        reward (float | Unset):
        created (str | Unset): A moment in UTC, ISO 8601 without an offset: `YYYY-MM-DDThh:mm:ss[.sss]`, e.g.
            `2016-04-07T16:06:15.902`. Not `format: date-time`, which would require an offset.
             Example: 2016-04-07T16:06:15.902.
        submitted (str | Unset): A moment in UTC, ISO 8601 without an offset: `YYYY-MM-DDThh:mm:ss[.sss]`, e.g.
            `2016-04-07T16:06:15.902`. Not `format: date-time`, which would require an offset.
             Example: 2016-04-07T16:06:15.902.
        accepted (str | Unset): A moment in UTC, ISO 8601 without an offset: `YYYY-MM-DDThh:mm:ss[.sss]`, e.g.
            `2016-04-07T16:06:15.902`. Not `format: date-time`, which would require an offset.
             Example: 2016-04-07T16:06:15.902.
        rejected (str | Unset): A moment in UTC, ISO 8601 without an offset: `YYYY-MM-DDThh:mm:ss[.sss]`, e.g.
            `2016-04-07T16:06:15.902`. Not `format: date-time`, which would require an offset.
             Example: 2016-04-07T16:06:15.902.
        skipped (str | Unset): A moment in UTC, ISO 8601 without an offset: `YYYY-MM-DDThh:mm:ss[.sss]`, e.g.
            `2016-04-07T16:06:15.902`. Not `format: date-time`, which would require an offset.
             Example: 2016-04-07T16:06:15.902.
        expired (str | Unset): A moment in UTC, ISO 8601 without an offset: `YYYY-MM-DDThh:mm:ss[.sss]`, e.g.
            `2016-04-07T16:06:15.902`. Not `format: date-time`, which would require an offset.
             Example: 2016-04-07T16:06:15.902.
    """

    id: str
    task_suite_id: str | Unset = UNSET
    pool_id: str | Unset = UNSET
    user_id: str | Unset = UNSET
    status: KnownAssignmentStatus | str | Unset = UNSET
    reward: float | Unset = UNSET
    created: str | Unset = UNSET
    submitted: str | Unset = UNSET
    accepted: str | Unset = UNSET
    rejected: str | Unset = UNSET
    skipped: str | Unset = UNSET
    expired: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        task_suite_id = self.task_suite_id

        pool_id = self.pool_id

        user_id = self.user_id

        status: str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, KnownAssignmentStatus):
            status = self.status.value
        else:
            status = self.status

        reward = self.reward

        created = self.created

        submitted = self.submitted

        accepted = self.accepted

        rejected = self.rejected

        skipped = self.skipped

        expired = self.expired

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if task_suite_id is not UNSET:
            field_dict["task_suite_id"] = task_suite_id
        if pool_id is not UNSET:
            field_dict["pool_id"] = pool_id
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if status is not UNSET:
            field_dict["status"] = status
        if reward is not UNSET:
            field_dict["reward"] = reward
        if created is not UNSET:
            field_dict["created"] = created
        if submitted is not UNSET:
            field_dict["submitted"] = submitted
        if accepted is not UNSET:
            field_dict["accepted"] = accepted
        if rejected is not UNSET:
            field_dict["rejected"] = rejected
        if skipped is not UNSET:
            field_dict["skipped"] = skipped
        if expired is not UNSET:
            field_dict["expired"] = expired

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        task_suite_id = d.pop("task_suite_id", UNSET)

        pool_id = d.pop("pool_id", UNSET)

        user_id = d.pop("user_id", UNSET)

        def _parse_status(data: object) -> KnownAssignmentStatus | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_assignment_status_type_0 = KnownAssignmentStatus(data)

                return componentsschemas_assignment_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KnownAssignmentStatus | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        reward = d.pop("reward", UNSET)

        created = d.pop("created", UNSET)

        submitted = d.pop("submitted", UNSET)

        accepted = d.pop("accepted", UNSET)

        rejected = d.pop("rejected", UNSET)

        skipped = d.pop("skipped", UNSET)

        expired = d.pop("expired", UNSET)

        assignment = cls(
            id=id,
            task_suite_id=task_suite_id,
            pool_id=pool_id,
            user_id=user_id,
            status=status,
            reward=reward,
            created=created,
            submitted=submitted,
            accepted=accepted,
            rejected=rejected,
            skipped=skipped,
            expired=expired,
        )

        assignment.additional_properties = d
        return assignment

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
