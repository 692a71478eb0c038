"""A cold client waits no longer than the operation: the default schedule's short first looks,
predictions from the operation's own timeline, and a first wave that learns from its first
finished operations.

Against the fake Toloka in process, on its manual clock: every duration here is the fake's
time, moved only by the client's pauses, so the numbers are exact and no test waits.
"""

from __future__ import annotations

import datetime
import math

import pytest
from toloka_archive import PollPolicy, TolokaClient
from toloka_archive._core.policies import PollTimer
from toloka_archive.testing import FakeToloka, ManualClock

from tests.facade.scripted import FakeClock, snapshot

START = datetime.datetime(2026, 11, 1, 12, 0, 0)
KEY = "fake-key-cold-0001"


def cold_archive(seconds: float, draw: float = 0.5) -> tuple[float, int]:
    """One pool archived by a client that has seen nothing finish: (waited / length, requests)."""
    clock = ManualClock(start=START)
    fake = FakeToloka(clock=clock, seed=0, rate_limit=None)
    fake.add_requester("me", api_keys=[KEY])
    fake.add_pool("1", status="CLOSED", archive_seconds=seconds)
    client = TolokaClient(
        api_key=KEY,
        base_url="http://127.0.0.1:9/api/v1",
        env={},
        transport=fake.transport(),
        clock=clock,
        random=lambda: draw,
    )
    began = clock.monotonic()
    client.archive_pool(1)
    return (clock.monotonic() - began) / seconds, fake.request_count


LENGTHS = [0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0]


@pytest.mark.parametrize("seconds", LENGTHS)
@pytest.mark.parametrize("draw", [0.0, 0.5, 0.99])
def test_a_cold_wait_overshoots_no_operation_by_more_than_30_percent(
    seconds: float, draw: float
) -> None:
    overshoot, _ = cold_archive(seconds, draw)
    assert 1.0 <= overshoot <= 1.3


@pytest.mark.parametrize(("seconds", "requests"), [(0.3, 3), (1.0, 3), (2.0, 4), (5.0, 4)])
def test_short_operations_cost_a_few_requests(seconds: float, requests: int) -> None:
    # The archive request, then two or three looks: one after 0.25 s, and the one the
    # operation's progress predicts.
    assert cold_archive(seconds)[1] == requests


def test_about_one_more_look_per_doubling_of_the_length() -> None:
    looks = {seconds: cold_archive(seconds)[1] for seconds in (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)}
    more = [looks[2 * s] - looks[s] for s in (1.0, 2.0, 4.0, 8.0, 16.0)]
    assert max(more) <= 2
    assert sum(more) <= 7  # 5 doublings


def fresh_timer(
    learned: float | None = None, policy: PollPolicy | None = None
) -> tuple[PollTimer, FakeClock, list[float | None]]:
    clock = FakeClock()
    memory: list[float | None] = [learned]
    timer = PollTimer(
        policy or PollPolicy(jitter=0.0),
        None,
        clock.monotonic,
        lambda: 0.0,
        learned=lambda: memory[0],
        fresh=True,
    )
    return timer, clock, memory


def running(progress: int, queued: float) -> object:
    """A snapshot started ``queued`` seconds after it was submitted, at ``progress`` percent."""
    submitted = "2026-11-01T12:00:00.000"
    started = (datetime.datetime(2026, 11, 1, 12) + datetime.timedelta(seconds=queued)).isoformat(
        timespec="milliseconds"
    )
    return snapshot("RUNNING", progress=progress, submitted=submitted, started=started)


def predicted_end(running_for: float, percent: int) -> float:
    """When an operation at ``percent`` after ``running_for`` s will be done, read as the middle
    of its whole percent, moved later by what that reading may be off and a 1 % cushion."""
    read = percent + 0.5
    return running_for * 100 / read * (1 + 0.5 / read + 0.01)


def test_one_look_at_the_timeline_places_the_next_at_the_end() -> None:
    timer, clock, _ = fresh_timer()
    assert timer.next_delay(snapshot("PENDING")) == 0.25
    clock.sleep(0.25)
    # Started 0.03 s after it was submitted, 81 % done 0.22 s later: done at about 0.3 s.
    delay = timer.next_delay(running(81, queued=0.03))  # type: ignore[arg-type]
    assert delay == pytest.approx(predicted_end(0.22, 81) - 0.22)
    assert 0.3 <= 0.25 + delay <= 0.3 * 1.05


def test_a_trusted_prediction_may_lengthen_a_pause_up_to_the_cap() -> None:
    timer, clock, _ = fresh_timer()
    timer.next_delay(snapshot("PENDING"))
    clock.sleep(0.75)
    # Started 0.5 s after it was submitted, 11 % done 0.25 s later: done at about 2.3 s, which
    # is past the 0.75 s pause the schedule has next, and trusted.
    delay = timer.next_delay(running(11, queued=0.5))  # type: ignore[arg-type]
    assert delay == pytest.approx(predicted_end(0.25, 11) - 0.25)
    assert delay > 0.75


def test_a_very_long_prediction_waits_for_the_cap_no_longer() -> None:
    timer, clock, _ = fresh_timer()
    timer.next_delay(snapshot("PENDING"))
    clock.sleep(10.25)
    assert timer.next_delay(running(5, queued=0.25)) == 15.0  # type: ignore[arg-type]


def test_a_coarse_first_percent_only_shortens_a_pause() -> None:
    timer, clock, _ = fresh_timer()
    timer.next_delay(snapshot("PENDING"))
    clock.sleep(0.25)
    # 1 % after 0.05 s says about 3.3 s more, too coarse to lengthen the 0.75 s pause.
    assert timer.next_delay(running(1, queued=0.2)) == 0.75  # type: ignore[arg-type]


def test_an_operation_already_under_way_is_not_read_from_its_timeline() -> None:
    clock = FakeClock()
    timer = PollTimer(PollPolicy(jitter=0.0), None, clock.monotonic, lambda: 0.0, fresh=False)
    assert timer.next_delay(running(50, queued=0.0)) == 0.25  # type: ignore[arg-type]


def test_the_first_wave_learns_from_its_first_finished_operation() -> None:
    timer, clock, memory = fresh_timer()
    assert timer.next_delay(snapshot("PENDING")) == 0.25
    clock.sleep(0.25)
    memory[0] = 0.6  # meanwhile, another operation of the run finished in 0.6 s
    assert timer.next_delay(snapshot("PENDING")) == pytest.approx(0.6 * 1.03 - 0.25)
    clock.sleep(0.6 * 1.03 - 0.25)
    assert timer.next_delay(snapshot("PENDING")) == 1.5  # then the schedule goes on


def test_what_was_learned_before_the_wait_places_its_first_look() -> None:
    timer, _, _ = fresh_timer(learned=5.0)
    assert timer.next_delay(snapshot("PENDING")) == pytest.approx(5.0 * 1.03)


@pytest.mark.parametrize("seconds", [0.2, 5.0, 60.0])
def test_without_progress_the_schedule_alone_overshoots_at_most_twice(seconds: float) -> None:
    timer, clock, _ = fresh_timer(policy=PollPolicy(jitter=0.0, follow_progress=False))
    while clock.elapsed - 1000.0 < seconds:
        clock.sleep(timer.next_delay(snapshot("RUNNING", progress=None)))
    looked = clock.elapsed - 1000.0
    assert looked <= max(0.25, 2 * seconds)
    assert timer.polls <= 2 + math.ceil(math.log2(seconds / 0.25)) + 4  # 15 s cap
