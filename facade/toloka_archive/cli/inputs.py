"""What a command line gives, checked before any request: ids (arguments, a file, standard
input), the pool selection options, the credentials, and the client they make.

Every id is checked before anything is done. One bad line stops the whole run with a message
that names it, rather than archiving the good ids and quietly dropping the bad one: an operator
who mistyped an id wants to know, and a run that half-happened is harder to redo. Pool ids are
kept as unsigned 64-bit integers (8 bytes each), so even 100,000 ids are under 1 MiB.
"""

from __future__ import annotations

import argparse
import functools
import shlex
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import TextIO, TypeVar

from toloka_archive import AsyncTolokaClient, ConfigurationError, PoolSelection
from toloka_archive._core.dates import DateError, parse_duration, parse_moment
from toloka_archive._core.environment import ENV_API_KEY, ENV_OAUTH_TOKEN
from toloka_archive._core.errors import InvalidIdError, InvalidOperationIdError, InvalidPoolIdError
from toloka_archive._core.ids import normalize_operation_id, normalize_pool_id, normalize_project_id
from toloka_archive._core.models import PoolStatus, pool_status_filter
from toloka_archive._core.policies import DEFAULT_TIMEOUT, Timeout
from toloka_archive.cli.status import EXIT_OUTPUT_CLOSED, EXIT_USAGE, PROG

T = TypeVar("T")

_MAX_ID = 2**64 - 1
_MAX_DIGITS = len(str(_MAX_ID))  # checked first: int() refuses 5,000 digits
_SHOWN_PROBLEMS = 3


class UsageError(Exception):
    """The command was given something it cannot run with; the message is one line."""


class BadIdError(ValueError):
    """One id that cannot be used; the message says why."""


def read_pool_ids(
    arguments: list[str], from_file: str | None, stdin: TextIO | None = None
) -> array[int]:
    """All the pool ids, in order, duplicates included (the bulk engine archives each once)."""
    ids: array[int] = array("Q")
    _read(arguments, from_file, stdin, _pool_id, ids.append)
    if not ids:
        raise UsageError("no pool ids given: name them as arguments or with --from-file")
    return ids


def read_operation_ids(
    arguments: list[str], from_file: str | None, stdin: TextIO | None = None
) -> list[str]:
    """All the operation ids, in order, duplicates included."""
    ids: list[str] = []
    _read(arguments, from_file, stdin, _operation_id, ids.append)
    if not ids:
        raise UsageError("no operation ids given: name them as arguments or with --from-file")
    return ids


def _shown(text: str) -> str:
    return repr(text[:40]) + ("..." if len(text) > 40 else "")


def _pool_id(text: str) -> int:
    if text.isascii() and text.isdigit() and (len(text) > _MAX_DIGITS or int(text) > _MAX_ID):
        raise BadIdError(f"{_shown(text)} is too large for a pool id")
    try:
        return int(normalize_pool_id(text))
    except InvalidPoolIdError:
        raise BadIdError(f"{_shown(text)} is not a pool id (ASCII digits only)") from None


def _operation_id(text: str) -> str:
    try:
        return normalize_operation_id(text)
    except InvalidOperationIdError:
        raise BadIdError(f"{_shown(text)} is not an operation id") from None


