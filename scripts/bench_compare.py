"""toloka-archive against toloka-kit 1.2.3, side by side, against the same loopback fake Toloka.

    .venv/bin/python scripts/bench_compare.py            # what `make bench` runs, ~17 min
    .venv/bin/python scripts/bench_compare.py --quick    # a smoke run, ~2 min
    .venv/bin/python scripts/bench_compare.py --full --runs 1   # 1,000 pools a length, ~18 min
    .venv/bin/python scripts/bench_compare.py --only bulk,memory --runs 5

toloka-kit lives in its own virtual environment, ``.bench-venv`` (``make bench-venv``; pinned
by ``scripts/bench-peers-constraints.txt``), never in the project's ``.venv``. Every measured
client runs in a fresh interpreter of its own (``bench_compare_worker.py``), the fake Toloka in
another (``toloka_archive.testing.fake_process``), so each gets a core of a 2-core machine.

What is measured (medians of ``--runs`` runs, with min-max):

- **import**: ``from toloka_archive import TolokaClient`` vs ``import toloka.client``, wall time
  and peak RSS of a fresh interpreter, also net of ``python -c pass`` in the same venv; and
  what a user waits for before the first answer, in the same way: import, a client, and one
  ``archive_pool`` of an already archived pool (so work put off past the import still counts);
- **one call answering 204** (an already archived pool), microseconds per call: bare httpx
  (the floor, in both venvs), toloka-kit's ``archive_pool_async`` (the POST alone) and
  ``archive_pool`` (POST, then GET of the pool it returns), our ``start_archive_pool``, each
  with its overhead in percent over bare httpx in its own venv; and ours against bare httpx
  paired in one process, in alternating blocks of 100 calls (the target: within 5 %);
- **a cold client, one pool**, operations of 0.3, 1, 2 and 5 s: a fresh process per
  measurement (nothing learned), timed from the archive call to its result: our
  ``TolokaClient.archive_pool`` and toloka-kit's ``archive_pool_async`` + ``wait_operation``,
  with their requests, against the operation's length;
- **one by one**: N pools with 1 s operations, archived and waited for in a loop: toloka-kit's
  ``archive_pool_async`` + ``wait_operation`` (as its docs show) and ``archive_pool``, our
  ``TolokaClient.archive_pool``; against the ideal N x 1 s;
- **bulk**, concurrency 32: 200 pools of 0.3 s operations (the issue's measure), and more
  pools at 0.3 s, 1 s and 5 s: our command (``toloka-archive archive --from-file ...
  --concurrency 32 --json``, timed as a whole process), our
  ``AsyncTolokaClient.archive_pools``, toloka-kit in 32 threads over one shared client
  (``archive_pool_async`` + ``wait_operation``; the client keeps an httpx session per thread)
  and toloka-kit's own ``AsyncTolokaClient`` in 32 tasks; against the ideal pools / 32 x S
  and against toloka-kit's best;
- **requests per pool** for every run above, counted on the client side (both clients send
  through ``httpx.Client.send`` / ``AsyncClient.send``, which the worker wraps with a counter);
- **peak memory** of a whole run over 1,000 and 10,000 already archived pools (ours: the
  command; toloka-kit: both loops), as each process reads its own ``VmHWM``;
- **behaviour**, one run each: a 429 with ``Retry-After`` on the first archive requests, and
  the fake's built-in limit of 300 requests a second (its 429 also carries ``Retry-After``,
  the seconds until its one-second window has room again).

The library runs are timed around the work inside the worker (its import is the first row's
business); the command is timed as the whole process a user waits for. The fake's own rate
limit is off except in the behaviour rows. A markdown table goes to stdout and, with the raw
numbers as JSON and an SVG chart, to ``bench-results/`` (git-ignored). Loopback only; every
process it starts is stopped by its own handle.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toloka_archive.testing import fake_process

ROOT = Path(__file__).resolve().parent.parent
WORKER = ROOT / "scripts" / "bench_compare_worker.py"
PEERS_PYTHON = ROOT / ".bench-venv" / "bin" / "python"
# This project as a user installs it: its runtime dependencies only. The project's .venv also
# holds the dev tools, and httpx imports its optional CLI (rich, click) when they are present,
# which would charge about 30 ms of someone else's tools to our import.
OURS_PYTHON = ROOT / ".bench-venv-ours" / "bin" / "python"
RESULTS = ROOT / "bench-results"
# A made-up key in the shape of a Toloka API key, so that toloka-kit sends it as
# `Authorization: ApiKey ...` like our client does (it sends anything else as OAuth).
API_KEY = "benchbenchbenchbench01.bench.key"
CONCURRENCY = 32
MIB = 1024  # ru_maxrss is in KiB on Linux

OURS = "ours"
KIT = "toloka-kit"


# A cold client (one pool, a fresh process) at these operation lengths; its targets: at most
# COLD_LIMIT x the length plus one round trip, faster than toloka-kit, and at most
# COLD_REQUESTS_5S requests for a 5 s operation.
COLD_SECONDS = (0.3, 1.0, 2.0, 5.0)
COLD_LIMIT = 1.3
COLD_REQUESTS_5S = 4
# One archive call answering 204: ours within this much of bare httpx in the same venv.
CALL_OVERHEAD_LIMIT = 0.05


@dataclass(frozen=True)
class Size:
    """How big each section is; ``--quick`` and ``--full`` pick other ones."""

    runs: int
    import_runs: int
    calls: int
    cold_runs: int  # fresh processes per length and client, one pool each
    cold: tuple[float, ...]  # operation seconds
    one_by_one: int
    bulk: tuple[tuple[float, int], ...]  # (operation seconds, pools)
    memory: tuple[int, ...]


SIZES = {
    "quick": Size(
        runs=1,
        import_runs=3,
        calls=300,
        cold_runs=1,
        cold=COLD_SECONDS,
        one_by_one=2,
        bulk=((0.3, 200), (1.0, 64), (5.0, 32)),
        memory=(1_000,),
    ),
    "default": Size(
        runs=3,
        import_runs=10,
        calls=2_000,
        cold_runs=5,
        cold=COLD_SECONDS,
        one_by_one=20,  # a fresh client learns from its first operation: 1 in 20 is unlearned
        # 200 x 0.3 s is the issue's bulk measure; the other three are the earlier runs' rows.
        bulk=((0.3, 200), (0.3, 320), (1.0, 320), (5.0, 64)),
        memory=(1_000, 10_000),
    ),
    "full": Size(
        runs=3,
        import_runs=10,
        calls=2_000,
        cold_runs=5,
        cold=COLD_SECONDS,
        one_by_one=20,
        bulk=((0.3, 200), (0.3, 1_000), (1.0, 1_000), (5.0, 1_000)),
        memory=(1_000, 10_000),
    ),
}
SECTIONS = ("import", "call", "cold", "one", "bulk", "memory", "behaviour")


# --- running things ------------------------------------------------------------------------


@dataclass
class Run:
    """One child process: its wall time, peak RSS and what it reported.

    ``rss_kib`` is what the child read of itself (``VmHWM``); the ``wait4`` figure that
    ``spawn`` fills in first also counts the pages of this process that the fork copied, so it
    never reads under this process's own size.
    """

    wall: float
    rss_kib: int
    code: int
    result: dict[str, Any] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def seconds(self) -> float:
        """The work's own time when the worker measured it, else the process's wall time."""
        return float(self.result.get("seconds", self.wall))


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOLOKA_")}
    env.update(extra)
    return env


def spawn(
    command: Sequence[str], *, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)
) -> tuple[Run, str]:
    """Run to the end; wall time, peak RSS (wait4) and its standard output."""
    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, text=True, env=env or clean_env()
        )
        assert process.stdout is not None
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        process.stdout.close()
        if process.returncode not in ok:
            errors.seek(0)
            tail = errors.read()[-2000:]
            raise SystemExit(f"{' '.join(map(str, command[:4]))} ... failed:\n{tail}")
    return Run(wall, usage.ru_maxrss, process.returncode), output


def worker(python: Path | str, mode: str, url: str, tmp: Path, *options: str) -> Run:
    result_path = tmp / "result.json"
    result_path.unlink(missing_ok=True)
    command = [str(python), str(WORKER), mode, "--url", url, "--key", API_KEY]
    command += ["--token", API_KEY, "--result", str(result_path), *options]
    run, _ = spawn(command)
    run.result = json.loads(result_path.read_text(encoding="utf-8"))
    run.rss_kib = run.result["peak_rss_kib"]
    run.outcomes = Counter(run.result.get("outcomes", {}))
    return run


def command(url: str, ids_file: Path, tmp: Path, *, concurrency: int = CONCURRENCY) -> Run:
    """Our command, timed as the whole process (the worker only adds the request counter)."""
    result_path = tmp / "result.json"
    result_path.unlink(missing_ok=True)
    argv = [sys.executable, str(WORKER), "command", "--result", str(result_path), "--"]
    argv += ["archive", "--from-file", str(ids_file), "--concurrency", str(concurrency)]
    argv += ["--json", "--base-url", url]
    # Exit status 1: some pool was not archived, which the outcomes show.
    run, output = spawn(argv, env=clean_env(TOLOKA_API_KEY=API_KEY), ok=(0, 1))
    run.result = json.loads(result_path.read_text(encoding="utf-8"))
    run.rss_kib = run.result["peak_rss_kib"]
    run.outcomes = Counter(json.loads(line)["outcome"] for line in output.splitlines())
    return run


def scenario(
    *ranges: tuple[int, int, str, float], rate_limit: int | None = None, faults: str = ""
) -> str:
    """A fake Toloka with one requester and pool ranges of (first, count, status, seconds)."""
    text = f"""
