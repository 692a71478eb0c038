"""The command tells the truth whatever the network, the shell or a crash does.

Real processes against the fake Toloka on loopback: a re-run after ``--no-wait`` or ``kill -9``
follows the archives already under way and starts no second one; ``wait`` follows operations
by id; a closed pipe or stdout, an unreachable Toloka and a base URL that is not Toloka's API
each end the run once, in one line, with a documented status.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.cli.conftest import API_KEY, command_env, run_cli

AUTH = {"Authorization": f"ApiKey {API_KEY}"}


def scenario(tmp_path: Path, count: int, seconds: float, first: int = 1) -> Path:
    path = tmp_path / f"pools-{count}-{seconds}.toml"
    path.write_text(
        f"""
[settings]
rate_limit = false

[[requesters]]
name = "me"
api_keys = ["{API_KEY}"]

[[pool_ranges]]
first = {first}
count = {count}
archive_seconds = {seconds}
""",
        encoding="utf-8",
    )
    return path


def archives_per_pool(url: str) -> Counter[str]:
    """How many archive operations the fake has for each pool, read through its own list."""
    counts: Counter[str] = Counter()
    query: dict[str, str | int] = {"type": "POOL.ARCHIVE", "sort": "id", "limit": 300}
    with httpx.Client(base_url=url, headers=AUTH) as client:
        while True:
            page = client.get("/operations", params=query).json()
            counts.update(item["parameters"]["pool_id"] for item in page["items"])
            if not page["has_more"]:
                return counts
            query["id_gt"] = page["items"][-1]["id"]


def outcomes(stdout: str) -> Counter[str]:
    return Counter(json.loads(line)["outcome"] for line in stdout.splitlines())


def test_a_rerun_after_no_wait_follows_the_archives_instead_of_failing(
    tmp_path: Path, fake_factory: Callable[[Path], str]
) -> None:
    url = fake_factory(scenario(tmp_path, 6, seconds=1.0))
    pools = [str(n) for n in range(1, 7)]
    started = run_cli("archive", *pools, "--no-wait", "--json", "--base-url", url)
    assert outcomes(started.stdout) == {"started": 6}
    assert "toloka-archive wait " in started.stderr  # where to follow them
    again = run_cli("archive", *pools, "--json", "--base-url", url)
    assert again.code == 0, again.stderr
    reports = [json.loads(line) for line in again.stdout.splitlines()]
    assert {r["outcome"] for r in reports} <= {"archived", "already_archived"}
    assert archives_per_pool(url) == Counter(pools)  # one archive each, never a second


def test_wait_follows_operations_by_id(tmp_path: Path, fake_factory: Callable[[Path], str]) -> None:
    url = fake_factory(scenario(tmp_path, 3, seconds=1.0))
    started = run_cli("archive", "1", "2", "3", "--no-wait", "--json", "--base-url", url)
    operation_ids = [json.loads(line)["operation_id"] for line in started.stdout.splitlines()]
    listing = "\n".join(["# from the --no-wait run", *operation_ids[1:]])
    result = run_cli(
        "wait",
        operation_ids[0],
        "--from-file",
        "-",
        "--timeout",
        "none",
        "--base-url",
        url,
        stdin=listing,
    )
    assert result.code == 0, result.stderr
    assert result.stderr.startswith("toloka-archive: following 3 operations")
    lines = sorted(result.stdout.splitlines()[:3])
    assert [line.split(":")[0] for line in lines] == ["pool 1", "pool 2", "pool 3"]
    assert all(": archived (operation " in line for line in lines)


def test_wait_reports_an_unknown_operation_and_refuses_a_bad_id(fake_url: str) -> None:
    unknown = run_cli("wait", "0123456789abcdef", "--json", "--base-url", fake_url)
    assert unknown.code == 1
    (report,) = [json.loads(line) for line in unknown.stdout.splitlines()]
    assert (report["outcome"], report["detail"]) == ("not_found", "no such operation")
    bad = run_cli("wait", "../pools/1", "--base-url", fake_url)
    assert bad.code == 2
    assert "is not an operation id" in bad.stderr
    assert run_cli("wait", "x", "--timeout", "soon").code == 2


def test_a_closed_pipe_stops_the_run_and_lists_what_was_started(
    tmp_path: Path, fake_factory: Callable[[Path], str]
) -> None:
    url = fake_factory(scenario(tmp_path, 40, seconds=0.5))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "toloka_archive",
            "archive",
            "--from-file",
            "-",
            "--concurrency",
            "4",
            "--base-url",
            url,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=command_env(TOLOKA_API_KEY=API_KEY),
    )
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write("\n".join(map(str, range(1, 41))).encode())
    process.stdin.close()
    first = process.stdout.readline()  # what `| head -1` reads, and then it goes away
    process.stdout.close()
    assert process.stderr is not None
    with process.stderr:
        stderr = process.stderr.read().decode()
    process.wait(timeout=60)
    assert first.startswith(b"pool ")
    assert process.returncode == 3, stderr
    assert "standard output was closed: no new pools were started" in stderr
    assert "Summary: 40 pools" in stderr
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr
    taken = sum(archives_per_pool(url).values())
    assert taken < 40  # it stopped taking pools


def test_a_stdout_closed_from_the_start_archives_nothing(fake_url: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "toloka_archive", "archive", "106", "--base-url", fake_url],
        capture_output=False,
        stderr=subprocess.PIPE,
        stdout=None,
        text=True,
        env=command_env(TOLOKA_API_KEY=API_KEY),
        preexec_fn=lambda: os.close(1),  # the child's own stdout, closed before it starts
        timeout=60,
    )
    assert completed.returncode == 3
    assert "standard output is closed; nothing was done" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert archives_per_pool(fake_url) == Counter()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_toloka_ends_the_run_once_in_one_line() -> None:
    url = f"http://127.0.0.1:{free_port()}/api/v1"  # nothing listens there
    result = run_cli("archive", *map(str, range(1, 21)), "--base-url", url)
    assert result.code == 2
    reasons = [line for line in result.stderr.splitlines() if "cannot reach Toloka" in line]
    assert len(reasons) == 1
    assert "Summary: 20 pools" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_base_url_that_is_not_tolokas_api_ends_the_run_once(fake_url: str) -> None:
    root = fake_url.removesuffix("/api/v1")
    wrong = run_cli("archive", "106", "107", "--base-url", root + "/v1")
    assert wrong.code == 2
    assert sum("is not Toloka's API" in line for line in wrong.stderr.splitlines()) == 1


def test_the_host_root_is_accepted_as_the_base_url(fake_url: str) -> None:
    root = fake_url.removesuffix("/api/v1")
    result = run_cli("archive", "106", "--base-url", root + "/")
    assert result.code == 0, result.stderr
    assert f"({fake_url})" in result.stderr


def test_a_crash_and_a_rerun_archive_every_pool_once(
    tmp_path: Path, fake_factory: Callable[[Path], str]
) -> None:
    url = fake_factory(scenario(tmp_path, 200, seconds=0.5))
    command = [
        sys.executable,
        "-m",
        "toloka_archive",
        "archive",
        "--from-file",
        "-",
        "--concurrency",
        "32",
        "--json",
        "--base-url",
        url,
    ]
    ids = "\n".join(map(str, range(1, 201)))
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=command_env(TOLOKA_API_KEY=API_KEY),
    )
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write(ids.encode())
    process.stdin.close()
    for _ in range(20):  # mid-run: some pools finished, many archives under way
        assert process.stdout.readline()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()
    before = archives_per_pool(url)
    assert 20 <= sum(before.values()) < 200

    rerun = run_cli(
        "archive", "--from-file", "-", "--concurrency", "32", "--json", "--base-url", url, stdin=ids
    )
    assert rerun.code == 0, rerun.stderr
    assert set(outcomes(rerun.stdout)) <= {"archived", "already_archived"}
    assert sum(outcomes(rerun.stdout).values()) == 200
    assert archives_per_pool(url) == Counter(map(str, range(1, 201)))
    time.sleep(0)  # nothing left running: the fake fixture stops the fake
