"""Waiting: success, failure, the budget, unknown statuses, progress, and resuming by id."""

from __future__ import annotations

import itertools
import logging

import httpx
import pytest
from toloka_archive import (
    ArchiveResult,
    InternalServerError,
    NotFoundError,
    OperationFailedError,
    OperationTimeoutError,
    PollPolicy,
)

from tests.facade.scripted import (
    NO_JITTER_POLL,
    ROUND_SCHEDULE,
    FakeClock,
    Script,
    error,
    polled,
    started,
    sync_client,
)

ARCHIVE = "POST /api/v1/pools/21/archive"
POLL = "GET /api/v1/operations/op-1"
LOG = "GET /api/v1/operations/op-1/log"


def test_pending_running_success() -> None:
    script = Script([started("PENDING"), polled("PENDING"), polled("RUNNING"), polled("SUCCESS")])
    clock = FakeClock()
    result = sync_client(script, clock, poll=NO_JITTER_POLL).archive_pool("21")
    assert isinstance(result, ArchiveResult)
    assert (result.pool_id, result.already_archived) == ("21", False)
    assert result.operation is not None
    assert result.operation.status.value == "SUCCESS"  # type: ignore[union-attr]
    assert script.requests == [ARCHIVE, POLL, POLL, POLL]
    assert clock.slept == [1.0, 1.5, 2.25]


def test_poll_delays_start_short_and_double_to_the_cap() -> None:
    # A cold client's first look comes after 0.25 s, the next 0.75 s later; then each pause
    # doubles, up to 15 s.
    plain = list(itertools.islice(PollPolicy().delays(lambda: 0.0), 9))
    assert plain == [0.25, 0.75, 1.5, 3.0, 6.0, 12.0, 15.0, 15.0, 15.0]
    # The jitter only shortens a pause, and only from 1 s on: the first looks are exact.
    jittered = list(itertools.islice(PollPolicy().delays(lambda: 0.99), 9))
    assert jittered[:2] == plain[:2]
    assert all(0.8 * p <= j < p for p, j in zip(plain[2:], jittered[2:], strict=True))


def test_already_archived_returns_at_once_with_no_poll() -> None:
    script = Script([httpx.Response(204)])
    clock = FakeClock()
    client = sync_client(script, clock)
    operation = client.start_archive_pool(21)
    result = operation.wait()
    assert result == ArchiveResult(type="POOL.ARCHIVE", subject_id="21", operation=None)
    assert (result.already_done, result.already_archived, result.pool_id) == (True, True, "21")
    assert script.requests == [ARCHIVE]
    assert clock.slept == []


def test_success_in_the_start_answer_needs_no_poll() -> None:
    script = Script([started("SUCCESS")])
    result = sync_client(script, FakeClock()).archive_pool("21")
    assert result.operation is not None
    assert script.requests == [ARCHIVE]


def test_fail_raises_with_the_operation_and_its_log() -> None:
    log = [
        {
            "type": "POOL_ARCHIVE",
            "success": False,
            "input": {"pool_id": "21"},
            "output": {"code": "ARCHIVE_FAILED", "message": "storage unavailable"},
        }
    ]
    script = Script([started(), polled("FAIL"), httpx.Response(200, json=log)])
    with pytest.raises(OperationFailedError) as caught:
        sync_client(script, FakeClock()).archive_pool("21")
    failure = caught.value
    assert failure.operation_id == "op-1"
    assert failure.operation is not None
    assert failure.log is not None
    assert failure.log[0].success is False
    assert "storage unavailable" in str(failure)
    assert script.requests == [ARCHIVE, POLL, LOG]


def test_fail_without_a_log_still_raises_the_failure() -> None:
    script = Script([started(), polled("FAIL"), error(404, "DOES_NOT_EXIST")])
    with pytest.raises(OperationFailedError) as caught:
        sync_client(script, FakeClock()).archive_pool("21")
    assert caught.value.log is None
    assert str(caught.value) == "operation op-1 failed"