[settings]
seed = 0
rate_limit = {"false" if rate_limit is None else rate_limit}

[[requesters]]
name = "bench"
api_keys = ["{API_KEY}"]
"""
    for first, count, status, seconds in ranges:
        text += f"""
[[pool_ranges]]
first = {first}
count = {count}
status = "{status}"
archive_seconds = {seconds}
"""
    return text + faults


@contextmanager
def fake(tmp: Path, text: str) -> Iterator[str]:
    path = tmp / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    with fake_process(path) as running:
        yield running.url


def ids_file(tmp: Path, count: int, first: int = 1) -> Path:
    path = tmp / f"ids-{first}-{count}.txt"
    path.write_text("".join(f"{i}\n" for i in range(first, first + count)), encoding="utf-8")
    return path


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- statistics and formatting ------------------------------------------------------------


def spread(values: Sequence[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def fmt(stats: dict[str, float], scale: float = 1.0, digits: int = 1, unit: str = "") -> str:
    median, low, high = (stats[k] * scale for k in ("median", "min", "max"))
    text = f"{median:,.{digits}f}{unit}"
    if len({round(low, digits), round(high, digits)}) > 1:
        text += f" ({low:,.{digits}f}-{high:,.{digits}f})"
    return text


def ratio(value: float, reference: float) -> str:
    return f"{value / reference:.2f}x" if reference else "-"


def outcomes_text(outcomes: Counter[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items()))


# --- the sections ---------------------------------------------------------------------------


# Each import command then prints its own peak RSS (see Run): a few microseconds, alike for all.
PRINT_PEAK = "\nprint(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')))"
# The rows of the import table: the interpreter alone, the import alone (the target), and the
# import, a client and one archive call, all a user waits for before the first answer.
PASS_ROW = {OURS: "ours: python -c pass", KIT: "toloka-kit: python -c pass"}
IMPORT_ROW = {
    OURS: "ours: from toloka_archive import TolokaClient",
    KIT: "toloka-kit: import toloka.client",
}
FIRST_CALL_ROW = {
    OURS: "ours: import + client + first call (archive_pool, 204)",
    KIT: "toloka-kit: import + client + first call (archive_pool, 204: POST, then GET)",
}


def first_call_code(side: str, url: str) -> str:
    """Import, a client, ``archive_pool`` of pool 1, already archived: the fake answers 204."""
    if side == OURS:
        return (
            "from toloka_archive import TolokaClient\n"
            f"with TolokaClient(api_key={API_KEY!r}, base_url={url!r}, env={{}}) as client:\n"
            "    assert client.archive_pool('1').already_archived"
        )
    # toloka-kit takes the site and adds /api/v1 itself (as the worker's site_root does).
    site = url.removesuffix("/").removesuffix("/api/v1")
    return (
        "import toloka.client\n"
        f"client = toloka.client.TolokaClient({API_KEY!r}, url={site!r})\n"
        "assert client.archive_pool('1').status.value == 'ARCHIVED'"
    )


def import_commands(url: str) -> dict[str, list[str]]:
    """Every row's command line: ours in OURS_PYTHON, toloka-kit in PEERS_PYTHON."""
    ours = str(OURS_PYTHON) if OURS_PYTHON.exists() else sys.executable
    peers = str(PEERS_PYTHON)
    statements = {
        PASS_ROW[OURS]: (ours, "pass"),
        IMPORT_ROW[OURS]: (ours, "from toloka_archive import TolokaClient"),
        FIRST_CALL_ROW[OURS]: (ours, first_call_code(OURS, url)),
        PASS_ROW[KIT]: (peers, "pass"),
        IMPORT_ROW[KIT]: (peers, "import toloka.client"),
        FIRST_CALL_ROW[KIT]: (peers, first_call_code(KIT, url)),
    }
    return {name: [python, "-c", code + PRINT_PEAK] for name, (python, code) in statements.items()}


