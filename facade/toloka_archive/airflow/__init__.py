"""An Airflow provider: archive Toloka pools and trainings from a DAG without holding a worker.

Install with ``pip install "toloka-archive[airflow]"``. Airflow finds it through the
``apache_airflow_provider`` entry point (``get_provider_info`` below), and lists its connection
type ``toloka_archive`` ("Toloka (toloka-archive)"; ``toloka`` is Toloka's official
airflow-provider-toloka's, and the hook reads those connections too):

- ``TolokaHook`` (``toloka_archive.airflow.hooks``): the facade's clients from a connection;
- ``TolokaArchivePoolsOperator`` (``toloka_archive.airflow.operators``): archive pools given by
  id (templated, or from XCom) or chosen by project, status and idleness, deferring while
  Toloka works; ``TolokaArchiveTrainingsOperator``, the same for trainings;
- ``TolokaArchiveTrigger`` (``toloka_archive.airflow.triggers``): follows the started
  operations on the triggerer, to a deadline;
- ``TolokaProjectLink``, ``TolokaPoolLink``, ``TolokaTrainingLink``
  (``toloka_archive.airflow.links``): the operators' extra links to Toloka's web interface;
- an example DAG: ``toloka_archive/airflow/example_dags/toloka_nightly_cleanup.py``.

Importing this package, and ``get_provider_info``, loads nothing of Airflow; the names above
are loaded on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from toloka_archive._version import __version__

if TYPE_CHECKING:
    from toloka_archive.airflow.hooks import TolokaHook as TolokaHook
    from toloka_archive.airflow.links import TolokaPoolLink as TolokaPoolLink
    from toloka_archive.airflow.links import TolokaProjectLink as TolokaProjectLink
    from toloka_archive.airflow.links import TolokaTrainingLink as TolokaTrainingLink
    from toloka_archive.airflow.operators import (
        TolokaArchivePoolsOperator as TolokaArchivePoolsOperator,
    )
    from toloka_archive.airflow.operators import (
        TolokaArchiveTrainingsOperator as TolokaArchiveTrainingsOperator,
    )
    from toloka_archive.airflow.triggers import TolokaArchiveTrigger as TolokaArchiveTrigger

PACKAGE_NAME = "toloka-archive"  # the distribution's name: Airflow checks that they agree
INTEGRATION = "Toloka"

_HOMES = {
    "TolokaHook": "hooks",
    "TolokaArchivePoolsOperator": "operators",
    "TolokaArchiveTrainingsOperator": "operators",
    "TolokaArchiveTrigger": "triggers",
    "TolokaProjectLink": "links",
    "TolokaPoolLink": "links",
    "TolokaTrainingLink": "links",
}

__all__ = [
    "TolokaArchivePoolsOperator",
    "TolokaArchiveTrainingsOperator",
    "TolokaArchiveTrigger",
    "TolokaHook",
    "TolokaPoolLink",
    "TolokaProjectLink",
    "TolokaTrainingLink",
    "get_provider_info",
]


def get_provider_info() -> dict[str, Any]:
    """What Airflow's ProvidersManager reads of this provider: a plain dict, no imports."""
    return {
        "package-name": PACKAGE_NAME,
        "name": INTEGRATION,
        "description": (
            "Archive Toloka pools and trainings from a DAG: a hook, deferrable operators that "
            "start the archives and free their worker while Toloka works, and the trigger that "
            "follows them."
        ),
        "versions": [__version__],
        "integrations": [{"integration-name": INTEGRATION, "tags": ["service"]}],
        "hooks": [
            {"integration-name": INTEGRATION, "python-modules": ["toloka_archive.airflow.hooks"]}
        ],
        "operators": [
            {
                "integration-name": INTEGRATION,
                "python-modules": ["toloka_archive.airflow.operators"],
            }
        ],
        "triggers": [
            {
                "integration-name": INTEGRATION,
                "python-modules": ["toloka_archive.airflow.triggers"],
            }
        ],
        "extra-links": [
            "toloka_archive.airflow.links.TolokaProjectLink",
            "toloka_archive.airflow.links.TolokaPoolLink",
            "toloka_archive.airflow.links.TolokaTrainingLink",
        ],
        "connection-types": [
            {
                # Our own type, not "toloka": Toloka's airflow-provider-toloka registers that
                # one, and Airflow keeps one form per type, so with both installed one form
                # would be lost. The hook reads "toloka" connections all the same (_settings).
                "connection-type": "toloka_archive",
                "hook-class-name": "toloka_archive.airflow.hooks.TolokaHook",
                "hook-name": "Toloka (toloka-archive)",
                # The form: the key in the (masked) password field, the environment and its URL
                # as extras; host, port, login and schema mean nothing to Toloka.
                "ui-field-behaviour": {
                    "hidden-fields": ["host", "port", "login", "schema"],
                    "relabeling": {"password": "API key"},
                    "placeholders": {
                        "password": "the Toloka API key (or, with auth type oauth, an OAuth token)"
                    },
                },
                "conn-fields": {
                    "environment": {
                        "label": "Environment",
                        "description": (
                            "sandbox (the default), production, or custom: the Base URL below"
                        ),
                        "schema": {
                            "type": ["string", "null"],
                            "enum": ["sandbox", "production", "custom"],
                            "values_display": {
                                "sandbox": "Sandbox (sandbox.toloka.dev)",
                                "production": "Production (toloka.dev)",
                                "custom": "Custom base URL",
                            },
                            "default": "sandbox",
                        },
                    },
                    "base_url": {
                        "label": "Base URL",
                        "description": (
                            "only with environment custom: the API root (a proxy, the fake "
                            "Toloka); https only, except on loopback"
                        ),
                        "schema": {"type": ["string", "null"]},
                    },
                    "auth_type": {
                        "label": "Auth type",
                        "description": "api_key (the default) or oauth for a legacy OAuth token",
                        "schema": {
                            "type": ["string", "null"],
                            "enum": ["api_key", "oauth"],
                            "values_display": {
                                "api_key": "API key (ApiKey header)",
                                "oauth": "Legacy OAuth token (OAuth header)",
                            },
                            "default": "api_key",
                        },
                    },
                },
            }
        ],
    }


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'toloka_archive.airflow' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"toloka_archive.airflow.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
