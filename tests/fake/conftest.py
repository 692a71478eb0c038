"""Fixtures for the fake Toloka's tests: a hand-moved clock, a small world, clients on it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import httpx
import pytest
from toloka_archive.testing import FakeToloka, ManualClock

START = datetime.datetime(2026, 11, 1, 12, 0, 0)
BASE_URL = "http://fake.toloka/api/v1"  # never resolved: the transport answers in-process
KEY = "key-one"
TOKEN = "token-one"
OTHER_KEY = "key-two"


def auth(key: str = KEY, scheme: str = "ApiKey") -> dict[str, str]:
    return {"Authorization": f"{scheme} {key}"}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=START)


@pytest.fixture
def fake(clock: ManualClock) -> FakeToloka:
    """Two requesters and one pool of each kind the tests need."""
    fake = FakeToloka(clock=clock, seed=7)
    fake.add_requester("one", api_keys=[KEY], oauth_tokens=[TOKEN])
    fake.add_requester("two", api_keys=[OTHER_KEY])
    fake.add_pool("21", owner="one", status="CLOSED", archive_seconds=10.0)
    fake.add_pool("22", owner="one", status="ARCHIVED")
    fake.add_pool("23", owner="one", status="OPEN")
    fake.add_pool(
        "24", owner="one", last_rejected=START - datetime.timedelta(days=2), archive_seconds=1.0
    )
    fake.add_pool("25", owner="one", archive_seconds=4.0, fail=True)
    fake.add_pool("90", owner="two")
    return fake


@pytest.fixture
def client(fake: FakeToloka, clock: ManualClock) -> Iterator[httpx.Client]:
    with httpx.Client(
        transport=fake.transport(sleep=clock.sleep), base_url=BASE_URL, headers=auth()
    ) as client:
        yield client
