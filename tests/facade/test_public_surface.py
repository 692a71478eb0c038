"""The package's public names, and that importing it stays cheap (checked by what loads)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import toloka_archive


def test_every_public_name_resolves() -> None:
    for name in toloka_archive.__all__:
        assert getattr(toloka_archive, name) is not None, name
    assert set(toloka_archive.__all__) <= set(dir(toloka_archive))


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = toloka_archive.Nope  # type: ignore[attr-defined]


def loaded_after(statement: str) -> set[str]:
    probe = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(output.split())


def test_importing_the_package_loads_no_http_stack() -> None:
    loaded = loaded_after("import toloka_archive")
    assert not {"httpx", "asyncio", "toloka_api"} & loaded


def test_the_blocking_client_does_not_load_asyncio() -> None:
    loaded = loaded_after("from toloka_archive import TolokaClient")
    assert "httpx" in loaded
    assert "asyncio" not in loaded
