"""``--close-open``: an open pool is closed, then archived, only when asked, with the same truth
as archiving: a lost answer is reconciled and each pool gets one close and one archive.

Real processes against the fake Toloka on loopback; what happened is read back from the fake's
own record (its operations list), not from the command's report.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.cli.conftest import API_KEY, run_cli

AUTH = {"Authorization": f"ApiKey {API_KEY}"}
OPEN_POOLS = ("501", "502", "503")
CLOSED_POOL = "504"


def project_scenario(tmp_path: Path, *, lose_answers: bool) -> Path:
    """Project 500: three OPEN pools and a CLOSED one, quick operations; with ``lose_answers``,
    the first 202 of each pool's close and of its archive is lost after Toloka acted on it."""
    pools = "".join(
        f"""
[[pools]]
id = "{pool}"
project_id = "500"
status = "{"CLOSED" if pool == CLOSED_POOL else "OPEN"}"
close_seconds = 0.2
archive_seconds = 0.2
"""
        for pool in (*OPEN_POOLS, CLOSED_POOL)
    )
    faults = "".join(
        f"""
[[faults]]
kind = "drop_after_commit"
pool = "{pool}"
endpoint = "{endpoint}"
first = 1
"""
        for pool in (*OPEN_POOLS, CLOSED_POOL)
        for endpoint in ("close", "archive")
        if lose_answers
    )
    path = tmp_path / "close-open.toml"
    path.write_text(
        f"""
[settings]
rate_limit = false

[[requesters]]
name = "me"
api_keys = ["{API_KEY}"]

[[projects]]
id = "500"
{pools}{faults}""",
        encoding="utf-8",
    )
    return path


def operations_per_pool(url: str) -> dict[str, Counter[str]]:
    """How many operations of each type the fake started for each pool, from its own list."""
    counts: dict[str, Counter[str]] = {}
    query: dict[str, str | int] = {"sort": "id", "limit": 300}
    with httpx.Client(base_url=url, headers=AUTH) as client:
        while True:
            page = client.get("/operations", params=query).json()
            for item in page["items"]:
                pool = item["parameters"].get("pool_id")
                if pool is not None:
                    counts.setdefault(pool, Counter())[item["type"]] += 1
            if not page["has_more"]:
                return counts
            query["id_gt"] = page["items"][-1]["id"]


def json_lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_a_project_is_archived_with_its_open_pools_closed_first_through_lost_answers(
    tmp_path: Path, fake_factory: Callable[[Path], str]
) -> None:
    url = fake_factory(project_scenario(tmp_path, lose_answers=True))
    result = run_cli("project", "archive", "500", "--close-open", "--json", "-v", "--base-url", url)
    assert result.code == 0, result.stderr
    # Every first answer was lost, and the operation it had started was found by asking.
    for pool in OPEN_POOLS:
        assert f"close pool {pool}: the answer was lost; following operation" in result.stderr
    for pool in (*OPEN_POOLS, CLOSED_POOL):
        assert f"archive pool {pool}: the answer was lost; following operation" in result.stderr
    *pools, project = json_lines(result.stdout)
    reports = {report["pool_id"]: report for report in pools}
    assert {pool: r["outcome"] for pool, r in reports.items()} == dict.fromkeys(
        (*OPEN_POOLS, CLOSED_POOL), "archived"
    )
    for pool in OPEN_POOLS:
        assert str(reports[pool]["detail"]).startswith("closed, then archived"), reports[pool]
        assert reports[pool]["close_operation_id"]
    assert reports[CLOSED_POOL]["close_operation_id"] is None
    assert (project["project_id"], project["outcome"]) == ("500", "archived")
    # Toloka's own record: one close for each open pool, one archive for every pool, whatever
    # answers were lost on the way.
    record = operations_per_pool(url)
    for pool in OPEN_POOLS:
        assert record[pool] == Counter({"POOL.CLOSE": 1, "POOL.ARCHIVE": 1}), pool
    assert record[CLOSED_POOL] == Counter({"POOL.ARCHIVE": 1})


def test_without_the_flag_an_open_pool_is_never_closed(
    tmp_path: Path, fake_factory: Callable[[Path], str]
) -> None:
    url = fake_factory(project_scenario(tmp_path, lose_answers=False))
    result = run_cli("archive", "--project", "500", "--status", "any", "--base-url", url)
    assert result.code == 1
    for pool in OPEN_POOLS:
        assert f"pool {pool}: status OPEN, close it first" in result.stdout
    record = operations_per_pool(url)
    assert all("POOL.CLOSE" not in record.get(pool, Counter()) for pool in OPEN_POOLS)


def test_a_dry_run_says_which_pools_would_be_closed_and_changes_nothing(
    tmp_path: Path, fake_factory: Callable[[Path], str]
) -> None:
    url = fake_factory(project_scenario(tmp_path, lose_answers=False))
    ids = [*OPEN_POOLS, CLOSED_POOL]
    result = run_cli("archive", *ids, "--close-open", "--dry-run", "--base-url", url)
    assert result.code == 0, result.stderr
    for pool in OPEN_POOLS:
        assert f"pool {pool}: status OPEN: would be closed, then archived" in result.stdout
    assert f"pool {CLOSED_POOL}: can be archived now" in result.stdout
    assert operations_per_pool(url) == {}


def test_ids_are_closed_then_archived_too(
    tmp_path: Path, fake_factory: Callable[[Path], str]
) -> None:
    url = fake_factory(project_scenario(tmp_path, lose_answers=True))
    result = run_cli("archive", "501", "504", "--close-open", "--base-url", url)
    assert result.code == 0, result.stderr
    assert "pool 501: closed, then archived" in result.stdout
    assert "pool 504: archived" in result.stdout
    record = operations_per_pool(url)
    assert record["501"] == Counter({"POOL.CLOSE": 1, "POOL.ARCHIVE": 1})
    assert record["504"] == Counter({"POOL.ARCHIVE": 1})
