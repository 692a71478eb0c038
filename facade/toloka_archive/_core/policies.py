"""Every timing rule and default of the facade, in one place: how often to try a request again,
when to look at an unfinished operation, how long to wait for it, how many at once.

Two policies with separate budgets (mixing them was google-api-core's main source of bugs until
its 2022 rewrite, so here they never share a counter):

- ``RetryPolicy`` is about one request that failed in passing (a dropped connection, a 503): it
  is tried again a few times, and the whole start of an operation at most ``start_rounds``
  times;
- ``PollPolicy`` is about an operation that is simply not finished yet: it is looked at again,
  more and more slowly, until its budget is spent.

Both schedules come from one formula, ``backoff_ceilings`` (google-api-core's
``exponential_sleep_generator``), shortened by a jitter that never lengthens a pause.
``PollPolicy.delays`` is the whole poll schedule as one generator; ``PollTimer`` applies it to
one wait (cut short by progress and by the deadline), and ``DurationMemory`` is what a client
learns of its operations' durations to place the first look. Everything is pure: random draws
and the clock are passed in, so tests get exact values.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from toloka_archive._core.models import Operation

DEFAULT_MAX_RETRIES = 3
DEFAULT_RETRY_INITIAL_DELAY = 0.5
DEFAULT_RETRY_MAX_DELAY = 8.0
RETRY_AFTER_FLOOR = 0.2
RETRY_AFTER_CAP = 60.0
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# The client as a whole is over Toloka's limit when this many of its last answers were 429s.
DEFAULT_RATE_LIMIT_WINDOW = 12
DEFAULT_RATE_LIMIT_BURST = 4

DEFAULT_POLL_FIRST_DELAY = 0.25
DEFAULT_POLL_INITIAL_DELAY = 0.75
DEFAULT_POLL_MULTIPLIER = 2.0
DEFAULT_POLL_MAX_DELAY = 15.0
DEFAULT_WAIT_TIMEOUT = 600.0
DEFAULT_MIN_POLL_DELAY = 0.05
PROGRESS_MARGIN = 1.1  # poll 10 % after the moment a rate between this wait's looks predicts
PROGRESS_CUSHION = 0.01
"""Looked at on Toloka's timeline, one reading of a whole percent ``p`` may be off by half a
percent: the predicted end is moved later by that share (``0.5 / (p + 0.5)``) and this cushion,
so that the next look is after the end and not a request too early."""
LEARNED_MARGIN = 1.03  # first look 3 % after the typical duration of recent operations
TRUSTED_PROGRESS = 3
"""From this many percent on, one reading of the progress is precise enough (a whole percent
is at most a tenth of it) for its prediction to lengthen a pause, not only to shorten it."""
DEFAULT_JITTER = 0.2
JITTER_FROM = 1.0
"""Poll pauses shorter than this are not jittered: the first looks at a new operation are
already spread by when operations start, and too short for a herd of clients to matter, while
their exact moments decide how soon a short operation is seen done."""

DEFAULT_CONCURRENCY = 8  # subjects (pools, operations) in flight at once in a bulk run
DEFAULT_HTTP_TIMEOUT = 30.0  # seconds for one HTTP request ...
DEFAULT_CONNECT_TIMEOUT = 10.0  # ... of which this many to connect


class _DefaultTimeout:
    def __repr__(self) -> str:
        return "DEFAULT_TIMEOUT"


DEFAULT_TIMEOUT: Final = _DefaultTimeout()
"""Wait as long as the client's ``PollPolicy.timeout`` says (600 s unless changed)."""

Timeout = float | None | _DefaultTimeout
"""A wait's budget: seconds, None for "forever" (only when asked), or ``DEFAULT_TIMEOUT``."""


def backoff_ceilings(*, initial: float, multiplier: float, maximum: float) -> Iterator[float]:
    """``initial``, then ``multiplier`` times the last, capped at ``maximum``, forever.

    The one backoff formula of the package, for retries and polls alike; ``shortened`` applies
    the jitter to each.
    """
    ceiling = initial
    while True:
        yield min(ceiling, maximum)
        ceiling *= multiplier


