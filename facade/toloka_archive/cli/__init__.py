"""The ``toloka-archive`` command: archive pools (closing open ones first when asked), archive a
project, follow operations, read the archive history, and run the fake Toloka.

One module per command (``archive``, ``project``, ``wait``, ``history``), each a thin layer over
the public facade; the commands that start or follow operations share one run frame
(``session``) and one ledger of what was started (``ledger``), so that whatever stops a run
(Ctrl-C, a closed pipe, a problem no pool can get past, a crash) lists every operation still
going on at Toloka and the command that follows them up. The command imports only the public
facade and ``_core``.

Exit status:

====  ==================================================================================
0     every pool was archived or already archived (with ``--no-wait``: every archive
      started or was not needed; with ``--dry-run``: every pool can be archived now;
      for ``wait``: every operation ended in success)
1     some pools were not archived (the summary lists each with its reason)
2     bad usage or configuration (an unknown option, a bad id, no key, an unknown
      environment), or a problem no pool can get past: a key Toloka rejects, Toloka
      unreachable, a base URL that is not Toloka's API
3     standard output was closed (``| head``): no new pools were started; the operations
      already started and the summary are on stderr
130   interrupted (Ctrl-C): no new pools were started; operations already started are listed
====  ==================================================================================

Credentials come only from ``TOLOKA_API_KEY`` or ``TOLOKA_OAUTH_TOKEN``, never from an
argument, which other users of the machine could read in the process list.

Only ``argparse`` is imported up front: the HTTP stack loads after the arguments are read, so
``--help`` and usage errors answer at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import NoReturn, TextIO

from toloka_archive.cli.parser import build_parser, subcommands
from toloka_archive.cli.status import EXIT_OUTPUT_CLOSED, EXIT_USAGE, PROG

__all__ = ["build_parser", "entry_point", "main"]


FILE_OPTIONS = frozenset({"--from-file", "--scenario"})
"""Options that take a file name: completion offers the files there."""


def completion_script(shell: str) -> str:
    """The completion script for ``shell``, written from the parser as it is now."""
    import shtab  # only here: the command's other paths never need it

    parser = build_parser()
    for action in _all_actions(parser):
        if FILE_OPTIONS & set(action.option_strings):
            action.complete = shtab.FILE  # type: ignore[attr-defined]  # shtab reads this
    return str(shtab.complete(parser, shell=shell))


def _all_actions(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    yield from parser._actions  # argparse keeps its actions nowhere public
    for child in subcommands(parser).values():
        yield from _all_actions(child)


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Run the command as the console script does; the streams and the environment (where the
    key is read) default to the process's own."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(arguments)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    args.argv = arguments  # for the re-run a stopped run suggests
    if args.command == "completion":
        out.write(completion_script(args.shell))
        return 0
    if args.command == "fake":
        from toloka_archive.testing.__main__ import run

        return run(
            host=args.host,
            port=args.port,
            scenario=args.scenario,
            seed=args.seed,
            stdout=out,
            stderr=err,
            prog=PROG,
        )
    variables = os.environ if environ is None else environ
    return _command(args.command)(args, variables, stdin or sys.stdin, out, err)


Command = Callable[[argparse.Namespace, Mapping[str, str], TextIO, TextIO, TextIO], int]


def _command(name: str) -> Command:
    """The command's ``run``; its module (and with it the HTTP stack) loads only now."""
    if name == "history":
        from toloka_archive.cli.history import run as history

        return history
    if name == "wait":
        from toloka_archive.cli.wait import run as wait

        return wait
    if name == "project":
        from toloka_archive.cli.project import run as project

        return project
    from toloka_archive.cli.archive import run as archive

    return archive


def entry_point() -> NoReturn:
    """The console script: ``toloka-archive``."""
    code = main()
    if code == EXIT_OUTPUT_CLOSED:
        _silence_stdout()
    sys.exit(code)


def _silence_stdout() -> None:
    """Point the closed stdout at /dev/null, so the interpreter's last flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
