"""``toloka-archive history``: when were pools and projects archived, and by which operation.

Toloka's answer to "when was this pool archived?" is its operations list filtered to
``POOL.ARCHIVE`` (and ``PROJECT.ARCHIVE`` for projects); this prints both, merged oldest first,
as a table or JSON lines (the facade's own ``Operation``: aware UTC datetimes). ``--pool`` and
``--project`` narrow it; a pool or project that does not exist, or is not this key's, is said
so in one line with exit status 1, as ``archive`` says it. For one pool that is archived but
has no archive operation on record, it says so: Toloka archives a pool left idle for 30 days by
itself, and keeps its operations list for a limited time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from typing import TextIO

from toloka_archive import (
    AsyncTolokaClient,
    NotFoundError,
    PermissionDeniedError,
    PoolStatus,
    TolokaError,
)
from toloka_archive._core.dates import DateError, parse_moment
from toloka_archive._core.errors import InvalidIdError
from toloka_archive._core.ids import normalize_pool_id, normalize_training_id
from toloka_archive._core.models import Operation, OperationType
from toloka_archive.cli.inputs import (
    UsageError,
    checked_output,
    client_from,
    project_id,
    usage_errors,
)
from toloka_archive.cli.session import RunRefusedError, check_project
from toloka_archive.cli.status import EXIT_NOT_ARCHIVED, EXIT_OK, EXIT_OUTPUT_CLOSED, PROG
from toloka_archive.cli.views import OUTPUT_LOST

_HEADER = f"{'subject':<16} {'operation':<26} {'status':<8} {'submitted':<23} {'finished':<23}"


@usage_errors
def run(
    args: argparse.Namespace, environ: Mapping[str, str], stdin: TextIO, out: TextIO, err: TextIO
) -> int:
    pool = None
    if args.pool is not None:
        try:
            pool = normalize_pool_id(args.pool.strip())
        except InvalidIdError:
            raise UsageError(f"--pool: {args.pool[:40]!r} is not a pool id") from None
    training = None
    if args.training is not None:
        try:
            training = normalize_training_id(args.training.strip())
        except InvalidIdError:
            raise UsageError(f"--training: {args.training[:40]!r} is not a training id") from None
    project = None if args.project is None else project_id(args.project)
    now = datetime.now(UTC)
    since, until = _moment("--since", args.since, now), _moment("--until", args.until, now)
    history = _History(client_from(args, environ), checked_output(out), err, json_lines=args.json)
    try:
        return asyncio.run(history.show(pool, project, since, until, args.limit, training))
    except OUTPUT_LOST:
        return EXIT_OUTPUT_CLOSED
    except RunRefusedError as refused:
        print(f"{PROG}: error: {refused}", file=err)
        return EXIT_NOT_ARCHIVED
    except TolokaError as error:
        print(f"{PROG}: error: {error}", file=err)
        return EXIT_NOT_ARCHIVED


def _moment(option: str, text: str | None, now: datetime) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_moment(text, now)
    except DateError as error:
        raise UsageError(f"{option}: {error}") from None


class _History:
    def __init__(
        self, client: AsyncTolokaClient, out: TextIO, err: TextIO, *, json_lines: bool
    ) -> None:
        self._client = client
        self._out = out
        self._err = err
        self._json = json_lines

    async def show(
        self,
        pool: str | None,
        project: str | None,
        since: datetime | None,
        until: datetime | None,
        limit: int | None,
        training: str | None = None,
    ) -> int:
        found = 0
        async with self._client:
            if project is not None:
                await check_project(self._client, project)
            if not self._json:
                print(_HEADER, file=self._out)
            async for operation in self._operations(pool, project, since, until, training):
                if limit is not None and found >= limit:
                    break
                found += 1
                self._show(operation)
            self._out.flush()
            if training is not None and not found:
                print(f"training {training}: no archive operation on record", file=self._err)
            if pool is not None and not found:
                line, code = await self._nothing_on_record(pool)
                print(line if code == EXIT_OK else f"{PROG}: error: {line}", file=self._err)
                return code
        return EXIT_OK

    def _operations(
        self,
        pool: str | None,
        project: str | None,
        since: datetime | None,
        until: datetime | None,
        training: str | None = None,
    ) -> AsyncIterator[Operation]:
        """The archive operations asked about, oldest first."""
        find = self._client.find_operations
        pools = find(
            type=OperationType.POOL_ARCHIVE,
            pool_id=pool,
            submitted_since=since,
            submitted_until=until,
        )
        if pool is not None:
            return pools
        trainings = find(
            type=OperationType.TRAINING_ARCHIVE,
            training_id=training,
            submitted_since=since,
            submitted_until=until,
        )
        if training is not None:
            return trainings
        if project is not None:
            pools = self._of_project(pools, project, training=False)
            trainings = self._of_project(trainings, project, training=True)
        projects = find(
            type=OperationType.PROJECT_ARCHIVE,
            project_id=project,
            submitted_since=since,
            submitted_until=until,
        )
        return _merged(pools, trainings, projects)

    async def _of_project(
        self, operations: AsyncIterator[Operation], project: str, *, training: bool
    ) -> AsyncIterator[Operation]:
        """The archives among ``operations`` whose pool (or training) is one of ``project``'s."""
        find = self._client.find_trainings if training else self._client.find_pools
        members = {member.id async for member in find(project_id=project, status=None)}
        async for operation in operations:
            if (operation.training_id if training else operation.pool_id) in members:
                yield operation

    def _show(self, operation: Operation) -> None:
        subject = _subject(operation)
        if self._json:
            record = {
                "type": str(operation.type),
                "pool_id": operation.pool_id,
                "training_id": operation.training_id,
                "project_id": operation.project_id,
                "operation_id": operation.id,
                "status": str(operation.status),
                "progress": operation.progress,
                "submitted": _iso(operation.submitted),
                "finished": _iso(operation.finished),
            }
            print(json.dumps(record, sort_keys=True), file=self._out)
            return
        print(
            f"{subject:<16} {operation.id:<26} {operation.status:<8} "
            f"{_printed(operation.submitted):<23} {_printed(operation.finished):<23}",
            file=self._out,
        )

    async def _nothing_on_record(self, pool_id: str) -> tuple[str, int]:
        """Why one pool has no archive operation on record, in one line, and the exit status:
        no such pool and no access are failures (exit 1), as ``archive`` reports them."""
        try:
            checked = await self._client.check_archivable(pool_id)
        except NotFoundError:
            return f"pool {pool_id}: no such pool", EXIT_NOT_ARCHIVED
        except PermissionDeniedError:
            return f"pool {pool_id}: no access to this pool", EXIT_NOT_ARCHIVED
        if checked.pool_status == PoolStatus.ARCHIVED:
            line = (
                f"pool {pool_id}: archived, with no archive operation on record: Toloka archives "
                "a pool left idle for 30 days by itself, and keeps operations for a limited time"
            )
            return line, EXIT_OK
        return f"pool {pool_id}: not archived (status {checked.pool_status})", EXIT_OK


async def _merged(*sources: AsyncIterator[Operation]) -> AsyncIterator[Operation]:
    """Lists that are each in id order (Toloka's order), merged into one in id order."""
    heads: list[tuple[Operation, AsyncIterator[Operation]]] = []
    for source in sources:
        first = await anext(source, None)
        if first is not None:
            heads.append((first, source))
    while heads:
        heads.sort(key=lambda head: head[0].id)
        operation, source = heads.pop(0)
        yield operation
        following = await anext(source, None)
        if following is not None:
            heads.append((following, source))


def _subject(operation: Operation) -> str:
    if operation.type == OperationType.PROJECT_ARCHIVE:
        return f"project {operation.project_id or '?'}"
    if operation.type == OperationType.TRAINING_ARCHIVE:
        return f"training {operation.training_id or '?'}"
    return f"pool {operation.pool_id or '?'}"


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _printed(moment: datetime | None) -> str:
    return "-" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
