"""Settings: declared once, defaults without a file, overrides, clear errors."""

from __future__ import annotations

import pytest

from disaster_desk.core.settings import Settings, load_settings, save_settings, settings_path
from disaster_desk.errors import UserError


def test_defaults_without_a_file_use_the_user_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DD_DATA_DIR", str(tmp_path / "data"))
    settings = load_settings()
    assert settings.db_url == f"sqlite:///{tmp_path / 'data' / 'disaster-desk.sqlite'}"
    assert settings.role == "hq" and settings.area == "osaka-city"


def test_saved_settings_round_trip():
    settings = Settings(role="ward", station_ward="北区")
    save_settings(settings)
    assert settings_path().exists()
    assert load_settings().station_ward == "北区"


def test_db_option_and_environment_override_the_file(monkeypatch):
    save_settings(Settings(db_url="sqlite:///from-file.sqlite"))
    assert load_settings(db_url="sqlite:///from-option.sqlite").db_url == "sqlite:///from-option.sqlite"
    monkeypatch.setenv("DD_DATABASE_URL", "sqlite:///from-env.sqlite")
    assert load_settings().db_url == "sqlite:///from-env.sqlite"


@pytest.mark.parametrize(
    ("text", "needle"),
    [("role: mayor\n", "field 'role'"), ("map: {zoom: big}\n", "field 'map.zoom'"), ("- a\n", "mapping"),
     ("colour: red\n", "field 'colour'")],
)
def test_bad_settings_file_names_the_field(tmp_path, text, needle):
    file = tmp_path / "s.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match=needle):
        load_settings(file)


def test_missing_explicit_settings_file_is_an_error(tmp_path):
    with pytest.raises(UserError, match="not found"):
        load_settings(tmp_path / "nope.yaml")
