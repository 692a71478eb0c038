"""From the generated models to the facade's own types (``_core.models``).

The generated client keeps Toloka's answer as it came: timestamps as the strings Toloka sends
(UTC without an offset), statuses as its ``Known*`` enums or plain strings, optional fields as
``UNSET``. Every answer the facade hands out is converted here, once, as it is read: aware UTC
datetimes, the facade's enums (an unknown value stays a string), None for what is absent. The
generated model stays reachable as ``raw``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from toloka_archive._core.dates import parse_timestamp
from toloka_archive._core.models import (
    LogEntry,
    Operation,
    OperationStatus,
    OperationType,
    Pool,
    PoolStatus,
    Project,
    ProjectStatus,
    Training,
    TrainingStatus,
)

if TYPE_CHECKING:
    from toloka_archive_api import models as generated_models

E = TypeVar("E", bound=enum.StrEnum)


def operation(raw: generated_models.Operation) -> Operation:
    parameters = _plain(raw.parameters)
    details = _plain(raw.details)
    return Operation(
        id=raw.id,
        type=_member(OperationType, raw.type_),
        status=_member(OperationStatus, raw.status),
        submitted=parse_timestamp(raw.submitted),
        started=parse_timestamp(raw.started),
        finished=parse_timestamp(raw.finished),
        progress=raw.progress if isinstance(raw.progress, int) else None,
        parameters=parameters or {},
        details=details,
        raw=raw,
    )


def log_entry(raw: generated_models.OperationLogItem) -> LogEntry:
    return LogEntry(
        type=_text(raw.type_),
        success=raw.success if isinstance(raw.success, bool) else None,
        input=_plain(raw.input_) or {},
        output=_plain(raw.output) or {},
        raw=raw,
    )


def pool(raw: generated_models.Pool) -> Pool:
    return Pool(
        id=raw.id,
        status=_member(PoolStatus, raw.status),
        project_id=_text(raw.project_id),
        private_name=_text(raw.private_name),
        created=parse_timestamp(raw.created),
        last_started=parse_timestamp(raw.last_started),
        last_stopped=parse_timestamp(raw.last_stopped),
        last_close_reason=_text(raw.last_close_reason),
        raw=raw,
        training_id=_required_training(raw),
    )


def _required_training(raw: generated_models.Pool) -> str | None:
    """``quality_control.training_requirement.training_pool_id``, when the pool has one."""
    quality_control = _plain(raw.quality_control) or {}
    requirement = quality_control.get("training_requirement")
    if not isinstance(requirement, Mapping):
        return None
    return _text(requirement.get("training_pool_id")) or None


def training(raw: generated_models.Training) -> Training:
    return Training(
        id=raw.id,
        status=_member(TrainingStatus, raw.status),
        project_id=_text(raw.project_id),
        private_name=_text(raw.private_name),
        created=parse_timestamp(raw.created),
        last_started=parse_timestamp(raw.last_started),
        last_stopped=parse_timestamp(raw.last_stopped),
        last_close_reason=_text(raw.last_close_reason),
        raw=raw,
    )


def project(raw: generated_models.Project) -> Project:
    return Project(
        id=raw.id,
        status=_member(ProjectStatus, raw.status),
        public_name=_text(raw.public_name),
        created=parse_timestamp(raw.created),
        raw=raw,
    )


def _member(enum_type: type[E], value: object) -> E | str:
    """The facade's member for a documented value; the text itself for any other."""
    text = str(value)  # the generated Known* enums are StrEnums: str() is the value
    try:
        return enum_type(text)
    except ValueError:
        return text


def _plain(value: object) -> dict[str, Any] | None:
    """A generated object (``to_dict``) or a mapping, as a plain dict; None when absent."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        value = to_dict()
    return dict(value) if isinstance(value, Mapping) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
