"""The README's fake-Toloka example runs as printed (it needs no network and no account)."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


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


def test_the_fake_toloka_example_runs() -> None:
    (example,) = [b for b in python_blocks(README.read_text(encoding="utf-8")) if "FakeToloka" in b]
    namespace: dict[str, object] = {}
    exec(compile(example, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    fake = namespace["fake"]
    assert fake.pool("21").status == "ARCHIVED"  # type: ignore[attr-defined]
