"""The fake Toloka set up for facade tests, with the client's clock tied to the fake's."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from toloka_archive.testing import FakeToloka, ManualClock

START = datetime.datetime(2026, 11, 1, 12, 0, 0)
KEY = "fake-key-facade-0001"
OTHER_KEY = "fake-key-facade-0002"


class RecordingClock(ManualClock):
    """The fake's manual clock, handed to the client too, noting every pause the client takes."""

    def __init__(self, start: datetime.datetime) -> None:
        super().__init__(start=start)
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        super().sleep(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


@dataclass
class World:
    """A fake with one pool per behaviour, and the clock both sides read."""

    clock: RecordingClock = field(default_factory=lambda: RecordingClock(start=START))

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

    async def fake_pause(self, seconds: float) -> None:
        """The fake's own pause (a ``slow`` fault): time passes, but the client took no pause."""
        self.clock.advance(seconds)

    @property
    def slept(self) -> list[float]:
        """Every pause the client took, in order."""
        return self.clock.slept
