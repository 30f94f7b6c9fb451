"""Station logins on a real PostgreSQL: what each role may do succeeds, what it may not is refused by the database.

Every test makes its own group roles (``DD_ROLE_PREFIX``) and logins, unique in
the shared cluster, and drops them afterwards (the ``cluster`` fixture, tests/conftest.py). Each role is exercised through
the app's services (``Database.open(station_url)``) and by raw SQL with
psycopg and the URL ``admin add-station`` printed.
"""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from disaster_desk import cli
from disaster_desk.core import audit_chain, station_admin
from disaster_desk.core.access import LoginRefused, open_station
from disaster_desk.core.db import Database
from disaster_desk.core.models import AuditEntry, Post
from disaster_desk.core.modes import Scope
from disaster_desk.core.reports import ReportService
from disaster_desk.core.settings import Settings
from disaster_desk.core.triage import TriageService
from tests.core.triage_items import add_post
from tests.pg_server import PasswordCluster, create_database
from tests.station_logins import raw

pytestmark = pytest.mark.postgres

DENIED = (psycopg.errors.InsufficientPrivilege,)


REPORT_SQL = ("INSERT INTO reports (client_uuid, kind, ward, payload, received_at, state, version, mode, run_id) "
              "VALUES (%s, 'damage', %s, '{\"type\": \"road\", \"severity\": \"major\"}', now(), 'new', 1, %s, %s)")


