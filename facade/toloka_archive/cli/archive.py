"""``toloka-archive archive``: archive pools (or, with ``--trainings``, trainings) named by id,
chosen by what they are, or both.

Every id and option is checked before the first request; then the facade's bulk engine
(``archive_pools`` or ``archive_trainings``) archives each distinct one once, at most
``--concurrency`` at a time, and the session (``session``) shows and records every step. With
``--close-open`` an open one is closed first, then archived; without it nothing open is ever
closed. One closed for editing is left alone unless ``--include-editing``.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TextIO

from toloka_archive import Pool, PoolSelection, Training
from toloka_archive.cli.inputs import (
    read_pool_ids,
    selection_from,
    timeout_of,
    unique,
    usage_errors,
)
from toloka_archive.cli.session import Session, check_project


@usage_errors
def run(
    args: argparse.Namespace, environ: Mapping[str, str], stdin: TextIO, out: TextIO, err: TextIO
) -> int:
    selection = selection_from(args, datetime.now(UTC))
    ids: Sequence[int] = ()
    if selection is None or args.pool_ids or args.from_file is not None:
        ids = unique(read_pool_ids(args.pool_ids, args.from_file, stdin))
    noun = "training" if args.trainings else "pool"
    session = Session.of_command(
        args,
        environ,
        out,
        err,
        noun=noun,
        given=None if selection is not None else len(ids),
        heading="Cannot be archived now:" if args.dry_run else "Not archived:",
    )
    mode = "starting" if args.no_wait else "archiving"
    if args.dry_run:
        mode = "checking (dry run)"
    session.announce(mode, _what(ids, selection, noun), args.concurrency)
    client = session.client
    find = client.find_trainings if args.trainings else client.find_pools
    archive = client.archive_trainings if args.trainings else client.archive_pools

    found = 0  # what the selection found

    async def subjects() -> AsyncIterator[int | Pool | Training]:
        """The ids given, then what the selection finds (read a page at a time)."""
        nonlocal found
        for subject_id in session.given_items(ids):
            yield subject_id
        if selection is not None:
            async for listed in find(**selection.as_filters()):
                found += 1
                yield listed

    async def body() -> None:
        if selection is not None and selection.project_id is not None:
            await check_project(session.client, str(selection.project_id))
        reports = archive(
            subjects(),
            concurrency=args.concurrency,
            wait=not args.no_wait,
            timeout=timeout_of(args),
            dry_run=args.dry_run,
            close_open=args.close_open,
            include_editing=args.include_editing,
            on_begin=session.begin,
            on_started=session.started,
            on_progress=session.progress,
        )
        await session.consume(reports, key=lambda report: report.subject_id)
        if selection is not None and not found:
            session.say(f"no {noun}s match: {selection.describe(noun)}")

    return session.execute(body, verbose=args.verbose, ok=lambda: not session.ledger.problems)


def _what(ids: Sequence[int], selection: PoolSelection | None, noun: str) -> str:
    what = f"{len(ids)} {noun}{'s' if len(ids) != 1 else ''}" if ids or not selection else ""
    if selection is not None:
        what += (" and " if what else "") + selection.describe(noun)
    return what
