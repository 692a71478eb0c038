"""What the facade tells the ``toloka_archive`` logger, and what it never tells it."""

from __future__ import annotations

import logging

import httpx
import pytest
from toloka_archive import AuthenticationError

from tests.facade.scripted import API_KEY, FakeClock, Script, error, polled, started, sync_client


def test_requests_polls_and_retries_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="toloka_archive")
    script = Script([error(429, "TOO_MANY_REQUESTS"), started(), polled("SUCCESS")])
    sync_client(script, FakeClock()).archive_pool("21")
    records = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "toloka_archive"]
    debug = [message for level, message in records if level == "DEBUG"]
    info = [message for level, message in records if level == "INFO"]
    assert "POST /pools/21/archive -> 429 (request_id req-429)" in debug
    assert "POST /pools/21/archive -> 202" in debug
    assert any(m.startswith("operation op-1 is PENDING (0%); next poll in") for m in debug)
    assert "GET /operations/op-1 -> 200" in debug
    assert len(info) == 1
    assert info[0].startswith("retrying POST /pools/21/archive in 0.50 s (retry 1 of 3)")
    assert "TOO_MANY_REQUESTS" in info[0]


def test_no_credential_in_any_log_record(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    echo = httpx.Response(
        401, json={"request_id": "r", "code": "AUTHENTICATION_ERROR", "message": "Unknown key"}
    )
    script = Script([httpx.ConnectError("refused"), echo])
    with pytest.raises(AuthenticationError) as caught:
        sync_client(script, FakeClock()).archive_pool("21")
    assert API_KEY not in caplog.text
    assert API_KEY not in str(caught.value)
    assert API_KEY not in repr(caught.value)
