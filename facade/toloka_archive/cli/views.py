"""What the command shows: a live display on a terminal, plain lines or JSON elsewhere, and the
closing summary.

Three views share one interface (``begin``, ``started``, ``progress``, ``finished``, ``close``,
each about one subject of the run by its key: a pool id, or an operation id for ``wait``) so
the command drives them the same way: ``LiveView`` redraws a bar and the pools in flight on
a terminal; ``LinesView`` writes one line per finished pool, for logs and pipes; ``JsonView``
writes one JSON object per pool and nothing else, for programs.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from typing import TextIO

from toloka_archive import Outcome, PoolReport, ProjectReport
from toloka_archive._core.models import Operation

LABELS = {
    Outcome.ARCHIVED: "archived",
    Outcome.ALREADY_ARCHIVED: "already archived",
    Outcome.CLOSED: "closed",
    Outcome.ALREADY_CLOSED: "already closed",
    Outcome.STARTED: "started, not waited for",
    Outcome.ARCHIVABLE: "can be archived now",
    Outcome.NOT_ARCHIVABLE_YET: "not archivable yet",
    Outcome.WRONG_STATUS: "wrong status",
    Outcome.BEING_EDITED: "closed for editing (left alone)",
    Outcome.BLOCKED: "blocked (something must happen first)",
    Outcome.NOT_FOUND: "not found",
    Outcome.NO_ACCESS: "no access",
    Outcome.INVALID_ID: "invalid id",
    Outcome.TIMED_OUT: "still running (stopped waiting)",
    Outcome.FAILED: "failed",
    Outcome.UNKNOWN: "unknown (check them)",
}

# What closing standard output looks like when we write to it: a reader that went away
# (``| head``) is BrokenPipeError; a stream closed under us is ValueError.
OUTPUT_LOST = (OSError, ValueError)


def plural(noun: str, count: int = 2) -> str:
    """``pools``, ``pools and trainings``: a noun (or nouns joined by "and") for ``count``."""
    if count == 1:
        return noun
    return " and ".join(f"{part}s" for part in noun.split(" and "))


def plain_line(report: PoolReport) -> str:
    subject = report.label if report.subject_id else f"operation {report.operation_id}"
    text = f"{subject}: {report.detail}"
    if report.operation_id and report.operation_id not in text:
        text += f" (operation {report.operation_id})"
    return text


class View:
    """The no-op base: each view overrides what it shows."""

    def begin(self, key: str) -> None: ...

    def started(self, key: str, operation_id: str) -> None: ...

    def progress(self, key: str, operation: Operation) -> None: ...

    def finished(self, key: str, report: PoolReport) -> None: ...

    def project(self, report: ProjectReport) -> None: ...

    def close(self) -> None: ...


class GuardedView(View):
    """A view whose output may go away mid-run (``| head``, a closed stdout).

    The command must not die of it, nor let a write failure become some pool's report: every
    call is passed on until the first failure, which is remembered (``lost``) and ends all
    output to that stream; the run then stops taking pools and reports on stderr.
    """

    def __init__(self, inner: View) -> None:
        self._inner = inner
        self.lost = False

    def _guard(self, show: Callable[[], object]) -> None:
        if self.lost:
            return
        try:
            show()
        except OUTPUT_LOST:
            self.lost = True

    def begin(self, key: str) -> None:
        self._guard(lambda: self._inner.begin(key))

    def started(self, key: str, operation_id: str) -> None:
        self._guard(lambda: self._inner.started(key, operation_id))

    def progress(self, key: str, operation: Operation) -> None:
        self._guard(lambda: self._inner.progress(key, operation))

    def finished(self, key: str, report: PoolReport) -> None:
        self._guard(lambda: self._inner.finished(key, report))

    def project(self, report: ProjectReport) -> None:
        self._guard(lambda: self._inner.project(report))

    def close(self) -> None:
        self._guard(self._inner.close)


class LinesView(View):
    def __init__(self, out: TextIO) -> None:
        self._out = out

    def finished(self, key: str, report: PoolReport) -> None:
        print(plain_line(report), file=self._out, flush=True)


class JsonView(View):
    def __init__(self, out: TextIO) -> None:
        self._out = out

    def finished(self, key: str, report: PoolReport) -> None:
        print(json.dumps(report.to_json(), sort_keys=True), file=self._out, flush=True)

    def project(self, report: ProjectReport) -> None:
        print(json.dumps(report.to_json(), sort_keys=True), file=self._out, flush=True)


class LiveView(View):
    """A bar for the whole run and a line per pool in flight, redrawn in place.

    Finished pools are printed above the live block as permanent lines, so the scrollback
    keeps the full story when the block is gone.
    """

    BAR_WIDTH = 30
    MAX_POOL_LINES = 8
    MIN_REDRAW_INTERVAL = 0.1

    def __init__(
        self,
        out: TextIO,
        total: int | None,
        clock: Callable[[], float] = time.monotonic,
        noun: str = "pool",
    ) -> None:
        self._out = out
        self._noun = noun
        self._total = total
        self._clock = clock
        self._done = 0
        self._not_ok = 0
        self._in_flight: dict[str, str] = {}
        self._drawn = 0
        self._last_draw = float("-inf")

    def begin(self, key: str) -> None:
        self._in_flight[key] = "starting"
        self._draw()

    def started(self, key: str, operation_id: str) -> None:
        self._in_flight[key] = f"operation {operation_id}"
        self._draw()

    def progress(self, key: str, operation: Operation) -> None:
        percent = operation.progress or 0
        self._in_flight[key] = f"{operation.status:<8} {percent:>3}%"
        self._draw()

    def finished(self, key: str, report: PoolReport) -> None:
        self._in_flight.pop(key, None)
        self._done += 1
        self._not_ok += not report.outcome.ok
        self._erase()
        print(plain_line(report), file=self._out)
        self._draw(force=True)

    def close(self) -> None:
        self._erase()
        self._out.flush()

    def _erase(self) -> None:
        if self._drawn:
            # Up to the first line of the block, then clear to the end of the screen.
            self._out.write(f"\x1b[{self._drawn}F\x1b[J")
            self._drawn = 0

    def _draw(self, force: bool = False) -> None:
        now = self._clock()
        if not force and now - self._last_draw < self.MIN_REDRAW_INTERVAL:
            return
        self._last_draw = now
        self._erase()
        lines = [self._bar()]
        pools = list(self._in_flight.items())
        lines += [f"  {self._noun} {key}: {state}" for key, state in pools[: self.MAX_POOL_LINES]]
        if len(pools) > self.MAX_POOL_LINES:
            lines.append(f"  ... and {len(pools) - self.MAX_POOL_LINES} more in flight")
        self._out.write("".join(line + "\n" for line in lines))
        self._out.flush()
        self._drawn = len(lines)

    def _bar(self) -> str:
        trouble = f", {self._not_ok} not archived" if self._not_ok else ""
        if self._total is None:  # a selection, read as the run goes: no end known yet
            return f"{self._done} done{trouble}"
        filled = self.BAR_WIDTH * self._done // max(self._total, 1)
        bar = "#" * filled + "-" * (self.BAR_WIDTH - filled)
        return f"[{bar}] {self._done}/{self._total} done{trouble}"


def summary(
    counts: Counter[Outcome],
    problems: list[PoolReport],
    *,
    heading: str = "Not archived:",
    in_flight: int = 0,
    not_started: int = 0,
    noun: str = "pool",
) -> list[str]:
    """The closing table: a count per outcome, then every pool that was not archived.

    After a run that stopped early, the pools in flight and those never started are counted
    too, so the table always adds up to every pool given.
    """
    total = sum(counts.values()) + in_flight + not_started
    lines = [f"Summary: {total} {plural(noun, total)}"]
    rows = [(LABELS[outcome], counts[outcome]) for outcome in Outcome if counts[outcome]]
    rows += [("in flight when stopped", in_flight)] if in_flight else []
    rows += [("not started", not_started)] if not_started else []
    width = max((len(label) for label, _ in rows), default=0)
    lines += [f"  {label:<{width}}  {count:>6}" for label, count in rows]
    if problems:
        lines.append(heading)
        lines += [f"  {plain_line(report)}" for report in problems]
    return lines


def project_line(report: ProjectReport) -> str:
    text = f"Project {report.project_id}: {report.detail}"
    if report.operation_id and report.operation_id not in text:
        text += f" (operation {report.operation_id})"
    return text
