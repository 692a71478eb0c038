"""HTTP behaviour replayed from vcrpy cassettes recorded against the fake Toloka.

CI replays (``--record-mode=none``, network blocked). ``make cassettes`` re-records every
cassette against the fake served on a fixed loopback port, with a manual clock that the
client's pauses move, so a recording takes no real time and recording twice gives the same
files. Keys are scrubbed before anything is written (and a test below proves it).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from toloka_archive import (
    ArchiveResult,
    AsyncTolokaClient,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    OperationFailedError,
    TolokaClient,
)
from toloka_archive.testing import Fault, serve

from tests.facade.fake_world import KEY, World

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
PORT = 18765  # fixed, so recorded URLs match on replay
BASE_URL = f"http://127.0.0.1:{PORT}/api/v1"
SCRUBBED_RESPONSE_HEADERS = ("date", "server")


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SCRUBBED_RESPONSE_HEADERS:
            del headers[name]
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    # No record_mode here: it would override --record-mode on the command line.
    return {
        "filter_headers": [("authorization", "REDACTED"), ("user-agent", None)],
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
        "match_on": ["method", "scheme", "host", "port", "path", "query"],
    }


@pytest.fixture
def world(record_mode: str) -> Iterator[World]:
    """The fake, served on the fixed port only while recording; replay needs no server."""
    world = World()
    world.fake.add_pool("110", owner="me", archive_seconds=3.0)
    world.fake.add_fault(
        Fault("rate_limit", pool="110", endpoint="archive", first=1, retry_after=1)
    )
    world.fake.add_pool("113", owner="me", archive_seconds=3.0)
    world.fake.add_fault(Fault("bad_gateway", pool="113", endpoint="archive", first=1))
    if record_mode == "none":
        yield world
    else:
        with serve(world.fake, port=PORT):
            yield world


def run_sync(world: World, call: Callable[[TolokaClient], Any], key: str = KEY) -> Any:
    with TolokaClient(
        api_key=key, base_url=BASE_URL, env={}, clock=world.clock, random=lambda: 0.0
    ) as client:
        return call(client)


def run_async(world: World, call: Callable[[AsyncTolokaClient], Any], key: str = KEY) -> Any:
    async def main() -> Any:
        async with AsyncTolokaClient(
            api_key=key,
            base_url=BASE_URL,
            env={},
            clock=world.clock,
            random=lambda: 0.0,
        ) as client:
            return await call(client)

    return asyncio.run(main())


MODES = ["sync", "async"]


def archive(world: World, mode: str, pool_id: str, key: str = KEY) -> ArchiveResult:
    if mode == "sync":
        return run_sync(world, lambda c: c.archive_pool(pool_id), key)  # type: ignore[no-any-return]
    return run_async(world, lambda c: c.archive_pool(pool_id), key)  # type: ignore[no-any-return]


@pytest.mark.vcr
@pytest.mark.parametrize("mode", MODES)
def test_archive_pending_running_success(world: World, mode: str) -> None:
    statuses: list[str] = []

    def call(client: Any) -> Any:
        return client.archive_pool("100", on_progress=lambda op: statuses.append(str(op.status)))

    result = run_sync(world, call) if mode == "sync" else run_async(world, call)
    assert result.operation is not None
    assert statuses[0] == "PENDING"
    assert "RUNNING" in statuses
    assert statuses[-1] == "SUCCESS"
    # A 20 s archive, pending for its first 2 s: the cold schedule's short looks, then one jump
    # predicted from its progress since Toloka started it (capped at 15 s), then the end.
    assert world.slept[:5] == [0.25, 0.75, 1.5, 3.0, 15.0]
    assert 20.0 <= sum(world.slept) <= 20.0 * 1.1


@pytest.mark.vcr
@pytest.mark.parametrize("mode", MODES)
def test_already_archived_is_204(world: World, mode: str) -> None:
    result = archive(world, mode, "101")
    assert result.already_archived
    assert world.slept == []


@pytest.mark.vcr
@pytest.mark.parametrize("mode", MODES)
def test_open_pool_is_a_conflict(world: World, mode: str) -> None:
    with pytest.raises(ConflictError) as caught:
        archive(world, mode, "102")
    assert caught.value.code == "INAPPROPRIATE_STATUS"
    assert caught.value.appropriate_statuses == ["CLOSED"]


@pytest.mark.vcr
@pytest.mark.parametrize("mode", MODES)
def test_rejection_window_is_a_conflict(world: World, mode: str) -> None:
    with pytest.raises(ConflictError) as caught:
        archive(world, mode, "103")
    assert caught.value.code == "THERE_IS_REJECTED_ASSIGNMENT"
    assert caught.value.payload["archivable_from"].startswith("2026-11-08T12:00:00")


@pytest.mark.vcr
@pytest.mark.parametrize("mode", MODES)
def test_unknown_pool_is_not_found(world: World, mode: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        archive(world, mode, "999")
    assert caught.value.code == "DOES_NOT_EXIST"
    assert caught.value.request_id


@pytest.mark.vcr
@pytest.mark.parametrize("mode", MODES)
def test_unknown_key_is_unauthenticated(world: World, mode: str) -> None:
    with pytest.raises(AuthenticationError) as caught:
        archive(world, mode, "100", key="fake-key-unknown-9999")
    assert caught.value.code == "AUTHENTICATION_ERROR"


@pytest.mark.vcr
@pytest.mark.parametrize("mode", MODES)
def test_429_with_retry_after_then_success(world: World, mode: str) -> None:
    result = archive(world, mode, "110")
    assert result.operation is not None
    assert world.slept[0] == 1.0  # the server's Retry-After, not the policy's 0.5 s


@pytest.mark.vcr
@pytest.mark.parametrize("mode", MODES)
def test_502_html_then_success(world: World, mode: str) -> None:
    result = archive(world, mode, "113")
    assert result.operation is not None
    assert world.slept[0] == 0.5  # the retry policy's first backoff


@pytest.mark.vcr
@pytest.mark.parametrize("mode", MODES)
def test_operation_that_fails(world: World, mode: str) -> None:
    with pytest.raises(OperationFailedError) as caught:
        archive(world, mode, "104")
    assert caught.value.log
    assert caught.value.log[0].success is False


@pytest.mark.vcr
@pytest.mark.parametrize("mode", MODES)
def test_preflight_reads_the_pool_and_its_last_rejection(world: World, mode: str) -> None:
    def call(client: Any) -> Any:
        return [client.check_archivable(pool) for pool in ("100", "102", "103")]

    async def acall(client: Any) -> Any:
        return [await client.check_archivable(pool) for pool in ("100", "102", "103")]

    checks = run_sync(world, call) if mode == "sync" else run_async(world, acall)
    assert [check.verdict.value for check in checks] == [
        "archivable",
        "wrong_status",
        "rejection_window",
    ]
    assert checks[2].reason == "has rejected tasks, archivable from 2026-11-08 12:00 UTC"


CREDENTIAL = re.compile(r"(ApiKey|OAuth|Bearer)\s+\S+", re.IGNORECASE)


def test_every_scenario_has_a_cassette() -> None:
    names = {path.stem for path in CASSETTES.glob("*.yaml")}
    # Every HTTP test above (the two checks here excepted) replays its own cassette, per mode.
    tests = [name for name in globals() if name.startswith("test_") and "cassette" not in name]
    assert len(tests) == 10
    assert {f"{test}[{mode}]" for test in tests for mode in MODES} <= names


def test_no_cassette_holds_a_credential() -> None:
    files = sorted(CASSETTES.glob("*.yaml"))
    assert files
    secrets = [KEY, "fake-key-facade-0002", "fake-key-unknown-9999", "fake-oauth-facade-0001"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not CREDENTIAL.search(text), path.name
        for secret in secrets:
            assert secret not in text, path.name
        assert "REDACTED" in text, f"{path.name}: the Authorization header was not scrubbed"
