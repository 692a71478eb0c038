"""Same scenario, same seed, same requests: the same bytes, run after run and carrier to carrier."""

from __future__ import annotations

import asyncio

import httpx
from toloka_archive.testing import FakeToloka, ManualClock, Scenario

from tests.fake.script import DISCONNECTED, STEPS, Answer, fresh_fake, run_async, run_sync

BASE_URL = "http://fake.toloka/api/v1"


def sync_session() -> list[Answer]:
    fake, clock = fresh_fake()
    with httpx.Client(transport=fake.transport(sleep=clock.sleep), base_url=BASE_URL) as client:
        return run_sync(client, clock.advance)


def async_session() -> list[Answer]:
    fake, clock = fresh_fake()

    async def go() -> list[Answer]:
        async with httpx.AsyncClient(
            transport=fake.async_transport(sleep=clock.async_sleep), base_url=BASE_URL
        ) as client:
            return await run_async(client, clock.async_sleep)

    return asyncio.run(go())


def test_the_script_meets_every_status() -> None:
    answers = sync_session()
    assert len(answers) == len(STEPS)
    seen = {answer if isinstance(answer, str) else answer[0] for answer in answers}
    assert seen == {200, 202, 204, 400, 401, 403, 404, 405, 409, 429, 500, 502, 503, DISCONNECTED}


def test_same_scenario_and_seed_give_the_same_bytes_run_after_run() -> None:
    assert sync_session() == sync_session()


def test_sync_and_async_transports_answer_the_same() -> None:
    assert sync_session() == async_session()


def test_another_seed_gives_other_ids_but_the_same_behaviour() -> None:
    def statuses_and_bodies(seed: int) -> tuple[list[object], list[bytes]]:
        clock = ManualClock()
        fake = FakeToloka.from_scenario(Scenario.load(None), clock=clock, seed=seed)
        with httpx.Client(transport=fake.transport(sleep=clock.sleep), base_url=BASE_URL) as c:
            answers = run_sync(c, clock.advance)
        return (
            [a if isinstance(a, str) else a[0] for a in answers],
            [b"" if isinstance(a, str) else a[2] for a in answers],
        )

    statuses_0, bodies_0 = statuses_and_bodies(0)
    statuses_1, bodies_1 = statuses_and_bodies(1)
    assert statuses_0 == statuses_1
    assert bodies_0 != bodies_1


def test_ids_are_pinned_across_processes_and_machines() -> None:
    # Derived by hashing (seed, purpose, n): no interpreter state, no hash randomisation.
    # Recorded cassettes rely on this; a change here means re-recording them.
    answers = sync_session()
    first_operation = answers[0]
    first_error = answers[3]
    assert not isinstance(first_operation, str)
    assert not isinstance(first_error, str)
    assert b'"id":"0000000001daefed99fe98e7"' in first_operation[2]
    assert b'"request_id":"d23ff807-c141-43d7-88b4-db377a77fb20"' in first_error[2]
