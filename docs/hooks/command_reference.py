"""An MkDocs hook: the command's reference, written from its own argument parser at build time.

A page that holds the line ``<!-- command-reference -->`` gets, in its place, the ``--help`` of
the command and of every subcommand, exactly as ``toloka-archive`` prints them, so the
reference cannot drift from the command.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from toloka_archive.cli.parser import build_parser, subcommands

MARKER = "<!-- command-reference -->"
WIDTH = 80


def _sections(parser: argparse.ArgumentParser, words: list[str]) -> list[str]:
    text = parser.format_help().rstrip()
    heading = "#" * min(2 + len(words), 4)
    title = " ".join(["toloka-archive", *words])
    sections = [f"{heading} `{title}`\n\n```text\n{text}\n```\n"]
    for name, child in subcommands(parser).items():
        sections += _sections(child, [*words, name])
    return sections


def reference() -> str:
    # argparse wraps help to the terminal's width (COLUMNS): fixed, so that every build of the
    # site gives the same page wherever it runs.
    width, os.environ["COLUMNS"] = os.environ.get("COLUMNS"), str(WIDTH)
    try:
        return "\n".join(_sections(build_parser(), []))
    finally:
        if width is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = width


def on_page_markdown(markdown: str, **_: Any) -> str:
    return markdown.replace(MARKER, reference()) if MARKER in markdown else markdown
