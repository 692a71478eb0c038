"""``toloka-archive archive``: archive pools named by id, chosen by what they are, or both.

Every id and option is checked before the first request; then the facade's bulk engine
(``archive_pools``) archives each distinct pool once, at most ``--concurrency`` at a time, and
the session (``session``) shows and records every step. With ``--close-open`` an open pool is
closed first, then archived; without it an open pool is never closed.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TextIO

from toloka_archive import Pool, PoolSelection
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
    session = Session.of_command(
        args,
        environ,
        out,
        err,
        noun="pool",
        given=None if selection is not None else len(ids),
        heading="Cannot be archived now:" if args.dry_run else "Not archived:",
    )
    mode = "starting" if args.no_wait else "archiving"
    if args.dry_run:
        mode = "checking (dry run)"
    session.announce(mode, _what(ids, selection), args.concurrency)

    found = 0  # pools the selection found

    async def pools() -> AsyncIterator[int | Pool]:
        """The ids given, then the pools the selection finds (read a page at a time)."""
        nonlocal found
        for pool_id in session.given_items(ids):
            yield pool_id
        if selection is not None:
            async for pool in session.client.find_pools(**selection.as_filters()):
                found += 1
                yield pool

    async def body() -> None:
        if selection is not None and selection.project_id is not None:
            await check_project(session.client, str(selection.project_id))
        reports = session.client.archive_pools(
            pools(),
            concurrency=args.concurrency,
            wait=not args.no_wait,
            timeout=timeout_of(args),
            dry_run=args.dry_run,
            close_open=args.close_open,
            on_begin=session.begin,
            on_started=session.started,
            on_progress=session.progress,
        )
        await session.consume(reports, key=lambda report: report.pool_id)
        if selection is not None and not found:
            session.say(f"no pools match: {selection.describe()}")

    return session.execute(body, verbose=args.verbose, ok=lambda: not session.ledger.problems)


def _what(ids: Sequence[int], selection: PoolSelection | None) -> str:
    what = f"{len(ids)} pool{'s' if len(ids) != 1 else ''}" if ids or not selection else ""
    if selection is not None:
        what += (" and " if what else "") + selection.describe()
    return what
