"""The audit log's hash chain (core.audit_chain) and, on PostgreSQL, the audit the database writes itself."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from disaster_desk.core import audit_chain
from disaster_desk.core.models import AuditEntry
from disaster_desk.core.triage import TriageService
from tests.core.triage_items import add_post


def _triaged(db, clock) -> int:
    post_id = add_post(db, clock, "中崎町で救助要請", ["rescue"], ward="北区")
    triage = TriageService(db, clock)
    triage.acknowledge("post", post_id, actor="北区役所 田中")
    clock.advance(5)
    triage.share("post", post_id, ["北区"], actor="本部 佐藤", note="確認を")
    return post_id


def test_an_untouched_chain_verifies_and_names_its_head(db, clock):
    _triaged(db, clock)
    with db.engine.connect() as conn:
        result = audit_chain.verify(conn)
        head = audit_chain.head(conn)
    assert result.ok and result.rows == 2 and result.head == head
    assert head.seq == 2 and len(head.hash) == 64
    with db.session() as s:
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        assert [e.seq for e in entries] == [1, 2]
        assert entries[1].prev_hash == entries[0].hash


def _tamper(db, sql: str) -> None:
    with db.engine.begin() as conn:
        if db.is_postgres:  # what a superuser can do: triggers off, edit, triggers on
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER ALL"))
        conn.execute(text(sql))
        if db.is_postgres:
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER ALL"))


def test_an_edited_row_is_found_and_named(db, clock):
    _triaged(db, clock)
    with db.session() as s:
        first = s.scalar(select(AuditEntry.id).where(AuditEntry.seq == 1))
    _tamper(db, f"UPDATE audit_log SET display_name = 'someone else' WHERE id = {first}")
    with db.engine.connect() as conn:
        result = audit_chain.verify(conn)
    assert not result.ok and result.bad_id == first and result.bad_seq == 1
    assert f"audit row id {first} (seq 1)" in result.problem and "hash does not match" in result.problem


def test_a_deleted_row_breaks_the_sequence(db, clock):
    _triaged(db, clock)
    add_post(db, clock, "another", ["fire"])
    TriageService(db, clock).acknowledge("post", 2, actor="op")
    _tamper(db, "DELETE FROM audit_log WHERE seq = 2")
    with db.engine.connect() as conn:
        result = audit_chain.verify(conn)
    assert not result.ok and result.bad_seq == 3 and "expected seq 2" in result.problem


@pytest.mark.postgres
def test_postgres_actor_is_the_login_and_the_person_is_beside_it(pg_db, clock):
    post_id = _triaged(pg_db, clock)
    with pg_db.session() as s:
        login = s.scalar(text("SELECT session_user"))
        rows = s.execute(select(AuditEntry.action, AuditEntry.actor, AuditEntry.display_name)
                         .where(AuditEntry.item_id == str(post_id)).order_by(AuditEntry.seq)).all()
    # one row per action (the share's ShareEvent and the state change are not audited twice)
    assert rows == [("triage.acknowledge", login, "北区役所 田中"), ("triage.share", login, "本部 佐藤")]


@pytest.mark.postgres
def test_postgres_audits_raw_sql_changes_itself(pg_db, clock):
    post_id = add_post(pg_db, clock, "中崎町で火災", ["fire"], ward="北区")
    with pg_db.engine.begin() as conn:
        conn.execute(text("SET LOCAL dd.display_name = '手作業 山田'"))
        conn.execute(text(f"UPDATE posts SET state = 'shared' WHERE id = {post_id}"))
        conn.execute(text("INSERT INTO reports (client_uuid, kind, ward, payload, received_at, state, version, "
                          "mode, run_id) VALUES ('raw-1', 'damage', '西成区', '{}', now(), 'new', 1, 'real', '')"))
    with pg_db.session() as s:
        rows = s.execute(select(AuditEntry.action, AuditEntry.item_type, AuditEntry.actor, AuditEntry.display_name,
                                AuditEntry.before, AuditEntry.after).order_by(AuditEntry.seq)).all()
        login = s.scalar(text("SELECT session_user"))
    assert [(r.action, r.item_type, r.actor, r.display_name) for r in rows] == [
        ("db.posts.update", "post", login, "手作業 山田"),
        ("db.reports.insert", "report", login, "手作業 山田"),
    ]
    assert rows[0].before["state"] == "new" and rows[0].after["state"] == "shared"
    assert rows[1].after["ward"] == "西成区"
    with pg_db.engine.connect() as conn:
        assert audit_chain.verify(conn).ok


@pytest.mark.postgres
def test_postgres_refuses_update_delete_truncate_of_audit_rows(pg_db, clock):
    _triaged(pg_db, clock)
    for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
        with pg_db.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
            conn.execute(text(sql))


def _verify(db, capsys, *extra):
    from disaster_desk import cli

    code = cli.main(["admin", "verify-audit", "--db", db.engine.url.render_as_string(hide_password=False), *extra])
    out = capsys.readouterr()
    return code, out.out.strip(), out.err.strip().splitlines()


def test_deleted_newest_rows_are_found_against_the_expected_head(db, clock, capsys):
    _triaged(db, clock)  # seq 1, 2
    second = add_post(db, clock, "天満で火災", ["fire"], ward="北区", external_id="second")
    TriageService(db, clock).acknowledge("post", second, actor="本部 佐藤")  # seq 3
    with db.engine.connect() as conn:
        recorded = audit_chain.head(conn)  # what an after-action report / metrics.json holds
    assert recorded.seq == 3
    expect = f"{recorded.seq}:{recorded.hash}"
    code, out, _ = _verify(db, capsys, "--expect-head", expect)
    assert code == 0 and out.endswith("; it holds the expected head seq 3")

    later = add_post(db, clock, "later", ["fire"], external_id="later")
    TriageService(db, clock).acknowledge("post", later, actor="op")  # seq 4: later work is fine
    assert _verify(db, capsys, "--expect-head", expect)[0] == 0

    _tamper(db, "DELETE FROM audit_log WHERE seq >= 2")  # the newest rows, triggers off
    code, out, _ = _verify(db, capsys)
    assert code == 0 and "head seq 1" in out  # the chain alone cannot tell
    code, out, err = _verify(db, capsys, "--expect-head", expect)
    assert code == 1 and out == "" and len(err) == 1
    assert f"head is seq 1 but seq 3 {recorded.hash} was expected: 2 rows missing at the end (seq 2–3, deleted)" \
        in err[0]


def test_an_expected_head_with_another_hash_is_a_rewritten_chain(db, clock, capsys):
    _triaged(db, clock)
    with db.engine.connect() as conn:
        recorded = audit_chain.head(conn)
    code, _, err = _verify(db, capsys, "--expect-head", f"{recorded.seq}:{'0' * 64}")
    assert code == 1 and len(err) == 1 and f"(seq {recorded.seq}) has hash {recorded.hash}, not the expected" in err[0]
    code, _, err = _verify(db, capsys, "--expect-head", "3-abc")
    assert code == 2 and len(err) == 1 and "--expect-head" in err[0] and "SEQ:HASH" in err[0]
