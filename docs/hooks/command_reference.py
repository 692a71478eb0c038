"""An MkDocs hook: the command's reference, written from its own argument parser at build time.

A page that holds the line ``<!-- command-reference -->`` gets, in its place, the ``--help`` of
the command and of every subcommand, exactly as ``toloka-archive`` prints them, so the
reference cannot drift from the command.
"""

from __future__ import annotations

import argparse
from typing import Any

from toloka_archive.cli.parser import build_parser, subcommands

MARKER = "<!-- command-reference -->"


def _sections(parser: argparse.ArgumentParser, words: list[str]) -> list[str]:
    text = parser.format_help().rstrip()
    heading = "#" * min(2 + len(words), 4)
    title = " ".join(["toloka-archive", *words])
    sections = [f"{heading} `{title}`\n\n```text\n{text}\n```\n"]
    for name, child in subcommands(parser).items():
        sections += _sections(child, [*words, name])
    return sections


def reference() -> str:
    return "\n".join(_sections(build_parser(), []))


def on_page_markdown(markdown: str, **_: Any) -> str:
    return markdown.replace(MARKER, reference()) if MARKER in markdown else markdown
