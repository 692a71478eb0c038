"""The fault soak: under every kind of fault, each pool's report is what Toloka would say.

300 pools, a mix of every state, and about 30 % of requests meeting a fault of every kind,
including "Toloka did it but the answer was lost" (dropped after the archive started, timed
out, a 202 cut short or not JSON) and an archive started by someone else a moment before ours
(a late 409 lock). In-process, seeded, on the fake's manual clock: no real sleeping.

Each report is checked against the fake's final state, pool by pool: no false success, no
false failure, nothing unknown, every pool reported once, one archive operation per pool.
"""

from __future__ import annotations

import asyncio
import datetime
import random
from collections import Counter

import pytest
from toloka_archive import AsyncTolokaClient, Outcome, PoolReport
from toloka_archive.testing import FakeToloka, Fault, ManualClock

KEY = "fake-key-soak-0001"
START = datetime.datetime(2026, 11, 1, 12, 0, 0)
POOLS = 300

# Faults on any request (lookups and polls included) and on archive requests only; each is
# drawn independently, so together about 30 % of requests meet one.
ANYWHERE = ("rate_limit", "internal_error", "unavailable", "bad_gateway", "disconnect", "slow")
ON_ARCHIVE = (
    "drop_after_commit",
    "timeout_after_commit",
    "truncated_202",
    "invalid_json_202",
    "locked_by_other",
)


def build(seed: int) -> tuple[FakeToloka, ManualClock, dict[str, str]]:
    """A fake with POOLS pools of every kind; returns what each pool was at the start."""
    clock = ManualClock(start=START)
    fake = FakeToloka(clock=clock, seed=seed, rate_limit=None)
    fake.add_requester("me", api_keys=[KEY])
    draw = random.Random(seed)
    kinds: dict[str, str] = {}
    for number in range(1, POOLS + 1):
        pool_id = str(1000 + number)
        kind = draw.choices(
            ["closed", "archived", "open", "rejected", "fails"], weights=[80, 6, 5, 5, 4]
        )[0]
        kinds[pool_id] = kind
        fake.add_pool(
            pool_id,
            status={"archived": "ARCHIVED", "open": "OPEN"}.get(kind, "CLOSED"),
            last_rejected=START - datetime.timedelta(days=2) if kind == "rejected" else None,
            archive_seconds=draw.choice([0.3, 1.0, 5.0, 20.0]),
            fail=kind == "fails",
        )
    for kind in ANYWHERE:
        options = {"retry_after": 1} if kind == "rate_limit" else {}
        options |= {"delay": 0.5} if kind == "slow" else {}
        fake.add_fault(Fault(kind, probability=0.06, **options))  # type: ignore[arg-type]
    for kind in ON_ARCHIVE:
        fake.add_fault(Fault(kind, endpoint="archive", probability=0.06))  # type: ignore[arg-type]
    return fake, clock, kinds


class PausingClock(ManualClock):
    """The fake's clock for the client too; an async pause also lets the other workers run."""

    async def async_sleep(self, seconds: float) -> None:
        self.advance(seconds)
        await asyncio.sleep(0)


def run(seed: int) -> tuple[FakeToloka, dict[str, str], list[PoolReport]]:
    fake, clock, kinds = build(seed)

    async def main() -> list[PoolReport]:
        async with AsyncTolokaClient(
            api_key=KEY,
            base_url="http://127.0.0.1:9/api/v1",
            env={},
            transport=fake.async_transport(sleep=clock.async_sleep),
            clock=clock,
            random=random.Random(seed).random,
        ) as client:
            return [r async for r in client.archive_pools(kinds, concurrency=32, timeout=None)]

    return fake, kinds, asyncio.run(main())


def expected(fake: FakeToloka, pool_id: str, kind: str) -> Outcome:
    """What Toloka says of the pool at the end, in the report's terms."""
    operations = fake.operations(pool_id)
    if kind == "archived":
        return Outcome.ALREADY_ARCHIVED
    if kind == "open":
        return Outcome.WRONG_STATUS
    if kind == "rejected":
        return Outcome.NOT_ARCHIVABLE_YET
    if not operations:  # every try failed in passing, and Toloka started nothing: not archived
        assert fake.pool(pool_id).status == "CLOSED"
        return Outcome.FAILED
    assert [op.status for op in operations] in (["SUCCESS"], ["FAIL"])
    return Outcome.ARCHIVED if operations[0].status == "SUCCESS" else Outcome.FAILED


@pytest.mark.parametrize("seed", [1, 2])
def test_every_report_is_what_toloka_says(seed: int) -> None:
    fake, kinds, reports = run(seed)
    assert Counter(r.pool_id for r in reports) == Counter(list(kinds))  # each pool, once
    faults_met = sum(1 for r in fake.requests if r.fault is not None)
    assert faults_met > 0.2 * fake.request_count  # the soak really was faulty

    wrong = []
    for report in reports:
        pool_id = report.pool_id
        truth = expected(fake, pool_id, kinds[pool_id])
        operations = fake.operations(pool_id)
        if report.outcome is not truth:
            wrong.append(f"{pool_id} ({kinds[pool_id]}): {report.outcome.value} {report.detail}")
        elif truth in (Outcome.ARCHIVED, Outcome.FAILED):
            assert report.operation_id == (operations[0].id if operations else None), pool_id
        assert len(operations) <= 1, f"pool {pool_id} got {len(operations)} archive operations"
    assert wrong == []
    not_started = [r for r in reports if r.outcome is Outcome.FAILED and r.operation_id is None]
    assert len(not_started) <= 3  # rare: every round met a fault that started nothing
