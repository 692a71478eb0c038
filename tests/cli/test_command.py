"""The command as an operator runs it: a real process against the fake Toloka on loopback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import API_KEY, command_env, run_cli, run_interrupted, started_operation

EVERY_OUTCOME = ["100", "101", "102", "103", "104", "200", "999"]


def test_every_outcome_in_plain_lines_and_the_summary(fake_url: str) -> None:
    result = run_cli("archive", *EVERY_OUTCOME, "--base-url", fake_url)
    assert result.code == 1
    assert result.stderr.startswith(f"toloka-archive: archiving 7 pools on custom URL ({fake_url})")
    lines = result.stdout.splitlines()
    assert "pool 101: already archived" in lines
    assert "pool 102: status OPEN, close it first" in lines
    assert any(line.startswith("pool 100: archived (operation ") for line in lines)
    assert any(
        line.startswith("pool 103: has rejected tasks, archivable from ") and line.endswith(" UTC")
        for line in lines
    )
    assert any(line.startswith("pool 104: operation ") and "failed" in line for line in lines)
    assert "pool 200: no access to this pool" in lines
    assert "pool 999: no such pool" in lines
    summary = result.stdout[result.stdout.index("Summary: 7 pools") :]
    assert "Not archived:" in summary
    for pool in ("102", "103", "104", "200", "999"):
        assert f"  pool {pool}: " in summary
    assert "  pool 100: " not in summary


def test_all_archived_exits_zero_and_archiving_again_says_already(fake_url: str) -> None:
    first = run_cli("archive", "106", "107", "--base-url", fake_url)
    assert first.code == 0, first
    again = run_cli("archive", "106", "107", "--base-url", fake_url)
    assert again.code == 0
    assert sorted(again.stdout.splitlines()[:2]) == [
        "pool 106: already archived",
        "pool 107: already archived",
    ]


def test_json_output_is_one_object_per_pool_and_nothing_else(fake_url: str) -> None:
    result = run_cli("archive", "100", "101", "102", "--json", "--base-url", fake_url)
    assert result.code == 1
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert {o["pool_id"]: o["outcome"] for o in objects} == {
        "100": "archived",
        "101": "already_archived",
        "102": "wrong_status",
    }
    assert all(set(o) >= {"pool_id", "outcome", "ok", "detail", "operation_id"} for o in objects)
    assert "Summary: 3 pools" in result.stderr


def test_dry_run_archives_nothing(fake_url: str) -> None:
    dry = run_cli("archive", "100", "101", "102", "103", "--dry-run", "--base-url", fake_url)
    assert dry.code == 1
    assert "pool 100: can be archived now" in dry.stdout
    assert "pool 101: already archived" in dry.stdout
    assert "toloka-archive: checking (dry run) 4 pools" in dry.stderr
    # Pool 100 is still archivable, so nothing was archived by the dry run.
    assert (
        "pool 100: can be archived now"
        in run_cli("archive", "100", "--dry-run", "--base-url", fake_url).stdout
    )


def test_ids_from_standard_input(fake_url: str) -> None:
    result = run_cli(
        "archive", "--from-file", "-", "--base-url", fake_url, stdin="# cleanup\n101\n\n101\n"
    )
    assert result.code == 0
    assert result.stdout.splitlines()[0] == "pool 101: already archived"
    assert "Summary: 1 pool\n" in result.stdout


def test_no_wait_reports_started_operations(fake_url: str) -> None:
    result = run_cli("archive", "105", "--no-wait", "--json", "--base-url", fake_url)
    assert result.code == 0
    (report,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert report["outcome"] == "started"
    assert report["operation_id"]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["archive", "1", "--bogus"], None, "unrecognized arguments: --bogus"),
        (["archive", "1", "--env", "prodution"], None, "unknown Toloka environment 'prodution'"),
        (["archive", "1", "--concurrency", "0"], None, "must be at least 1"),
        (["archive", "1", "abc"], None, "argument 2: 'abc' is not a pool id"),
        (["archive", "1"], {}, "no Toloka credentials"),
        (["archive", "1", "--env", "sandbox", "--base-url", "https://x"], None, "not allowed with"),
        (["archive", "1", "--base-url", "http://example.com/api/v1"], None, "plain http"),
        (["archive", "1", "--base-url", "http://[::1"], None, "is malformed"),
        (["archive", "1" * 5000], None, "too large for a pool id"),
        ([], None, "the following arguments are required: COMMAND"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(
    args: list[str], env: dict[str, str] | None, message: str
) -> None:
    result = run_cli(*args, env=command_env(**env) if env is not None else None)
    assert result.code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_no_key_names_the_variables_not_python_arguments() -> None:
    result = run_cli("archive", "1", env=command_env())
    assert result.code == 2
    assert "set TOLOKA_API_KEY (or the legacy TOLOKA_OAUTH_TOKEN)" in result.stderr
    assert "api_key=" not in result.stderr


def test_base_url_help_is_a_whole_sentence() -> None:
    result = run_cli("archive", "--help")
    help_text = " ".join(result.stdout.split())
    assert (
        "e.g. the fake Toloka's http://127.0.0.1:8765/api/v1 (https only, except on loopback)"
        in (help_text)
    )


def test_a_bad_line_in_a_file_stops_before_any_request(tmp_path: Path, fake_url: str) -> None:
    listing = tmp_path / "pools.txt"
    listing.write_text("106\n107x\n108\n", encoding="utf-8")
    result = run_cli("archive", "--from-file", str(listing), "--base-url", fake_url)
    assert result.code == 2
    assert "line 2: '107x' is not a pool id" in result.stderr
    # Nothing was archived: the good ids are still archivable.
    check = run_cli("archive", "106", "108", "--dry-run", "--base-url", fake_url)
    assert check.stdout.splitlines()[:2] == [
        "pool 106: can be archived now",
        "pool 108: can be archived now",
    ]


def test_a_key_toloka_rejects_is_a_configuration_error(fake_url: str) -> None:
    result = run_cli(
        "archive", "100", "--base-url", fake_url, env=command_env(TOLOKA_API_KEY="wrong-key")
    )
    assert result.code == 2
    assert "rejected the key" in result.stderr
    assert "wrong-key" not in result.stderr + result.stdout


def test_help_and_version() -> None:
    result = run_cli("--help")
    assert result.code == 0
    assert "archive" in result.stdout
    assert "TOLOKA_API_KEY" in result.stdout
    assert run_cli("--version").stdout.startswith("toloka-archive ")


def slow_scenario(tmp_path: Path) -> Path:
    scenario = tmp_path / "slow.toml"
    scenario.write_text(
        f"""
