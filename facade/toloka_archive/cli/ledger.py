"""The one record of what a run has taken up and started, kept the moment it happens.

Each subject of a run (a pool, or for ``wait`` an operation) is written down when the engine
takes it up, its operation the moment Toloka's answer names it, and its report when it ends.
Whatever stops the run (Ctrl-C, a closed pipe, a problem no pool can get past, a crash) reads
this ledger to say what is still going on at Toloka: every operation that may still run is in
the ``wait`` hint, and every subject still waiting for an answer is named, so nothing is lost
or left unknown.

The ledger only records; ``session`` prints.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from toloka_archive import Outcome, PoolReport, ProjectOutcome, ProjectReport
from toloka_archive._core.models import Operation

# Reports whose operation may still be running: the run ends pointing to `wait` for them.
_STILL_RUNNING = frozenset({Outcome.STARTED, Outcome.TIMED_OUT, Outcome.UNKNOWN})
_PROJECT_STILL_RUNNING = frozenset({ProjectOutcome.TIMED_OUT, ProjectOutcome.UNKNOWN})


@dataclass
class Ledger:
    """Subjects by key (a pool id, or an operation id for ``wait``), from taken up to done."""

    running: dict[str, str | None] = field(default_factory=dict)
    """Taken up and not finished: the operation started for each, None before any answer."""
    snapshots: dict[str, Operation] = field(default_factory=dict)
    counts: Counter[Outcome] = field(default_factory=Counter)
    problems: list[PoolReport] = field(default_factory=list)
    still_running: list[str] = field(default_factory=list)
    """Operations of finished subjects that may still run at Toloka (not waited for, timed out,
    or unknown), and the project's own archive once started."""
    project: ProjectReport | None = None

    def begin(self, key: str, operation_id: str | None = None) -> None:
        """The engine took ``key`` up (with its operation, when following one)."""
        self.running.setdefault(key, operation_id)

    def started(self, key: str, operation_id: str) -> None:
        """An operation exists for ``key``: a close, then the archive, replace each other, as
        the archive starts only once the close has ended."""
        self.running[key] = operation_id

    def progress(self, key: str, snapshot: Operation) -> None:
        self.snapshots[key] = snapshot

    def finished(self, key: str, report: PoolReport) -> None:
        self.running.pop(key, None)
        self.snapshots.pop(key, None)
        self.counts[report.outcome] += 1
        if not report.outcome.ok:
            self.problems.append(report)
        if report.operation_id and report.outcome in _STILL_RUNNING:
            self.still_running.append(report.operation_id)

    def project_started(self, operation_id: str) -> None:
        self.still_running.append(operation_id)

    def project_finished(self, report: ProjectReport) -> None:
        self.project = report
        ended = report.outcome not in _PROJECT_STILL_RUNNING
        if ended and report.operation_id in self.still_running:
            self.still_running.remove(report.operation_id)

    @property
    def finished_count(self) -> int:
        return sum(self.counts.values())

    def started_in_flight(self) -> dict[str, str]:
        """Subjects in flight whose operation is known: it goes on at Toloka."""
        return {key: op for key, op in self.running.items() if op is not None}

    def unanswered(self) -> list[str]:
        """Subjects in flight whose request has no answer yet: it may or may not have started
        something, which a re-run of the same command finds out (never starting it twice)."""
        return [key for key, op in self.running.items() if op is None]

    def to_follow(self) -> list[str]:
        """Every operation that may still run at Toloka, each once, in the order started."""
        return list(dict.fromkeys([*self.still_running, *self.started_in_flight().values()]))
