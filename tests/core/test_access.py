"""core.access: a station's role and ward come from its login's stations row (PostgreSQL)
or from settings (SQLite) — and a revoked or unknown login is refused, in Japanese."""

from __future__ import annotations

import pytest

from disaster_desk.core.access import Access, LoginRefused, access_from_settings, open_station, resolve_access
from disaster_desk.core.db import Database
from disaster_desk.core.settings import Settings
from tests.station_logins import station_login


def test_sqlite_takes_role_and_ward_from_settings(sqlite_db):
    ward = Settings(role="ward", station_ward="北区")
    assert resolve_access(sqlite_db, ward) == Access(role="ward", ward="北区", source="settings")
    assert resolve_access(sqlite_db, ward).layouts == ("ward",)
    hq = access_from_settings(Settings(role="hq", station_ward="北区"))
    assert (hq.ward, hq.layouts, hq.may_triage) == (None, ("hq", "drill"), True)
    assert hq.layout("ward") == "hq" and hq.layout("drill") == "drill"


def test_a_ward_login_is_a_ward_station_whatever_settings_say(pg_url):
    Database.open(pg_url).dispose()  # migrated by the owner
    with station_login(pg_url, "ward", "淀川区", display_name="淀川区役所") as (name, url):
        db, access = open_station(Settings(db_url=url, role="hq", station_ward="北区"))
        db.dispose()
    assert access == Access(role="ward", ward="淀川区", login=name, display_name="淀川区役所", source="login")
    assert access.layouts == ("ward",) and not access.may_triage


def test_the_owner_without_a_row_follows_settings(pg_db):
    access = resolve_access(pg_db, Settings(role="drill"))
    assert (access.role, access.source, access.login) == ("drill", "owner", "postgres")


@pytest.mark.parametrize(("role", "revoked", "words"), [
    ("ward", True, "失効"),
    (None, False, "登録されていません"),
    ("collector", False, "collector"),
])
def test_revoked_unknown_and_collector_logins_are_refused_in_japanese(pg_url, role, revoked, words):
    Database.open(pg_url).dispose()
    with station_login(pg_url, role, "北区", revoked=revoked) as (name, url), \
            pytest.raises(LoginRefused) as refused:
        open_station(Settings(db_url=url))
    assert words in refused.value.message_ja and name in refused.value.message_ja


def test_a_login_the_server_refuses_is_a_refused_login_not_an_unreachable_server(pg_url):
    import psycopg

    Database.open(pg_url).dispose()
    with station_login(pg_url, "ward", "北区") as (name, url):
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"ALTER ROLE {name} NOLOGIN")  # what a revocation does on the server
        with pytest.raises(LoginRefused) as refused:
            open_station(Settings(db_url=url))
    assert "失効" in refused.value.message_ja and "not permitted to log in" in str(refused.value)
