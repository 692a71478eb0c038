"""What the command's options say about which pools and whose key: checked before any request.

``selection_from`` turns ``--project``/``--status``/``--idle-for``/the date options into a
``PoolSelection`` (a usage error names the option that cannot be read); ``describe`` says it
back in words for the run's first line; ``check_credentials`` and ``project_id`` check the rest.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from datetime import datetime

from toloka_archive._core.dates import DateError, format_moment, parse_duration, parse_moment
from toloka_archive._core.environment import ENV_API_KEY, ENV_OAUTH_TOKEN
from toloka_archive._core.errors import InvalidIdError
from toloka_archive._core.ids import normalize_project_id
from toloka_archive._flows.selection import ARCHIVABLE_STATUS, PoolSelection
from toloka_archive.cli.inputs import UsageError


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
    status = args.status.strip().upper() if args.status else ARCHIVABLE_STATUS
    return PoolSelection(
        project_id=None if args.project is None else project_id(args.project),
        status=None if status == "ANY" else status,
        created_before=moment("--created-before", args.created_before),
        last_started_before=moment("--last-started-before", args.last_started_before),
        idle_since=idle_since,
    )


def describe(selection: PoolSelection) -> str:
    """The selection in words, for the run's first line."""
    status = "every" if selection.status is None else f"the {selection.status}"
    text = f"{status} pools"
    if selection.project_id is not None:
        text += f" of project {selection.project_id}"
    if selection.idle_since is not None:
        text += f" idle since {format_moment(selection.idle_since)}"
    if selection.last_started_before is not None:
        text += f" last started before {format_moment(selection.last_started_before)}"
    if selection.created_before is not None:
        text += f" created before {format_moment(selection.created_before)}"
    return text
