from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis.configuration import set_hypothesis_home_dir

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi.yaml"

# Hypothesis (under schemathesis, test_schemathesis.py) keeps caches of its own, Unicode tables
# and the constants it finds in our modules, in a `.hypothesis` folder of the working directory,
# and writes some of them while pytest collects. They go to the system's temporary folder
# instead, so that a test run leaves nothing in the checkout; its example database is off
# (`database=None`), so no run reads what another one found.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "toloka-archive-hypothesis")


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded
