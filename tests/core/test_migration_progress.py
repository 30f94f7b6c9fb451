"""Each schema migration applied is reported (the start-up window shows them on a new database)."""

from __future__ import annotations

from disaster_desk.core.db import MIGRATIONS_DIR, Database, reporting_migrations


def test_a_new_database_reports_every_migration_once_in_order_and_an_up_to_date_one_none(tmp_path):
    total = len([p for p in (MIGRATIONS_DIR / "versions").glob("*.py") if not p.name.startswith("_")])
    seen: list[tuple[int, int, str]] = []
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with reporting_migrations(lambda *step: seen.append(step)):
        Database.open(url).dispose()
    assert seen[0] == (0, total, "")
    assert [done for done, _total, _what in seen] == list(range(total + 1))
    assert {t for _done, t, _what in seen} == {total}
    assert seen[1][2] == "initial schema" and all(what for _d, _t, what in seen[1:])
    seen.clear()
    with reporting_migrations(lambda *step: seen.append(step)):
        Database.open(url).dispose()
    assert seen == []  # nothing to migrate: nothing said
    Database.open(url).dispose()  # and without a listener nothing is asked of Alembic's hook
