"""``toloka-archive wait``: follow operations started earlier to their end.

The operations listed after Ctrl-C, ``--no-wait`` or a crash (archives, closes, a project's
archive) are followed with the facade's ``follow_operations``, each distinct id once, and each
reported with its pool.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping
from typing import TextIO

from toloka_archive._core.models import Operation
from toloka_archive.cli.inputs import (
    read_operation_ids,
    timeout_of,
    usage_errors,
)
from toloka_archive.cli.session import Session


@usage_errors
def run(
    args: argparse.Namespace, environ: Mapping[str, str], stdin: TextIO, out: TextIO, err: TextIO
) -> int:
    ids = list(dict.fromkeys(read_operation_ids(args.operation_ids, args.from_file, stdin)))
    session = Session.of_command(
        args, environ, out, err, noun="operation", given=len(ids), heading="Did not end well:"
    )
    session.announce(
        "following", f"{len(ids)} operation{'s' if len(ids) != 1 else ''}", args.concurrency
    )

    def progress(_pool_id: str, snapshot: Operation) -> None:
        session.progress(snapshot.id, snapshot)

    def following() -> Iterator[str]:
        for operation_id in session.given_items(ids):
            session.begin(operation_id, operation_id)  # the subject is its own operation
            yield operation_id

    async def body() -> None:
        reports = session.client.follow_operations(
            following(),
            concurrency=args.concurrency,
            timeout=timeout_of(args),
            on_progress=progress,
        )
        await session.consume(reports, key=lambda report: report.operation_id or "")

    return session.execute(body, verbose=args.verbose, ok=lambda: not session.ledger.problems)
