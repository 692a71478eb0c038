"""Reading the pool ids a command line names: arguments, a file, or standard input.

Every id is checked before anything is archived. One bad line stops the whole run with a
message that names it, rather than archiving the good ids and quietly dropping the bad one: an
operator who mistyped an id wants to know, and a run that half-happened is harder to redo.
Ids are kept as unsigned 64-bit integers (8 bytes each), so even 100,000 ids are under 1 MiB.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator
from typing import TextIO

from toloka_archive._errors import InvalidPoolIdError
from toloka_archive._ids import normalize_pool_id

_MAX_ID = 2**64 - 1
_MAX_DIGITS = len(str(_MAX_ID))  # checked first: int() refuses 5,000 digits
_SHOWN_PROBLEMS = 3


class UsageError(Exception):
    """The command was given something it cannot run with; the message is one line."""


def _numbered_lines(stream: Iterable[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, start=1):
        text = line.split("#", 1)[0].strip()
        if text:
            yield number, text


def _check(text: str) -> int | str:
    """The id as an int, or why it is not one."""
    shown = repr(text[:40]) + ("..." if len(text) > 40 else "")
    if text.isascii() and text.isdigit() and (len(text) > _MAX_DIGITS or int(text) > _MAX_ID):
        return f"{shown} is too large for a pool id"
    try:
        return int(normalize_pool_id(text))
    except InvalidPoolIdError:
        return f"{shown} is not a pool id (ASCII digits only)"


def read_pool_ids(
    arguments: list[str], from_file: str | None, stdin: TextIO | None = None
) -> array[int]:
    """All the ids, in order, duplicates included (the bulk engine archives each once)."""
    ids: array[int] = array("Q")
    problems: list[str] = []

    def take(where: str, text: str) -> None:
        checked = _check(text)
        if isinstance(checked, str):
            problems.append(f"{where}: {checked}")
        else:
            ids.append(checked)

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
        raise UsageError(f"{shown}{tail}. Nothing was archived; fix the ids and run again")
    if not ids:
        raise UsageError("no pool ids given: name them as arguments or with --from-file")
    return ids
