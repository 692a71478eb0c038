"""Scripted HTTP answers and a fake clock, so facade tests run with no sleeping and no network."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
from toloka_archive import AsyncTolokaClient, Operation, PollPolicy, RetryPolicy, TolokaClient
from toloka_archive._wire import convert, generated

T = TypeVar("T")

BASE_URL = "http://127.0.0.1:9/api/v1"  # never contacted: requests go to a MockTransport
API_KEY = "test-key-0123456789abcdef"

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def operation(
    status: str = "PENDING", op_id: str = "op-1", pool_id: str = "21", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": op_id,
        "type": "POOL.ARCHIVE",
        "status": status,
        "submitted": "2026-11-01T12:00:00.000",
        "progress": {"PENDING": 0, "RUNNING": 50}.get(status, 100),
        "parameters": {"pool_id": pool_id},
        "details": {},
    }
    body.update(extra)
    return body


def snapshot(status: str = "PENDING", **extra: Any) -> Operation:
    """An Operation as the facade hands it out, read from ``operation(status, **extra)`` (and not
    checked: a test may want one that is wrong)."""
    return convert.operation(generated.Operation.from_dict(operation(status, **extra)))


def error(status: int, code: str, message: str = "m", **extra: Any) -> httpx.Response:
    body: dict[str, Any] = {"request_id": f"req-{status}", "code": code, "message": message}
    body.update(extra)
    return httpx.Response(status, json=body)


def started(status: str = "PENDING", **extra: Any) -> httpx.Response:
    return httpx.Response(202, json=operation(status, **extra))


def polled(status: str, **extra: Any) -> httpx.Response:
    return httpx.Response(200, json=operation(status, **extra))


@dataclass
class Script:
    """Answers requests in order and records them; running past the end fails the test."""

    answers: list[Answer]
    requests: list[str] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.raw_path.decode()}")
        assert self.answers, f"unexpected extra request: {request.method} {request.url.path}"
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer


@dataclass
class FakeClock:
    """A client clock whose time moves only when the code under test sleeps; records pauses."""

    elapsed: float = 1000.0
    slept: list[float] = field(default_factory=list)
    wall_start: datetime = datetime(2026, 11, 1, 12, 0, 0, tzinfo=UTC)

    def monotonic(self) -> float:
        return self.elapsed

    def now(self) -> datetime:
        return self.wall_start + timedelta(seconds=self.elapsed - 1000.0)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.elapsed += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


def draws(seed: int | None = None) -> Callable[[], float]:
    """A jitter source: seeded, or always 0 (no jitter) when ``seed`` is None."""
    return random.Random(seed).random if seed is not None else (lambda: 0.0)


def sync_client(script: Script, clock: FakeClock, **options: Any) -> TolokaClient:
    return TolokaClient(
        api_key=API_KEY,
        base_url=BASE_URL,
        transport=httpx.MockTransport(script.handle),
        env={},
        **{"clock": clock, "random": draws(), **options},
    )


def async_client(script: Script, clock: FakeClock, **options: Any) -> AsyncTolokaClient:
    return AsyncTolokaClient(
        api_key=API_KEY,
        base_url=BASE_URL,
        transport=httpx.MockTransport(script.handle),
        env={},
        **{"clock": clock, "random": draws(), **options},
    )


NO_JITTER_RETRY = RetryPolicy(jitter=0.0)
ROUND_SCHEDULE: dict[str, float] = {
    "first_delay": 1.0,
    "initial_delay": 1.5,
    "multiplier": 1.5,
    "min_delay": 0.2,
}
"""A poll schedule of round numbers (1 s, then x1.5), for the tests of waiting's mechanics
(budgets, retries, progress): their pauses read as plain arithmetic. The default schedule's own
shape (a cold client's short first looks) is tested in ``test_cold_polling``."""
NO_JITTER_POLL = PollPolicy(jitter=0.0, **ROUND_SCHEDULE)


class VirtualTime:
    """Virtual time for many asyncio tasks: a pause ends when the virtual clock reaches it.

    Unlike ``FakeClock`` (where each pause moves the clock at once, one after another), pauses
    here overlap as they would in real time: the clock jumps to the earliest wake-up only once
    every task is blocked. Enough for tests whose transports answer without real I/O.
    """

    def __init__(self) -> None:
        self.elapsed = 1000.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        return self.elapsed

    def now(self) -> datetime:
        return datetime(2026, 11, 1, 12, 0, 0, tzinfo=UTC) + timedelta(seconds=self.elapsed)

    def sleep(self, seconds: float) -> None:
        raise AssertionError("VirtualTime serves async clients only")

    async def async_sleep(self, seconds: float) -> None:
        wake = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.elapsed + seconds, next(self._order), wake))
        await wake

    async def run(self, main: Coroutine[Any, Any, T]) -> T:
        task = asyncio.ensure_future(main)
        while not task.done():
            for _ in range(50):  # let every runnable task reach its next pause
                await asyncio.sleep(0)
            if self._sleepers and not task.done():
                self.elapsed, _, wake = heapq.heappop(self._sleepers)
                wake.set_result(None)
        return task.result()
