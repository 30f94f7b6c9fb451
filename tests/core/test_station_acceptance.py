"""Issue 13's acceptance through the CLI exactly as docs/cli.md and the README document it.

Real processes (``python -m disaster_desk``) on a real PostgreSQL: the owner runs
``admin init`` and ``admin add-station --role ward --ward 北区``; the ward login
imports a CSV (Shift_JIS, as Excel saves it) mixing its own ward's lines with
other wards' lines. The database refuses each other-ward line (row-level
security) and the import names each one and keeps the good ones (exit 1, the
docs' "some lines refused"); every stored line's audit row has the login as its
actor, the station's display name beside it. ``admin verify-audit`` passes on
that log and, after the superuser edits the ward's audit row with triggers
disabled, fails naming it. What the same
login may not do by raw SQL, and the hq login on audit_log, is in
test_station_roles.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.station_logins import raw

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]

DAMAGE_CSV = (
    "区,種別,場所,対応状況,程度,備考\r\n"
    "北区,道路,天神橋筋六丁目交差点,通行止め,重大,\r\n"      # line 2: its own ward
    "淀川区,道路,十三大橋,通行止め,重大,\r\n"                # line 3: another ward
    ",ガス,中崎町2丁目,報告,軽微,臭い\r\n"                    # line 4: no ward: the login's (北区)
    "西成区,道路,萩之茶屋,通行止め,軽微,\r\n"                # line 5: another ward
    "北区,道路,扇町通,通行止め,軽微,\r\n"                    # line 6: its own ward
)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "disaster_desk", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=180)


@pytest.fixture
def prefix(pg_url, monkeypatch):
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    monkeypatch.setenv("DD_ROLE_PREFIX", prefix)  # the group roles of this test (the cluster is shared)
    yield prefix
    with psycopg.connect(pg_url, autocommit=True) as conn:
        roles = [r for (r,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (prefix + "%",))]
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename LIKE %s", (prefix + "%",))
        for role in sorted(roles, key=lambda r: "_dd_" in r):  # logins before their groups
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


def test_a_ward_login_imports_its_own_wards_lines_and_the_database_refuses_the_others(pg_url, prefix, tmp_path):
    done = cli("admin", "init", "--db", pg_url)
    assert done.returncode == 0, done.stderr
    login = f"{prefix}kita"
    added = cli("admin", "add-station", login, "--role", "ward", "--ward", "北区", "--display-name", "北区役所",
                "--db", pg_url)
    assert added.returncode == 0, added.stderr
    [ward_url] = added.stdout.splitlines()  # exactly one line: the station's URL
    assert ward_url.startswith(f"postgresql://{login}:")

    path = tmp_path / "damage.csv"
    path.write_bytes(DAMAGE_CSV.encode("cp932"))
    done = cli("reports", "import", "--kind", "damage", str(path), "--db", ward_url)
    assert done.returncode == 1, done.stderr  # docs/cli.md: some lines refused, the others stored
    refused = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr and len(refused) == 2, done.stderr
    for line, number in zip(refused, (3, 5), strict=True):
        assert line.startswith(f"{path}: line {number}: refused by the database: "), line
        assert 'new row violates row-level security policy for table "reports"' in line
    assert done.stdout.strip() == "damage: 3 stored, 0 already stored, 2 refused"

    # as the owner: the good lines are stored, each audited with the ward's login as the actor
    stored = raw(pg_url, "SELECT id, ward, payload->>'place' FROM reports ORDER BY id")
    assert [(w, p) for _, w, p in stored] == [("北区", "天神橋筋六丁目交差点"), ("北区", "中崎町2丁目"), ("北区", "扇町通")]
    audited = raw(pg_url, "SELECT item_id, actor, display_name, action FROM audit_log WHERE item_type = 'report' "
                          "ORDER BY seq")
    assert audited == [(str(rid), login, "北区役所", "report.create") for rid, _, _ in stored]
    assert raw(pg_url, "SELECT DISTINCT author FROM reports") == [("北区役所",)]

    # the chain is intact; a superuser's edit of the ward's audit row (triggers disabled) is found by name
    done = cli("admin", "verify-audit", "--db", pg_url)
    assert done.returncode == 0 and done.stdout.startswith("audit chain intact: 3 rows, head seq 3 "), done.stderr
    with psycopg.connect(pg_url) as conn:
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER ALL")
        bad_id, bad_seq = conn.execute("UPDATE audit_log SET actor = 'someone_else' WHERE seq = 2 "
                                       "RETURNING id, seq").fetchone()
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER ALL")
    done = cli("admin", "verify-audit", "--db", pg_url)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"disaster-desk: audit chain broken: audit row id {bad_id} (seq {bad_seq}): hash does not match its content "
        "(changed after it was written)"]
