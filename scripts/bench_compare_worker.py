"""One measured client run for ``bench_compare.py``, in a fresh interpreter of its own.

Run by ``bench_compare.py``, never by hand: ``.venv/bin/python`` for our facade, our command
and bare httpx; ``.bench-venv/bin/python`` (toloka-kit 1.2.3) for toloka-kit. Only the standard
library is imported up front, so the same file runs in both virtual environments.

    python scripts/bench_compare_worker.py MODE --url URL --key KEY --ids FILE --result FILE ...

Every request the process sends is counted on the client side: ``httpx.Client.send`` and
``httpx.AsyncClient.send`` (which both toloka-kit and our facade end in, retries included) are
wrapped by a counter that costs one ``next()`` per request. The result (seconds of work,
requests, outcomes per pool, the process's own peak RSS) is written as JSON to ``--result``.
Outcomes are named alike for both clients: ``archived``, ``already_archived``, ``failed``, or
``error: <exception type>``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

_SENT = itertools.count()


def count_requests() -> None:
    """Wrap httpx's two ``send`` methods with a request counter (call before any request)."""
    import httpx

    sync_send = httpx.Client.send
    async_send = httpx.AsyncClient.send

    def send(self: httpx.Client, *args: Any, **kwargs: Any) -> httpx.Response:
        next(_SENT)
        return sync_send(self, *args, **kwargs)

    async def asend(self: httpx.AsyncClient, *args: Any, **kwargs: Any) -> httpx.Response:
        next(_SENT)
        return await async_send(self, *args, **kwargs)

    httpx.Client.send = send  # type: ignore[method-assign]
    httpx.AsyncClient.send = asend  # type: ignore[method-assign]


def requests_sent() -> int:
    """How many requests were counted so far (``itertools.count`` yields the number of calls)."""
    global _SENT
    value = next(_SENT)
    _SENT = itertools.count(value)
    return value


