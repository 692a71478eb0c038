"""The fault soak as a benchmark: 1,000 pools under about 30 % faulty requests, against clean.

The command archives N pools (S-second operations, ``--concurrency C``) against the fake Toloka
on loopback twice, in fresh processes: once with no faults, once with every fault kind drawn
with a probability per request (about 30 % of requests meet one), including answers lost after
the archive started. It prints both wall times and their ratio (target: at most 1.5), the
requests per pool the command sent (counted from its ``-vv`` log), and the outcomes, which must
be ``archived`` for every pool in both runs.

    .venv/bin/python scripts/bench_soak.py                     # 1,000 pools, 1 s, C=32
    .venv/bin/python scripts/bench_soak.py --pools 200

On loopback a ``timeout_after_commit`` fault keeps the connection silent for 1 s before closing
it (the command's own read timeout is 30 s, which would measure the timeout, not the client).
Loopback only; every process it starts is stopped by its own handle at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from toloka_archive.testing import fake_process

API_KEY = "bench-key-0001"  # the scenario's own, fake key
ANYWHERE = ("rate_limit", "internal_error", "unavailable", "bad_gateway", "disconnect", "slow")
ON_ARCHIVE = (
    "drop_after_commit",
    "timeout_after_commit",
    "truncated_202",
    "invalid_json_202",
    "locked_by_other",
)
PROBABILITY = 0.06  # per kind: together about 30 % of requests
REQUEST_LINE = re.compile(r"^DEBUG (GET|POST) \S+ -> ")


def scenario(count: int, seconds: float, faulty: bool) -> str:
    text = f"""
[settings]
seed = 7
rate_limit = false

[[requesters]]
name = "bench"
api_keys = ["{API_KEY}"]

[[pool_ranges]]
first = 1
count = {count}
archive_seconds = {seconds}
"""
    if faulty:
        for kind in ANYWHERE:
            extra = {"rate_limit": "retry_after = 1", "slow": "delay = 0.5"}.get(kind, "")
            text += f'\n[[faults]]\nkind = "{kind}"\nprobability = {PROBABILITY}\n{extra}\n'
        for kind in ON_ARCHIVE:
            extra = "delay = 1.0" if kind == "timeout_after_commit" else ""
            text += (
                f'\n[[faults]]\nkind = "{kind}"\nendpoint = "archive"\n'
                f"probability = {PROBABILITY}\n{extra}\n"
            )
    return text


def run(count: int, seconds: float, concurrency: int, faulty: bool) -> tuple[float, int, Counter]:
    """Wall time, requests sent, and outcome counts of one command run."""
    with tempfile.TemporaryDirectory(prefix="toloka-soak-") as tmp:
        scenario_path = Path(tmp) / "scenario.toml"
        scenario_path.write_text(scenario(count, seconds, faulty), encoding="utf-8")
        ids_file = Path(tmp) / "ids.txt"
        ids_file.write_text("".join(f"{i}\n" for i in range(1, count + 1)), encoding="utf-8")
        log_path = Path(tmp) / "log.txt"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TOLOKA_")}
        env["TOLOKA_API_KEY"] = API_KEY
        with fake_process(scenario_path) as fake, log_path.open("w") as log:
            command = [sys.executable, "-m", "toloka_archive", "archive", "--from-file"]
            command += [str(ids_file), "--concurrency", str(concurrency), "--json", "-vv"]
            command += ["--base-url", fake.url]
            started = time.perf_counter()
            completed = subprocess.run(
                command, stdout=subprocess.PIPE, stderr=log, text=True, env=env, check=False
            )
            elapsed = time.perf_counter() - started
        outcomes = Counter(json.loads(line)["outcome"] for line in completed.stdout.splitlines())
        with log_path.open() as lines:
            requests = sum(1 for line in lines if REQUEST_LINE.match(line))
    return elapsed, requests, outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pools", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=1.0, help="each operation's duration")
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    results = {}
    for faulty in (False, True):
        elapsed, requests, outcomes = run(args.pools, args.seconds, args.concurrency, faulty)
        results[faulty] = elapsed
        label = "30 % faults" if faulty else "no faults  "
        print(
            f"soak: {args.pools} pools x {args.seconds:g} s, concurrency {args.concurrency}, "
            f"{label}: {elapsed:.1f} s, {requests / args.pools:.2f} requests/pool; "
            f"outcomes {dict(outcomes)}"
        )
    print(f"soak: faulty / clean wall time = {results[True] / results[False]:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
