"""One run of ``toloka-archive archive`` or ``wait``: from checked arguments to the exit status.

The run keeps exactly what it must not lose: the items taken from the list but not finished,
and the operation each one started. Whatever stops it early (Ctrl-C, standard output closed, a
problem no pool can get past) it stops taking new items, lets the display settle, and lists on
stderr every operation already started and every request sent but not answered, with the
command that follows them up, so nothing is left unknown.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from array import array
from collections import Counter
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

from toloka_archive._clients.async_client import AsyncTolokaClient
from toloka_archive._core.errors import (
    AuthenticationError,
    ConfigurationError,
    NotTolokaAPIError,
    RunEndingError,
    TolokaUnreachableError,
)
from toloka_archive._engine.handles import DEFAULT_TIMEOUT, Timeout
from toloka_archive._engine.reports import Outcome, PoolReport, ProjectReport
from toloka_archive._flows.selection import PoolSelection
from toloka_archive._wire.snapshot import progress_of, status_name
from toloka_archive.cli.inputs import UsageError, read_operation_ids, read_pool_ids
from toloka_archive.cli.options import (
    check_credentials,
    describe,
    project_id,
    selection_from,
)
from toloka_archive.cli.status import (
    EXIT_INTERRUPTED,
    EXIT_NOT_ARCHIVED,
    EXIT_OK,
    EXIT_OUTPUT_CLOSED,
    EXIT_USAGE,
    PROG,
)
from toloka_archive.cli.views import (
    OUTPUT_LOST,
    GuardedView,
    JsonView,
    LinesView,
    LiveView,
    View,
    project_line,
    summary,
)

if TYPE_CHECKING:
    from toloka_api.models import Operation

_SHOWN_IN_A_COMMAND = 20  # operation ids written out in a follow-up command line
# Reports whose operation may still be running: the run ends pointing to `wait` for them.
_STILL_RUNNING = frozenset({Outcome.STARTED, Outcome.TIMED_OUT, Outcome.UNKNOWN})


def fail(error: Exception, err: TextIO) -> int:
    """Usage and configuration problems end the command with one line and status 2."""
    if isinstance(error, OutputClosedError):
        print(f"{PROG}: error: {error}", file=err)
        return EXIT_OUTPUT_CLOSED
    if isinstance(error, UsageError | ConfigurationError):
        print(f"{PROG}: error: {error}", file=err)
        return EXIT_USAGE
    raise error


def _unique(ids: array[int]) -> array[int]:
    seen: set[int] = set()
    unique: array[int] = array("Q")
    for pool_id in ids:
        if pool_id not in seen:
            seen.add(pool_id)
            unique.append(pool_id)
    return unique


def _unique_strings(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


class _StoppedEarlyError(Exception):
    """The run stopped early; ``code`` is the exit status, ``reason`` the one line to print."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class CommandRun:
    """One ``archive`` or ``wait`` run. Items are pool ids (archive) or operation ids (wait)."""

    def __init__(
        self,
        args: argparse.Namespace,
        items: Sequence[object],
        client: AsyncTolokaClient,
        view: View,
        out: TextIO,
        err: TextIO,
        *,
        selection: PoolSelection | None = None,
    ) -> None:
        self._args = args
        self._items = items
        self._selection = selection
        self._project: ProjectReport | None = None
        self._client = client
        self._view = GuardedView(view)
        self._out = out
        self._err = err
        self._following = args.command == "wait"
        # Items taken from the list and not finished yet, with their operation once known.
        self._in_flight: dict[str, str | None] = {}
        self._snapshots: dict[str, Operation] = {}
        self._counts: Counter[Outcome] = Counter()
        self._problems: list[PoolReport] = []
        self._to_follow: list[str] = []  # operations still running when reported
        self._unstarted: list[str] = []  # taken from the list, but known to have started nothing
        self._taken = 0

    @classmethod
    def prepare(
        cls,
        args: argparse.Namespace,
        environ: Mapping[str, str],
        stdin: TextIO,
        out: TextIO | None,
        err: TextIO,
    ) -> CommandRun:
        """Check everything that can be checked before the first request."""
        items: Sequence[object] = ()
        selection: PoolSelection | None = None
        if args.command == "wait":
            items = _unique_strings(read_operation_ids(args.operation_ids, args.from_file, stdin))
        elif args.command == "archive":
            selection = selection_from(args, datetime.now(UTC))
            if selection is None or args.pool_ids or args.from_file is not None:
                items = _unique(read_pool_ids(args.pool_ids, args.from_file, stdin))
        else:
            args.project_id = project_id(args.project_id)
        check_credentials(environ)
        if out is None or out.closed:
            raise OutputClosedError("standard output is closed; nothing was done")
        client = AsyncTolokaClient(environment=args.env, base_url=args.base_url, env=environ)
        total = None if selection is not None or args.command == "project" else len(items)
        view: View
        if args.json:
            view = JsonView(out)
        elif _isatty(out):
            view = LiveView(out, total=total)
        else:
            view = LinesView(out)
        return cls(args, items, client, view, out, err, selection=selection)

    def execute(self) -> int:
        self._announce()
        if self._args.verbose:
            handler = logging.StreamHandler(self._err)
            handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
            logger = logging.getLogger("toloka_archive")
            logger.addHandler(handler)
            logger.setLevel(logging.DEBUG if self._args.verbose > 1 else logging.INFO)
        return asyncio.run(self._run())

    def _announce(self) -> None:
        where = self._client.environment.value if self._client.environment else "custom URL"
        count = len(self._items)
        noun = "operation" if self._following else "pool"
        if self._following:
            mode = "following"
        elif self._args.dry_run:
            mode = "checking (dry run)"
        else:
            mode = "starting" if self._args.no_wait else "archiving"
        if self._args.command == "project":
            what = f"project {self._args.project_id}: its pools, then the project"
        else:
            what = (
                f"{count} {noun}{'s' if count != 1 else ''}" if count or not self._selection else ""
            )
            if self._selection is not None:
                what += (" and " if what else "") + describe(self._selection)
        print(
            f"{PROG}: {mode} {what} on {where} "
            f"({self._client.base_url}), {self._args.concurrency} at a time",
            file=self._err,
            flush=True,
        )

    # The run's state, updated by the engine's callbacks

    async def _taken_items(self) -> AsyncIterator[object]:
        """The ids given, then the pools the selection finds (read a page at a time)."""
        for item in self._items:
            yield self._take(str(item), item)
        if self._selection is not None:
            async for pool in self._client.find_pools(**self._selection.as_filters()):
                yield self._take(pool.id, pool)

    def _take(self, key: str, item: object) -> object:
        self._in_flight[key] = key if self._following else None
        self._taken += 1
        self._view.begin(key)
        return item

    def _key(self, report: PoolReport) -> str:
        return (report.operation_id or "") if self._following else report.pool_id

    def _started(self, pool_id: str, operation_id: str) -> None:
        self._in_flight[pool_id] = operation_id
        self._view.started(pool_id, operation_id)

    def _progress(self, pool_id: str, operation: Operation) -> None:
        key = operation.id if self._following else pool_id
        self._snapshots[key] = operation
        self._view.progress(key if self._following else pool_id, operation)

    def _finished(self, report: PoolReport) -> None:
        key = self._key(report)
        self._in_flight.pop(key, None)
        self._snapshots.pop(key, None)
        self._counts[report.outcome] += 1
        if not report.outcome.ok:
            self._problems.append(report)
        if report.operation_id and report.outcome in _STILL_RUNNING:
            self._to_follow.append(report.operation_id)
        self._view.finished(report)

    def _reports(self) -> AsyncIterator[PoolReport]:
        timeout = self._timeout()
        if self._following:
            return self._client.follow_operations(
                self._taken_items(),  # type: ignore[arg-type]  # operation ids, as str
                concurrency=self._args.concurrency,
                timeout=timeout,
                on_progress=self._progress,
            )
        return self._client.archive_pools(
            self._taken_items(),  # type: ignore[arg-type]  # ids and Pools
            concurrency=self._args.concurrency,
            wait=not self._args.no_wait,
            timeout=timeout,
            dry_run=self._args.dry_run,
            on_started=self._started,
            on_progress=self._progress,
        )

    def _timeout(self) -> Timeout:
        return DEFAULT_TIMEOUT if self._args.timeout is None else self._args.timeout.value

    def _checked_finished(self, report: PoolReport) -> None:
        self._finished(report)
        if self._view.lost:
            raise _StoppedEarlyError(
                EXIT_OUTPUT_CLOSED, "standard output was closed: no new pools were started"
            )

    async def _archive_project(self) -> None:
        """``project archive``: the engine reports each pool (``on_report``), then the project."""
        self._project = await self._client.archive_project(
            self._args.project_id,
            concurrency=self._args.concurrency,
            timeout=self._timeout(),
            dry_run=self._args.dry_run,
            on_report=self._checked_finished,
            on_started=self._started,
            on_progress=self._progress,
        )

    async def _archive_or_follow(self) -> None:
        reports = self._reports()
        try:
            async for report in reports:
                self._checked_finished(report)
        finally:
            # Closing the engine cancels its workers: nothing new is started.
            with suppress(Exception):
                await reports.aclose()  # type: ignore[attr-defined]

    # The run itself

    async def _run(self) -> int:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        interrupted = False

        def on_interrupt() -> None:
            nonlocal interrupted
            interrupted = True
            task.cancel()

        with suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGINT, on_interrupt)
        try:
            async with self._client:
                if self._args.command == "project":
                    await self._archive_project()
                else:
                    await self._archive_or_follow()
        except asyncio.CancelledError:
            if not interrupted:
                raise
            task.uncancel()
            return self._stop(EXIT_INTERRUPTED, "interrupted: no new pools were started")
        except _StoppedEarlyError as stopped:
            return self._stop(stopped.code, stopped.reason)
        except RunEndingError as error:
            # No request of this kind got through to an archive: those without an operation
            # were not started, rather than in flight.
            self._unstarted += [key for key, op in self._in_flight.items() if op is None]
            for key in self._unstarted:
                self._in_flight.pop(key, None)
            return self._stop(EXIT_USAGE, _run_ending_line(error, self._client.base_url))
        finally:
            with suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signal.SIGINT)
        if self._project is not None:
            self._view.project(self._project)
        self._view.close()
        self._print_summary()
        self._point_to_follow_up()
        if self._view.lost:
            return EXIT_OUTPUT_CLOSED
        if self._project is not None:
            return EXIT_OK if self._project.outcome.ok else EXIT_NOT_ARCHIVED
        return EXIT_NOT_ARCHIVED if self._problems else EXIT_OK

    def _stop(self, code: int, reason: str) -> int:
        self._view.close()
        finished = sum(self._counts.values())
        not_taken = self._not_taken()
        rest = f"{not_taken} not started" if not_taken is not None else "the rest not started"
        print(
            f"{PROG}: {reason}; {finished} finished, {len(self._in_flight)} in flight, {rest}",
            file=self._err,
        )
        self._report_in_flight()
        self._print_summary(self._err if code == EXIT_OUTPUT_CLOSED else self._summary_stream())
        self._point_to_follow_up()
        return code

    def _not_taken(self) -> int | None:
        """Items never taken from the list; None when a selection's size is not known."""
        unstarted = len(self._unstarted)
        if self._selection is not None or self._args.command == "project":
            return unstarted or None
        return len(self._items) - self._taken + unstarted

    def _summary_stream(self) -> TextIO:
        return self._err if self._args.json or self._view.lost else self._out

    def _print_summary(self, stream: TextIO | None = None) -> None:
        target = stream if stream is not None else self._summary_stream()
        if target is self._out and self._view.lost:
            target = self._err
        lines = summary(
            self._counts,
            self._problems,
            in_flight=len(self._in_flight),
            not_started=self._not_taken() or 0,
            noun="operation" if self._following else "pool",
        )
        if self._project is not None:
            lines.append(project_line(self._project))
        try:
            for line in lines:
                print(line, file=target)
            target.flush()
        except OUTPUT_LOST:
            if target is not self._err:
                self._print_summary(self._err)

    def _report_in_flight(self) -> None:
        err = self._err
        started = {key: op for key, op in self._in_flight.items() if op is not None}
        unanswered = [key for key, op in self._in_flight.items() if op is None]
        if started:
            print("Operations already started (they go on at Toloka):", file=err)
            for key, operation_id in started.items():
                snapshot = self._snapshots.get(key)
                state = ""
                if snapshot is not None:
                    state = f" ({status_name(snapshot)} {progress_of(snapshot) or 0}%)"
                subject = f"operation {operation_id}" if self._following else f"pool {key}"
                tail = "" if self._following else f": operation {operation_id}"
                print(f"  {subject}{tail}{state}", file=err)
            self._to_follow.extend(started.values())
        if unanswered:
            print("Archive requests sent or about to be sent, with no answer yet:", file=err)
            print(
                "  pools "
                + ", ".join(unanswered)
                + " (run the same command again: an archive already under way is followed,"
                " not started twice)",
                file=err,
            )
        err.flush()

    def _point_to_follow_up(self) -> None:
        ids = list(dict.fromkeys(self._to_follow))
        if not ids:
            return
        where = f" --base-url {self._client.base_url}" if self._client.environment is None else ""
        if self._client.environment is not None:
            where = f" --env {self._client.environment.value}"
        if len(ids) <= _SHOWN_IN_A_COMMAND:
            command = f"{PROG} wait {' '.join(ids)}{where}"
        else:
            command = f"{PROG} wait --from-file FILE{where}   (FILE: the operation ids above)"
        print(f"To follow the operations still running: {command}", file=self._err)
        self._err.flush()


class OutputClosedError(Exception):
    """Standard output is closed before the run starts: nothing could be reported."""


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except ValueError:
        return False


def _run_ending_line(error: RunEndingError, base_url: str) -> str:
    if isinstance(error, AuthenticationError):
        return f"error: Toloka rejected the key: {error}"
    if isinstance(error, TolokaUnreachableError):
        return f"error: cannot reach Toloka at {base_url}: {error}"
    if isinstance(error, NotTolokaAPIError):
        return f"error: {base_url} is not Toloka's API (check --base-url): {error}"
    return f"error: {error}"
