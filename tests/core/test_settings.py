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


@pytest.fixture
def memory_keyring():
    """An in-memory OS keyring, as the station's keyring after ``admin store-url``."""
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.store = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield keyring.get_keyring()
    keyring.set_keyring(previous)


def test_a_password_in_the_settings_file_is_refused(tmp_path):
    file = tmp_path / "s.yaml"
    file.write_text("db_url: postgresql://kita:s3cret@hq.example/dd\n", encoding="utf-8")
    with pytest.raises(UserError, match="field 'db_url': a database password must not be written") as refused:
        load_settings(file)
    assert "s3cret" not in str(refused.value) and "admin store-url" in str(refused.value)
    file.write_text("db_url: postgresql://kita@hq.example/dd\n", encoding="utf-8")  # no password: fine
    assert load_settings(file).db_url == "postgresql://kita@hq.example/dd"
    with pytest.raises(UserError, match="not writing a database password"):
        save_settings(Settings(db_url="postgresql://kita:s3cret@hq.example/dd"), tmp_path / "out.yaml")


def test_the_station_url_comes_from_the_keyring_and_the_environment_beats_it(memory_keyring, monkeypatch):
    from disaster_desk.core.secrets import store_database_url

    save_settings(Settings(db_url="sqlite:///from-file.sqlite"))
    store_database_url("postgresql://st_kita:pw@hq.example:5432/dd")
    assert load_settings().db_url == "postgresql://st_kita:pw@hq.example:5432/dd"
    monkeypatch.setenv("DD_DATABASE_URL", "postgresql://st_env:pw@hq.example/dd")
    assert load_settings().db_url == "postgresql://st_env:pw@hq.example/dd"
    assert load_settings(db_url="sqlite:///x.sqlite").db_url == "sqlite:///x.sqlite"
    with pytest.raises(UserError, match="only a PostgreSQL URL"):
        store_database_url("sqlite:///x.sqlite")


def test_ssl_settings_reach_a_postgresql_url_and_the_urls_own_win(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    file = tmp_path / "s.yaml"
    file.write_text(f"database: {{sslmode: verify-full, sslrootcert: '{ca}'}}\n", encoding="utf-8")
    from sqlalchemy.engine import make_url

    url = make_url(load_settings(file, db_url="postgresql://st@hq.example/dd").db_url)
    assert (url.host, url.database, dict(url.query)) == ("hq.example", "dd",
                                                        {"sslmode": "verify-full", "sslrootcert": str(ca)})
    assert load_settings(file, db_url="postgresql://st@hq/dd?sslmode=require").db_url.count("sslmode=require") == 1
    assert load_settings(file, db_url="sqlite:///x.sqlite").db_url == "sqlite:///x.sqlite"
    file.write_text("database: {sslmode: verify-full, sslrootcert: /nonexistent/ca.pem}\n", encoding="utf-8")
    with pytest.raises(UserError, match="field 'database.sslrootcert': no such file"):
        load_settings(file, db_url="postgresql://st@hq.example/dd")
    file.write_text("database: {sslmode: sometimes}\n", encoding="utf-8")
    with pytest.raises(UserError, match="field 'database.sslmode'"):
        load_settings(file)


def test_sslmode_is_what_psycopg_connects_with(pg_url, tmp_path):
    """The test server speaks no SSL: ``require`` must fail at the connection, ``disable`` work."""
    from disaster_desk.core.db import Database

    file = tmp_path / "s.yaml"
    file.write_text("database: {sslmode: require}\n", encoding="utf-8")
    with pytest.raises(UserError, match="SSL"):
        Database.open(load_settings(file, db_url=pg_url).db_url, migrate=False)
    file.write_text("database: {sslmode: disable}\n", encoding="utf-8")
    Database.open(load_settings(file, db_url=pg_url).db_url, migrate=False).dispose()