def shortened(delay: float, jitter: float, draw: float) -> float:
    """``delay`` shortened by up to ``jitter`` (``draw`` in [0, 1)): a jitter never lengthens a
    pause, so a cap stays a cap."""
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
    the caller is better placed to decide what to do with a long wait. When
    ``rate_limit_burst`` of a client's last ``rate_limit_window`` answers were 429s, the client
    as a whole is over Toloka's limit and every request it sends waits out the same pause.
    """

    max_retries: int = DEFAULT_MAX_RETRIES
    initial_delay: float = DEFAULT_RETRY_INITIAL_DELAY
    multiplier: float = 2.0
    max_delay: float = DEFAULT_RETRY_MAX_DELAY
    jitter: float = DEFAULT_JITTER
    retry_after_floor: float = RETRY_AFTER_FLOOR
    retry_after_cap: float = RETRY_AFTER_CAP
    retry_statuses: frozenset[int] = field(default=RETRYABLE_STATUSES)
    rate_limit_window: int = DEFAULT_RATE_LIMIT_WINDOW
    rate_limit_burst: int = DEFAULT_RATE_LIMIT_BURST

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {self.max_retries!r}")
        if self.initial_delay < 0 or self.max_delay < 0 or self.multiplier < 1:
            raise ValueError("delays must be non-negative and the multiplier at least 1")
        if not 1 <= self.rate_limit_burst <= self.rate_limit_window:
            raise ValueError("rate_limit_burst must be between 1 and rate_limit_window")
        _check_jitter(self.jitter)

    def ceilings(self) -> Iterator[float]:
        """The pauses before retry 1, 2, ... before jitter."""
        return backoff_ceilings(
            initial=self.initial_delay, multiplier=self.multiplier, maximum=self.max_delay
        )

    def delays(self, random: Callable[[], float]) -> Iterator[float]:
        """The pauses before retry 1, 2, ..., each shortened by a draw of ``random``."""
        return (shortened(ceiling, self.jitter, random()) for ceiling in self.ceilings())

    def clamp_hint(self, hint: float) -> float | None:
        """The delay a server hint asks for, or None when it is longer than we agree to wait."""
        if hint > self.retry_after_cap:
            return None
        return max(hint, self.retry_after_floor)

    @property
    def start_rounds(self) -> int:
        """How many times a request that starts an operation is sent at most, and Toloka asked
        what happened after a lost answer.

        Twice the tries of one request: each round after a lost answer already asked Toloka
        and knows nothing was started, so sending again is safe, and giving up early would
        leave a pool undone for a passing fault (4 rounds at 24 % faulty answers fail 1 pool in
        300).
        """
        return 2 * (self.max_retries + 1)


@dataclass(frozen=True)
class PollPolicy:
    """Look at an unfinished operation again: first after 0.25 s, then after 0.75 s, each
    pause twice the last up to 15 s, for 600 s at most.

    ``timeout=None`` waits forever, and only when asked for. The budget is measured on a
    monotonic clock from the moment waiting starts.

    The schedule starts short, so that a cold client (one that has not seen an operation
    finish yet: a service archiving one pool, the first wave of a bulk run) is not slow on short
    operations, and then doubles, so that a long one costs about one look per doubling of its
    length. The quick first look (``first_delay``) catches a short operation; the second comes
    late enough (``initial_delay``) for a longer one to have shown how fast it goes. What the
    operation says of itself places the looks closer:

    - With ``follow_progress`` (the default), its ``progress`` predicts when it will be done.
      For an operation this wait saw start, the rate is read from Toloka's own timeline (the
      progress since its ``started`` moment), so one look is enough: a 0.3 s operation first
      seen at 80 % is looked at again just after 0.3 s, a 5 s one first seen at 5 % just after
      5 s. Once the progress is at least ``TRUSTED_PROGRESS`` percent, the prediction may
      lengthen a pause as well as shorten it (never past ``max_delay``); below that, a whole
      percent is too coarse, and it only shortens one. For an operation already under way
      when the wait began, the rate between this wait's looks is used, and only to shorten.
      A stalled progress gives no prediction: the ordinary, slowing schedule applies.
    - With ``learn_durations`` (the default), the client's recent operations of the same kind
      teach when to look: the first look at a new one comes when they would have been done
      (their median duration at Toloka, plus ``LEARNED_MARGIN``), and a wait that began before
      any had finished (the first wave of a bulk run) is shortened to that moment as soon as
      the first one does.

    No pause is shorter than ``min_delay``. A predicted moment (learned or from the progress)
    is not jittered: operations that start at different times are already spread.
    """

    first_delay: float = DEFAULT_POLL_FIRST_DELAY
    initial_delay: float = DEFAULT_POLL_INITIAL_DELAY
    multiplier: float = DEFAULT_POLL_MULTIPLIER
    max_delay: float = DEFAULT_POLL_MAX_DELAY
    jitter: float = DEFAULT_JITTER
    timeout: float | None = DEFAULT_WAIT_TIMEOUT
    follow_progress: bool = True
    min_delay: float = DEFAULT_MIN_POLL_DELAY
    learn_durations: bool = True

    def __post_init__(self) -> None:
        delays = (self.first_delay, self.initial_delay, self.max_delay)
        if min(delays) <= 0 or self.multiplier < 1:
            raise ValueError("poll delays must be positive and the multiplier at least 1")
        if not 0 < self.min_delay <= min(self.first_delay, self.initial_delay):
            raise ValueError("min_delay must be positive and at most the first two delays")
        if self.timeout is not None and self.timeout < 0:
            raise ValueError(f"timeout must be None or non-negative, got {self.timeout!r}")
        _check_jitter(self.jitter)

    def delays(self, random: Callable[[], float], typical: float | None = None) -> Iterator[float]:
        """The poll schedule: the pause before look 1, 2, ..., before progress and deadline.

        The first pause is ``first_delay``, or learned from ``typical`` (the recent operations'
        median duration) when there is one and learning is on; every other pause is the backoff
        formula's from ``initial_delay``, and from ``JITTER_FROM`` seconds on, shortened by a
        draw of ``random``.
        """
        first_look = self.first_look(typical)
        if first_look is not None:
            yield first_look
        else:
            yield self._jittered(min(self.first_delay, self.max_delay), random)
        ceilings = backoff_ceilings(
            initial=self.initial_delay, multiplier=self.multiplier, maximum=self.max_delay
        )
        for ceiling in ceilings:
            yield self._jittered(ceiling, random)

    def _jittered(self, delay: float, random: Callable[[], float]) -> float:
        return shortened(delay, self.jitter, random()) if delay >= JITTER_FROM else delay

    def first_look(self, typical: float | None) -> float | None:
        """The pause before the first look at a new operation, learned from ``typical``; None
        to use the ordinary schedule."""
        if not self.learn_durations or typical is None:
            return None
        return min(self.max_delay, max(self.min_delay, typical * LEARNED_MARGIN))

    def expected_remaining(
        self, since: tuple[float, int], previous: int | None, now: float, progress: int
    ) -> float | None:
        """Seconds until 100 % at the rate this wait has seen ``since`` (time, percent), with a
        margin.

        None when the progress gives no usable rate: following it is off, it did not move since
        the previous look, or it is already at 100 %.
        """
        started_at, started_percent = since
        moving = previous is not None and previous < progress < 100
        if not self.follow_progress or not moving or now <= started_at:
            return None
        rate = (progress - started_percent) / (now - started_at)
        return max(self.min_delay, (100 - progress) / rate * PROGRESS_MARGIN)

    def remaining_after(self, running_for: float, progress: int) -> float | None:
        """Seconds until 100 % for an operation at ``progress`` percent after ``running_for``
        seconds since Toloka started it, with a margin; None when that says nothing (no
        progress yet, or done).

        A whole percent is read as its middle (Toloka's and the fake's progress are whole
        percents, rounded down), so a first reading of 2 % is not taken for half of 4 %, and
        the end is moved later by what that reading may be off (``PROGRESS_CUSHION``).
        """
        if not self.follow_progress or not 0 < progress < 100 or running_for <= 0:
            return None
        read = progress + 0.5
        end = running_for * 100 / read * (1 + 0.5 / read + PROGRESS_CUSHION)
        return max(self.min_delay, end - running_for)

    def budget(self, timeout: Timeout) -> float | None:
        """The seconds a wait may last: ``timeout``, or this policy's for ``DEFAULT_TIMEOUT``."""
        return self.timeout if isinstance(timeout, _DefaultTimeout) else timeout


