"""Bulk archiving: one report per pool, bounded concurrency, shared back-off, nothing lost."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from toloka_archive import (
    AsyncTolokaClient,
    AuthenticationError,
    Outcome,
    PollPolicy,
    PoolReport,
    RetryPolicy,
    TolokaClient,
)
from toloka_archive._core.context import FlowContext
from toloka_archive._core.flow import Request, Send, Sleep
from toloka_archive._flows import sending as _retrying

from tests.facade.scripted import API_KEY, BASE_URL, FakeClock, VirtualTime, operation


def err(status: int, code: str, **extra: object) -> httpx.Response:
    return httpx.Response(status, json={"request_id": "r", "code": code, "message": code, **extra})


@dataclass
class MiniToloka:
    """A tiny router: each pool has a behaviour, operations finish on their second poll."""

    behaviours: dict[str, str]
    clock: FakeClock
    in_flight: set[str] = field(default_factory=set)
    peak: int = 0
    archive_requests: list[str] = field(default_factory=list)
    polls: dict[str, int] = field(default_factory=dict)
    sent_at: list[tuple[float, str]] = field(default_factory=list)
    throttle_once: set[str] = field(default_factory=set)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        self.sent_at.append((self.clock.monotonic(), path))
        if request.headers.get("Authorization") != f"ApiKey {API_KEY}":
            return err(401, "AUTHENTICATION_ERROR")
        parts = path.strip("/").split("/")
        if parts[0] == "pools" and parts[-1] == "archive":
            return self.archive(parts[1])
        if parts[0] == "pools":
            status = {"open": "OPEN", "archived": "ARCHIVED"}.get(
                self.behaviours[parts[1]], "CLOSED"
            )
            return httpx.Response(200, json={"id": parts[1], "status": status})
        if parts[0] == "assignments":
            pool_id = request.url.params["pool_id"]
            items = (
                [{"id": "a", "status": "REJECTED", "rejected": "2026-11-05T10:00:00"}]
                if self.behaviours[pool_id] == "rejected"
                else []
            )
            return httpx.Response(200, json={"items": items, "has_more": False})
        if parts[0] == "operations" and len(parts) == 3:
            return httpx.Response(200, json=[])
        return self.poll(parts[1])

    def archive(self, pool_id: str) -> httpx.Response:
        self.archive_requests.append(pool_id)
        behaviour = self.behaviours.get(pool_id, "missing")
        if behaviour == "throttled" and pool_id not in self.throttle_once:
            self.throttle_once.add(pool_id)
            return httpx.Response(429, headers={"Retry-After": "5"})
        if behaviour in ("ok", "fails", "throttled"):
            self.in_flight.add(pool_id)
            self.peak = max(self.peak, len(self.in_flight))
            return httpx.Response(
                202, json=operation("PENDING", op_id=f"op-{pool_id}", pool_id=pool_id)
            )
        if behaviour == "archived":
            return httpx.Response(204)
        if behaviour in ("open", "rejected"):
            return err(
                409,
                "INAPPROPRIATE_STATUS" if behaviour == "open" else "THERE_IS_REJECTED_ASSIGNMENT",
            )
        if behaviour == "forbidden":
            return err(403, "ACCESS_DENIED")
        return err(404, "DOES_NOT_EXIST")

    def poll(self, op_id: str) -> httpx.Response:
        pool_id = op_id.removeprefix("op-")
        count = self.polls[op_id] = self.polls.get(op_id, 0) + 1
        if count < 2:
            return httpx.Response(200, json=operation("RUNNING", op_id=op_id, pool_id=pool_id))
        self.in_flight.discard(pool_id)
        final = "FAIL" if self.behaviours[pool_id] == "fails" else "SUCCESS"
        return httpx.Response(200, json=operation(final, op_id=op_id, pool_id=pool_id))


class YieldingClock(FakeClock):
    """A fake clock whose async pause also lets the other workers run, as a real pause would."""

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)


def async_client(mini: MiniToloka, clock: FakeClock, api_key: str = API_KEY) -> AsyncTolokaClient:
    return AsyncTolokaClient(
        api_key=api_key,
        base_url=BASE_URL,
        env={},
        transport=httpx.MockTransport(mini.handle),
        clock=clock,
        random=lambda: 0.0,
        retry=RetryPolicy(jitter=0.0),
    )


def blocking_client(mini: MiniToloka, clock: FakeClock) -> TolokaClient:
    return TolokaClient(
        api_key=API_KEY,
        base_url=BASE_URL,
        env={},
        transport=httpx.MockTransport(mini.handle),
        clock=clock,
        random=lambda: 0.0,
    )


def collect(mini: MiniToloka, clock: FakeClock, ids: object, **options: object) -> list[PoolReport]:
    async def run() -> list[PoolReport]:
        async with async_client(mini, clock) as client:
            return [r async for r in client.archive_pools(ids, timeout=None, **options)]  # type: ignore[arg-type]

    return asyncio.run(run())


def test_every_pool_gets_its_outcome() -> None:
    behaviours = {
        "1": "ok",
        "2": "archived",
        "3": "open",
        "4": "rejected",
        "5": "forbidden",
        "6": "missing",
        "7": "fails",
    }
    clock = YieldingClock()
    mini = MiniToloka(behaviours, clock)
    reports = {r.pool_id: r for r in collect(mini, clock, [*behaviours, "x1"], concurrency=3)}
    assert {pool: r.outcome for pool, r in reports.items()} == {
        "1": Outcome.ARCHIVED,
        "2": Outcome.ALREADY_ARCHIVED,
        "3": Outcome.WRONG_STATUS,
        "4": Outcome.NOT_ARCHIVABLE_YET,
        "5": Outcome.NO_ACCESS,
        "6": Outcome.NOT_FOUND,
        "7": Outcome.FAILED,
        "x1": Outcome.INVALID_ID,
    }
    assert reports["3"].detail == "status OPEN, close it first"
    assert reports["4"].detail == "has rejected tasks, archivable from 2026-11-14 10:00 UTC"
    assert reports["4"].archivable_from is not None
    assert reports["1"].operation_id == "op-1"
    assert reports["7"].operation_id == "op-7"
    assert [r.outcome.ok for r in reports.values()].count(True) == 2


def test_concurrency_is_never_exceeded() -> None:
    clock = YieldingClock()
    mini = MiniToloka({str(i): "ok" for i in range(1, 41)}, clock)
    reports = collect(mini, clock, [str(i) for i in range(1, 41)], concurrency=4)
    assert len(reports) == 40
    assert all(r.outcome is Outcome.ARCHIVED for r in reports)
    assert mini.peak == 4


def test_duplicates_are_archived_once() -> None:
    clock = YieldingClock()
    mini = MiniToloka({"1": "ok", "2": "ok"}, clock)
    reports = collect(mini, clock, ["1", 1, "2", "1", 2], concurrency=2)
    assert sorted(r.pool_id for r in reports) == ["1", "2"]
    assert sorted(mini.archive_requests) == ["1", "2"]


def test_ids_are_read_lazily() -> None:
    clock = YieldingClock()
    mini = MiniToloka({str(i): "ok" for i in range(1, 1001)}, clock)
    pulled: list[int] = []

    def ids() -> Iterator[str]:
        for i in itertools.count(1):
            pulled.append(i)
            yield str(i)

    async def first_three() -> list[PoolReport]:
        async with async_client(mini, clock) as client:
            reports = client.archive_pools(ids(), concurrency=2, timeout=None)
            taken = [await anext(reports) for _ in range(3)]
            await reports.aclose()  # type: ignore[attr-defined]
            return taken

    assert len(asyncio.run(first_three())) == 3
    assert len(pulled) <= 3 + 2 + 1  # what finished, what was in flight, one look-ahead


def test_async_iterables_of_ids_work_too() -> None:
    async def ids() -> AsyncIterator[int]:
        for i in (1, 2):
            yield i

    clock = YieldingClock()
    mini = MiniToloka({"1": "ok", "2": "archived"}, clock)
    outcomes = sorted(r.outcome.value for r in collect(mini, clock, ids(), concurrency=2))
    assert outcomes == ["already_archived", "archived"]


def test_a_rejected_key_ends_the_run() -> None:
    clock = YieldingClock()
    mini = MiniToloka({"1": "ok", "2": "ok"}, clock)

    async def run() -> None:
        async with async_client(mini, clock, api_key="wrong-key") as client:
            async for _ in client.archive_pools(["1", "2"]):
                pass

    with pytest.raises(AuthenticationError):
        asyncio.run(run())


def test_a_429_pauses_every_flow_of_the_client() -> None:
    clock = YieldingClock()
    context = FlowContext(clock=clock)
    for _ in range(RetryPolicy().rate_limit_burst - 1):  # the client is already meeting 429s
        context.throttle.note(True)
    request = Request("POST", "/pools/1/archive")
    first, second = _retrying.send(request, context), _retrying.send(request, context)
    assert isinstance(next(first), Send)
    assert first.send(httpx.Response(429, headers={"Retry-After": "5"})) == Sleep(5.0)
    # The other flow has not sent anything yet: it waits out the same pause first.
    assert next(second) == Sleep(5.0)
    clock.sleep(5.0)
    assert isinstance(second.send(None), Send)


def hold_back_run(throttled: int) -> tuple[float, list[float]]:
    """Eight pools, four at a time, the first ``throttled`` of them told to wait 5 s once;
    returns when the 429s came, and when each later request was sent."""
    time = VirtualTime()
    behaviours = {str(i): "throttled" if i <= throttled else "ok" for i in range(1, 9)}
    mini = MiniToloka(behaviours, time)  # type: ignore[arg-type]
    client = AsyncTolokaClient(
        api_key=API_KEY,
        base_url=BASE_URL,
        env={},
        transport=httpx.MockTransport(mini.handle),
        clock=time,
        random=lambda: 0.0,
        retry=RetryPolicy(jitter=0.0),
    )

    async def run() -> list[PoolReport]:
        return [
            r async for r in client.archive_pools(list(behaviours), concurrency=4, timeout=None)
        ]

    reports = asyncio.run(time.run(run()))
    assert all(r.outcome is Outcome.ARCHIVED for r in reports)
    throttled_at = mini.sent_at[0][0]
    return throttled_at, [t for t, _ in mini.sent_at if t > throttled_at]


def test_bulk_workers_hold_back_when_the_client_is_over_the_limit() -> None:
    # Four workers start together and all four are told to wait 5 s: the client is over
    # Toloka's limit. Without a shared pause the others would poll at their first look; with
    # it, nobody sends anything before +5 s.
    throttled_at, after = hold_back_run(throttled=RetryPolicy().rate_limit_burst)
    assert after
    assert min(after) == throttled_at + 5.0


def test_one_429_among_successes_holds_back_only_its_pool() -> None:
    throttled_at, after = hold_back_run(throttled=1)
    first_look = PollPolicy().first_delay
    assert min(after) == throttled_at + first_look  # the others poll on their own schedule


def test_no_wait_reports_started_operations() -> None:
    clock = YieldingClock()
    mini = MiniToloka({"1": "ok", "2": "archived"}, clock)
    started: list[tuple[str, str]] = []
    reports = collect(
        mini, clock, ["1", "2"], wait=False, on_started=lambda p, o: started.append((p, o))
    )
    assert {r.pool_id: r.outcome for r in reports} == {
        "1": Outcome.STARTED,
        "2": Outcome.ALREADY_ARCHIVED,
    }
    assert started == [("1", "op-1")]
    assert mini.polls == {}


def test_dry_run_archives_nothing() -> None:
    behaviours = {"1": "ok", "2": "archived", "3": "open", "4": "rejected"}
    clock = YieldingClock()
    mini = MiniToloka(behaviours, clock)
    reports = {r.pool_id: r.outcome for r in collect(mini, clock, list(behaviours), dry_run=True)}
    assert reports == {
        "1": Outcome.ARCHIVABLE,
        "2": Outcome.ALREADY_ARCHIVED,
        "3": Outcome.WRONG_STATUS,
        "4": Outcome.NOT_ARCHIVABLE_YET,
    }
    assert mini.archive_requests == []


def test_the_blocking_client_runs_the_same_engine() -> None:
    clock = YieldingClock()
    behaviours = {"1": "ok", "2": "archived", "3": "open"}
    mini = MiniToloka(behaviours, clock)
    client = blocking_client(mini, clock)
    with client:
        reports = {
            r.pool_id: r.outcome for r in client.archive_pools(list(behaviours), timeout=None)
        }
    assert reports == {
        "1": Outcome.ARCHIVED,
        "2": Outcome.ALREADY_ARCHIVED,
        "3": Outcome.WRONG_STATUS,
    }


def test_the_blocking_iterator_can_stop_early() -> None:
    clock = YieldingClock()
    mini = MiniToloka({str(i): "ok" for i in range(1, 200)}, clock)
    client = blocking_client(mini, clock)
    reports = client.archive_pools((str(i) for i in range(1, 200)), concurrency=2, timeout=None)
    first = next(reports)
    reports.close()  # type: ignore[attr-defined]
    assert first.outcome is Outcome.ARCHIVED
    assert len(mini.archive_requests) < 10
