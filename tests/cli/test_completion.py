"""Shell completion, written from the command's own parser (shtab), so it cannot drift from it:
the bash script completes subcommands and options in a real bash."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from toloka_archive import cli


def script(shell: str) -> str:
    out = io.StringIO()
    assert cli.main(["completion", shell], stdout=out) == 0
    return out.getvalue()


def complete(words: list[str]) -> list[str]:
    """What bash offers for ``words`` (the last one being completed), with our script sourced."""
    line = " ".join(words)
    program = (
        f"source /dev/stdin <<'SCRIPT'\n{script('bash')}\nSCRIPT\n"
        f"COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; COMP_LINE='{line}'; "
        "COMP_POINT=${#COMP_LINE}; _shtab_toloka_archive; printf '%s\\n' \"${COMPREPLY[@]}\""
    )
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    ("words", "offered"),
    [
        (["toloka-archive", "ar"], ["archive"]),
        (["toloka-archive", "archive", "--close"], ["--close-open"]),
        (["toloka-archive", "history", "--pro"], ["--project"]),
        (["toloka-archive", "completion", "z"], ["zsh"]),
    ],
)
def test_bash_completes_commands_and_options(words: list[str], offered: list[str]) -> None:
    assert complete(words) == offered


def test_the_bash_script_is_valid_bash() -> None:
    subprocess.run(["bash", "-n"], input=script("bash"), text=True, check=True)


def test_the_zsh_script_names_the_command_and_every_subcommand() -> None:
    text = script("zsh")
    assert text.startswith("#compdef toloka-archive")
    for command in ("archive", "wait", "project", "history", "completion", "fake"):
        assert command in text


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_file_names_after_from_file(tmp_path: Path) -> None:
    (tmp_path / "pools-to-archive.txt").write_text("1\n")
    offered = complete(["toloka-archive", "archive", "--from-file", f"{tmp_path}/pools-to"])
    assert offered == [f"{tmp_path}/pools-to-archive.txt"]