def test_init_is_idempotent_and_add_station_prints_one_url(cluster, capsys):
    station_admin.init(cluster.url)  # again: nothing breaks
    assert cli.main(["admin", "add-station", f"{cluster.prefix}kita", "--role", "ward", "--ward", "北区",
                     "--db", cluster.url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith(f"postgresql://{cluster.prefix}kita:")
    assert raw(out[0], "SELECT session_user, current_setting('password_encryption')")[0][0] == f"{cluster.prefix}kita"
    with psycopg.connect(cluster.url) as conn:
        assert conn.execute("SELECT rolpassword LIKE 'SCRAM-SHA-256$%%' FROM pg_authid WHERE rolname = %s",
                            (f"{cluster.prefix}kita",)).fetchone() == (True,)
    assert cli.main(["admin", "list", "--db", cluster.url]) == 0
    assert f"{cluster.prefix}kita\tward\t北区" in capsys.readouterr().out


def test_bad_station_arguments_are_one_line_errors(cluster, capsys):
    assert cli.main(["admin", "add-station", f"{cluster.prefix}x", "--role", "ward", "--ward", "北",
                     "--db", cluster.url]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--ward" in err[0] and "24 wards" in err[0]
    assert cli.main(["admin", "add-station", "Bad-Name", "--role", "hq", "--db", cluster.url]) == 2
    cluster.station("hq1", "hq")
    assert cli.main(["admin", "add-station", f"{cluster.prefix}hq1", "--role", "hq", "--db", cluster.url]) == 2
    assert "exists" in capsys.readouterr().err


def test_ward_login_stores_its_own_ward_only_and_cannot_triage(cluster, clock):
    owner = cluster.open(cluster.url)
    post_id = add_post(owner, clock, "中崎町で火災", ["fire"], ward="北区")
    url = cluster.station("kita", "ward", "北区")
    ward_db = cluster.open(url)
    # through the app: no station_ward given, the database decides
    reports = ReportService(ward_db, clock)
    rid = reports.submit("damage", "北区", {"type": "road", "severity": "major"}, author="北区役所 田中").report_id
    with owner.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.item_type == "report", AuditEntry.item_id == str(rid)))
        assert (entry.action, entry.actor, entry.display_name) == ("report.create", f"{cluster.prefix}kita",
                                                                   "北区役所 田中")
    with pytest.raises(Exception, match="row-level security"):
        reports.submit("damage", "西成区", {"type": "road", "severity": "major"}, author="北区役所 田中")
    # by raw SQL with its own login
    raw(url, REPORT_SQL, ("raw-kita", "北区", "real", ""))
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        raw(url, REPORT_SQL, ("raw-nishinari", "西成区", "real", ""))
    with pytest.raises(DENIED, match="permission denied"):
        raw(url, "UPDATE posts SET state = 'shared' WHERE id = %s", (post_id,))
    assert raw(url, "SELECT count(*) FROM posts") == [(0,)]  # nothing shared with 北区 yet
    TriageService(owner, clock).share("post", post_id, ["北区"], actor="本部", acknowledge_new=True)
    assert raw(url, "SELECT id FROM posts") == [(post_id,)]
    assert raw(url, "SELECT count(*) FROM reports WHERE ward <> '北区'") == [(0,)]
    with owner.session() as s:
        raw_audit = s.scalar(select(AuditEntry).where(AuditEntry.action == "db.reports.insert"))
        assert raw_audit.actor == f"{cluster.prefix}kita" and raw_audit.after["client_uuid"] == "raw-kita"


def test_hq_triages_and_cannot_change_the_audit_log(cluster, clock):
    owner = cluster.open(cluster.url)
    post_id = add_post(owner, clock, "中崎町で救助要請", ["rescue"], ward="北区")
    url = cluster.station("hq1", "hq")
    hq = cluster.open(url)
    triage = TriageService(hq, clock)
    triage.acknowledge("post", post_id, actor="本部 佐藤")
    triage.verify("post", post_id, actor="本部 佐藤")
    assert triage.undo_last(actor="本部 佐藤").action == "verify"  # its own audit rows, found by login + person
    triage.share("post", post_id, ["北区", "消防局"], actor="本部 佐藤")
    raw(url, REPORT_SQL, ("raw-hq", "淀川区", "real", ""))  # hq: reports of any ward
    with hq.session() as s:
        actors = set(s.scalars(select(AuditEntry.actor)))
    assert actors == {f"{cluster.prefix}hq1"}
    for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
        with pytest.raises(DENIED):
            raw(url, sql)
    with pytest.raises(DENIED):
        raw(url, "INSERT INTO stations (name, role, created_at) VALUES ('x', 'hq', now())")


def test_collector_stores_posts_but_never_triages(cluster, clock):
    owner = cluster.open(cluster.url)
    url = cluster.station("col", "collector")
    collector = cluster.open(url)
    post_id = add_post(collector, clock, "港区で浸水", ["flood"], ward="港区")  # ingest + analysis
    raw(url, "UPDATE posts SET urgency = 3 WHERE id = %s", (post_id,))
    raw(url, "INSERT INTO collector_status (collector, state, items, failures, refused, updated_at) "
             "VALUES ('x', 'ok', 1, 0, 0, now())")
    with pytest.raises(DENIED, match="permission denied"):
        raw(url, "UPDATE posts SET state = 'dismissed' WHERE id = %s", (post_id,))
    with pytest.raises(Exception, match="permission denied"):
        TriageService(collector, clock).acknowledge("post", post_id, actor="robot")
    with pytest.raises(DENIED):
        raw(url, REPORT_SQL, ("raw-col", "港区", "real", ""))
    with owner.session() as s:
        assert s.get(Post, post_id).state == "new"


def test_drill_login_sees_and_writes_drill_rows_only(cluster, clock):
    owner = cluster.open(cluster.url)
    real_post = add_post(owner, clock, "本番の投稿", ["fire"])
    url = cluster.station("drill1", "drill")
    drill_db = cluster.open(url)
    with owner.session() as s:
        s.execute(text("INSERT INTO drill_runs (id, scenario, speed, scenario_start, started_at, status) "
                       "VALUES ('run1', 's', '1', now(), now(), 'running')"))
    scope = Scope.drill("run1")
    drill_post = add_post(drill_db, clock, "訓練の投稿", ["fire"], scope=scope)
    TriageService(drill_db, clock, scope).acknowledge("post", drill_post, actor="訓練統制")
    assert raw(url, "SELECT id FROM posts") == [(drill_post,)]
    raw(url, REPORT_SQL, ("drill-r", "北区", "drill", "run1"))
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        raw(url, REPORT_SQL, ("real-r", "北区", "real", ""))
    assert raw(url, "UPDATE posts SET state = 'dismissed' WHERE id = %s RETURNING id", (real_post,)) == []
    # its after-action report names the head of the whole chain, not of the drill rows it may read
    TriageService(owner, clock).acknowledge("post", real_post, actor="本部")
    with owner.engine.connect() as conn:
        whole = audit_chain.verify(conn)
    with drill_db.engine.connect() as conn:
        assert audit_chain.head(conn) == whole.head
        assert conn.scalar(text("SELECT max(seq) FROM audit_log")) < whole.head.seq


def test_viewer_reads_only(cluster, clock):
    owner = cluster.open(cluster.url)
    post_id = add_post(owner, clock, "中崎町で火災", ["fire"], ward="北区")
    url = cluster.station("view", "viewer")
    assert raw(url, "SELECT id FROM posts") == [(post_id,)]
    assert raw(url, "SELECT count(*) FROM audit_log") == [(0,)]
    for sql in ("UPDATE posts SET state = 'acknowledged'", "DELETE FROM posts",
                "INSERT INTO audit_log (at, actor, action, item_type, item_id, mode, run_id) "
                "VALUES (now(), 'v', 'x', 'post', '1', 'real', '')"):
        with pytest.raises(DENIED):
            raw(url, sql)
    with pytest.raises(DENIED):
        raw(url, REPORT_SQL, ("raw-view", "北区", "real", ""))


def test_revoke_and_rotate(cluster, capsys):
    url = cluster.station("kita", "ward", "北区")
    name = f"{cluster.prefix}kita"

    def verifier() -> str:
        with psycopg.connect(cluster.url) as conn:
            return conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (name,)).fetchone()[0]

    before = verifier()
    assert cli.main(["admin", "rotate", name, "--db", cluster.url]) == 0
    new_url = capsys.readouterr().out.strip()
    # the shared test server trusts 127.0.0.1: the refused old password is tested on a password cluster below
    assert new_url != url and verifier() != before and verifier().startswith("SCRAM-SHA-256$")
    assert raw(new_url, "SELECT session_user") == [(name,)]
    assert cli.main(["admin", "revoke", name, "--db", cluster.url]) == 0
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        raw(new_url, "SELECT 1")
    assert cli.main(["admin", "rotate", name, "--db", cluster.url]) == 2