# The deadline tests use a fixed schedule: the progress-following shortcut is tested below.
FIXED_SCHEDULE = PollPolicy(jitter=0.0, **ROUND_SCHEDULE, follow_progress=False)


def test_budget_spent_raises_timeout_with_the_last_snapshot() -> None:
    script = Script([started()] + [polled("RUNNING")] * 5)
    clock = FakeClock()
    with pytest.raises(OperationTimeoutError) as caught:
        sync_client(script, clock, poll=FIXED_SCHEDULE).archive_pool("21", timeout=4.0)
    timeout = caught.value
    assert isinstance(timeout, TimeoutError)
    assert timeout.operation_id == "op-1"
    assert timeout.operation is not None
    assert timeout.operation.status.value == "RUNNING"  # type: ignore[union-attr]
    # 1 + 1.5 = 2.5 s, then the last pause is cut to land on the deadline: one last poll at 4 s.
    assert clock.slept == [1.0, 1.5, 1.5]
    assert script.requests == [ARCHIVE, POLL, POLL, POLL]
    assert "get_operation('op-1')" in str(timeout)


def test_the_last_poll_at_the_deadline_can_still_succeed() -> None:
    script = Script([started(), polled("RUNNING"), polled("RUNNING"), polled("SUCCESS")])
    clock = FakeClock()
    result = sync_client(script, clock, poll=FIXED_SCHEDULE).archive_pool("21", timeout=4.0)
    assert result.operation is not None
    assert clock.slept == [1.0, 1.5, 1.5]


def test_zero_timeout_looks_once_and_stops() -> None:
    script = Script([started()])
    with pytest.raises(OperationTimeoutError):
        sync_client(script, FakeClock()).archive_pool("21", timeout=0)
    assert script.requests == [ARCHIVE]


def test_none_waits_past_the_default_budget() -> None:
    script = Script([started()] + [polled("RUNNING")] * 60 + [polled("SUCCESS")])
    clock = FakeClock()
    result = sync_client(script, clock, poll=NO_JITTER_POLL).archive_pool("21", timeout=None)
    assert result.operation is not None
    assert sum(clock.slept) > 600


def test_default_budget_is_the_policy_timeout() -> None:
    script = Script([started()] + [polled("RUNNING")] * 100)
    clock = FakeClock()
    with pytest.raises(OperationTimeoutError) as caught:
        sync_client(script, clock, poll=NO_JITTER_POLL).archive_pool("21")
    assert sum(clock.slept) == pytest.approx(600.0)
    assert caught.value.waited == pytest.approx(600.0)


def test_resume_by_id_after_a_timeout() -> None:
    script = Script([started(), polled("RUNNING")])
    clock = FakeClock()
    client = sync_client(script, clock, poll=NO_JITTER_POLL)
    with pytest.raises(OperationTimeoutError) as caught:
        client.archive_pool("21", timeout=1.0)
    script.answers.extend([polled("RUNNING"), polled("SUCCESS")])
    resumed = client.get_operation(caught.value.operation_id)
    assert (resumed.pool_id, resumed.operation_id, resumed.done) == ("21", "op-1", False)
    result = resumed.wait()
    assert result.pool_id == "21"
    assert result.operation is not None
    assert script.requests[-2:] == [POLL, POLL]


def test_resuming_an_unknown_operation_is_not_found() -> None:
    script = Script([error(404, "DOES_NOT_EXIST")])
    with pytest.raises(NotFoundError):
        sync_client(script, FakeClock()).get_operation("nope")


def test_unknown_status_warns_once_and_keeps_waiting(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="toloka_archive")
    script = Script([started(), polled("PAUSED"), polled("PAUSED"), polled("SUCCESS")])
    result = sync_client(script, FakeClock()).archive_pool("21")
    assert result.operation is not None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "PAUSED" in warnings[0].getMessage()