def peak_rss_kib() -> int:
    """This process's own peak resident set (VmHWM), in KiB.

    Not the parent's ``wait4``: a child's ``ru_maxrss`` also counts the parent's pages that the
    fork copied before ``exec``, so it never reads under the parent's own size (about 31 MiB
    for ``bench_compare.py``).
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def site_root(api_url: str) -> str:
    """toloka-kit takes the site (it adds ``/api/v1/...`` itself); the fake yields the API root."""
    return api_url.removesuffix("/").removesuffix("/api/v1")


# --- one call answering 204, microseconds per call -----------------------------------------


def per_call(call: Callable[[], object], calls: int, warmup: int) -> float:
    for _ in range(warmup):
        call()
    started = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - started) / calls


def call_raw(args: argparse.Namespace) -> dict[str, Any]:
    import httpx

    headers = {"Authorization": f"ApiKey {args.key}"}
    with httpx.Client(base_url=args.url, headers=headers) as client:

        def call() -> None:
            response = client.post(f"/pools/{args.pool}/archive")
            if response.status_code != 204:
                raise SystemExit(f"expected 204, got {response.status_code}")

        return {"seconds_per_call": per_call(call, args.calls, args.warmup)}


def call_kit(args: argparse.Namespace, *, full: bool) -> dict[str, Any]:
    import toloka.client

    client = toloka.client.TolokaClient(args.token, url=site_root(args.url))
    if full:  # archive_pool: POST, then (on 204) GET /pools/{id} for the Pool it returns

        def call() -> None:
            pool = client.archive_pool(args.pool)
            assert pool.status.value == "ARCHIVED"

    else:  # archive_pool_async: the POST alone; None means 204

        def call() -> None:
            assert client.archive_pool_async(args.pool) is None

    return {"seconds_per_call": per_call(call, args.calls, args.warmup)}


def call_ours(args: argparse.Namespace) -> dict[str, Any]:
    from toloka_archive import TolokaClient

    with TolokaClient(api_key=args.key, base_url=args.url, env={}) as client:

        def call() -> None:
            operation = client.start_archive_pool(args.pool)
            assert operation.operation is None  # already archived: nothing started

        return {"seconds_per_call": per_call(call, args.calls, args.warmup)}


def call_paired(args: argparse.Namespace) -> dict[str, Any]:
    """Bare httpx and ours in one process, in alternating blocks of ``--block`` calls.

    Separate processes run minutes apart on a shared machine and drift by several percent;
    blocks taken turn about see the same drift, so their ratio is the overhead itself.
    """
    import statistics

    import httpx
    from toloka_archive import TolokaClient

    headers = {"Authorization": f"ApiKey {args.key}"}
    with (
        httpx.Client(base_url=args.url, headers=headers) as bare,
        TolokaClient(api_key=args.key, base_url=args.url, env={}) as ours,
    ):

        def call_bare() -> None:
            if bare.post(f"/pools/{args.pool}/archive").status_code != 204:
                raise SystemExit("expected 204")

        def call_ours() -> None:
            assert ours.start_archive_pool(args.pool).operation is None

        for _ in range(args.warmup):
            call_bare()
            call_ours()
        blocks: dict[str, list[float]] = {"bare": [], "ours": []}
        for _ in range(max(args.calls // args.block, 1)):
            blocks["bare"].append(per_call(call_bare, args.block, 0))
            blocks["ours"].append(per_call(call_ours, args.block, 0))
    ratios = [o / b for b, o in zip(blocks["bare"], blocks["ours"], strict=True)]
    return {
        "bare_seconds_per_call": statistics.median(blocks["bare"]),
        "ours_seconds_per_call": statistics.median(blocks["ours"]),
        "ratio": statistics.median(ratios),
        "seconds_per_call": statistics.median(blocks["ours"]),
        "blocks": len(ratios),
        "requests_per_call": requests_sent() / (2 * (args.warmup + len(ratios) * args.block)),
    }


# --- a cold client, one pool: the archive call to its result --------------------------------


def cold_ours(args: argparse.Namespace) -> tuple[str, float]:
    """A fresh ``TolokaClient``: one ``archive_pool``, timed from the call to its result."""
    from toloka_archive import TolokaClient, TolokaError

    with TolokaClient(api_key=args.key, base_url=args.url, env={}) as client:
        started = time.perf_counter()
        try:
            result = client.archive_pool(args.pool)
            outcome = "already_archived" if result.already_archived else "archived"
        except TolokaError as error:
            outcome = error_outcome(error)
        return outcome, time.perf_counter() - started


def cold_kit(args: argparse.Namespace) -> tuple[str, float]:
    """A fresh toloka-kit client, the way its docs show it: archive_pool_async + wait_operation."""
    import toloka.client

    client = toloka.client.TolokaClient(args.token, url=site_root(args.url))
    started = time.perf_counter()
    outcome = kit_archive_and_wait(client, args.pool)
    return outcome, time.perf_counter() - started


# --- archive and wait: one by one, and in bulk --------------------------------------------


def kit_outcome(operation: Any) -> str:
    if operation is None:
        return "already_archived"
    return {"SUCCESS": "archived", "FAIL": "failed"}.get(operation.status.value, "unknown")


def error_outcome(error: BaseException) -> str:
    return f"error: {type(error).__name__}"


def kit_archive_and_wait(client: Any, pool_id: str) -> str:
    """The way toloka-kit's docs show it: archive_pool_async, then wait_operation."""
    try:
        operation = client.archive_pool_async(pool_id)
        if operation is not None:
            operation = client.wait_operation(operation, disable_progress=True)
        return kit_outcome(operation)
    except Exception as error:
        return error_outcome(error)


def one_kit(args: argparse.Namespace, ids: list[str], *, full: bool) -> Counter[str]:
    import toloka.client

    client = toloka.client.TolokaClient(args.token, url=site_root(args.url))
    outcomes: Counter[str] = Counter()
    for pool_id in ids:
        if full:  # archive_pool waits itself (with a progress bar), then reads the pool
            try:
                pool = client.archive_pool(pool_id)
                outcomes["archived" if pool.status.value == "ARCHIVED" else "unknown"] += 1
            except Exception as error:
                outcomes[error_outcome(error)] += 1
        else:
            outcomes[kit_archive_and_wait(client, pool_id)] += 1
    return outcomes


def one_ours(args: argparse.Namespace, ids: list[str]) -> Counter[str]:
    from toloka_archive import TolokaClient, TolokaError

    outcomes: Counter[str] = Counter()
    with TolokaClient(api_key=args.key, base_url=args.url, env={}) as client:
        for pool_id in ids:
            try:
                result = client.archive_pool(pool_id)
                outcomes["already_archived" if result.already_archived else "archived"] += 1
            except TolokaError as error:
                outcomes[error_outcome(error)] += 1
    return outcomes


