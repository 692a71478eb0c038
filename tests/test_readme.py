"""The fake-Toloka examples of the README and the documentation run as printed (they need no
network and no account)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]


def python_blocks(text: str) -> list[str]:
    blocks, inside, current = [], False, []
    for line in text.splitlines():
        if line.strip() == "```python":
            inside, current = True, []
        elif inside and line.strip() == "```":
            inside = False
            blocks.append("\n".join(current))
        elif inside:
            current.append(line)
    return blocks


FAKE_EXAMPLES = [
    pytest.param(block, id=f"{page.relative_to(ROOT)}#{number}")
    for page in PAGES
    for number, block in enumerate(python_blocks(page.read_text(encoding="utf-8")), 1)
    if "FakeToloka(" in block
]


def test_the_readme_and_the_testing_page_show_a_fake_toloka_example() -> None:
    shown = {example.id.split("#")[0] for example in FAKE_EXAMPLES}  # type: ignore[union-attr]
    assert {"README.md", "docs/testing.md"} <= shown


@pytest.mark.parametrize("example", FAKE_EXAMPLES)
def test_the_fake_toloka_example_runs(example: str) -> None:
    namespace: dict[str, object] = {}
    exec(compile(example, "example", "exec"), namespace)  # noqa: S102 - our own docs
    fake = namespace["fake"]
    assert fake.pool("21").status == "ARCHIVED"  # type: ignore[attr-defined]
