"""Reading Toloka's answers: the one home for turning an HTTP reply into a model or an error.

Like openai-python's ``_response.py``, every answer the facade reads goes through here:

- ``read_model(response, Model)`` and ``read_models(response, Model)`` read a success body with
  the generated models, and turn anything the contract does not promise (not JSON, the wrong
  shape, a missing field) into ``UnexpectedResponseError``;
- ``read_operation``, ``read_pool``, ``read_project`` and ``read_log`` read the objects the
  facade hands out, as its own types (``_wire.convert``); ``read_operation`` also checks the
  Operation against what was asked: the operation polled, the operation being started (an
  archive of that pool, ...), a progress within 0-100, an id safe to put in a URL;
- ``error_for(reply, request, now)`` turns a failed reply, an error status or a transport error,
  into the typed error it stands for (the status-to-class table itself is
  ``_errors.status_error_class``), with Toloka's ``code``, ``message``, ``request_id`` and
  ``payload`` when the body has them and a short excerpt when it is not JSON (a proxy's page);
- ``read_capped`` / ``aread_capped`` (used by the two drivers) read a body up to
  ``MAX_BODY_BYTES`` and no further, so a hostile or broken answer cannot fill the memory.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol, Self, TypeVar

import httpx

from toloka_archive._core.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    InvalidOperationIdError,
    NotTolokaAPIError,
    UnexpectedResponseError,
    excerpt,
    status_error_class,
)
from toloka_archive._core.flow import Request
from toloka_archive._core.ids import normalize_operation_id
from toloka_archive._core.models import LogEntry, Operation, Pool, Project, Training
from toloka_archive._wire import convert, generated
from toloka_archive._wire.paging import Page

MAX_BODY_BYTES = 1 << 20
"""Toloka's answers here are a few hundred bytes; a body past 1 MiB is refused unread."""

_TRUNCATED = "toloka_archive.truncated"  # response extension: the body was cut at the cap


class Model(Protocol):
    """A generated model: built from a JSON object by ``from_dict``."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...


M = TypeVar("M", bound=Model)

# What a generated model's from_dict raises on a body of the wrong shape.
_SHAPE_ERRORS = (KeyError, ValueError, TypeError, AttributeError)


def read_json(response: httpx.Response) -> Any:
    """The body as JSON, or ``UnexpectedResponseError``."""
    if response.extensions.get(_TRUNCATED):
        raise UnexpectedResponseError(
            response.status_code, f"larger than {MAX_BODY_BYTES} bytes", response.content
        )
    try:
        return json.loads(response.content)
    except RecursionError:
        raise UnexpectedResponseError(
            response.status_code, "JSON nested too deeply", response.content
        ) from None
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


class Expectation(Protocol):
    """What an answer to a request that starts an operation must be (``kinds.Job``)."""

    def contradiction(self, operation: Operation) -> str | None:
        """What makes ``operation`` not the expected one, in words; None when it is."""
        ...


def read_operation(
    response: httpx.Response,
    *,
    operation_id: str | None = None,
    expect: Expectation | None = None,
) -> Operation:
    """The Operation in ``response``, checked against what was asked for.

    ``operation_id``: the answer to a poll must be that operation. ``expect``: the answer to a
    request that starts an operation must be that very operation (a ``POOL.ARCHIVE`` of that
    pool, ...). Always: the id must be one that can be polled safely, and the progress, when
    given, within 0-100. Anything else would turn a wrong answer into a false success, so it
    is an ``UnexpectedResponseError``.
    """
    operation = convert.operation(read_model(response, generated.Operation))
    problem = _contradiction(operation, operation_id=operation_id, expect=expect)
    if problem is not None:
        raise UnexpectedResponseError(
            response.status_code, problem, response.content, contradicts=True
        )
    return operation


def _contradiction(
    operation: Operation, *, operation_id: str | None, expect: Expectation | None
) -> str | None:
    try:
        normalize_operation_id(operation.id)
    except InvalidOperationIdError:
        return "an operation id that cannot be used in a URL"
    if operation_id is not None and operation.id != operation_id:
        return f"operation {operation.id!r} instead of {operation_id!r}"
    if expect is not None and (problem := expect.contradiction(operation)) is not None:
        return problem
    progress = operation.progress
    if progress is not None and not 0 <= progress <= 100:
        return f"progress {progress} outside 0-100"
    return None


def read_log(response: httpx.Response) -> list[LogEntry]:
    """An operation's log: its steps, in order."""
    return [convert.log_entry(item) for item in read_models(response, generated.OperationLogItem)]


def read_operation_page(response: httpx.Response) -> Page[Operation]:
    """A page of ``GET /operations``."""
    page = read_model(response, generated.OperationPage)
    return Page([convert.operation(item) for item in page.items], _has_more(response, page))


def read_pool_page(response: httpx.Response) -> Page[Pool]:
    """A page of ``GET /pools``."""
    page = read_model(response, generated.PoolPage)
    return Page([convert.pool(item) for item in page.items], _has_more(response, page))


class _Paged(Protocol):
    @property
    def has_more(self) -> object:  # typed bool, but the generated model keeps what was sent
        ...


