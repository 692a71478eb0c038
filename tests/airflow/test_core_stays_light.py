"""The core never imports Airflow: the package, the clients, the command and the provider's
entry point load no ``airflow`` module, whether or not Airflow is installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json, sys
{statements}
print(json.dumps(sorted(m for m in sys.modules if m == "airflow" or m.startswith("airflow."))))
"""


@pytest.mark.parametrize(
    "statements",
    [
        "import toloka_archive",
        "from toloka_archive import TolokaClient, AsyncTolokaClient, PoolReport",
        "import toloka_archive.cli",
        "from toloka_archive.testing import FakeToloka",
        # What Airflow itself loads to list the provider: a plain dict, no Airflow import.
        "from toloka_archive.airflow import get_provider_info; get_provider_info()",
    ],
)
def test_no_airflow_module_is_loaded(statements: str) -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", PROBE.format(statements=statements)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),  # conftest's temporary AIRFLOW_HOME, in case anything slipped
        timeout=60,
    )
    assert json.loads(loaded.stdout) == []
