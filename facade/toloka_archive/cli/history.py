"""``toloka-archive history``: when were pools archived, and by which operation.

Toloka's answer to "when was this pool archived?" is its operations list filtered to
``POOL.ARCHIVE``; this prints it, oldest first, as a table or JSON lines (the facade's own
``Operation``: aware UTC datetimes). For one pool that is archived but has no archive operation
on record, it says so: Toloka archives a pool left idle for 30 days by itself, and keeps its
operations list for a limited time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TextIO

from toloka_archive import AsyncTolokaClient, NotFoundError, TolokaError
from toloka_archive._core.dates import DateError, parse_moment
from toloka_archive._core.errors import InvalidIdError
from toloka_archive._core.ids import normalize_pool_id
from toloka_archive._core.models import Operation, OperationType, PoolStatus
from toloka_archive.cli.inputs import UsageError, checked_output, client_from, usage_errors
from toloka_archive.cli.status import EXIT_NOT_ARCHIVED, EXIT_OK, EXIT_OUTPUT_CLOSED, PROG
from toloka_archive.cli.views import OUTPUT_LOST

_HEADER = f"{'pool':<12} {'operation':<26} {'status':<8} {'submitted':<23} {'finished':<23}"


@usage_errors
def run(
    args: argparse.Namespace, environ: Mapping[str, str], stdin: TextIO, out: TextIO, err: TextIO
) -> int:
    pool_id = None
    if args.pool is not None:
        try:
            pool_id = normalize_pool_id(args.pool.strip())
        except InvalidIdError:
            raise UsageError(f"--pool: {args.pool[:40]!r} is not a pool id") from None
    since = None
    if args.since is not None:
        try:
            since = parse_moment(args.since, datetime.now(UTC))
        except DateError as error:
            raise UsageError(f"--since: {error}") from None
    client = client_from(args, environ)
    history = _History(client, pool_id, since, args.json, checked_output(out), err)
    try:
        return asyncio.run(history.show())
    except OUTPUT_LOST:
        return EXIT_OUTPUT_CLOSED
    except TolokaError as error:
        print(f"{PROG}: error: {error}", file=err)
        return EXIT_NOT_ARCHIVED


class _History:
    def __init__(
        self,
        client: AsyncTolokaClient,
        pool_id: str | None,
        since: datetime | None,
        json_lines: bool,
        out: TextIO,
        err: TextIO,
    ) -> None:
        self._client = client
        self._pool_id = pool_id
        self._since = since
        self._json = json_lines
        self._out = out
        self._err = err

    async def show(self) -> int:
        found = 0
        async with self._client:
            if not self._json:
                print(_HEADER, file=self._out)
            async for operation in self._client.find_operations(
                type=OperationType.POOL_ARCHIVE,
                pool_id=self._pool_id,
                submitted_since=self._since,
            ):
                found += 1
                self._show(operation)
            if self._pool_id is not None and not found:
                print(await self._nothing_on_record(self._pool_id), file=self._err)
        self._out.flush()
        return EXIT_OK

    def _show(self, operation: Operation) -> None:
        pool = operation.pool_id or "?"
        if self._json:
            record = {
                "pool_id": pool,
                "operation_id": operation.id,
                "status": str(operation.status),
                "progress": operation.progress,
                "submitted": _iso(operation.submitted),
                "finished": _iso(operation.finished),
            }
            print(json.dumps(record, sort_keys=True), file=self._out)
            return
        print(
            f"{pool:<12} {operation.id:<26} {operation.status:<8} "
            f"{_moment(operation.submitted):<23} {_moment(operation.finished):<23}",
            file=self._out,
        )

    async def _nothing_on_record(self, pool_id: str) -> str:
        try:
            checked = await self._client.check_archivable(pool_id)
        except NotFoundError:
            return f"pool {pool_id}: no such pool"
        if checked.pool_status == PoolStatus.ARCHIVED:
            return (
                f"pool {pool_id}: archived, with no archive operation on record: Toloka archives "
                "a pool left idle for 30 days by itself, and keeps operations for a limited time"
            )
        return f"pool {pool_id}: not archived (status {checked.pool_status})"


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _moment(moment: datetime | None) -> str:
    return "-" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
