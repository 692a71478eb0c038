"""The command's arguments: every subcommand and option, checked by argparse.

Only ``argparse`` and the package's defaults (``_core.policies``, plain numbers) are imported
here, so ``--help`` and usage errors answer before the HTTP stack loads.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import NoReturn

from toloka_archive._core.policies import DEFAULT_CONCURRENCY, DEFAULT_WAIT_TIMEOUT
from toloka_archive.cli.status import EXIT_USAGE, PROG

_EPILOG = """\
credentials: set TOLOKA_API_KEY (or the legacy TOLOKA_OAUTH_TOKEN).
exit status: 0 all archived or already archived, 1 some pools not archived,
2 bad usage or configuration, or a problem no pool can get past (key rejected,
Toloka unreachable, not Toloka's API), 3 standard output closed, 130 interrupted.
A run can always be repeated: an archive already under way is followed, never
started twice."""


class _Formatter(argparse.HelpFormatter):
    """Descriptions wrapped to the terminal; text already broken into lines (the epilogs) kept
    as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{PROG}: error: {message} (see {self.prog} --help)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


@dataclass(frozen=True)
class WaitBudget:
    """A ``--timeout``: seconds, or None for "wait forever" (asked for with ``none``)."""

    value: float | None


def _timeout(text: str) -> WaitBudget:
    if text.strip().lower() == "none":
        return WaitBudget(None)
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds (or 'none' to wait forever)"
        ) from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds >= 0, got {text}")
    return WaitBudget(value)


def _add_connection_options(command: argparse.ArgumentParser) -> None:
    where = command.add_mutually_exclusive_group()
    where.add_argument(
        "--env",
        metavar="{sandbox,production}",
        help="Toloka environment (default: TOLOKA_BASE_URL or TOLOKA_ENVIRONMENT, else sandbox)",
    )
    where.add_argument(
        "--base-url",
        metavar="URL",
        help="any API root instead, e.g. the fake Toloka's http://127.0.0.1:8765/api/v1 "
        "(https only, except on loopback)",
    )


def _add_run_options(command: argparse.ArgumentParser, what: str | None) -> None:
    if what is not None:
        command.add_argument(
            "--from-file",
            metavar="PATH",
            help=f"read {what} from a file, one per line ('-' for standard input); blank "
            "lines and # comments are ignored",
        )
    _add_connection_options(command)
    command.add_argument(
        "--timeout",
        type=_timeout,
        metavar="SECONDS",
        help=f"how long to wait for each operation (default {DEFAULT_WAIT_TIMEOUT:g}; "
        "'none' waits forever)",
    )
    command.add_argument(
        "--concurrency",
        type=_positive_int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"how many at once (default {DEFAULT_CONCURRENCY})",
    )
    command.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log to stderr: -v retries, -vv every request and poll (keys are never logged)",
    )
    command.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per line on stdout and nothing else there (the rest on stderr)",
    )