def test_progress_callback_gets_every_snapshot() -> None:
    script = Script([started("PENDING"), polled("RUNNING"), polled("SUCCESS")])
    seen: list[str] = []
    sync_client(script, FakeClock()).archive_pool(
        "21",
        on_progress=lambda op: seen.append(f"{op.status.value}:{op.progress}"),  # type: ignore[union-attr]
    )
    assert seen == ["PENDING:0", "RUNNING:50", "SUCCESS:100"]


def test_the_handle_tracks_the_latest_snapshot() -> None:
    script = Script([started(), polled("RUNNING")])
    client = sync_client(script, FakeClock(), poll=NO_JITTER_POLL)
    operation = client.start_archive_pool("21")
    with pytest.raises(OperationTimeoutError):
        operation.wait(timeout=0.5)
    assert operation.operation is not None
    assert operation.operation.status.value == "RUNNING"  # type: ignore[union-attr]
    assert "RUNNING" in repr(operation)


def test_a_poll_that_fails_in_passing_does_not_end_the_wait() -> None:
    down = error(503, "REMOTE_SERVICE_UNAVAILABLE")
    script = Script([started(), *[down] * 4, httpx.ConnectError("reset"), polled("SUCCESS")])
    result = sync_client(script, FakeClock(), max_retries=3).archive_pool("21")
    assert result.operation is not None
    assert len(script.requests) == 7


def test_polls_that_fail_until_the_budget_say_how_to_resume() -> None:
    down = error(503, "REMOTE_SERVICE_UNAVAILABLE")
    script = Script([started()] + [down] * 100)
    clock = FakeClock()
    with pytest.raises(InternalServerError) as caught:
        sync_client(script, clock, max_retries=0).archive_pool("21", timeout=5)
    assert any("get_operation('op-1')" in note for note in caught.value.__notes__)
    assert clock.elapsed - 1000.0 == pytest.approx(5.0)


def test_a_final_answer_to_a_poll_ends_the_wait() -> None:
    script = Script([started(), error(404, "DOES_NOT_EXIST")])
    with pytest.raises(NotFoundError):
        sync_client(script, FakeClock()).archive_pool("21")


def test_moving_progress_brings_the_next_look_forward() -> None:
    # 0 % at the start, 80 % one second later: 100 % is due in 0.25 s; look at 0.275 s (+10 %).
    script = Script([started(), polled("RUNNING", progress=80), polled("SUCCESS")])
    clock = FakeClock()
    sync_client(script, clock, poll=NO_JITTER_POLL).archive_pool("21")
    assert clock.slept == pytest.approx([1.0, 0.275])


def test_progress_shortcut_is_floored_at_min_delay() -> None:
    script = Script([started(), polled("RUNNING", progress=99), polled("SUCCESS")])
    clock = FakeClock()
    sync_client(script, clock, poll=NO_JITTER_POLL).archive_pool("21")
    assert clock.slept == pytest.approx([1.0, 0.2])


def test_stalled_progress_falls_back_to_the_slowing_schedule() -> None:
    stuck = [polled("RUNNING", progress=90)] * 4
    script = Script([started(), *stuck, polled("SUCCESS")])
    clock = FakeClock()
    sync_client(script, clock, poll=NO_JITTER_POLL).archive_pool("21")
    # After the first jump to 90 % the next look is brought forward (0.122 s would be due; the
    # floor makes it 0.2); from then on the progress does not move, so the schedule applies.
    assert clock.slept == pytest.approx([1.0, 0.2, 2.25, 3.375, 5.0625])


def test_following_progress_can_be_turned_off() -> None:
    script = Script([started(), polled("RUNNING", progress=80), polled("SUCCESS")])
    clock = FakeClock()
    sync_client(script, clock, poll=FIXED_SCHEDULE).archive_pool("21")
    assert clock.slept == [1.0, 1.5]


def test_poll_policy_rejects_a_floor_above_the_first_delay() -> None:
    with pytest.raises(ValueError, match="min_delay"):
        PollPolicy(**{**ROUND_SCHEDULE, "min_delay": 2.0})
