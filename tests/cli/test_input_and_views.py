"""Reading ids and drawing output, without a process or a server."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from toloka_archive import Outcome, PoolReport
from toloka_archive.cli.inputs import UsageError, read_pool_ids
from toloka_archive.cli.views import JsonView, LinesView, LiveView, plain_line, summary


def test_ids_from_arguments_file_and_stdin(tmp_path: Path) -> None:
    listing = tmp_path / "pools.txt"
    listing.write_text("# pools to clean up\n21\n\n  22  # a comment\n21\n", encoding="utf-8")
    assert list(read_pool_ids(["7"], str(listing))) == [7, 21, 22, 21]
    assert list(read_pool_ids([], "-", io.StringIO("5\n#x\n6\n"))) == [5, 6]


def test_a_byte_order_mark_is_not_part_of_the_first_id(tmp_path: Path) -> None:
    listing = tmp_path / "pools.txt"
    listing.write_bytes("\ufeff21\n22\n".encode())
    assert list(read_pool_ids([], str(listing))) == [21, 22]
    assert list(read_pool_ids([], "-", io.StringIO("\ufeff5\n6\n"))) == [5, 6]


def test_a_bad_line_names_the_file_and_line(tmp_path: Path) -> None:
    listing = tmp_path / "pools.txt"
    listing.write_text("21\nabc\n22\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        read_pool_ids(["1"], str(listing))
    message = str(caught.value)
    assert f"{listing} line 2: 'abc' is not a pool id" in message
    assert "Nothing was done" in message
    assert "\n" not in message


def test_many_bad_ids_are_counted_not_all_shown() -> None:
    with pytest.raises(UsageError, match="and 2 more"):
        read_pool_ids(["a", "b", "c", "d", "e"], None)


@pytest.mark.parametrize(
    ("arguments", "from_file", "message"),
    [
        ([], None, "no pool ids given"),
        (["-1"], None, "argument 1"),
        (["99999999999999999999999"], None, "too large"),
        ([], "/nonexistent/pools.txt", "cannot read /nonexistent/pools.txt"),
    ],
)
def test_usage_errors(arguments: list[str], from_file: str | None, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        read_pool_ids(arguments, from_file)


def report(
    pool_id: str, outcome: Outcome, detail: str, operation_id: str | None = None
) -> PoolReport:
    return PoolReport(pool_id, outcome, detail, operation_id)


def test_lines_and_json_views() -> None:
    lines, jsons = io.StringIO(), io.StringIO()
    archived = report("21", Outcome.ARCHIVED, "archived", "op-1")
    LinesView(lines).finished("21", archived)
    JsonView(jsons).finished("21", archived)
    assert lines.getvalue() == "pool 21: archived (operation op-1)\n"
    assert '"outcome": "archived"' in jsons.getvalue()
    assert jsons.getvalue().count("\n") == 1


def test_live_view_redraws_in_place_and_keeps_finished_lines() -> None:
    out = io.StringIO()
    ticks = iter(range(0, 1000, 1))
    view = LiveView(out, total=2, clock=lambda: float(next(ticks)))
    view.begin("21")
    view.started("21", "op-1")
    view.finished("21", report("21", Outcome.ARCHIVED, "archived", "op-1"))
    view.close()
    text = out.getvalue()
    assert "[" + "-" * 30 + "] 0/2 done" in text
    assert "  pool 21: operation op-1" in text
    assert "pool 21: archived (operation op-1)\n" in text
    assert "[" + "#" * 15 + "-" * 15 + "] 1/2 done" in text
    assert "\x1b[2F\x1b[J" in text  # the two-line block (bar + one pool) was erased
    assert text.endswith("\x1b[1F\x1b[J")  # and the final bar is erased on close


def test_an_operation_found_by_asking_is_said_once() -> None:
    found = report("21", Outcome.ARCHIVED, "archived, found by asking Toloka", "op-1")
    assert plain_line(found) == "pool 21: archived, found by asking Toloka (operation op-1)"


def test_the_summary_heading_says_what_the_run_was() -> None:
    problems = [report("31", Outcome.WRONG_STATUS, "status OPEN, close it first")]
    lines = summary(Counter({Outcome.WRONG_STATUS: 1}), problems, heading="Cannot be archived now:")
    assert lines[-2] == "Cannot be archived now:"


def test_summary_counts_and_reasons() -> None:
    problems = [report("31", Outcome.WRONG_STATUS, "status OPEN, close it first")]
    counts = Counter({Outcome.ARCHIVED: 3, Outcome.WRONG_STATUS: 1})
    lines = summary(counts, problems)
    assert lines[0] == "Summary: 4 pools"
    assert any(line.strip().startswith("archived") and line.endswith(" 3") for line in lines)
    assert lines[-2:] == ["Not archived:", "  pool 31: status OPEN, close it first"]
    stopped = summary(counts, problems, in_flight=2, not_started=5)
    assert stopped[0] == "Summary: 11 pools"
    assert "  in flight when stopped       2" in stopped
    assert "  not started                  5" in stopped
