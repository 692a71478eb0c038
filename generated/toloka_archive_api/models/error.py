from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_payload import ErrorPayload


T = TypeVar("T", bound="Error")


@_attrs_define
class Error:
    """The body of every error response.

    Attributes:
        request_id (str): The request ID; quote it when asking Toloka's support.
        code (str): The error code, e.g. `DOES_NOT_EXIST` or `INAPPROPRIATE_STATUS`.
        message (str): A message for people.
        payload (ErrorPayload | Unset): Free-form details. For `INAPPROPRIATE_STATUS`, `appropriate_statuses` lists the
            statuses in which the request would have been accepted.
    """

    request_id: str
    code: str
    message: str
    payload: ErrorPayload | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        code = self.code

        message = self.message

        payload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.payload, Unset):
            payload = self.payload.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_id": request_id,
                "code": code,
                "message": message,
            }
        )
        if payload is not UNSET:
            field_dict["payload"] = payload

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_payload import ErrorPayload

        d = dict(src_dict)
        request_id = d.pop("request_id")

        code = d.pop("code")

        message = d.pop("message")

        _payload = d.pop("payload", UNSET)
        payload: ErrorPayload | Unset
        if isinstance(_payload, Unset):
            payload = UNSET
        else:
            payload = ErrorPayload.from_dict(_payload)

        error = cls(
            request_id=request_id,
            code=code,
            message=message,
            payload=payload,
        )

        error.additional_properties = d
        return error

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
