"""Throughput of the fake Toloka's loopback server: is it fast enough never to be the bottleneck?

Starts ``python -m toloka_archive.testing --port 0`` in a child process (so that server and
client each get a core), starts one archive operation, then has C concurrent tasks make a fixed
number of ``GET /operations/{id}`` requests over keep-alive connections, and prints requests per
second. Loopback only; the request count is bounded; the server is always stopped at the end.

    .venv/bin/python scripts/bench_fake.py                       # httpx, 5,000 requests, 32 tasks
    .venv/bin/python scripts/bench_fake.py --client raw          # a minimal HTTP/1.1 client
    .venv/bin/python scripts/bench_fake.py --in-thread           # serve() in this process

``--client httpx`` measures what a benchmark of the facade will see (httpx itself costs more
per request than the server does); ``--client raw`` measures the server's own ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from toloka_archive.testing import FakeToloka, Scenario, serve

API_KEY = "bench-key"
SCENARIO = f"""
[settings]
seed = 0
rate_limit = false   # a benchmark measures the server, not Toloka's 300 a second

[[requesters]]
name = "bench"
api_keys = ["{API_KEY}"]

[[pool_ranges]]
first = 1
count = 1000
archive_seconds = 3600.0   # stays RUNNING for the whole run
"""
READY_TIMEOUT = 10.0


class Server:
    """Where the fake runs: its base URL and, when it is a child process, its pid."""

    def __init__(self, url: str, pid: int | None) -> None:
        self.url = url
        self.pid = pid

    def cpu_seconds(self) -> float | None:
        """CPU time the server process has used (Linux /proc); None when not measurable."""
        if self.pid is None:
            return None
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        # utime and stime are fields 14 and 15 of stat(5), in clock ticks.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def child_server(scenario_path: Path) -> Iterator[Server]:
    """The fake in a child process; yields where it listens and always stops it."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "toloka_archive.testing",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--scenario",
            str(scenario_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        prefix = "listening on "
        if not line.startswith(prefix):
            raise SystemExit(f"the fake did not start: {line!r}")
        yield Server(line[len(prefix) :], process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=READY_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def thread_server(scenario_path: Path) -> Iterator[Server]:
    fake = FakeToloka.from_scenario(Scenario.load(scenario_path))
    with serve(fake) as server:
        yield Server(server.url, None)


async def run_httpx(
    base_url: str, operation_path: str, total: int, concurrency: int
) -> list[float]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"ApiKey {API_KEY}"}
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base_url, limits=limits, headers=headers) as client:

        async def worker(count: int) -> None:
            for _ in range(count):
                started = time.perf_counter()
                response = await client.get(operation_path)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"unexpected {response.status_code}: {response.text}")

        await asyncio.gather(*(worker(n) for n in split(total, concurrency)))
    return latencies


async def run_raw(base_url: str, operation_path: str, total: int, concurrency: int) -> list[float]:
    """One request at a time per connection, keep-alive, reading by Content-Length."""
    url = httpx.URL(base_url)
    request = (
        f"GET {url.path}{operation_path} HTTP/1.1\r\nHost: {url.host}:{url.port}\r\n"
        f"Authorization: ApiKey {API_KEY}\r\n\r\n"
    ).encode()
    latencies: list[float] = []

    async def worker(count: int) -> None:
        reader, writer = await asyncio.open_connection(url.host, url.port)
        try:
            for _ in range(count):
                started = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                if not head.startswith(b"HTTP/1.1 200"):
                    raise SystemExit(f"unexpected answer: {head!r}")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - started)
        finally:
            writer.close()
            await writer.wait_closed()

    await asyncio.gather(*(worker(n) for n in split(total, concurrency)))
    return latencies


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def start_operation(base_url: str) -> str:
    response = httpx.post(
        f"{base_url}/pools/1/archive", headers={"Authorization": f"ApiKey {API_KEY}"}
    )
    response.raise_for_status()
    operation_id: str = response.json()["id"]
    return f"/operations/{operation_id}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000, help="requests in all (default 5000)")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent tasks (default 32)")
    parser.add_argument("--client", choices=("httpx", "raw"), default="httpx")
    parser.add_argument(
        "--in-thread", action="store_true", help="serve from a thread of this process instead"
    )
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds (default 3)")
    args = parser.parse_args()
    if not 1 <= args.requests <= 1_000_000 or not 1 <= args.concurrency <= 1024:
        parser.error("--requests must be 1..1,000,000 and --concurrency 1..1024")

    runner = run_httpx if args.client == "httpx" else run_raw
    with tempfile.TemporaryDirectory() as folder:
        scenario_path = Path(folder) / "bench.toml"
        scenario_path.write_text(SCENARIO, encoding="utf-8")
        server = thread_server if args.in_thread else child_server
        started = time.perf_counter()
        with server(scenario_path) as running:
            ready = time.perf_counter() - started
            base_url = running.url
            operation_path = start_operation(base_url)
            asyncio.run(runner(base_url, operation_path, min(500, args.requests), 8))  # warm-up
            rates = []
            for round_number in range(1, args.rounds + 1):
                cpu_before = running.cpu_seconds()
                began = time.perf_counter()
                latencies = asyncio.run(
                    runner(base_url, operation_path, args.requests, args.concurrency)
                )
                elapsed = time.perf_counter() - began
                cpu_after = running.cpu_seconds()
                rates.append(args.requests / elapsed)
                quantiles = statistics.quantiles(latencies, n=100)
                cpu = ""
                if cpu_before is not None and cpu_after is not None:
                    per_request = (cpu_after - cpu_before) / args.requests
                    cpu = (
                        f"; server CPU {per_request * 1e6:.0f} us/request, "
                        f"{(cpu_after - cpu_before) / elapsed:.0%} of a core"
                    )
                print(
                    f"round {round_number}: {args.requests} requests in {elapsed:.2f} s = "
                    f"{rates[-1]:,.0f} req/s (p50 {quantiles[49] * 1000:.1f} ms, "
                    f"p99 {quantiles[98] * 1000:.1f} ms){cpu}"
                )
    where = "a thread of the client's process" if args.in_thread else "a child process"
    print(
        f"fake on {where}, ready in {ready * 1000:.0f} ms; client {args.client}, "
        f"{args.concurrency} concurrent; {os.cpu_count()} CPUs; "
        f"best {max(rates):,.0f} req/s, median {statistics.median(rates):,.0f} req/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