class PollTimer:
    """One wait: its budget on a monotonic clock, and the pause before each look.

    The deadline is checked only after the snapshot in hand was found unfinished, and the last
    pause is cut short to land exactly on the deadline, so there is always one last look at it.
    Pauses follow the policy's schedule (``PollPolicy.delays``), moved by what each snapshot
    says (see ``PollPolicy``). ``fresh``: this wait saw the operation start (it was pending,
    with no progress), so Toloka's timeline can be read as this wait's; ``learned`` gives the
    typical duration of the client's recent operations of the same kind, None before one has
    finished.
    """

    def __init__(
        self,
        policy: PollPolicy,
        timeout: float | None,
        monotonic: Callable[[], float],
        random: Callable[[], float],
        *,
        learned: Callable[[], float | None] | None = None,
        fresh: bool = False,
    ) -> None:
        self._policy = policy
        self._monotonic = monotonic
        self._fresh = fresh
        self._learned = (lambda: None) if learned is None or not fresh else learned
        typical = self._learned()
        self._schedule = policy.delays(random, typical)
        self._taught = typical is not None  # the first look was placed by what was learned
        self._started = monotonic()
        self._deadline = None if timeout is None else self._started + timeout
        self._first_progress: tuple[float, int] | None = None
        self._last_progress: int | None = None
        self.polls = 0

    def elapsed(self) -> float:
        return self._monotonic() - self._started

    def expired(self) -> bool:
        return self._deadline is not None and self._monotonic() >= self._deadline

    def next_delay(self, snapshot: Operation | None = None) -> float:
        """The pause before the next look, given the snapshot just seen."""
        self.polls += 1
        now = self._monotonic()
        policy = self._policy
        delay = next(self._schedule)
        progress = None if snapshot is None else snapshot.progress
        predicted = self._from_timeline(snapshot, now - self._started)
        if predicted is not None:
            trusted = progress is not None and progress >= TRUSTED_PROGRESS
            delay = min(policy.max_delay, predicted) if trusted else min(delay, predicted)
        elif progress is not None:
            if self._first_progress is None:
                self._first_progress = (now, progress)
            remaining = policy.expected_remaining(
                self._first_progress, self._last_progress, now, progress
            )
            if remaining is not None:
                delay = min(delay, remaining)
        if predicted is None and not self._taught:
            delay = min(delay, self._learned_look(now - self._started))
        if progress is not None:
            self._last_progress = progress
        if self._deadline is not None:
            delay = min(delay, max(0.0, self._deadline - now))
        return delay

    def _from_timeline(self, snapshot: Operation | None, elapsed: float) -> float | None:
        """The prediction from Toloka's own timeline, for an operation this wait saw start."""
        if not self._fresh or snapshot is None or snapshot.progress is None:
            return None
        if snapshot.started is None or snapshot.submitted is None:
            return None
        queued = (snapshot.started - snapshot.submitted).total_seconds()
        return self._policy.remaining_after(elapsed - queued, snapshot.progress)

    def _learned_look(self, elapsed: float) -> float:
        """The pause to the moment the client's recent operations would have been done, once
        one has (the first wave of a bulk run learns from its first finished operations)."""
        look = self._policy.first_look(self._learned())
        if look is None or look <= elapsed:
            return float("inf")
        self._taught = True
        return max(self._policy.min_delay, look - elapsed)


class DurationMemory:
    """How long a client's recent operations took at Toloka, to place the next first look.

    A bulk run's operations tend to resemble each other, so the first few teach the rest when
    to look (``PollPolicy.first_look``), instead of on a fixed beat that leaves short
    operations waiting. It keeps the last ``SIZE`` durations and answers with their median,
    which one odd operation does not move. Operations of different kinds (a close, an archive)
    are remembered apart.
    """

    SIZE = 16
    MAX_SECONDS = 24 * 3600.0  # anything longer is not a duration worth learning from

    def __init__(self) -> None:
        self._recent: dict[str, deque[float]] = {}

    def note(self, kind: str, seconds: float) -> None:
        if 0.0 <= seconds <= self.MAX_SECONDS:
            self._recent.setdefault(kind, deque(maxlen=self.SIZE)).append(seconds)

    def typical(self, kind: str) -> float | None:
        """The median of the recent durations of ``kind``; None before one is known."""
        recent = self._recent.get(kind)
        if not recent:
            return None
        ordered = sorted(recent)
        middle = len(ordered) // 2
        if len(ordered) % 2:
            return ordered[middle]
        return (ordered[middle - 1] + ordered[middle]) / 2
