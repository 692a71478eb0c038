"""What the facade adds to a request: get_operation versus a bare httpx GET, on loopback.

Both read the same operation from the fake Toloka (served by a child process) over one
keep-alive connection, one request at a time, so the difference is the facade's own work: id
checks, the flow, logging calls and parsing into the generated model.

    .venv/bin/python scripts/bench_overhead.py [--requests 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from toloka_archive import TolokaClient
from toloka_archive.testing import fake_process

API_KEY = "bench-key-0001"  # the scenario's own, fake key
SCENARIO = f"""
[settings]
rate_limit = false

[[requesters]]
name = "bench"
api_keys = ["{API_KEY}"]

[[pools]]
id = "1"
archive_seconds = 3600.0
"""


def per_request(call: Callable[[], object], count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - started) / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="toloka-bench-") as tmp:
        scenario = Path(tmp) / "scenario.toml"
        scenario.write_text(SCENARIO, encoding="utf-8")
        with (
            fake_process(scenario) as fake,
            httpx.Client(base_url=fake.url, headers={"Authorization": f"ApiKey {API_KEY}"}) as bare,
            TolokaClient(api_key=API_KEY, base_url=fake.url, env={}) as facade,
        ):
            operation_id = bare.post("/pools/1/archive").json()["id"]
            path = f"/operations/{operation_id}"
            bare_times, facade_times = [], []
            for _ in range(args.rounds):
                bare_times.append(per_request(lambda: bare.get(path).json(), args.requests))
                facade_times.append(
                    per_request(lambda: facade.get_operation(operation_id), args.requests)
                )
    bare_us = statistics.median(bare_times) * 1e6
    facade_us = statistics.median(facade_times) * 1e6
    print(
        f"bare httpx GET + json: {bare_us:.0f} us/request; facade get_operation: "
        f"{facade_us:.0f} us/request; overhead {(facade_us / bare_us - 1) * 100:+.1f} % "
        f"(median of {args.rounds} rounds x {args.requests} requests, loopback fake)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