def bulk_kit_threads(args: argparse.Namespace, ids: list[str]) -> Counter[str]:
    """C threads over one shared client (toloka-kit keeps an httpx session per thread)."""
    import toloka.client

    client = toloka.client.TolokaClient(args.token, url=site_root(args.url))
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        return Counter(pool.map(lambda pool_id: kit_archive_and_wait(client, pool_id), ids))


def bulk_kit_async(args: argparse.Namespace, ids: list[str]) -> Counter[str]:
    """toloka-kit's own AsyncTolokaClient: C tasks taking ids from one shared iterator."""
    from toloka.async_client import AsyncTolokaClient

    async def run() -> Counter[str]:
        client = AsyncTolokaClient(args.token, url=site_root(args.url))
        outcomes: Counter[str] = Counter()
        queue = iter(ids)

        async def worker() -> None:
            for pool_id in queue:
                try:
                    operation = await client.archive_pool_async(pool_id)
                    if operation is not None:
                        operation = await client.wait_operation(operation)
                    outcomes[kit_outcome(operation)] += 1
                except Exception as error:
                    outcomes[error_outcome(error)] += 1

        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        return outcomes

    return asyncio.run(run())


def bulk_ours(args: argparse.Namespace, ids: list[str]) -> Counter[str]:
    from toloka_archive import AsyncTolokaClient

    async def run() -> Counter[str]:
        outcomes: Counter[str] = Counter()
        async with AsyncTolokaClient(api_key=args.key, base_url=args.url, env={}) as client:
            async for report in client.archive_pools(ids, concurrency=args.concurrency):
                outcomes[report.outcome.value] += 1
        return outcomes

    return asyncio.run(run())


POOL_MODES: dict[str, Callable[[argparse.Namespace, list[str]], Counter[str]]] = {
    "one-kit": lambda args, ids: one_kit(args, ids, full=False),
    "one-kit-archive-pool": lambda args, ids: one_kit(args, ids, full=True),
    "one-ours": one_ours,
    "bulk-kit-threads": bulk_kit_threads,
    "bulk-kit-async": bulk_kit_async,
    "bulk-ours": bulk_ours,
}
COLD_MODES: dict[str, Callable[[argparse.Namespace], tuple[str, float]]] = {
    "cold-ours": cold_ours,
    "cold-kit": cold_kit,
}
CALL_MODES: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "call-raw": call_raw,
    "call-kit": lambda args: call_kit(args, full=False),
    "call-kit-archive-pool": lambda args: call_kit(args, full=True),
    "call-ours": call_ours,
    "call-paired": call_paired,
}


def run_command(args: argparse.Namespace, rest: list[str]) -> int:
    """Our command, as its console script runs it, with the counter in front."""
    from toloka_archive import cli

    code = cli.main(rest)
    write(args.result, {"requests": requests_sent(), "peak_rss_kib": peak_rss_kib()})
    return code


def write(path: str, result: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(result), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=[*CALL_MODES, *COLD_MODES, *POOL_MODES, "command"])
    parser.add_argument("--url", help="the fake's API root, .../api/v1")
    parser.add_argument("--key", help="our clients' API key")
    parser.add_argument("--token", help="toloka-kit's OAuth token")
    parser.add_argument("--ids", help="a file of pool ids, one a line")
    parser.add_argument("--pool", default="1", help="the archived pool of the call-* modes")
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--block", type=int, default=100, help="calls a block, call-paired")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--result", required=True, help="where to write the JSON result")
    args, rest = parser.parse_known_args()
    count_requests()
    if args.mode == "command":
        return run_command(args, rest[1:] if rest[:1] == ["--"] else rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.mode in CALL_MODES:
        result = CALL_MODES[args.mode](args)
        result.setdefault("requests_per_call", requests_sent() / (args.calls + args.warmup))
        result["peak_rss_kib"] = peak_rss_kib()
        write(args.result, result)
        return 0
    if args.mode in COLD_MODES:  # the request counter is installed; nothing else is imported
        outcome, elapsed = COLD_MODES[args.mode](args)
        result = {"seconds": elapsed, "requests": requests_sent(), "outcomes": {outcome: 1}}
        write(args.result, {**result, "peak_rss_kib": peak_rss_kib()})
        return 0
    ids = Path(args.ids).read_text(encoding="utf-8").split()
    started = time.perf_counter()
    outcomes = POOL_MODES[args.mode](args, ids)
    elapsed = time.perf_counter() - started
    result = {"seconds": elapsed, "requests": requests_sent(), "outcomes": outcomes}
    write(args.result, {**result, "peak_rss_kib": peak_rss_kib()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
