"""What a stopped run says it started: every operation, each once, whatever the overlap.

Ids given on the command line and a ``--project`` selection may name the same pools; the
engine archives each pool once, and the run's ledger hears of a pool only once it is taken up,
so a repeat from the listing never hides an operation already started. Real processes against
the fake Toloka on loopback, interrupted with SIGINT.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import API_KEY, run_interrupted, started_operation

STARTED = re.compile(r"pool (\d+): archive operation (\S+) started")


def project_scenario(tmp_path: Path) -> Path:
    path = tmp_path / "slow-project.toml"
    path.write_text(
        f"""
[settings]
rate_limit = false

[[requesters]]
name = "me"
api_keys = ["{API_KEY}"]

[[projects]]
id = "700"

[[pool_ranges]]
first = 701
count = 12
project_id = "700"
archive_seconds = 60.0
""",
        encoding="utf-8",
    )
    return path


def test_after_ctrl_c_every_started_operation_is_in_the_wait_hint(
    tmp_path: Path, fake_factory: Callable[[Path], str]
) -> None:
    url = fake_factory(project_scenario(tmp_path))
    # 701-703 by id, and again in the project's listing: six workers take 701-703, then the
    # listing's 701-703 (repeats, dropped) and 704-706.
    result = run_interrupted(
        "archive",
        "701",
        "702",
        "703",
        "--project",
        "700",
        "--concurrency",
        "6",
        "--base-url",
        url,
        after=started_operation,
        times=6,
    )
    assert result.code == 130, result.stderr
    started = dict(STARTED.findall(result.stderr))
    assert sorted(started) == [str(pool) for pool in range(701, 707)]
    assert "0 finished, 6 in flight, the rest not started" in result.stderr
    listed = result.stderr[result.stderr.index("Operations already started") :]
    for pool, operation_id in started.items():
        assert f"pool {pool}: operation {operation_id}" in listed
    assert "with no answer yet" not in result.stderr
    [hint] = [line for line in result.stderr.splitlines() if line.startswith("To follow")]
    followed = hint.split("wait ", 1)[1].split(" --base-url")[0].split()
    assert sorted(followed) == sorted(started.values())
    assert "in flight when stopped       6" in result.stdout
    rerun = [line for line in result.stderr.splitlines() if line.startswith("To take up")]
    assert rerun == [
        f"To take up the pools not started: toloka-archive archive 701 702 703 --project 700 "
        f"--concurrency 6 --base-url {url} -vv   (the same command again: what is done answers "
        "at once, what runs is followed, never started twice)"
    ]