def _has_more(response: httpx.Response, page: _Paged) -> bool:
    """A page's ``has_more``, which must be true or false: ``"yes"`` or null is no answer."""
    has_more = page.has_more
    if not isinstance(has_more, bool):
        raise UnexpectedResponseError(
            response.status_code, f"has_more is {has_more!r}, not true or false", response.content
        )
    return has_more


def read_pool(response: httpx.Response) -> Pool:
    return convert.pool(read_model(response, generated.Pool))


def read_training(response: httpx.Response) -> Training:
    return convert.training(read_model(response, generated.Training))


def read_training_page(response: httpx.Response) -> Page[Training]:
    """A page of ``GET /trainings``."""
    page = read_model(response, generated.TrainingPage)
    return Page([convert.training(item) for item in page.items], _has_more(response, page))


def read_project(response: httpx.Response) -> Project:
    return convert.project(read_model(response, generated.Project))


def error_for(
    reply: httpx.Response | httpx.TransportError, request: Request, now: datetime
) -> APIError:
    """The typed error a failed reply stands for; ``now`` (UTC) reads a dated Retry-After."""
    if isinstance(reply, httpx.TimeoutException):
        return APITimeoutError(f"{request.label}: no answer in time ({type(reply).__name__})")
    if isinstance(reply, httpx.TransportError):
        return APIConnectionError(f"{request.label}: {type(reply).__name__}: {reply}")
    return error_from_response(reply, retry_after=retry_after_seconds(reply, now))


def error_from_response(
    response: httpx.Response, *, retry_after: float | None = None
) -> APIStatusError:
    """The typed error for an error status, whatever its body holds."""
    cls = status_error_class(response.status_code)
    body = _json_object(response.content)
    is_toloka_error = body is not None and isinstance(body.get("code"), str)
    if response.status_code == httpx.codes.NOT_FOUND and not is_toloka_error:
        # Toloka answers an unknown object with its JSON error body; anything else means the
        # request reached something that is not Toloka's API: the base URL is wrong.
        return NotTolokaAPIError(
            response.status_code,
            message=f"{excerpt(response.content) or 'no body'}: this is not Toloka's API; "
            "check the base URL (e.g. https://toloka.dev/api/v1)",
        )
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
    if not text:
        message = f"{reason} (no body)"
    elif text.startswith((reason, f"{response.status_code} {reason}")):
        message = text  # the page says its status itself: once is enough
    else:
        message = f"{reason}: {text}"
    return cls(response.status_code, message=message, retry_after=retry_after)


QUOTA_INTERVALS = {"MIN": 60.0, "HOUR": 3600.0, "DAY": 86400.0}
"""A 429 over one of Toloka's quotas says which in ``payload.interval``: the minute's, the
hour's or the day's. Without a ``Retry-After``, the quota's length is the hint (as toloka-kit
reads it), so a minute's quota is waited out and an hour's or a day's ends the try at once."""


def retry_after_seconds(response: httpx.Response, now: datetime) -> float | None:
    """The server's hint: ``retry-after-ms``, ``Retry-After`` (seconds or HTTP date), or for a
    429 without either, the length of the quota its body's ``payload.interval`` names."""
    headers = response.headers
    millis = _non_negative_number(headers.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000.0
    value = headers.get("retry-after")
    if value is None:
        return _quota_interval(response)
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


def _quota_interval(response: httpx.Response) -> float | None:
    if response.status_code != httpx.codes.TOO_MANY_REQUESTS:
        return None
    body = _json_object(response.content)
    payload = body.get("payload") if body is not None else None
    interval = payload.get("interval") if isinstance(payload, Mapping) else None
    return QUOTA_INTERVALS.get(interval) if isinstance(interval, str) else None


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
    except (ValueError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def read_capped(response: httpx.Response) -> httpx.Response:
    """Read a streamed ``response``'s body, stopping at ``MAX_BODY_BYTES``."""
    if _declared_size_fits(response):
        response.read()
        return response
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            break
    return _rebuilt(response, bytes(body))


async def aread_capped(response: httpx.Response) -> httpx.Response:
    """The async twin of ``read_capped``."""
    if _declared_size_fits(response):
        await response.aread()
        return response
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            break
    return _rebuilt(response, bytes(body))


_BODILESS_STATUSES = frozenset({204, 304})
"""HTTP gives these answers no body whatever their headers say (RFC 9110, 15.3.5 and 15.4.5);
the connection layer reads none, so reading one plainly cannot grow past the cap. The 204 is
Toloka's "already archived", the commonest answer of a bulk run over archived pools, and the
capped path (streaming, then a rebuilt response) cost it ~20 us of a ~550 us call."""


def _declared_size_fits(response: httpx.Response) -> bool:
    """A body that is empty by HTTP's rules, or a plain one whose Content-Length is within the
    cap: read it the ordinary way."""
    if response.status_code in _BODILESS_STATUSES:
        return True
    if response.headers.get("content-encoding", "identity") != "identity":
        return False  # a compressed body may grow past the cap when decoded
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) <= MAX_BODY_BYTES


def _rebuilt(response: httpx.Response, body: bytes) -> httpx.Response:
    """A response holding what was read (decoded), marked when the body was cut at the cap."""
    truncated = len(body) > MAX_BODY_BYTES
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=body[:MAX_BODY_BYTES],
        request=response.request,
        extensions={**response.extensions, _TRUNCATED: truncated},
    )
