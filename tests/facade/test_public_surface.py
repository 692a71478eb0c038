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
    assert not {"httpx", "asyncio", "toloka_archive_api"} & loaded


def test_the_blocking_client_does_not_load_asyncio() -> None:
    loaded = loaded_after("from toloka_archive import TolokaClient")
    assert "httpx" in loaded
    assert "asyncio" not in loaded


@pytest.mark.parametrize(
    "statement",
    [
        "from toloka_archive import TolokaClient, AsyncTolokaClient, PoolReport",
        "import toloka_archive.cli",
    ],
)
def test_importing_the_clients_leaves_the_generated_package_for_later(statement: str) -> None:
    # toloka_archive_api (and attrs, which its models are built with) load with the first client.
    assert not {"toloka_archive_api", "attr", "attrs"} & loaded_after(statement)


def test_the_first_client_loads_the_generated_client_and_the_first_answer_its_models() -> None:
    made = "from toloka_archive import TolokaClient; c = TolokaClient(api_key='fake-api-key-0001')"
    assert "toloka_archive_api" in loaded_after(made)
    assert "toloka_archive_api.models" not in loaded_after(made)
    first_use = "; from toloka_archive._wire import generated; generated.Operation"
    assert "toloka_archive_api.models" in loaded_after(made + first_use)