def _numbered_lines(stream: Iterable[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, start=1):
        if number == 1:
            line = line.removeprefix("\ufeff")  # a BOM, as some editors save UTF-8
        text = line.split("#", 1)[0].strip()
        if text:
            yield number, text


def _read(
    arguments: list[str],
    from_file: str | None,
    stdin: TextIO | None,
    check: Callable[[str], T],
    keep: Callable[[T], object],
) -> None:
    """Check every id in order; keep the good ones, and raise one error naming the bad ones."""
    problems: list[str] = []

    def take(where: str, text: str) -> None:
        try:
            keep(check(text))
        except BadIdError as problem:
            problems.append(f"{where}: {problem}")

    for position, argument in enumerate(arguments, start=1):
        take(f"argument {position}", argument.strip())
    if from_file is not None:
        name = "standard input" if from_file == "-" else from_file
        try:
            if from_file == "-":
                for number, text in _numbered_lines(stdin or sys.stdin):
                    take(f"{name} line {number}", text)
            else:
                with open(from_file, encoding="utf-8-sig") as handle:
                    for number, text in _numbered_lines(handle):
                        take(f"{name} line {number}", text)
        except OSError as error:
            raise UsageError(f"cannot read {name}: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{name} is not UTF-8 text") from None
    if problems:
        more = len(problems) - _SHOWN_PROBLEMS
        shown = "; ".join(problems[:_SHOWN_PROBLEMS])
        tail = f"; and {more} more" if more > 0 else ""
        raise UsageError(f"{shown}{tail}. Nothing was done; fix the ids and run again")


def check_credentials(environ: Mapping[str, str]) -> None:
    if not (environ.get(ENV_API_KEY) or environ.get(ENV_OAUTH_TOKEN)):
        # The client's own message names api_key=..., which the command does not take.
        raise UsageError(
            f"no Toloka credentials: set {ENV_API_KEY} (or the legacy {ENV_OAUTH_TOKEN})"
        )


def project_id(text: str) -> str:
    try:
        return normalize_project_id(text.strip())
    except InvalidIdError:
        raise UsageError(f"{text[:40]!r} is not a project id (ASCII digits only)") from None


def selection_from(args: argparse.Namespace, now: datetime) -> PoolSelection | None:
    """The ``--project``/``--status``/``--idle-for``/date options as a selection, checked."""
    chosen = [args.project, args.idle_for, args.last_started_before, args.created_before]
    if not any(option is not None for option in chosen):
        if args.status is not None:
            raise UsageError(
                "--status chooses among the pools of --project or of an --idle-for, "
                "--last-started-before or --created-before selection"
            )
        return None

    def moment(option: str, value: str | None) -> datetime | None:
        if value is None:
            return None
        try:
            return parse_moment(value, now)
        except DateError as error:
            raise UsageError(f"{option}: {error}") from None

    idle_since = None
    if args.idle_for is not None:
        try:
            idle_since = now - parse_duration(args.idle_for)
        except DateError as error:
            raise UsageError(f"--idle-for: {error}") from None
    status: str | None = PoolStatus.CLOSED.value
    if args.status is not None:
        try:
            status = pool_status_filter(args.status)
        except ValueError as error:
            raise UsageError(f"--status: {error}") from None
    return PoolSelection(
        project_id=None if args.project is None else project_id(args.project),
        status=status,
        created_before=moment("--created-before", args.created_before),
        last_started_before=moment("--last-started-before", args.last_started_before),
        idle_since=idle_since,
    )


def client_from(args: argparse.Namespace, environ: Mapping[str, str]) -> AsyncTolokaClient:
    """The client the options point at (``--env`` or ``--base-url``), keyed from ``environ``."""
    check_credentials(environ)
    return AsyncTolokaClient(environment=args.env, base_url=args.base_url, env=environ)


def timeout_of(args: argparse.Namespace) -> Timeout:
    """``--timeout``: seconds, None for "forever", or the client's default."""
    return DEFAULT_TIMEOUT if args.timeout is None else args.timeout.value


class OutputClosedError(Exception):
    """Standard output is closed before the run starts: nothing could be reported."""


def checked_output(out: TextIO | None) -> TextIO:
    """Standard output, when it can be written to; a run that could report nothing starts
    nothing."""
    if out is None or out.closed:
        raise OutputClosedError("standard output is closed; nothing was done")
    return out


Command = Callable[[argparse.Namespace, Mapping[str, str], TextIO, TextIO, TextIO], int]


def usage_errors(command: Command) -> Command:
    """A command whose usage and configuration problems end it with one line on stderr and
    status 2 (3 for a closed standard output), before anything is sent."""

    @functools.wraps(command)
    def checked(
        args: argparse.Namespace,
        environ: Mapping[str, str],
        stdin: TextIO,
        out: TextIO,
        err: TextIO,
    ) -> int:
        try:
            return command(args, environ, stdin, out, err)
        except OutputClosedError as error:
            print(f"{PROG}: error: {error}", file=err)
            return EXIT_OUTPUT_CLOSED
        except (UsageError, ConfigurationError) as error:
            print(f"{PROG}: error: {error}", file=err)
            return EXIT_USAGE

    return checked


def unique(ids: Iterable[int]) -> array[int]:
    """Each pool id once, in the order given."""
    seen: set[int] = set()
    kept: array[int] = array("Q")
    for pool_id in ids:
        if pool_id not in seen:
            seen.add(pool_id)
            kept.append(pool_id)
    return kept


def rerun_command(args: argparse.Namespace) -> str:
    """The command line of this run, to run again: safe whatever it already did."""
    text = f"{PROG} {shlex.join(args.argv)}" if args.argv else PROG
    if getattr(args, "from_file", None) == "-":
        text += "   (with the same standard input)"
    return text