def _add_close_open(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--close-open",
        action="store_true",
        help="close an OPEN pool or training first (it stops taking work), then archive it; "
        "without it nothing open is ever closed (with --dry-run: say what would be closed)",
    )
    command.add_argument(
        "--include-editing",
        action="store_true",
        help="archive pools and trainings closed for editing too (someone closed them to change "
        "them, and Toloka reopens them within 15 minutes); without it they are left alone",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Archive Toloka pools, one or thousands, with progress and a report.",
        epilog=_EPILOG,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    archive = commands.add_parser(
        "archive",
        help="archive pools (or trainings)",
        description="Archive pools, or trainings with --trainings: check every id, start "
        "archiving at most --concurrency at a time, wait for each operation, and print a report.",
        epilog=_EPILOG,
        formatter_class=_Formatter,
    )
    archive.add_argument(
        "pool_ids", nargs="*", metavar="ID", help="pool ids (training ids with --trainings)"
    )
    archive.add_argument(
        "--trainings",
        action="store_true",
        help="the ids and the selection are trainings (training pools), not pools; Toloka "
        "archives a training only once every pool that requires it is archived",
    )
    _add_run_options(archive, "ids")
    selection = archive.add_argument_group(
        "choosing pools by what they are (combined with any ids given)"
    )
    selection.add_argument(
        "--project", metavar="ID", help="the pools of this project (by default the CLOSED ones)"
    )
    selection.add_argument(
        "--status",
        metavar="STATUS",
        help="pools in this status (default CLOSED, the archivable ones; 'any' for every status)",
    )
    idle = selection.add_mutually_exclusive_group()
    idle.add_argument(
        "--idle-for",
        metavar="DURATION",
        help="pools not created, started or stopped for this long, e.g. 30d, 12h",
    )
    idle.add_argument(
        "--last-started-before",
        metavar="DATE",
        help="pools last started before this moment (ISO 8601, UTC unless stated, or 30d ago)",
    )
    selection.add_argument(
        "--created-before", metavar="DATE", help="pools created before this moment"
    )
    archive.add_argument(
        "--no-wait", action="store_true", help="start archiving and do not wait for the end"
    )
    archive.add_argument(
        "--dry-run",
        action="store_true",
        help="only check whether each pool can be archived now; archive nothing",
    )
    _add_close_open(archive)

    wait = commands.add_parser(
        "wait",
        help="follow operations started earlier",
        description="Follow operations to their end (archives, closes, a project's archive: "
        "those listed after Ctrl-C, --no-wait or a crash), and report on each one's pool.",
        epilog=_EPILOG,
        formatter_class=_Formatter,
    )
    wait.add_argument(
        "operation_ids", nargs="*", metavar="OPERATION_ID", help="operation ids to follow"
    )
    _add_run_options(wait, "operation ids")

    project = commands.add_parser(
        "project",
        help="archive a project: its pools, their trainings, then the project",
        description="Archive a project whole, in Toloka's order: every pool that is not "
        "archived yet, then the trainings they require, then the project. Open pools and "
        "trainings are closed only with --close-open, ones closed for editing are archived only "
        "with --include-editing, and pools inside the 9-day rejection window are not forced: "
        "they are reported, and the project is then left as it is, with what blocks it and the "
        "one thing that would help.",
        epilog=_EPILOG,
        formatter_class=_Formatter,
    )
    project_actions = project.add_subparsers(dest="action", metavar="ACTION", required=True)
    project_archive = project_actions.add_parser(
        "archive",
        help="archive the project's pools, their trainings, then the project",
        description=project.description,
        epilog=_EPILOG,
        formatter_class=_Formatter,
    )
    project_archive.add_argument("project_id", metavar="PROJECT_ID", help="the project's id")
    _add_run_options(project_archive, what=None)
    project_archive.add_argument(
        "--dry-run",
        action="store_true",
        help="only check each pool and training and say whether the project could be archived; "
        "archive nothing",
    )
    _add_close_open(project_archive)

    history = commands.add_parser(
        "history",
        help="when were pools, trainings and projects archived, and by which operation",
        description="List Toloka's archive operations (POOL.ARCHIVE, TRAINING.ARCHIVE and "
        "PROJECT.ARCHIVE), oldest first.",
    )
    whose = history.add_mutually_exclusive_group()
    whose.add_argument("--pool", metavar="POOL_ID", help="only this pool's")
    whose.add_argument("--training", metavar="TRAINING_ID", help="only this training's")
    whose.add_argument(
        "--project",
        metavar="PROJECT_ID",
        help="only this project's, its pools' and its trainings'",
    )
    history.add_argument(
        "--since", metavar="DATE", help="only those submitted since (ISO 8601 or e.g. 30d ago)"
    )
    history.add_argument("--until", metavar="DATE", help="only those submitted until then")
    history.add_argument(
        "--limit", type=_positive_int, metavar="N", help="at most N operations (the oldest)"
    )
    _add_connection_options(history)
    history.add_argument(
        "--json", action="store_true", help="one JSON object per operation on stdout"
    )

    completion = commands.add_parser(
        "completion",
        help="print a shell completion script",
        description="Print a completion script for bash or zsh, written from this command's own "
        'parser. bash: eval "$(toloka-archive completion bash)" in ~/.bashrc; zsh: '
        'toloka-archive completion zsh > "${fpath[1]}/_toloka-archive".',
    )
    completion.add_argument("shell", choices=("bash", "zsh"), help="the shell")

    fake = commands.add_parser(
        "fake",
        help="run the fake Toloka on loopback",
        description="Serve the fake Toloka over HTTP on loopback until Ctrl-C or SIGTERM.",
    )
    fake.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    fake.add_argument(
        "--port", type=int, default=8765, help="port; 0 picks a free one (default 8765)"
    )
    fake.add_argument("--scenario", metavar="FILE", help="scenario TOML (default: built in)")
    fake.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    return parser


def _version() -> str:
    from toloka_archive._version import __version__

    return __version__


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommands of ``parser`` by name (none for a leaf), for completion and the docs."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:  # argparse keeps its subcommands nowhere public
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found
