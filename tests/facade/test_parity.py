"""The sync and async clients run one core: same answers in, same requests, pauses and outcome."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest
from toloka_archive import RetryPolicy

from tests.facade.scripted import (
    Answer,
    FakeClock,
    Script,
    async_client,
    draws,
    error,
    polled,
    started,
    sync_client,
)

SCENARIOS: dict[str, Callable[[], list[Answer]]] = {
    "success after retries": lambda: [
        httpx.ConnectError("refused"),
        httpx.Response(429, headers={"Retry-After": "2"}),
        started(),
        error(503, "REMOTE_SERVICE_UNAVAILABLE"),
        polled("RUNNING"),
        polled("PAUSED"),
        polled("SUCCESS"),
    ],
    "already archived": lambda: [httpx.Response(204)],
    "failed with log": lambda: [
        started(),
        polled("FAIL"),
        httpx.Response(200, json=[{"type": "X", "success": False, "output": {"message": "no"}}]),
    ],
    "timeout": lambda: [started()] + [polled("RUNNING")] * 10,
    "long rate limit hint": lambda: [httpx.Response(429, headers={"Retry-After": "3600"})],
    "conflict": lambda: [
        error(409, "INAPPROPRIATE_STATUS", payload={"appropriate_statuses": ["CLOSED"]})
    ],
    "html 502 then success": lambda: [
        httpx.Response(502, text="<html>x</html>"),
        started("SUCCESS"),
    ],
}


def outcome_of(call: Callable[[], object]) -> str:
    try:
        result = call()
    except Exception as raised:  # the parity is in what is raised, too
        return f"raised {type(raised).__name__}: {raised}"
    return f"returned {result!r}"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_sync_and_async_behave_the_same(name: str) -> None:
    policy = RetryPolicy()  # with jitter: the seeded random source makes it repeatable

    sync_script, sync_clock = Script(SCENARIOS[name]()), FakeClock()
    sync = sync_client(sync_script, sync_clock, retry=policy, random=draws(seed=7))
    sync_outcome = outcome_of(lambda: sync.archive_pool("21", timeout=20))

    async_script, async_clock = Script(SCENARIOS[name]()), FakeClock()
    aclient = async_client(async_script, async_clock, retry=policy, random=draws(seed=7))
    async_outcome = outcome_of(lambda: asyncio.run(aclient.archive_pool("21", timeout=20)))

    assert sync_script.requests, "the scenario made no request"
    assert async_script.requests == sync_script.requests
    assert async_clock.slept == sync_clock.slept
    assert async_outcome == sync_outcome
