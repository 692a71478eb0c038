"""How long to wait, and how often to try again: two separate policies with separate budgets.

``RetryPolicy`` is about one request that failed in passing (a dropped connection, a 503): it is
tried again a few times. ``PollPolicy`` is about an operation that is simply not finished yet:
it is asked about again, more and more slowly, until its budget is spent. Mixing the two was
google-api-core's main source of bugs until its 2022 rewrite, so here they never share a counter.

Both are frozen and pure: every delay is computed from numbers passed in, random draws included,
so tests get exact values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_MAX_RETRIES = 3
DEFAULT_RETRY_INITIAL_DELAY = 0.5
DEFAULT_RETRY_MAX_DELAY = 8.0
RETRY_AFTER_FLOOR = 0.2
RETRY_AFTER_CAP = 60.0
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

DEFAULT_POLL_INITIAL_DELAY = 1.0
DEFAULT_POLL_MULTIPLIER = 1.5
DEFAULT_POLL_MAX_DELAY = 15.0
DEFAULT_WAIT_TIMEOUT = 600.0
DEFAULT_MIN_POLL_DELAY = 0.2
PROGRESS_MARGIN = 1.1  # poll 10 % after the moment the progress rate predicts
LEARNED_MARGIN = 1.03  # first look 3 % after the typical duration of recent operations

DEFAULT_JITTER = 0.2


def exponential_delay(
    attempt: int, *, initial: float, multiplier: float, maximum: float, jitter: float, draw: float
) -> float:
    """The pause before ``attempt`` (1 for the first): ``initial * multiplier**(attempt - 1)``,
    capped at ``maximum``, then shortened by up to ``jitter`` (``draw`` in [0, 1)).

    The one backoff formula of the package, for retries and polls alike. The jitter only ever
    shortens a pause, so a cap stays a cap.
    """
    delay = min(maximum, initial * multiplier ** (attempt - 1))
    return delay * (1.0 - jitter * draw)


def _check_jitter(jitter: float) -> None:
    if not 0.0 <= jitter < 1.0:
        raise ValueError(f"jitter must be in [0, 1), got {jitter!r}")


@dataclass(frozen=True)
class RetryPolicy:
    """Retry a request that failed in passing: connection errors, timeouts and these statuses.

    ``max_retries=0`` turns retrying off. A server hint (``Retry-After``, in seconds or as an
    HTTP date, or ``retry-after-ms``) replaces the computed delay, raised to at least
    ``retry_after_floor``; a hint longer than ``retry_after_cap`` stops retrying at once, since
    the caller is better placed to decide what to do with a long wait.
    """

    max_retries: int = DEFAULT_MAX_RETRIES
    initial_delay: float = DEFAULT_RETRY_INITIAL_DELAY
    multiplier: float = 2.0
    max_delay: float = DEFAULT_RETRY_MAX_DELAY
    jitter: float = DEFAULT_JITTER
    retry_after_floor: float = RETRY_AFTER_FLOOR
    retry_after_cap: float = RETRY_AFTER_CAP
    retry_statuses: frozenset[int] = field(default=RETRYABLE_STATUSES)

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {self.max_retries!r}")
        if self.initial_delay < 0 or self.max_delay < 0 or self.multiplier < 1:
            raise ValueError("delays must be non-negative and the multiplier at least 1")
        _check_jitter(self.jitter)

    def backoff(self, retry_number: int, draw: float) -> float:
        """The delay before retry ``retry_number`` (1 for the first), ``draw`` in [0, 1)."""
        return exponential_delay(
            retry_number,
            initial=self.initial_delay,
            multiplier=self.multiplier,
            maximum=self.max_delay,
            jitter=self.jitter,
            draw=draw,
        )

    def clamp_hint(self, hint: float) -> float | None:
        """The delay a server hint asks for, or None when it is longer than we agree to wait."""
        if hint > self.retry_after_cap:
            return None
        return max(hint, self.retry_after_floor)


@dataclass(frozen=True)
class PollPolicy:
    """Ask about an unfinished operation again: 1 s, then x1.5 up to 15 s, for 600 s at most.

    ``timeout=None`` waits forever, and only when asked for. The budget is measured on a
    monotonic clock from the moment waiting starts.

    With ``follow_progress`` (the default), a pause may be cut short when the operation's
    ``progress`` is moving: if it went from 0 to 80 % in the last second, the next look comes
    when it should reach 100 %, not a fixed 1.5 s later. That removes most of the slack a fixed
    schedule leaves after short operations. It never lengthens a pause, never goes under
    ``min_delay``, and applies only while the progress keeps moving, so a stalled operation is
    polled on the ordinary, slowing schedule.

    With ``learn_durations`` (the default), the first look at a newly started operation comes
    when the client's recent archive operations would have been done (their median duration at
    Toloka, plus ``LEARNED_MARGIN``), never later than ``max_delay`` and never under
    ``min_delay``: 0.3 s operations are looked at after about 0.3 s, 5 s ones after about 5 s,
    with one poll each. Until the first operation has finished, the ordinary schedule applies.
    A predicted moment (learned or from the progress) is not jittered: operations that start
    at different times are already spread.
    """

    initial_delay: float = DEFAULT_POLL_INITIAL_DELAY
    multiplier: float = DEFAULT_POLL_MULTIPLIER
    max_delay: float = DEFAULT_POLL_MAX_DELAY
    jitter: float = DEFAULT_JITTER
    timeout: float | None = DEFAULT_WAIT_TIMEOUT
    follow_progress: bool = True
    min_delay: float = DEFAULT_MIN_POLL_DELAY
    learn_durations: bool = True

    def __post_init__(self) -> None:
        if self.initial_delay <= 0 or self.max_delay <= 0 or self.multiplier < 1:
            raise ValueError("poll delays must be positive and the multiplier at least 1")
        if not 0 < self.min_delay <= self.initial_delay:
            raise ValueError("min_delay must be positive and at most initial_delay")
        if self.timeout is not None and self.timeout < 0:
            raise ValueError(f"timeout must be None or non-negative, got {self.timeout!r}")
        _check_jitter(self.jitter)

    def delay(self, poll_number: int, draw: float) -> float:
        """The pause before poll ``poll_number`` (1 for the first), ``draw`` in [0, 1)."""
        return exponential_delay(
            poll_number,
            initial=self.initial_delay,
            multiplier=self.multiplier,
            maximum=self.max_delay,
            jitter=self.jitter,
            draw=draw,
        )

    def first_look(self, typical: float | None) -> float | None:
        """The pause before the first look at a new operation, learned from ``typical`` (the
        recent operations' median duration); None to use the ordinary schedule."""
        if not self.learn_durations or typical is None:
            return None
        return min(self.max_delay, max(self.min_delay, typical * LEARNED_MARGIN))

    def expected_remaining(
        self, since: tuple[float, int], previous: int | None, now: float, progress: int
    ) -> float | None:
        """Seconds until 100 % at the rate seen ``since`` (time, percent), with a margin.

        None when the progress gives no usable rate: following it is off, it did not move since
        the previous look, or it is already at 100 %.
        """
        started_at, started_percent = since
        moving = previous is not None and previous < progress < 100
        if not self.follow_progress or not moving or now <= started_at:
            return None
        rate = (progress - started_percent) / (now - started_at)
        return max(self.min_delay, (100 - progress) / rate * PROGRESS_MARGIN)