def test_verify_audit_passes_then_names_the_row_a_superuser_edited(cluster, clock, capsys):
    owner = cluster.open(cluster.url)
    post_id = add_post(owner, clock, "中崎町で火災", ["fire"], ward="北区")
    hq = cluster.open(cluster.station("hq1", "hq"))
    TriageService(hq, clock).acknowledge("post", post_id, actor="本部 佐藤")
    TriageService(hq, clock).verify("post", post_id, actor="本部 佐藤")
    assert cli.main(["admin", "verify-audit", "--db", cluster.url]) == 0
    assert "audit chain intact: 2 rows, head seq 2" in capsys.readouterr().out
    with psycopg.connect(cluster.url) as conn:  # the superuser, triggers disabled
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER ALL")
        bad = conn.execute("UPDATE audit_log SET after = '{\"state\": \"dismissed\"}' WHERE seq = 1 "
                           "RETURNING id").fetchone()[0]
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER ALL")
    assert cli.main(["admin", "verify-audit", "--db", cluster.url]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"audit row id {bad} (seq 1)" in err[0]


def test_verify_audit_with_the_reports_head_finds_newest_rows_a_superuser_deleted(cluster, clock, capsys):
    owner = cluster.open(cluster.url)
    first = add_post(owner, clock, "中崎町で火災", ["fire"], ward="北区")
    second = add_post(owner, clock, "天満で救助要請", ["rescue"], ward="北区", external_id="second")
    hq_url = cluster.station("hq1", "hq")
    hq = cluster.open(hq_url)
    TriageService(hq, clock).acknowledge("post", first, actor="本部 佐藤")
    TriageService(hq, clock).acknowledge("post", second, actor="本部 佐藤")
    TriageService(hq, clock).verify("post", first, actor="本部 佐藤")
    with hq.engine.connect() as conn:  # dd_audit_head(), as the after-action report reads it
        recorded = audit_chain.head(conn)
    assert recorded.seq == 3
    expect = ["--expect-head", f"{recorded.seq}:{recorded.hash}"]
    assert cli.main(["admin", "verify-audit", "--db", cluster.url, *expect]) == 0
    assert "holds the expected head seq 3" in capsys.readouterr().out
    with psycopg.connect(cluster.url) as conn:  # the superuser, triggers disabled: the two newest rows go
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER ALL")
        conn.execute("DELETE FROM audit_log WHERE seq >= 2")
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER ALL")
    assert cli.main(["admin", "verify-audit", "--db", cluster.url]) == 0  # what is left is a valid chain
    assert "1 rows, head seq 1" in capsys.readouterr().out
    assert cli.main(["admin", "verify-audit", "--db", cluster.url, *expect]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "head is seq 1 but seq 3" in err[0] and "2 rows missing at the end (seq 2–3, deleted)" \
        in err[0]
    TriageService(hq, clock).verify("post", second, actor="本部 佐藤")  # new work after the deletion
    assert cli.main(["admin", "verify-audit", "--db", cluster.url, *expect]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def password_server():
    """A cluster of its own that checks passwords (scram-sha-256) for the station logins."""
    server = PasswordCluster()  # no PostgreSQL binaries is a failure, not a skip
    try:
        url = server.start()
        yield url
    finally:
        server.stop()


def test_rotate_the_new_url_logs_in_and_the_old_password_is_refused(password_server, monkeypatch, capsys):
    monkeypatch.setenv("DD_ROLE_PREFIX", f"t{uuid.uuid4().hex[:8]}_")
    db_url = create_database(password_server)
    station_admin.init(db_url)
    name = f"{os.environ['DD_ROLE_PREFIX']}kita"
    assert cli.main(["admin", "add-station", name, "--role", "ward", "--ward", "北区", "--db", db_url]) == 0
    old_url = capsys.readouterr().out.strip()
    assert raw(old_url, "SELECT session_user") == [(name,)]
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):  # passwords are checked
        raw(make_url(old_url).set(password="not-the-password").render_as_string(hide_password=False), "SELECT 1")

    assert cli.main(["admin", "rotate", name, "--db", db_url]) == 0
    new_url = capsys.readouterr().out.strip()
    assert make_url(new_url).password != make_url(old_url).password
    assert raw(new_url, "SELECT session_user, current_setting('is_superuser')") == [(name, "off")]
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        raw(old_url, "SELECT 1")
    # the app with the old URL in its keyring: a LoginRefused (the Japanese dialog), not a traceback
    with pytest.raises(LoginRefused, match="password authentication failed") as refused:
        open_station(Settings(db_url=old_url))
    assert "パスワードが変更された" in refused.value.message_ja
    db, access = open_station(Settings(db_url=new_url))
    try:
        assert (access.role, access.ward, access.login) == ("ward", "北区", name)
    finally:
        db.dispose()


@pytest.fixture
def owner_url(pg_admin_url, monkeypatch):
    """A database owned by a non-superuser login with CREATEROLE, as the README sets up the HQ server:
    row-level security applies to it (FORCE), unlike the superuser of the other tests."""
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    monkeypatch.setenv("DD_ROLE_PREFIX", prefix)
    owner, name = f"{prefix}owner", f"dd_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE NOSUPERUSER")
        conn.execute(f'CREATE DATABASE "{name}" OWNER {owner}')
    yield make_url(pg_admin_url).set(username=owner, database=name).render_as_string(hide_password=False)
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        roles = [r for (r,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (prefix + "%",))]
        for role in sorted(roles, key=lambda r: ("_dd_" in r, r == owner)):  # logins, groups, the owner
            conn.execute(f"DROP ROLE {role}")


def test_a_database_owner_who_is_not_superuser_runs_the_desk_under_row_level_security(owner_url, clock, capsys):
    prefix = os.environ["DD_ROLE_PREFIX"]
    assert raw(owner_url, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user") == [(False,)]
    station_admin.init(owner_url)
    ward_url = station_admin.add_station(owner_url, f"{prefix}kita", "ward", "北区", "北区役所")
    hq_url = station_admin.add_station(owner_url, f"{prefix}hq1", "hq")
    owner = Database.open(owner_url)
    ward, hq = Database.open(ward_url), Database.open(hq_url)
    try:
        post_id = add_post(owner, clock, "中崎町で火災", ["fire"], ward="北区")  # the owner writes (policy: owner)
        ReportService(ward, clock).submit("damage", "北区", {"type": "road", "severity": "major"}, author="北区役所 田中")
        TriageService(hq, clock).share("post", post_id, ["北区"], actor="本部 佐藤", acknowledge_new=True)
        ReportService(ward, clock).submit("damage", "北区", {"type": "road", "severity": "minor"}, author="北区役所 田中")
        with pytest.raises(Exception, match="row-level security"):
            ReportService(ward, clock).submit("damage", "西成区", {"type": "road", "severity": "major"}, author="x")
    finally:
        for db in (owner, ward, hq):
            db.dispose()
    # the chain is one chain although each station sees only some of it (the trigger reads it as the owner)
    assert raw(ward_url, "SELECT count(*) FROM audit_log") == [(2,)]
    assert raw(owner_url, "SELECT count(*), max(seq) FROM audit_log") == [(4, 4)]
    assert cli.main(["admin", "verify-audit", "--db", owner_url]) == 0
    assert "audit chain intact: 4 rows, head seq 4" in capsys.readouterr().out


def test_hq_and_collector_statements_carry_no_per_statement_policy_calls(cluster):
    """Their whole-table policies (TO the group) replace the generic one's function calls; a ward's keep them."""
    insert = ("EXPLAIN VERBOSE INSERT INTO posts (source, external_id, text, collected_at, state, version, mode, "
              "run_id) VALUES ('x', 'e1', 't', now(), 'new', 1, 'real', '') "
              "ON CONFLICT (run_id, source, external_id) DO NOTHING")
    select_reports = "EXPLAIN VERBOSE SELECT id FROM reports WHERE id = 1"
    collector = cluster.station("col", "collector")
    hq = cluster.station("hq1", "hq")
    ward = cluster.station("kita", "ward", "北区")
    plan = "\n".join(r[0] for r in raw(collector, insert))
    assert "dd_station_role" not in plan, plan
    for sql in (insert, select_reports):
        assert "dd_station_role" not in "\n".join(r[0] for r in raw(hq, sql))
    assert "dd_station_role" in "\n".join(r[0] for r in raw(ward, select_reports))
