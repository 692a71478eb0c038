"""The fake Toloka set up for facade tests, with the client's clock tied to the fake's."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import UTC

from toloka_archive import Runtime
from toloka_archive.testing import FakeToloka, ManualClock

START = datetime.datetime(2026, 11, 1, 12, 0, 0)
KEY = "fake-key-facade-0001"
OTHER_KEY = "fake-key-facade-0002"


@dataclass
class World:
    """A fake with one pool per behaviour, and the clock both sides read."""

    clock: ManualClock = field(default_factory=lambda: ManualClock(start=START))
    slept: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.fake = FakeToloka(clock=self.clock, seed=7)
        self.fake.add_requester("me", api_keys=[KEY], oauth_tokens=["fake-oauth-facade-0001"])
        self.fake.add_requester("someone-else", api_keys=[OTHER_KEY])
        self.fake.add_pool("100", owner="me", archive_seconds=20.0)
        self.fake.add_pool("101", owner="me", status="ARCHIVED")
        self.fake.add_pool("102", owner="me", status="OPEN")
        self.fake.add_pool("103", owner="me", last_rejected=START - datetime.timedelta(days=2))
        self.fake.add_pool("104", owner="me", archive_seconds=3.0, fail=True)
        self.fake.add_pool("105", owner="me", last_rejected=START - datetime.timedelta(days=30))
        self.fake.add_pool("200", owner="someone-else")

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.clock.advance(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def runtime(self) -> Runtime:
        return Runtime(
            monotonic=self.clock.monotonic,
            wall_clock=lambda: self.clock.now().replace(tzinfo=UTC),
            random=lambda: 0.0,
        )
