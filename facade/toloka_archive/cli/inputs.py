"""Reading the ids a command line names: arguments, a file, or standard input.

Every id is checked before anything is done. One bad line stops the whole run with a message
that names it, rather than archiving the good ids and quietly dropping the bad one: an operator
who mistyped an id wants to know, and a run that half-happened is harder to redo. Pool ids are
kept as unsigned 64-bit integers (8 bytes each), so even 100,000 ids are under 1 MiB.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

from toloka_archive._core.errors import InvalidOperationIdError, InvalidPoolIdError
from toloka_archive._core.ids import normalize_operation_id, normalize_pool_id

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
                with open(from_file, encoding="utf-8") as handle:
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
