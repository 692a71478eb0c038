"""One run of a command that starts or follows operations: its view, its ledger, and how it
ends, whatever ends it.

A command (``archive``, ``project archive``, ``wait``) hands the engine the session's event
methods (``begin``, ``started``, ``progress``, ``finished``) and its body to ``execute``. The
session keeps the ledger and the display in step, and owns every way a run can end: done, or
stopped early by Ctrl-C, a closed standard output, a problem no pool can get past, or a crash
(a bug, or an answer nothing could read). A run that stops early stops taking new subjects,
lets the display settle, lists on stderr every operation still going on at Toloka and every
request still unanswered, prints the summary, and ends with the commands that follow up: the
``wait`` for what was started, and the re-run for what was not.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from contextlib import suppress
from typing import TextIO, TypeVar

from toloka_archive import (
    AsyncTolokaClient,
    AuthenticationError,
    ListingError,
    NotFoundError,
    NotTolokaAPIError,
    PermissionDeniedError,
    PoolReport,
    ProjectReport,
    RunEndingError,
    TolokaUnreachableError,
)
from toloka_archive._core.models import Operation
from toloka_archive.cli.inputs import checked_output, client_from, rerun_command
from toloka_archive.cli.ledger import Ledger
from toloka_archive.cli.status import (
    EXIT_NOT_ARCHIVED,
    EXIT_OK,
    EXIT_OUTPUT_CLOSED,
    EXIT_SIGNALLED,
    EXIT_USAGE,
    PROG,
    STOPPING_SIGNALS,
)
from toloka_archive.cli.views import (
    OUTPUT_LOST,
    GuardedView,
    JsonView,
    LinesView,
    LiveView,
    View,
    plural,
    project_line,
    summary,
)

T = TypeVar("T")

SHOWN_IN_A_COMMAND = 20  # ids written out in a follow-up command line


class RunRefusedError(Exception):
    """The run cannot start as asked (no such project, no access to it): one line, exit 1,
    before anything was started."""


class _StoppedEarlyError(Exception):
    """The run stopped early; ``code`` is the exit status, ``reason`` the one line to print."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Session:
    """One run; ``noun`` names its subjects ("pool", or "operation" for ``wait``)."""

    def __init__(
        self,
        client: AsyncTolokaClient,
        out: TextIO,
        err: TextIO,
        *,
        noun: str,
        json_lines: bool,
        given: int | None,
        rerun: str,
        heading: str = "Not archived:",
    ) -> None:
        """``given``: how many subjects were named up front (None when a selection found them,
        with no count known before the end); ``rerun``: the command that picks up what was
        not started, e.g. "toloka-archive archive --project 7 --env sandbox"; ``heading``: what
        the summary calls the subjects that did not end well."""
        self.client = client
        self.ledger = Ledger()
        self._out = out
        self._err = err
        self._noun = noun
        self._json = json_lines
        self._given = given
        self._taken_given = 0
        self._not_given: list[str] = []  # named up front, never taken up
        self._rerun = rerun
        self._heading = heading
        self._view = GuardedView(self._make_view(json_lines, given))

    @classmethod
    def of_command(
        cls,
        args: argparse.Namespace,
        environ: Mapping[str, str],
        out: TextIO,
        err: TextIO,
        *,
        noun: str,
        given: int | None,
        heading: str = "Not archived:",
    ) -> Session:
        """The session of a command run as its options say: the client they point at (the key
        from ``environ``), ``--json``, and the command line itself to run again."""
        return cls(
            client_from(args, environ),
            checked_output(out),
            err,
            noun=noun,
            json_lines=args.json,
            given=given,
            rerun=rerun_command(args),
            heading=heading,
        )

    def _make_view(self, json_lines: bool, total: int | None) -> View:
        if json_lines:
            return JsonView(self._out)
        if _isatty(self._out):
            return LiveView(self._out, total=total, noun=self._noun)
        return LinesView(self._out)

    # What the engine is told to call

    def begin(self, key: str, operation_id: str | None = None) -> None:
        self.ledger.begin(key, operation_id)
        self._view.begin(key)

    def started(self, key: str, operation_id: str) -> None:
        self.ledger.started(key, operation_id)
        self._view.started(key, operation_id)

    def progress(self, key: str, snapshot: Operation) -> None:
        self.ledger.progress(key, snapshot)
        self._view.progress(key, snapshot)

    def finished(self, key: str, report: PoolReport) -> None:
        self.ledger.finished(key, report)
        self._view.finished(key, report)
        if self._view.lost:
            raise _StoppedEarlyError(
                EXIT_OUTPUT_CLOSED,
                f"standard output was closed: no new {plural(self._noun)} were started",
            )

    def project_started(self, _project_id: str, operation_id: str) -> None:
        self.ledger.project_started(operation_id)

    def project_finished(self, report: ProjectReport) -> None:
        self.ledger.project_finished(report)
        self._view.project(report)

    async def consume(
        self, reports: AsyncIterator[PoolReport], key: Callable[[PoolReport], str]
    ) -> None:
        """Take every report of an engine run, each under its subject's ``key``. However this
        ends, the engine is closed, which cancels its workers: nothing new is started."""
        try:
            async for report in reports:
                self.finished(key(report), report)
        finally:
            aclose = getattr(reports, "aclose", None)
            if aclose is not None:
                with suppress(Exception):
                    await aclose()

    def given_items(self, items: Iterable[T]) -> Iterator[T]:
        """``items`` (named up front) as the engine reads them, counted, so that a run that
        stops early knows which were never taken up."""
        for item in items:
            self._taken_given += 1
            yield item

    # The run

    def say(self, line: str) -> None:
        """One line for people, on stderr (stdout may be JSON)."""
        print(f"{PROG}: {line}", file=self._err, flush=True)

    def announce(self, mode: str, what: str, concurrency: int) -> None:
        client = self.client
        where = client.environment.value if client.environment else "custom URL"
        print(
            f"{PROG}: {mode} {what} on {where} ({client.base_url}), {concurrency} at a time",
            file=self._err,
            flush=True,
        )

    def execute(
        self, body: Callable[[], Awaitable[None]], *, verbose: int, ok: Callable[[], bool]
    ) -> int:
        """Run ``body`` to its end (or until something stops it) and say how it went; ``ok``
        tells whether the run as a whole succeeded, for the exit status."""
        if verbose:
            handler = logging.StreamHandler(self._err)
            handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
            logger = logging.getLogger("toloka_archive")
            logger.addHandler(handler)
            logger.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
        return asyncio.run(self._run(body, ok))

    async def _run(self, body: Callable[[], Awaitable[None]], ok: Callable[[], bool]) -> int:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        stopped_by: list[signal.Signals] = []  # the first signal decides the exit status

        def on_signal(signum: signal.Signals) -> None:
            stopped_by.append(signum)
            task.cancel()

        # Ctrl-C, and the way systemd, Kubernetes, CI runners and Airflow stop a process (or a
        # closed terminal): every one ends the run the same way, with the list and the hints.
        for signum in STOPPING_SIGNALS:
            with suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, on_signal, signum)
        try:
            async with self.client:
                await body()
        except asyncio.CancelledError:
            if not stopped_by:
                raise
            task.uncancel()
            signum = stopped_by[0]
            how = "interrupted" if signum == signal.SIGINT else f"stopped by {signum.name}"
            return self._stop(
                EXIT_SIGNALLED + signum, f"{how}: no new {plural(self._noun)} were started"
            )
        except RunRefusedError as refused:
            print(f"{PROG}: error: {refused}", file=self._err)
            return EXIT_NOT_ARCHIVED
        except _StoppedEarlyError as stopped:
            return self._stop(stopped.code, stopped.reason)
        except ListingError as error:
            # The pools found were finished and reported; the list's rest is unknown.
            return self._stop(EXIT_NOT_ARCHIVED, f"error: {error}")
        except RunEndingError as error:
            # No request got through to Toloka's work: a subject without an operation was not
            # started, rather than in flight.
            for key in self.ledger.unanswered():
                del self.ledger.running[key]
                self._not_given.append(key)
            return self._stop(EXIT_USAGE, _run_ending_line(error, self.client.base_url))
        except Exception as error:
            # A crash: whatever it was, say first what goes on at Toloka, then let it be seen.
            self._stop(EXIT_NOT_ARCHIVED, f"error: the run stopped: {type(error).__name__}")
            raise
        finally:
            for signum in STOPPING_SIGNALS:
                with suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.remove_signal_handler(signum)
        self._view.close()
        self._print_summary()
        self._point_to_follow_up()
        if self._view.lost:
            return EXIT_OUTPUT_CLOSED
        return EXIT_OK if ok() else EXIT_NOT_ARCHIVED

    def _stop(self, code: int, reason: str) -> int:
        self._view.close()
        ledger = self.ledger
        not_taken = self._not_taken()
        rest = f"{not_taken} not started" if not_taken is not None else "the rest not started"
        print(
            f"{PROG}: {reason}; {ledger.finished_count} finished, {len(ledger.running)} in "
            f"flight, {rest}",
            file=self._err,
        )
        self._report_in_flight()
        self._print_summary(self._err if code == EXIT_OUTPUT_CLOSED else self._summary_stream())
        self._point_to_follow_up(stopped=True)
        return code

    def _not_taken(self) -> int | None:
        """Subjects never taken up; None when a selection's size is not known."""
        if self._given is None:
            return len(self._not_given) or None
        return self._given - self._taken_given + len(self._not_given)

    def _summary_stream(self) -> TextIO:
        return self._err if self._json or self._view.lost else self._out

    def _print_summary(self, stream: TextIO | None = None) -> None:
        target = stream if stream is not None else self._summary_stream()
        if target is self._out and self._view.lost:
            target = self._err
        ledger = self.ledger
        lines = summary(
            ledger.counts,
            ledger.problems,
            heading=self._heading,
            in_flight=len(ledger.running),
            not_started=self._not_taken() or 0,
            noun=self._noun,
        )
        if ledger.project is not None:
            lines.append(project_line(ledger.project))
        try:
            for line in lines:
                print(line, file=target)
            target.flush()
        except OUTPUT_LOST:
            if target is not self._err:
                self._print_summary(self._err)

    def _report_in_flight(self) -> None:
        err, ledger = self._err, self.ledger
        started = ledger.started_in_flight()
        unanswered = ledger.unanswered()
        if started:
            print("Operations already started (they go on at Toloka):", file=err)
            for key, operation_id in started.items():
                snapshot = ledger.snapshots.get(key)
                state = ""
                if snapshot is not None:
                    state = f" ({snapshot.status} {snapshot.progress or 0}%)"
                if key == operation_id:  # following: the subject is the operation
                    print(f"  operation {operation_id}{state}", file=err)
                else:
                    print(f"  {self._noun} {key}: operation {operation_id}{state}", file=err)
        if unanswered:
            print("Requests sent or about to be sent, with no answer yet:", file=err)
            print(
                f"  {plural(self._noun, len(unanswered))} "
                + ", ".join(unanswered)
                + " (run the same command again: an operation already under way is followed,"
                " not started twice)",
                file=err,
            )
        err.flush()

    def _point_to_follow_up(self, *, stopped: bool = False) -> None:
        ids = self.ledger.to_follow()
        where = self._where()
        if ids:
            if len(ids) <= SHOWN_IN_A_COMMAND:
                command = f"{PROG} wait {' '.join(ids)}{where}"
            else:
                command = f"{PROG} wait --from-file FILE{where}   (FILE: the operation ids above)"
            print(f"To follow the operations still running: {command}", file=self._err)
        if stopped and (self._not_taken() is None or self._not_taken()):
            print(
                f"To take up the {plural(self._noun)} not started: {self._rerun}   (the same "
                "command again: what is done answers at once, what runs is followed, never "
                "started twice)",
                file=self._err,
            )
        self._err.flush()

    def _where(self) -> str:
        client = self.client
        if client.environment is not None:
            return f" --env {client.environment.value}"
        return f" --base-url {client.base_url}"


async def check_project(client: AsyncTolokaClient, project_id: str) -> None:
    """A run about a project starts only once the project is known to exist and be yours:
    Toloka lists no pools for one that is not, which must not pass for "nothing to do"."""
    try:
        await client.get_project(project_id)
    except NotFoundError:
        raise RunRefusedError(f"no such project {project_id}") from None
    except PermissionDeniedError:
        raise RunRefusedError(f"no access to project {project_id} (not this key's)") from None


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
