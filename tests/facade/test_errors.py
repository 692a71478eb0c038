"""Every answer Toloka (or a proxy) can give becomes the right typed error."""

from __future__ import annotations

import json

import httpx
import pytest
from toloka_archive import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    TolokaError,
    UnexpectedResponseError,
)
from toloka_archive._wire.response import error_from_response

from tests.facade.scripted import FakeClock, Script, error, started, sync_client

NO_RETRIES = {"max_retries": 0}


def fetch(answer: httpx.Response | Exception) -> None:
    """One read (a poll), whose failure is only mapped: archive starts that lose their answer
    ask Toloka what happened (see test_reconciling)."""
    sync_client(Script([answer]), FakeClock(), **NO_RETRIES).get_operation("op-1")


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "VALIDATION_ERROR", BadRequestError),
        (401, "AUTHENTICATION_ERROR", AuthenticationError),
        (403, "ACCESS_DENIED", PermissionDeniedError),
        (404, "DOES_NOT_EXIST", NotFoundError),
        (409, "CONFLICT_STATE", ConflictError),
        (429, "TOO_MANY_REQUESTS", RateLimitError),
        (500, "INTERNAL_ERROR", InternalServerError),
        (503, "REMOTE_SERVICE_UNAVAILABLE", InternalServerError),
        (520, "SOMETHING", InternalServerError),
        (418, "TEAPOT", APIStatusError),
    ],
)
def test_each_status_maps_to_its_class_with_the_body_fields(
    status: int, code: str, cls: type[APIStatusError]
) -> None:
    with pytest.raises(cls) as caught:
        fetch(error(status, code, "Human words", payload={"k": "v"}))
    raised = caught.value
    assert type(raised) is cls
    assert (raised.status_code, raised.code, raised.message) == (status, code, "Human words")
    assert raised.request_id == f"req-{status}"
    assert raised.payload == {"k": "v"}
    assert f"request_id req-{status}" in str(raised)


def test_conflict_exposes_appropriate_statuses() -> None:
    with pytest.raises(ConflictError) as caught:
        fetch(error(409, "INAPPROPRIATE_STATUS", payload={"appropriate_statuses": ["CLOSED"]}))
    assert caught.value.appropriate_statuses == ["CLOSED"]


def test_conflict_without_payload_has_no_appropriate_statuses() -> None:
    with pytest.raises(ConflictError) as caught:
        fetch(error(409, "CONFLICT_STATE"))
    assert caught.value.appropriate_statuses is None
    assert caught.value.payload == {}


def test_html_502_gives_a_status_error_with_a_short_excerpt() -> None:
    page = "<html><head><title>502 Bad Gateway</title></head><body>" + "x" * 5000 + "</body></html>"
    with pytest.raises(InternalServerError) as caught:
        fetch(httpx.Response(502, text=page, headers={"content-type": "text/html"}))
    raised = caught.value
    assert raised.status_code == 502
    assert raised.code is None
    assert "502 Bad Gateway" in raised.message
    assert "<" not in raised.message
    assert len(str(raised)) < 300


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b'{"code": 5}'])
def test_error_bodies_that_are_not_toloka_errors(body: bytes) -> None:
    with pytest.raises(InternalServerError) as caught:
        fetch(httpx.Response(500, content=body))
    assert caught.value.status_code == 500


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, b"<html>oops</html>"),
        (200, b"[]"),
        (200, json.dumps({"id": "x"}).encode()),  # no status, no type
        (
            200,
            json.dumps(
                {"id": "x", "type": "POOL.ARCHIVE", "status": "PENDING", "submitted": "yesterday"}
            ).encode(),
        ),
        (200, b""),
    ],
)
def test_success_status_with_unreadable_body(status: int, body: bytes) -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        fetch(httpx.Response(status, content=body))
    assert caught.value.status_code == status
    assert isinstance(caught.value.__cause__, Exception | type(None))


def test_connection_errors_and_timeouts() -> None:
    with pytest.raises(APIConnectionError) as caught:
        fetch(httpx.ConnectError("refused"))
    assert not isinstance(caught.value, APITimeoutError)
    with pytest.raises(APITimeoutError):
        fetch(httpx.ReadTimeout("slow"))
    with pytest.raises(APIConnectionError):
        fetch(httpx.RemoteProtocolError("Server disconnected without sending a response."))


def test_every_error_is_a_toloka_error() -> None:
    for answer in (
        error(404, "DOES_NOT_EXIST"),
        httpx.Response(200, content=b"x"),
        httpx.ConnectError("x"),
    ):
        with pytest.raises(TolokaError):
            fetch(answer)


def test_no_generated_code_exception_escapes_on_an_odd_answer() -> None:
    # The generated sync_detailed would raise KeyError here; the facade wraps it.
    with pytest.raises(UnexpectedResponseError) as caught:
        fetch(httpx.Response(200, json={"unexpected": True}))
    assert isinstance(caught.value.__cause__, KeyError)


def test_204_is_not_an_error() -> None:
    operation = sync_client(Script([httpx.Response(204)]), FakeClock()).start_archive_pool("21")
    assert operation.already_archived
    assert operation.done
    assert operation.operation is None


def test_started_operation_is_pending() -> None:
    operation = sync_client(Script([started()]), FakeClock()).start_archive_pool("21")
    assert not operation.already_archived
    assert not operation.done
    assert operation.operation_id == "op-1"


@pytest.mark.parametrize(
    ("status", "page", "said"),
    [
        (
            404,
            b"<html><title>404 Not Found</title><body><h1>Not Found</h1></body></html>",
            "404 Not Found: this is not Toloka's API; check the base URL",
        ),
        (502, b"<h1>502 Bad Gateway</h1><hr>nginx", "502 Bad Gateway nginx"),
        (502, b"upstream down", "502: Bad Gateway: upstream down"),
    ],
)
def test_a_proxys_page_that_says_its_status_is_said_once(
    status: int, page: bytes, said: str
) -> None:
    assert str(error_from_response(httpx.Response(status, content=page))).startswith(said)