def measure_import(size: Size, tmp: Path) -> dict[str, Any]:
    with fake(tmp, scenario((1, 1, "ARCHIVED", 1.0))) as url:
        commands = import_commands(url)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        rss: dict[str, list[float]] = {name: [] for name in commands}
        for argv in commands.values():
            spawn(argv)  # warm the file cache
        for _ in range(size.import_runs):
            for name, argv in commands.items():  # interleaved, so drift hits all alike
                run, output = spawn(argv)
                walls[name].append(run.wall)
                rss[name].append(int(output.split()[1]) / MIB)
    return {
        name: {"wall_s": spread(walls[name]), "rss_mib": spread(rss[name]), "raw": walls[name]}
        for name in commands
    }


CALL_MODES = {
    "bare httpx 0.28 (.venv)": (OURS, "call-raw"),
    "bare httpx 0.27 (.bench-venv)": (KIT, "call-raw"),
    "toloka-kit archive_pool_async": (KIT, "call-kit"),
    "toloka-kit archive_pool": (KIT, "call-kit-archive-pool"),
    "ours start_archive_pool": (OURS, "call-ours"),
}


def python_for(side: str) -> str:
    return str(PEERS_PYTHON if side == KIT else sys.executable)


def measure_calls(size: Size, tmp: Path) -> dict[str, Any]:
    per_call: dict[str, list[float]] = {name: [] for name in CALL_MODES}
    requests: dict[str, float] = {}
    with fake(tmp, scenario((1, 1, "ARCHIVED", 1.0))) as url:
        for _ in range(size.runs):
            for name, (side, mode) in CALL_MODES.items():
                options = ("--calls", str(size.calls), "--warmup", str(max(size.calls // 10, 20)))
                run = worker(python_for(side), mode, url, tmp, *options)
                per_call[name].append(run.result["seconds_per_call"] * 1e6)
                requests[name] = run.result["requests_per_call"]
    return {
        name: {"us": spread(per_call[name]), "raw": per_call[name], "requests": requests[name]}
        for name in CALL_MODES
    }


def measure_call_pairs(size: Size, tmp: Path) -> dict[str, Any]:
    """Ours against bare httpx in one process, in alternating blocks of 100 calls a run."""
    runs: list[dict[str, Any]] = []
    with fake(tmp, scenario((1, 1, "ARCHIVED", 1.0))) as url:
        for _ in range(size.runs):
            options = ("--calls", str(size.calls), "--warmup", str(max(size.calls // 10, 20)))
            runs.append(worker(sys.executable, "call-paired", url, tmp, *options).result)
    return {
        "bare_us": spread([run["bare_seconds_per_call"] * 1e6 for run in runs]),
        "ours_us": spread([run["ours_seconds_per_call"] * 1e6 for run in runs]),
        "ratio": spread([run["ratio"] for run in runs]),
        "blocks": runs[0]["blocks"],
        "raw": runs,
    }


COLD_MODES = {
    "ours TolokaClient.archive_pool": (OURS, "cold-ours"),
    "toloka-kit archive_pool_async + wait_operation": (KIT, "cold-kit"),
}


def measure_cold(size: Size, tmp: Path) -> list[dict[str, Any]]:
    """One pool per fresh process: nothing learned, timed from the archive call to its result.

    Each length gets its own fake, with a closed pool for every measurement of both clients,
    taken in turn (ours, toloka-kit, ours, ...).
    """
    rows = []
    for seconds in size.cold:
        runs: dict[str, list[Run]] = {name: [] for name in COLD_MODES}
        pools = size.cold_runs * len(COLD_MODES)
        with fake(tmp, scenario((1, pools, "CLOSED", seconds))) as url:
            pool_ids = iter(range(1, pools + 1))
            for number in range(1, size.cold_runs + 1):
                for name, (side, mode) in COLD_MODES.items():
                    progress(f"cold {seconds:g} s: {name}, run {number}/{size.cold_runs}")
                    pool = str(next(pool_ids))
                    runs[name].append(worker(python_for(side), mode, url, tmp, "--pool", pool))
        rows.append({"seconds": seconds, "clients": {n: summarize(runs[n], 1) for n in runs}})
    return rows


ONE_MODES = {
    "ours TolokaClient.archive_pool": (OURS, "one-ours"),
    "toloka-kit archive_pool_async + wait_operation": (KIT, "one-kit"),
    "toloka-kit archive_pool": (KIT, "one-kit-archive-pool"),
}
BULK_MODES = {
    "ours: command": (OURS, "command"),
    "ours: AsyncTolokaClient.archive_pools": (OURS, "bulk-ours"),
    "toloka-kit: 32 threads, shared TolokaClient": (KIT, "bulk-kit-threads"),
    "toloka-kit: AsyncTolokaClient, 32 tasks": (KIT, "bulk-kit-async"),
}


def pool_run(side: str, mode: str, url: str, ids: Path, tmp: Path) -> Run:
    if mode == "command":
        return command(url, ids, tmp)
    return worker(python_for(side), mode, url, tmp, "--ids", str(ids))


def summarize(runs: list[Run], pools: int) -> dict[str, Any]:
    outcomes: Counter[str] = Counter()
    for run in runs:
        outcomes.update(run.outcomes)
    return {
        "seconds": spread([run.seconds for run in runs]),
        "wall": spread([run.wall for run in runs]),
        "requests_per_pool": spread([run.result["requests"] / pools for run in runs]),
        "rss_mib": spread([run.rss_kib / MIB for run in runs]),
        "outcomes": dict(outcomes),
        "raw": [
            {
                "seconds": r.seconds,
                "wall": r.wall,
                "requests": r.result["requests"],
                "rss_kib": r.rss_kib,
                "outcomes": dict(r.outcomes),
            }
            for r in runs
        ],
    }


def measure_pools(
    modes: dict[str, tuple[str, str]], pools: int, seconds: float, size: Size, tmp: Path, label: str
) -> dict[str, Any]:
    runs: dict[str, list[Run]] = {name: [] for name in modes}
    ids = ids_file(tmp, pools)
    for number in range(1, size.runs + 1):
        for name, (side, mode) in modes.items():
            progress(f"{label}: {name}, run {number}/{size.runs}")
            with fake(tmp, scenario((1, pools, "CLOSED", seconds))) as url:
                runs[name].append(pool_run(side, mode, url, ids, tmp))
    return {name: summarize(runs[name], pools) for name in modes}


def measure_one(size: Size, tmp: Path) -> dict[str, Any]:
    pools = size.one_by_one
    return {
        "pools": pools,
        "seconds": 1.0,
        "ideal": pools * 1.0,
        "clients": measure_pools(ONE_MODES, pools, 1.0, size, tmp, "one by one"),
    }


def measure_bulk(size: Size, tmp: Path) -> list[dict[str, Any]]:
    rows = []
    for seconds, pools in size.bulk:
        label = f"bulk {seconds:g} s x {pools:,}"
        clients = measure_pools(BULK_MODES, pools, seconds, size, tmp, label)
        rows.append(
            {
                "seconds": seconds,
                "pools": pools,
                "ideal": pools / CONCURRENCY * seconds,
                "clients": clients,
            }
        )
    return rows


# Ours: the command (the facade's bulk call runs the same engine); toloka-kit: both loops.
MEMORY_MODES = BEHAVIOUR_MODES = {k: v for k, v in BULK_MODES.items() if "archive_pools" not in k}


def measure_memory(size: Size, tmp: Path) -> list[dict[str, Any]]:
    rows = []
    for pools in size.memory:
        runs: dict[str, list[Run]] = {name: [] for name in MEMORY_MODES}
        ids = ids_file(tmp, pools)
        with fake(tmp, scenario((1, pools, "ARCHIVED", 1.0))) as url:
            for number in range(1, size.runs + 1):
                for name, (side, mode) in MEMORY_MODES.items():
                    progress(f"memory {pools:,}: {name}, run {number}/{size.runs}")
                    runs[name].append(pool_run(side, mode, url, ids, tmp))
        rows.append({"pools": pools, "clients": {n: summarize(runs[n], pools) for n in runs}})
    return rows


def measure_behaviour(tmp: Path) -> list[dict[str, Any]]:
    """Two 429s, one run each: a fault on the first archive requests, and the fake's limit of
    300 requests a second; both carry Retry-After."""
    retry_after = """
[[faults]]
kind = "rate_limit"
endpoint = "archive"
first = 5
retry_after = 1
"""
    cases = [
        (
            "429 with Retry-After: 1 on the first 5 archive requests; 10 pools, 1 s operations",
            scenario((1, 10, "CLOSED", 1.0), faults=retry_after),
            10,
        ),
        (
            "The fake's limit, 300 requests a second (429 with Retry-After); "
            "1,000 already archived pools",
            scenario((1, 1_000, "ARCHIVED", 1.0), rate_limit=300),
            1_000,
        ),
    ]
    rows = []
    for title, text, pools in cases:
        ids = ids_file(tmp, pools)
        clients = {}
        for name, (side, mode) in BEHAVIOUR_MODES.items():
            progress(f"behaviour: {title[:40]}...: {name}")
            with fake(tmp, text) as url:
                clients[name] = summarize([pool_run(side, mode, url, ids, tmp)], pools)
        rows.append({"case": title, "pools": pools, "clients": clients})
    return rows


# --- the machine ----------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    def first_line(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text(encoding="utf-8").splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    memory = first_line("/proc/meminfo", "MemTotal")
    memory_gib = int(memory.split()[0]) / 1024 / 1024 if memory != "unknown" else 0.0
    peers = subprocess.run(
        [
            str(PEERS_PYTHON),
            "-c",
            "import importlib.metadata as m; print(m.version('toloka-kit'), m.version('httpx'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    from importlib.metadata import version

    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": first_line("/proc/cpuinfo", "model name"),
        "memory_gib": round(memory_gib, 1),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "toloka_archive": f"{version('toloka-archive')} ({commit or 'no git'})",
        "httpx_ours": version("httpx"),
        "toloka_kit": peers[0],
        "httpx_kit": peers[1],
    }


# --- the report -----------------------------------------------------------------------------


def report(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"# toloka-archive vs toloka-kit {m['toloka_kit']}, {m['date']}",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB of memory, "
        f"{m['system']}, Python {m['python']}. toloka-archive {m['toloka_archive']} with "
        f"httpx {m['httpx_ours']}; toloka-kit {m['toloka_kit']} with httpx {m['httpx_kit']}. "
        f"The fake Toloka on loopback in a process of its own, each client in another. "
        f"Medians of {results['runs']} runs (min-max); size: {results['size']}.",
    ]
    targets: list[tuple[str, str, bool]] = []
    if "import" in results:
        lines += import_table(results["import"], targets)
    if "call" in results:
        lines += call_table(results["call"], results.get("call_paired"), targets)
    if "cold" in results:
        lines += cold_table(results["cold"], round_trip_s(results), targets)
    if "one" in results:
        lines += one_table(results["one"], targets)
    if "bulk" in results:
        lines += bulk_table(results["bulk"], targets)
    if "memory" in results:
        lines += memory_table(results["memory"], targets)
    if "behaviour" in results:
        lines += behaviour_table(results["behaviour"])
    if targets:
        lines += ["", "## Targets", "", "| target | measured | met |", "| --- | --- | --- |"]
        lines += [
            f"| {what} | {value} | {'yes' if ok else '**no**'} |" for what, value, ok in targets
        ]
    return "\n".join(lines) + "\n"


def import_table(data: dict[str, Any], targets: list[tuple[str, str, bool]]) -> list[str]:
    lines = [
        "",
        "## Import, in a fresh interpreter",
        "",
        "| what | wall time | net of `python -c pass` | peak RSS | net RSS |",
        "| --- | --- | --- | --- | --- |",
    ]
    net: dict[str, tuple[float, float]] = {}  # row -> ms and MiB net of `python -c pass`
    for side in (OURS, KIT):
        base = data[PASS_ROW[side]]
        for name, row in data.items():
            if not name.startswith(f"{side}:"):
                continue
            wall_net = (row["wall_s"]["median"] - base["wall_s"]["median"]) * 1000
            rss_net = row["rss_mib"]["median"] - base["rss_mib"]["median"]
            net[name] = (wall_net, rss_net)
            lines.append(
                f"| {name} | {fmt(row['wall_s'], 1000, 0, ' ms')} | {wall_net:,.0f} ms | "
                f"{fmt(row['rss_mib'], 1, 1, ' MiB')} | {rss_net:,.1f} MiB |"
            )
    if ratios := net_ratios(net, IMPORT_ROW):
        lines.append(
            f"| **ours / toloka-kit, import** | | **{ratios[0]:.2f}x** | | **{ratios[1]:.2f}x** |"
        )
        targets.append(
            ("import time, net, ours / toloka-kit <= 0.10", f"{ratios[0]:.2f}", ratios[0] <= 0.10)
        )
    if ratios := net_ratios(net, FIRST_CALL_ROW):  # shown, not a target
        lines.append(
            f"| **ours / toloka-kit, import + client + first call** | | **{ratios[0]:.2f}x** | | "
            f"**{ratios[1]:.2f}x** |"
        )
    return lines


def net_ratios(
    net: dict[str, tuple[float, float]], row: dict[str, str]
) -> tuple[float, float] | None:
    """Ours / toloka-kit of one kind of row, time and RSS; None when a side has no such row."""
    if row[OURS] not in net or row[KIT] not in net:
        return None
    ours, kit = net[row[OURS]], net[row[KIT]]
    return ours[0] / kit[0], ours[1] / kit[1]


CALL_FLOORS = {OURS: "bare httpx 0.28 (.venv)", KIT: "bare httpx 0.27 (.bench-venv)"}


def call_table(
    data: dict[str, Any], paired: dict[str, Any] | None, targets: list[tuple[str, str, bool]]
) -> list[str]:
    kit = data["toloka-kit archive_pool_async"]["us"]["median"]
    lines = [
        "",
        "## One archive call answering 204 (an already archived pool), one connection",
        "",
        "Each row a fresh process of its own, the rows taken in turn. Overhead: against bare "
        "httpx in the same venv (the floor).",
        "",
        "| client | us per call | requests per call | overhead vs bare httpx, same venv | "
        "vs toloka-kit archive_pool_async |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, row in data.items():
        us = row["us"]["median"]
        floor = data[CALL_FLOORS[CALL_MODES[name][0]]]["us"]["median"]
        lines.append(
            f"| {name} | {fmt(row['us'], 1, 0)} | {row['requests']:g} | "
            f"{'(the floor)' if name in CALL_FLOORS.values() else percent(us, floor)} | "
            f"{ratio(us, kit)} |"
        )
    ours = data["ours start_archive_pool"]["us"]["median"]
    floor = data[CALL_FLOORS[OURS]]["us"]["median"]
    if paired is None:
        overhead, how = ours / floor - 1, "separate processes"
    else:
        overhead, how = paired["ratio"]["median"] - 1, "paired in one process"
        runs = len(paired["raw"])
        low, high = (paired["ratio"][k] - 1 for k in ("min", "max"))
        across = (
            f"median of {runs} runs, {low * 100:+.1f} to {high * 100:+.1f} %; " if runs > 1 else ""
        )
        lines += [
            "",
            f"Paired, in one process: bare httpx 0.28 and our `start_archive_pool` in "
            f"alternating blocks of 100 calls ({paired['blocks']} blocks each a run), so that "
            f"both see the same drift of a shared machine: bare httpx "
            f"{fmt(paired['bare_us'], 1, 0)} us, ours {fmt(paired['ours_us'], 1, 0)} us per "
            f"call; **ours {overhead * 100:+.1f} %** ({across}each run the median of its "
            f"blocks' ratios).",
        ]
    limit = CALL_OVERHEAD_LIMIT
    targets.append(
        (
            f"one call answering 204: ours start_archive_pool within {limit * 100:g} % of bare "
            f"httpx 0.28 ({how})",
            f"{overhead * 100:+.1f} %",
            overhead <= limit,
        )
    )
    return lines


def percent(value: float, reference: float) -> str:
    return f"{(value / reference - 1) * 100:+.1f} %" if reference else "-"


def round_trip_s(results: dict[str, Any]) -> float:
    """One round trip on this loopback: the bare httpx call, when the call section ran."""
    if "call" not in results:
        return 0.0
    return float(results["call"][CALL_FLOORS[OURS]]["us"]["median"]) / 1e6


def cold_table(
    rows: list[dict[str, Any]], round_trip: float, targets: list[tuple[str, str, bool]]
) -> list[str]:
    ours_name, kit_name = COLD_MODES
    runs = len(rows[0]["clients"][ours_name]["raw"]) if rows else 0
    lines = [
        "",
        "## A cold client, one pool: archive and wait",
        "",
        f"Each measurement a fresh process with one pool (nothing learned), timed from the "
        f"archive call to its result (the import and the client are not counted); medians of "
        f"{runs} runs (min-max). Ours: `TolokaClient.archive_pool`; toloka-kit: "
        f"`archive_pool_async` + `wait_operation`.",
        "",
        "| operation | ours: seconds | vs length | requests | toloka-kit: seconds | vs length | "
        "requests | ours / toloka-kit |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    notes = []
    for row in rows:
        length = row["seconds"]
        ours, kit = row["clients"][ours_name], row["clients"][kit_name]
        ours_s, kit_s = ours["seconds"]["median"], kit["seconds"]["median"]
        lines.append(
            f"| {length:g} s | {fmt(ours['seconds'], 1, 2)} | {ratio(ours_s, length)} | "
            f"{fmt(ours['requests_per_pool'], 1, 0)} | {fmt(kit['seconds'], 1, 2)} | "
            f"{ratio(kit_s, length)} | {fmt(kit['requests_per_pool'], 1, 0)} | "
            f"{ratio(ours_s, kit_s)} |"
        )
        bad = {k: v for k, v in ours["outcomes"].items() if k != "archived"}
        bad.update({f"toloka-kit {k}": v for k, v in kit["outcomes"].items() if k != "archived"})
        if bad:
            notes.append(f"At {length:g} s, not archived: {outcomes_text(Counter(bad))}.")
        allowed = COLD_LIMIT * length + round_trip
        targets.append(
            (
                f"cold {length:g} s, ours <= {COLD_LIMIT}x the length + one round trip "
                f"({allowed:.4f} s)",
                f"{ours_s:.3f} s ({ratio(ours_s, length)})",
                ours_s <= allowed,
            )
        )
        targets.append(
            (
                f"cold {length:g} s, ours faster than toloka-kit",
                f"{ours_s:.2f} vs {kit_s:.2f} s",
                ours_s < kit_s,
            )
        )
        if length == 5.0:
            requests = ours["requests_per_pool"]["max"]
            targets.append(
                (
                    f"cold 5 s, ours at most {COLD_REQUESTS_5S} requests (every run)",
                    f"{requests:g}",
                    requests <= COLD_REQUESTS_5S,
                )
            )
    return lines + (["", *notes] if notes else [])


def one_table(data: dict[str, Any], targets: list[tuple[str, str, bool]]) -> list[str]:
    ideal = data["ideal"]
    lines = [
        "",
        f"## Archive and wait, one by one: {data['pools']} pools, 1 s operations "
        f"(ideal {ideal:g} s)",
        "",
        "| client | seconds | per pool | vs ideal | requests per pool | outcomes |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in data["clients"].items():
        seconds = row["seconds"]["median"]
        lines.append(
            f"| {name} | {fmt(row['seconds'], 1, 2)} | {seconds / data['pools']:.2f} s | "
            f"{ratio(seconds, ideal)} | {fmt(row['requests_per_pool'], 1, 2)} | "
            f"{outcomes_text(Counter(row['outcomes']))} |"
        )
    ours = data["clients"]["ours TolokaClient.archive_pool"]["seconds"]["median"] / ideal
    targets.append(
        ("one by one, 1 s operations, ours <= 1.05x ideal", f"{ours:.2f}x", ours <= 1.05)
    )
    return lines


def kit_best(clients: dict[str, Any], key: str = "seconds") -> float:
    return min(row[key]["median"] for name, row in clients.items() if name.startswith(KIT))


def bulk_table(rows: list[dict[str, Any]], targets: list[tuple[str, str, bool]]) -> list[str]:
    lines = [
        "",
        f"## Bulk, concurrency {CONCURRENCY}: archive and wait",
        "",
        "| operation | pools | ideal | client | seconds | vs ideal | vs toloka-kit's best | "
        "requests per pool | outcomes |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        ideal, clients = row["ideal"], row["clients"]
        best = kit_best(clients)
        best_requests = kit_best(clients, "requests_per_pool")
        for name, data in clients.items():
            seconds = data["seconds"]["median"]
            lines.append(
                f"| {row['seconds']:g} s | {row['pools']:,} | {ideal:.1f} s | {name} | "
                f"{fmt(data['seconds'], 1, 1)} | {ratio(seconds, ideal)} | "
                f"{ratio(seconds, best)} | "
                f"{fmt(data['requests_per_pool'], 1, 2)} | "
                f"{outcomes_text(Counter(data['outcomes']))} |"
            )
        limit = 1.5 if row["seconds"] < 1 else 1.10
        for name in (n for n in clients if n.startswith(OURS)):
            seconds = clients[name]["seconds"]["median"]
            requests = clients[name]["requests_per_pool"]["median"]
            label = f"bulk {row['seconds']:g} s x {row['pools']:,}, {name}"
            targets.append(
                (f"{label} <= {limit:.2f}x ideal", ratio(seconds, ideal), seconds / ideal <= limit)
            )
            targets.append(
                (f"{label} faster than toloka-kit's best", ratio(seconds, best), seconds < best)
            )
            targets.append(
                (
                    f"{label} requests per pool <= toloka-kit's fewest",
                    f"{requests:.2f} vs {best_requests:.2f}",
                    requests <= best_requests,
                )
            )
    return lines


def memory_table(rows: list[dict[str, Any]], targets: list[tuple[str, str, bool]]) -> list[str]:
    counts = [row["pools"] for row in rows]
    lines = [
        "",
        f"## Already archived pools, concurrency {CONCURRENCY}: peak memory (RSS) of a whole "
        "run, its time, requests",
        "",
        "| client | " + " | ".join(f"{count:,} pools" for count in counts) + " |",
        "| --- |" + " --- |" * len(counts),
    ]
    for name in rows[0]["clients"]:
        cells = []
        for row in rows:
            data = row["clients"][name]
            cells.append(
                f"{fmt(data['rss_mib'], 1, 1, ' MiB')}; {fmt(data['seconds'], 1, 1, ' s')}; "
                f"{data['requests_per_pool']['median']:.2f} requests per pool"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for row in rows:  # already archived: an operation of length zero
        ours = row["clients"]["ours: command"]["seconds"]["median"]
        best = kit_best(row["clients"])
        targets.append(
            (
                f"(extra) {row['pools']:,} already archived pools, ours: command faster than "
                f"toloka-kit's best",
                ratio(ours, best),
                ours < best,
            )
        )
    return lines


def behaviour_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["", "## Behaviour (one run each)"]
    for row in rows:
        lines += [
            "",
            f"{row['case']}:",
            "",
            "| client | seconds | requests per pool | outcomes |",
            "| --- | --- | --- | --- |",
        ]
        for name, data in row["clients"].items():
            lines.append(
                f"| {name} | {data['seconds']['median']:.1f} | "
                f"{data['requests_per_pool']['median']:.2f} | "
                f"{outcomes_text(Counter(data['outcomes']))} |"
            )
    return lines


# --- the chart: a hand-written SVG, no plotting library ----------------------------------


COLOURS = ("#08519c", "#6baed6", "#cb181d", "#fc9272")


def chart(rows: list[dict[str, Any]], title: str) -> str:
    """Two panels of grouped bars per operation length: time / ideal, and requests per pool."""
    names = list(rows[0]["clients"])
    panel_w, panel_h, left, top, bottom = 420, 300, 50, 60, 60
    width, height = left + 2 * (panel_w + left) + 10, top + panel_h + bottom + 20 * len(names)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15">{escape(title)}</text>',
    ]
    panels = [
        ("bulk time / ideal (pools / 32 x operation)", "seconds", lambda r: r["ideal"], 1.0),
        ("requests per pool", "requests_per_pool", lambda r: 1.0, None),
    ]
    for index, (label, key, norm, reference) in enumerate(panels):
        x0 = left + index * (panel_w + left)
        values = [
            [row["clients"][n][key][k] / norm(row) for k in ("median", "min", "max")]
            for row in rows
            for n in names
        ]
        top_value = max(v[2] for v in values) * 1.15
        scale = panel_h / top_value
        y_base = top + panel_h
        out.append(
            f'<text x="{x0 + panel_w / 2}" y="{top - 12}" text-anchor="middle">{label}</text>'
        )
        out.append(
            f'<line x1="{x0}" y1="{y_base}" x2="{x0 + panel_w}" y2="{y_base}" stroke="black"/>'
        )
        out.append(f'<line x1="{x0}" y1="{top}" x2="{x0}" y2="{y_base}" stroke="black"/>')
        for tick in nice_ticks(top_value):
            y = y_base - tick * scale
            out.append(f'<line x1="{x0 - 4}" y1="{y:.1f}" x2="{x0}" y2="{y:.1f}" stroke="black"/>')
            out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>')
        group_w = panel_w / len(rows)
        bar_w = group_w * 0.8 / len(names)
        overlay = []  # drawn over the bars
        if reference is not None:
            y = y_base - reference * scale
            overlay.append(
                f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + panel_w}" y2="{y:.1f}" '
                f'stroke="#333" stroke-dasharray="5,4"/>'
            )
            overlay.append(f'<text x="{x0 + 4}" y="{y - 4:.1f}">ideal</text>')
        for g, row in enumerate(rows):
            gx = x0 + g * group_w + group_w * 0.1
            if key == "seconds":
                limit = 1.5 if row["seconds"] < 1 else 1.10
                y = y_base - limit * scale
                overlay.append(
                    f'<line x1="{gx:.1f}" y1="{y:.1f}" x2="{gx + group_w * 0.8:.1f}" y2="{y:.1f}" '
                    f'stroke="#2ca02c" stroke-width="2.5"/>'
                )
            for b in range(len(names)):
                median, low, high = values[g * len(names) + b]
                bx = gx + b * bar_w
                out.append(
                    f'<rect x="{bx:.1f}" y="{y_base - median * scale:.1f}" width="{bar_w - 2:.1f}" '
                    f'height="{median * scale:.1f}" fill="{COLOURS[b % len(COLOURS)]}"/>'
                )
                mid = bx + (bar_w - 2) / 2
                out.append(
                    f'<line x1="{mid:.1f}" y1="{y_base - high * scale:.1f}" x2="{mid:.1f}" '
                    f'y2="{y_base - low * scale:.1f}" stroke="black"/>'
                )
                out.append(
                    f'<text x="{mid:.1f}" y="{y_base - high * scale - 4:.1f}" text-anchor="middle" '
                    f'font-size="9">{median:.2f}</text>'
                )
            out.append(
                f'<text x="{gx + group_w * 0.4:.1f}" y="{y_base + 16}" text-anchor="middle">'
                f"{row['seconds']:g} s x {row['pools']:,}</text>"
            )
        out += overlay
    legend_y = top + panel_h + 40
    for b, name in enumerate(names):
        y = legend_y + 20 * b
        out.append(
            f'<rect x="{left}" y="{y - 10}" width="14" height="12" '
            f'fill="{COLOURS[b % len(COLOURS)]}"/>'
        )
        out.append(f'<text x="{left + 20}" y="{y}">{escape(name)}</text>')
    out.append(
        f'<text x="{left + panel_w}" y="{legend_y}">green: the target (1.5x for 0.3 s, 1.1x '
        f"otherwise); whiskers: min-max</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def nice_ticks(top: float) -> Iterable[float]:
    step = next(s for s in (0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50) if top / s <= 8)
    value = 0.0
    while value <= top:
        yield round(value, 2)
        value += step


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- main -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    preset = parser.add_mutually_exclusive_group()
    preset.add_argument("--quick", action="store_true", help="a smoke run of a minute or two")
    preset.add_argument("--full", action="store_true", help="1,000 pools at every length")
    parser.add_argument("--runs", type=int, help="runs per measurement (default 3; quick 1)")
    parser.add_argument(
        "--only", help=f"comma-separated sections out of {','.join(SECTIONS)} (default: all)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    args = parser.parse_args()
    name = "quick" if args.quick else "full" if args.full else "default"
    size = SIZES[name]
    if args.runs is not None:
        if args.runs < 1:
            parser.error("--runs must be at least 1")
        size = Size(**{**size.__dict__, "runs": args.runs})
    sections = SECTIONS if not args.only else tuple(s.strip() for s in args.only.split(","))
    if unknown := set(sections) - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    if not PEERS_PYTHON.exists():
        raise SystemExit(f"{PEERS_PYTHON} is missing: run `make bench-venv` first")

    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine(), "size": name, "runs": size.runs}
    results["sizes"] = dict(size.__dict__)
    with tempfile.TemporaryDirectory(prefix="toloka-compare-") as folder:
        tmp = Path(folder)
        if "import" in sections:
            progress("import")
            results["import"] = measure_import(size, tmp)
        if "call" in sections:
            progress("one call answering 204")
            results["call"] = measure_calls(size, tmp)
            progress("one call answering 204, paired with bare httpx in one process")
            results["call_paired"] = measure_call_pairs(size, tmp)
        if "cold" in sections:
            results["cold"] = measure_cold(size, tmp)
        if "one" in sections:
            results["one"] = measure_one(size, tmp)
        if "bulk" in sections:
            results["bulk"] = measure_bulk(size, tmp)
        if "memory" in sections:
            results["memory"] = measure_memory(size, tmp)
        if "behaviour" in sections:
            results["behaviour"] = measure_behaviour(tmp)
    results["elapsed_s"] = time.perf_counter() - started

    text = report(results) + f"\nThis comparison took {results['elapsed_s'] / 60:.1f} minutes.\n"
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    written = [args.out / f"compare-{stamp}.md", args.out / f"compare-{stamp}.json"]
    written[0].write_text(text, encoding="utf-8")
    written[1].write_text(json.dumps(results, indent=1), encoding="utf-8")
    if "bulk" in results:
        title = (
            f"Bulk archiving at concurrency {CONCURRENCY}: toloka-archive vs toloka-kit "
            f"{results['machine']['toloka_kit']} ({results['machine']['date']})"
        )
        written.append(args.out / f"compare-{stamp}.svg")
        written[-1].write_text(chart(results["bulk"], title), encoding="utf-8")
    for suffix in (".md", ".json", ".svg"):
        (args.out / f"compare-latest{suffix}").unlink(missing_ok=True)
    for path in written:
        shutil.copyfile(path, args.out / f"compare-latest{path.suffix}")
    print("written: " + ", ".join(map(str, written)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
