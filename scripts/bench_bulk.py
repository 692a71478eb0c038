"""Bulk archiving with the real command against the fake Toloka on loopback: time and memory.

Two measurements, each in fresh processes (the fake in one, the command in another):

- **time**: N pools whose archive operations take S seconds each, archived and waited for with
  ``--concurrency C``; compared with the ideal N / C x S (a one-by-one loop takes N x S plus
  its polling slack);
- **memory**: the command's peak resident set size for 1,000 and for 10,000 ids (pools that are
  already archived, so the run is quick); bulk work should not grow with the number of ids.

    .venv/bin/python scripts/bench_bulk.py                   # 1,000 pools, 1 s each, C=32
    .venv/bin/python scripts/bench_bulk.py --pools 200 --concurrency 8
    .venv/bin/python scripts/bench_bulk.py --skip-time       # memory only

Loopback only; every process it starts is stopped by its own handle at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from toloka_archive.testing import fake_process

API_KEY = "bench-key-0001"  # the scenario's own, fake key


def scenario(count: int, seconds: float, status: str, rate_limit: str) -> str:
    return f"""
[settings]
seed = 0
rate_limit = {rate_limit}

[[requesters]]
name = "bench"
api_keys = ["{API_KEY}"]

[[pool_ranges]]
first = 1
count = {count}
status = "{status}"
archive_seconds = {seconds}
"""


def run_command(url: str, ids_file: Path, concurrency: int) -> tuple[float, int, Counter[str]]:
    """Wall time, peak RSS (KiB) and outcome counts of one `toloka-archive archive` run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOLOKA_")}
    env["TOLOKA_API_KEY"] = API_KEY
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "toloka_archive",
            "archive",
            "--from-file",
            str(ids_file),
            "--concurrency",
            str(concurrency),
            "--json",
            "--base-url",
            url,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    outcomes: Counter[str] = Counter(json.loads(line)["outcome"] for line in process.stdout)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    process.stdout.close()
    return elapsed, usage.ru_maxrss, outcomes


def measure(
    count: int, seconds: float, status: str, concurrency: int, rate_limit: str
) -> tuple[float, int, Counter[str]]:
    with tempfile.TemporaryDirectory(prefix="toloka-bench-") as tmp:
        scenario_path = Path(tmp) / "scenario.toml"
        scenario_path.write_text(scenario(count, seconds, status, rate_limit), encoding="utf-8")
        ids_file = Path(tmp) / "ids.txt"
        ids_file.write_text("".join(f"{i}\n" for i in range(1, count + 1)), encoding="utf-8")
        with fake_process(scenario_path) as fake:
            return run_command(fake.url, ids_file, concurrency)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pools", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=1.0, help="each operation's duration")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--skip-time", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()

    if not args.skip_time:
        # Toloka's own limit (300 requests a second) stays on: the run must live with it.
        elapsed, rss, outcomes = measure(
            args.pools, args.seconds, "CLOSED", args.concurrency, "300"
        )
        ideal = args.pools / args.concurrency * args.seconds
        print(
            f"time: {args.pools} pools x {args.seconds:g} s, concurrency {args.concurrency}: "
            f"{elapsed:.1f} s (ideal {ideal:.1f} s, ratio {elapsed / ideal:.2f}; "
            f"one by one: at least {args.pools * args.seconds:.0f} s); "
            f"peak RSS {rss / 1024:.1f} MiB; outcomes {dict(outcomes)}"
        )
    if not args.skip_memory:
        for count in (1_000, 10_000):
            elapsed, rss, outcomes = measure(count, 1.0, "ARCHIVED", args.concurrency, "false")
            print(
                f"memory: {count:>6} ids (already archived), concurrency {args.concurrency}: "
                f"peak RSS {rss / 1024:.1f} MiB in {elapsed:.1f} s; outcomes {dict(outcomes)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
