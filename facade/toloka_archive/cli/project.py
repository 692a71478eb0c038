"""``toloka-archive project archive``: a project whole, in Toloka's order: every pool that is
not archived yet, then the trainings they require, then the project.

The facade's ``archive_project`` does the work (each pool's and training's report as it ends,
then the project's); the session shows and records every step, the project's own archive
included, so that a run stopped while it runs still names it in the ``wait`` hint. With
``--close-open`` open pools and trainings are closed first; without it they are reported, and
the project left as it is, with what blocks it.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TextIO

from toloka_archive.cli.inputs import (
    project_id,
    timeout_of,
    usage_errors,
)
from toloka_archive.cli.session import Session


@usage_errors
def run(
    args: argparse.Namespace, environ: Mapping[str, str], stdin: TextIO, out: TextIO, err: TextIO
) -> int:
    project = project_id(args.project_id)
    session = Session.of_command(args, environ, out, err, noun="pool and training", given=None)
    mode = "checking (dry run)" if args.dry_run else "archiving"
    session.announce(
        mode, f"project {project}: its pools, their trainings, then the project", args.concurrency
    )

    async def body() -> None:
        report = await session.client.archive_project(
            project,
            concurrency=args.concurrency,
            timeout=timeout_of(args),
            dry_run=args.dry_run,
            close_open=args.close_open,
            include_editing=args.include_editing,
            on_report=lambda report: session.finished(report.subject_id, report),
            on_begin=session.begin,
            on_started=session.started,
            on_progress=session.progress,
            on_project_started=session.project_started,
        )
        session.project_finished(report)

    def ok() -> bool:
        report = session.ledger.project
        return report is not None and report.outcome.ok

    return session.execute(body, verbose=args.verbose, ok=ok)
