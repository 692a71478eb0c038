"""The fault soak on the selection paths: ``archive --project`` and ``project archive
--close-open`` under about 30 % faulty answers on every request kind, list pages and project
reads included.

The command runs in this process against the fake on its manual clock (seeded: the same faults
every run). Each pool's report is checked against the fake's own record at the end: no false
success, no false failure, one report per pool found, one archive (and one close) per pool at
most; a list that stopped for good is said so and leaves the pools it never found untouched.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter

import pytest
from toloka_archive.testing import FakeToloka, Fault

from tests.cli.inprocess import API_KEY, PausingClock, run_command

START = datetime.datetime(2026, 11, 1, 12, 0, 0)
PROJECT = "900"
POOLS = 620  # three pages of the pool list

ANYWHERE = ("rate_limit", "internal_error", "unavailable", "bad_gateway", "disconnect", "slow")
ON_START = (
    "drop_after_commit",
    "timeout_after_commit",
    "truncated_202",
    "invalid_json_202",
    "locked_by_other",
)


def build(seed: int, open_share: int) -> tuple[FakeToloka, PausingClock, dict[str, str]]:
    clock = PausingClock(start=START)
    fake = FakeToloka(clock=clock, seed=seed, rate_limit=None)
    fake.add_requester("me", api_keys=[API_KEY])
    fake.add_project(PROJECT, owner="me")
    draw = random.Random(seed)
    kinds: dict[str, str] = {}
    for number in range(POOLS):
        pool_id = str(90000 + number)
        kind = draw.choices(
            ["closed", "archived", "open"], weights=[90 - open_share, 10, open_share]
        )[0]
        kinds[pool_id] = kind
        fake.add_pool(
            pool_id,
            project_id=PROJECT,
            status={"archived": "ARCHIVED", "open": "OPEN"}.get(kind, "CLOSED"),
            archive_seconds=draw.choice([0.3, 1.0, 5.0]),
            close_seconds=draw.choice([0.3, 2.0]),
        )
    for kind in ANYWHERE:
        options = {"retry_after": 1} if kind == "rate_limit" else {}
        options |= {"delay": 0.5} if kind == "slow" else {}
        fake.add_fault(Fault(kind, probability=0.05, **options))  # type: ignore[arg-type]
    for kind in ON_START:
        fake.add_fault(Fault(kind, probability=0.05))  # type: ignore[arg-type]
    return fake, clock, kinds


def truth(fake: FakeToloka, pool_id: str, kind: str, close_open: bool) -> str:
    """How the pool's report must read, from what the fake did to it."""
    counts = fake.operation_counts(pool_id)
    assert counts["POOL.ARCHIVE"] <= 1, pool_id
    assert counts["POOL.CLOSE"] <= 1, pool_id
    if kind == "archived":
        return "already_archived"
    if kind == "open" and not close_open:
        assert counts["POOL.CLOSE"] == 0, pool_id  # never closed unless asked
        return "wrong_status"
    [archive] = fake.operations(pool_id, type="POOL.ARCHIVE") or [None]
    if archive is None:
        return "failed"  # every try failed in passing and Toloka started nothing
    return "archived" if archive.status == "SUCCESS" else "failed"


def check(
    fake: FakeToloka,
    kinds: dict[str, str],
    reports: list[dict[str, object]],
    *,
    close_open: bool,
    stderr: str,
) -> None:
    found = Counter(str(r["pool_id"]) for r in reports)
    assert set(found.values()) <= {1}  # one report per pool
    faulty = sum(1 for r in fake.requests if r.fault is not None)
    assert faulty > 0.2 * len(fake.requests)  # the soak really was faulty
    assert any(r.fault is not None and r.endpoint in ("pools", "project") for r in fake.requests)
    wrong = [
        f"{r['pool_id']} ({kinds[str(r['pool_id'])]}): {r['outcome']} {r['detail']}"
        for r in reports
        if r["outcome"] != truth(fake, str(r["pool_id"]), kinds[str(r["pool_id"])], close_open)
    ]
    assert wrong == []
    if len(found) < len(kinds):  # the list stopped for good: said so, and nothing else touched
        assert "list stopped" in stderr
        for pool_id in set(kinds) - set(found):
            assert fake.operation_counts(pool_id) == Counter(), pool_id


# Seeds whose runs meet faults on the list's pages too; with 12, its first page fails for good.
@pytest.mark.parametrize("seed", [11, 12])
def test_archive_project_selection_under_faults(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    fake, clock, kinds = build(seed, open_share=5)
    run = run_command(
        monkeypatch,
        fake,
        clock,
        "archive",
        "--project",
        PROJECT,
        "--status",
        "any",
        "--json",
        "--concurrency",
        "32",
    )
    assert "Traceback" not in run.stderr
    check(fake, kinds, run.json_lines(), close_open=False, stderr=run.stderr)
    assert run.code == 1  # the open pools are not archived


@pytest.mark.parametrize("seed", [2, 12])
def test_project_archive_with_close_open_under_faults(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    fake, clock, kinds = build(seed, open_share=10)
    run = run_command(
        monkeypatch,
        fake,
        clock,
        "project",
        "archive",
        PROJECT,
        "--close-open",
        "--json",
        "--concurrency",
        "32",
    )
    assert "Traceback" not in run.stderr
    *pools, project = run.json_lines()
    check(fake, kinds, pools, close_open=True, stderr=run.stderr)
    every_pool_archived = all(fake.pool(pool).status == "ARCHIVED" for pool in kinds)
    project_archives = fake.operation_counts(project_id=PROJECT)["PROJECT.ARCHIVE"]
    assert project_archives <= 1
    if project["outcome"] == "archived":
        assert every_pool_archived
        assert fake.project(PROJECT).status == "ARCHIVED"
        assert run.code == 0
    else:
        assert run.code == 1
        assert project["outcome"] in ("blocked", "unknown", "failed"), project