[[requesters]]
name = "me"
api_keys = ["{API_KEY}"]

[[pool_ranges]]
first = 1
count = 10
archive_seconds = 60.0
""",
        encoding="utf-8",
    )
    return scenario


@pytest.mark.parametrize(
    ("signum", "said"),
    [
        (signal.SIGINT, "interrupted"),
        (signal.SIGTERM, "stopped by SIGTERM"),  # systemd, Kubernetes, CI runners, Airflow
        (signal.SIGHUP, "stopped by SIGHUP"),  # the terminal went away
    ],
)
def test_a_signal_stops_and_lists_every_started_operation(
    tmp_path: Path, fake_factory: Callable[[Path], str], signum: signal.Signals, said: str
) -> None:
    url = fake_factory(slow_scenario(tmp_path))
    ids = map(str, range(1, 11))
    result = run_interrupted(
        "archive",
        *ids,
        "--concurrency",
        "3",
        "--base-url",
        url,
        after=started_operation,
        times=3,
        signum=signum,
    )
    stderr, stdout = result.stderr, result.stdout
    assert stderr.startswith("toloka-archive: archiving 10 pools")
    assert result.code == 128 + signum  # as a shell reports a process a signal stopped
    assert f"{said}: no new pools were started" in stderr
    assert "0 finished, 3 in flight, 7 not started" in stderr
    # Every pool in flight is accounted for: with its operation id, or as unanswered.
    listed = stderr[stderr.index(said) :]
    for pool in ("1", "2", "3"):
        assert (
            f"pool {pool}: operation " in listed
            or f"pools {pool}" in listed
            or f", {pool}" in listed
        )
    assert "Traceback" not in stderr
    # The summary counts every pool given: finished, in flight and never started.
    assert "Summary: 10 pools" in stdout
    assert "in flight when stopped       3" in stdout
    assert "not started                  7" in stdout
    assert "toloka-archive wait " in stderr  # how to follow the operations already started


def test_the_fake_subcommand_serves_until_terminated() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "toloka_archive", "fake", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().removeprefix("listening on ")
        assert url.startswith("http://127.0.0.1:")
        result = run_cli("archive", "101", "--base-url", url)
        assert result.stdout.startswith("pool 101: already archived")
        process.terminate()
        _, errors = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "Traceback" not in errors
