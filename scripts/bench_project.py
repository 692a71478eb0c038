"""Cleaning up a big project: listing and archiving its pools as a stream.

For a project of 1,000 and of 10,000 closed pools on the loopback fake, runs
``toloka-archive archive --project ID --no-wait --json -vv`` in a fresh process and measures:

- the time from the command's start to its first archive request (the listing is read a page
  at a time, and archiving starts with the first page: this should stay well under a second
  whatever the project's size);
- the command's peak resident memory (it should be flat between 1,000 and 10,000 pools);
- the total time, and that every pool was started.

    .venv/bin/python scripts/bench_project.py            # 1,000 and 10,000 pools
    .venv/bin/python scripts/bench_project.py --pools 500

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
PROJECT = "5000"


def scenario(count: int) -> str:
    return f"""
[settings]
seed = 0
rate_limit = false

[[requesters]]
name = "bench"
api_keys = ["{API_KEY}"]

[[projects]]
id = "{PROJECT}"

[[pool_ranges]]
first = 1
count = {count}
project_id = "{PROJECT}"
archive_seconds = 60.0
"""


def measure(count: int, concurrency: int) -> tuple[float, float, int, Counter[str]]:
    """Seconds to the first archive request, total seconds, peak RSS (KiB), outcomes."""
    with tempfile.TemporaryDirectory(prefix="toloka-project-") as tmp:
        path = Path(tmp) / "scenario.toml"
        path.write_text(scenario(count), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("TOLOKA_")}
        env["TOLOKA_API_KEY"] = API_KEY
        with fake_process(path) as fake:
            command = [sys.executable, "-m", "toloka_archive", "archive", "--project", PROJECT]
            command += ["--no-wait", "--json", "-vv", "--concurrency", str(concurrency)]
            command += ["--base-url", fake.url]
            out_path = Path(tmp) / "out.jsonl"
            started = time.perf_counter()
            with out_path.open("w") as out:
                process = subprocess.Popen(
                    command, stdout=out, stderr=subprocess.PIPE, text=True, env=env
                )
                assert process.stderr is not None
                first_post = float("nan")
                for line in process.stderr:
                    if first_post != first_post and " POST /pools/" in line:  # NaN: not yet
                        first_post = time.perf_counter() - started
                _, status, usage = os.wait4(process.pid, 0)
                process.returncode = os.waitstatus_to_exitcode(status)
                process.stderr.close()
            total = time.perf_counter() - started
            outcomes = Counter(
                json.loads(line)["outcome"] for line in out_path.read_text().splitlines()
            )
    return first_post, total, usage.ru_maxrss, outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pools", type=int, nargs="*", default=[1000, 10_000])
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    for count in args.pools:
        first, total, rss, outcomes = measure(count, args.concurrency)
        print(
            f"project of {count:>6} pools, --no-wait, concurrency {args.concurrency}: first "
            f"archive request after {first:.2f} s; all started in {total:.1f} s; peak RSS "
            f"{rss / 1024:.1f} MiB; outcomes {dict(outcomes)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
