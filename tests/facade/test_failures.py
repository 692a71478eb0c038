"""The one table of what a failure means: sent or not, acted on or maybe, final or unknown."""

from __future__ import annotations

import httpx
import pytest
from toloka_archive import (
    APIConnectionError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)
from toloka_archive._flows.failures import (
    error_may_have_acted,
    is_final,
    may_have_acted,
    never_sent,
)


@pytest.mark.parametrize(
    ("reply", "sent", "acted"),
    [
        (httpx.ConnectError("refused"), False, False),
        (httpx.ConnectTimeout("no syn-ack"), False, False),
        (httpx.PoolTimeout("no free connection"), True, False),  # waited for a slot, never sent
        (httpx.ReadTimeout("no answer"), True, True),
        (httpx.RemoteProtocolError("dropped"), True, True),
        (httpx.Response(503), True, True),
        (httpx.Response(502), True, True),
        (httpx.Response(408), True, True),
        (httpx.Response(429), True, False),
        (httpx.Response(409), True, False),
        (httpx.Response(404), True, False),
    ],
)
def test_what_a_failed_reply_may_have_done(
    reply: httpx.Response | httpx.TransportError, sent: bool, acted: bool
) -> None:
    assert never_sent(reply) is not sent
    assert may_have_acted(reply) is acted


def test_a_typed_error_is_read_through_its_cause_or_its_status() -> None:
    lost = APIConnectionError("POST /pools/1/archive: ReadTimeout")
    lost.__cause__ = httpx.ReadTimeout("no answer")
    refused = APIConnectionError("POST /pools/1/archive: ConnectError")
    refused.__cause__ = httpx.ConnectError("refused")
    assert error_may_have_acted(lost)
    assert not error_may_have_acted(refused)
    assert error_may_have_acted(InternalServerError(500, message="boom"))
    assert not error_may_have_acted(ConflictError(409, message="locked"))


def test_only_tolokas_own_4xx_answers_are_final() -> None:
    assert is_final(NotFoundError(404, message="no such pool"))
    assert is_final(ConflictError(409, message="wrong status"))
    assert not is_final(RateLimitError(429, message="slow down"))
    assert not is_final(InternalServerError(500, message="boom"))
    assert not is_final(APIConnectionError("dropped"))
