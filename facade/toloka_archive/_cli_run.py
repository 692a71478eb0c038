"""One run of ``toloka-archive archive``: from checked arguments to the summary and exit status.

The run keeps exactly what it must not lose: the pools taken from the list but not finished,
and the operation each one started. On Ctrl-C it stops taking new pools, lets the display
settle, and lists every operation already started (and every request sent but not answered),
so nothing is left unknown.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import suppress
from typing import TextIO

from toloka_api.models import Operation

from toloka_archive._async_client import AsyncTolokaClient
from toloka_archive._cli_input import UsageError, read_pool_ids
from toloka_archive._cli_output import JsonView, LinesView, LiveView, View, summary
from toloka_archive._cli_status import (
    EXIT_INTERRUPTED,
    EXIT_NOT_ARCHIVED,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
)
from toloka_archive._environment import ENV_API_KEY, ENV_OAUTH_TOKEN
from toloka_archive._errors import AuthenticationError, ConfigurationError
from toloka_archive._operation import DEFAULT_TIMEOUT
from toloka_archive._reports import Outcome, PoolReport
from toloka_archive._snapshot import progress_of, status_name


def fail(error: Exception, err: TextIO) -> int:
    """Usage and configuration problems end the command with one line and status 2."""
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


class ArchiveRun:
    def __init__(
        self,
        args: argparse.Namespace,
        ids: array[int],
        client: AsyncTolokaClient,
        view: View,
        out: TextIO,
        err: TextIO,
    ) -> None:
        self._args = args
        self._ids = ids
        self._client = client
        self._view = view
        self._out = out
        self._err = err
        # Pools taken from the list and not finished yet, with their operation once known.
        self._in_flight: dict[str, str | None] = {}
        self._snapshots: dict[str, Operation] = {}
        self._counts: Counter[Outcome] = Counter()
        self._problems: list[PoolReport] = []
        self._taken = 0

    @classmethod
    def prepare(
        cls,
        args: argparse.Namespace,
        environ: Mapping[str, str],
        stdin: TextIO,
        out: TextIO,
        err: TextIO,
    ) -> ArchiveRun:
        """Check everything that can be checked before the first request."""
        ids = _unique(read_pool_ids(args.pool_ids, args.from_file, stdin))
        if not (environ.get(ENV_API_KEY) or environ.get(ENV_OAUTH_TOKEN)):
            # The client's own message names api_key=..., which the command does not take.
            raise UsageError(
                f"no Toloka credentials: set {ENV_API_KEY} (or the legacy {ENV_OAUTH_TOKEN})"
            )
        client = AsyncTolokaClient(environment=args.env, base_url=args.base_url, env=environ)
        view: View
        if args.json:
            view = JsonView(out)
        elif out.isatty():
            view = LiveView(out, total=len(ids))
        else:
            view = LinesView(out)
        return cls(args, ids, client, view, out, err)

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
        count = len(self._ids)
        mode = (
            "checking (dry run)"
            if self._args.dry_run
            else ("starting" if self._args.no_wait else "archiving")
        )
        print(
            f"{PROG}: {mode} {count} pool{'s' if count != 1 else ''} on {where} "
            f"({self._client.base_url}), {self._args.concurrency} at a time",
            file=self._err,
            flush=True,
        )

    def _pool_ids(self) -> Iterator[str]:
        for number in self._ids:
            pool_id = str(number)
            self._in_flight[pool_id] = None
            self._taken += 1
            self._view.begin(pool_id)
            yield pool_id

    def _started(self, pool_id: str, operation_id: str) -> None:
        self._in_flight[pool_id] = operation_id
        self._view.started(pool_id, operation_id)

    def _progress(self, pool_id: str, operation: Operation) -> None:
        self._snapshots[pool_id] = operation
        self._view.progress(pool_id, operation)

    def _finished(self, report: PoolReport) -> None:
        self._in_flight.pop(report.pool_id, None)
        self._snapshots.pop(report.pool_id, None)
        self._counts[report.outcome] += 1
        if not report.outcome.ok:
            self._problems.append(report)
        self._view.finished(report)

    async def _run(self) -> int:
        interrupted = False
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()

        def on_interrupt() -> None:
            nonlocal interrupted
            interrupted = True
            task.cancel()

        with suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGINT, on_interrupt)
        try:
            async with self._client:
                reports = self._client.archive_pools(
                    self._pool_ids(),
                    concurrency=self._args.concurrency,
                    wait=not self._args.no_wait,
                    timeout=DEFAULT_TIMEOUT if self._args.timeout is None else self._args.timeout,
                    dry_run=self._args.dry_run,
                    on_started=self._started,
                    on_progress=self._progress,
                )
                async for report in reports:
                    self._finished(report)
        except asyncio.CancelledError:
            if not interrupted:
                raise
            task.uncancel()
            self._view.close()
            self._report_interruption()
            self._print_summary()
            return EXIT_INTERRUPTED
        except AuthenticationError as error:
            self._view.close()
            print(f"{PROG}: error: Toloka rejected the key: {error}", file=self._err)
            return EXIT_USAGE
        finally:
            with suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signal.SIGINT)
        self._view.close()
        self._print_summary()
        return EXIT_NOT_ARCHIVED if self._problems else EXIT_OK

    def _print_summary(self) -> None:
        stream = self._err if self._args.json else self._out
        total = sum(self._counts.values())
        for line in summary(self._counts, self._problems, total):
            print(line, file=stream)
        stream.flush()

    def _report_interruption(self) -> None:
        err = self._err
        finished = sum(self._counts.values())
        not_taken = len(self._ids) - self._taken
        print(
            f"{PROG}: interrupted: no new pools were started; {finished} finished, "
            f"{len(self._in_flight)} in flight, {not_taken} not started",
            file=err,
        )
        started = {pool: op for pool, op in self._in_flight.items() if op is not None}
        unanswered = [pool for pool, op in self._in_flight.items() if op is None]
        if started:
            print("Operations already started (they go on at Toloka):", file=err)
            for pool, operation_id in started.items():
                snapshot = self._snapshots.get(pool)
                state = ""
                if snapshot is not None:
                    percent = progress_of(snapshot) or 0
                    state = f" ({status_name(snapshot)} {percent}%)"
                print(f"  pool {pool}: operation {operation_id}{state}", file=err)
        if started:
            print(
                "  To follow them up, run the same command again later: a pool whose archive "
                "has finished answers 'already archived'.",
                file=err,
            )
        if unanswered:
            print("Archive requests sent or about to be sent, with no answer yet:", file=err)
            print(
                "  pools " + ", ".join(unanswered) + f" (check with: {PROG} archive --dry-run ...)",
                file=err,
            )
        err.flush()
