"""Reading Toloka's answers: the one home for turning an HTTP reply into a model or an error.

Like openai-python's ``_response.py``, every answer the facade reads goes through here:

- ``read_model(response, Model)`` and ``read_models(response, Model)`` read a success body with
  the generated models, and turn anything the contract does not promise (not JSON, the wrong
  shape, a missing field) into ``UnexpectedResponseError``;
- ``error_for(reply, request, now)`` turns a failed reply, an error status or a transport error,
  into the typed error it stands for (the status-to-class table itself is
  ``_errors.status_error_class``), with Toloka's ``code``, ``message``, ``request_id`` and
  ``payload`` when the body has them and a short excerpt when it is not JSON (a proxy's page).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol, Self, TypeVar

import httpx

from toloka_archive._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    UnexpectedResponseError,
    excerpt,
    status_error_class,
)
from toloka_archive._flow import Request


class Model(Protocol):
    """A generated model: built from a JSON object by ``from_dict``."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...


M = TypeVar("M", bound=Model)

# What a generated model's from_dict raises on a body of the wrong shape.
_SHAPE_ERRORS = (KeyError, ValueError, TypeError, AttributeError)


def read_json(response: httpx.Response) -> Any:
    """The body as JSON, or ``UnexpectedResponseError``."""
    try:
        return json.loads(response.content)
    except ValueError as error:
        raise UnexpectedResponseError(response.status_code, "not JSON", response.content) from error


def read_model(response: httpx.Response, model: type[M]) -> M:
    """The body as one ``model`` object, or ``UnexpectedResponseError``."""
    body = read_json(response)
    if not isinstance(body, dict):
        raise UnexpectedResponseError(
            response.status_code, f"not a {model.__name__} object", response.content
        )
    try:
        return model.from_dict(body)
    except _SHAPE_ERRORS as error:
        raise UnexpectedResponseError(
            response.status_code,
            f"not a {model.__name__}: {type(error).__name__} {error}",
            response.content,
        ) from error


def read_models(response: httpx.Response, model: type[M]) -> list[M]:
    """The body as a list of ``model`` objects, or ``UnexpectedResponseError``."""
    body = read_json(response)
    if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
        raise UnexpectedResponseError(
            response.status_code, f"not a list of {model.__name__}", response.content
        )
    try:
        return [model.from_dict(item) for item in body]
    except _SHAPE_ERRORS as error:
        raise UnexpectedResponseError(
            response.status_code, f"not a list of {model.__name__}", response.content
        ) from error


def error_for(
    reply: httpx.Response | httpx.TransportError, request: Request, now: datetime
) -> APIError:
    """The typed error a failed reply stands for; ``now`` (UTC) reads a dated Retry-After."""
    if isinstance(reply, httpx.TimeoutException):
        return APITimeoutError(f"{request.label}: no answer in time ({type(reply).__name__})")
    if isinstance(reply, httpx.TransportError):
        return APIConnectionError(f"{request.label}: {type(reply).__name__}: {reply}")
    return error_from_response(reply, retry_after=retry_after_seconds(reply.headers, now))


def error_from_response(
    response: httpx.Response, *, retry_after: float | None = None
) -> APIStatusError:
    """The typed error for an error status, whatever its body holds."""
    cls = status_error_class(response.status_code)
    body = _json_object(response.content)
    if body is not None and isinstance(body.get("message"), str):
        payload = body.get("payload")
        return cls(
            response.status_code,
            code=_optional_str(body.get("code")),
            message=body["message"],
            request_id=_optional_str(body.get("request_id")),
            payload=payload if isinstance(payload, Mapping) else None,
            retry_after=retry_after,
        )
    reason = response.reason_phrase or "error"
    text = excerpt(response.content)
    return cls(
        response.status_code,
        message=f"{reason}: {text}" if text else f"{reason} (no body)",
        retry_after=retry_after,
    )


def retry_after_seconds(headers: httpx.Headers, now: datetime) -> float | None:
    """The server's hint, from ``retry-after-ms`` or ``Retry-After`` (seconds or HTTP date)."""
    millis = _non_negative_number(headers.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000.0
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _non_negative_number(value)
    if seconds is not None:
        return seconds
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # an unreadable hint is no hint: the policy's own backoff applies
    if moment.tzinfo is None:
        return None
    return max(0.0, (moment - now).total_seconds())


def request_id_of(response: httpx.Response) -> str | None:
    """Toloka's request id from an error body, for logs; None when there is none."""
    if response.is_success or not response.content.startswith(b"{"):
        return None
    body = _json_object(response.content)
    value = body.get("request_id") if body is not None else None
    return value if isinstance(value, str) else None


def _non_negative_number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        number = float(text.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _json_object(content: bytes) -> dict[str, Any] | None:
    try:
        body = json.loads(content)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None
