"""Airflow finds the provider: its entry point, its info, and the ``toloka`` connection type as
the connection form lists it."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import airflow
import jsonschema
import pytest
from airflow.providers_manager import ProvidersManager
from toloka_archive import __version__
from toloka_archive.airflow import get_provider_info

from tests.airflow.compat import (
    AIRFLOW_VERSION,
    FORM_FROM_PROVIDER_INFO,
    UI_METADATA_FROM_3_3,
    runtime_hooks,
)


def test_the_entry_point_names_get_provider_info() -> None:
    points = metadata.entry_points(group="apache_airflow_provider")
    ours = [point for point in points if point.value.startswith("toloka_archive")]
    assert [point.value for point in ours] == ["toloka_archive.airflow:get_provider_info"]
    assert ours[0].load() is get_provider_info


def test_provider_info_matches_airflows_schema() -> None:
    schema_file = Path(airflow.__file__).parent / "provider_info.schema.json"
    schema = json.loads(schema_file.read_text())
    info = get_provider_info()
    jsonschema.validate(info, schema)
    assert info["package-name"] == "toloka-archive"  # must equal the distribution's name
    assert info["versions"] == [__version__]


def test_providers_manager_lists_the_provider_and_its_trigger() -> None:
    manager = ProvidersManager()
    assert manager.providers["toloka-archive"].version == __version__
    triggers = [info for info in manager.trigger if info.package_name == "toloka-archive"]
    assert [info.trigger_class_name for info in triggers] == ["toloka_archive.airflow.triggers"]


@pytest.mark.skipif(AIRFLOW_VERSION < (3, 3), reason=UI_METADATA_FROM_3_3)
def test_the_connection_type_is_listed_with_its_hook_and_form() -> None:
    manager = ProvidersManager()
    [meta] = [
        m
        for m in manager.iter_connection_type_hook_ui_metadata()
        if m.connection_type == "toloka_archive"
    ]
    assert meta.hook_name == "Toloka (toloka-archive)"
    assert meta.hook_class_name == "toloka_archive.airflow.hooks.TolokaHook"
    assert meta.field_behaviour is not None
    assert set(meta.field_behaviour["hidden_fields"]) == {"host", "port", "login", "schema"}
    assert meta.field_behaviour["relabeling"] == {"password": "API key"}

    hook = runtime_hooks()["toloka_archive"]
    assert hook is not None
    assert hook.hook_class_name == "toloka_archive.airflow.hooks.TolokaHook"
    assert hook.connection_id_attribute_name == "toloka_conn_id"
    assert hook.connection_testable  # the form's "Test" button calls test_connection


@pytest.mark.skipif(AIRFLOW_VERSION < (3, 2), reason=FORM_FROM_PROVIDER_INFO)
@pytest.mark.filterwarnings("ignore:ProvidersManager.hooks is deprecated")  # 3.2's own service
def test_the_connection_form_shows_environment_base_url_and_auth_type() -> None:
    # What the UI's connection form is built from (the same call the API server makes).
    from airflow.api_fastapi.core_api.services.ui.connections import HookMetaService

    [form] = [m for m in HookMetaService.hook_meta_data() if m.connection_type == "toloka_archive"]
    assert form.hook_name == "Toloka (toloka-archive)"
    assert form.extra_fields is not None
    assert set(form.extra_fields) == {"environment", "base_url", "auth_type"}
    environment = form.extra_fields["environment"]
    assert environment["schema"]["enum"] == ["sandbox", "production", "custom"]
    assert set(environment["schema"]["values_display"]) == {"sandbox", "production", "custom"}
    assert environment["value"] == "sandbox"  # what a new connection starts with
    assert "custom" in form.extra_fields["base_url"]["description"]
    assert form.extra_fields["auth_type"]["value"] == "api_key"
    assert form.standard_fields is not None
    assert form.standard_fields.password is not None
    assert form.standard_fields.password.title == "API key"
    assert form.standard_fields.host is not None
    assert form.standard_fields.host.hidden
    for field in ("login", "port", "url_schema"):
        shown = getattr(form.standard_fields, field)
        assert shown is not None
        assert shown.hidden


def test_the_extra_links_are_registered() -> None:
    names = ProvidersManager().extra_links_class_names
    assert "toloka_archive.airflow.links.TolokaProjectLink" in names
    assert "toloka_archive.airflow.links.TolokaPoolLink" in names
