"""Public bulletins (HTML + Atom + JSON, escaped, drill-marked) and their access counts."""

from __future__ import annotations

import json

import pytest
from lxml import etree
from sqlalchemy import select

from disaster_desk.cli import main
from disaster_desk.core.bulletin import BulletinService
from disaster_desk.core.bulletin_stats import parse_access_log
from disaster_desk.core.models import AuditEntry
from disaster_desk.core.modes import Scope
from disaster_desk.core.triage import TriageService
from disaster_desk.errors import UserError, ValidationError
from tests.core.triage_items import add_post

ATOM = {"a": "http://www.w3.org/2005/Atom"}
EVIL = '<script>alert("x")</script> & 北区中崎町2丁目3-15'


def _verified(db, clock, text, scope=None):
    scope = scope or Scope()
    post_id = add_post(db, clock, text, ["fire"], scope=scope, ward="北区", author="@secret_handle")
    triage = TriageService(db, clock, scope)
    triage.acknowledge("post", post_id, actor="op")
    triage.verify("post", post_id, actor="op")
    return post_id


def test_publish_writes_escaped_html_atom_and_json(db, clock, tmp_path):
    post_id = _verified(db, clock, EVIL)
    service = BulletinService(db, clock)
    b = service.publish("火災のお知らせ <b>", "北区で火災が発生しました。\n近づかないでください。", [f"post:{post_id}"],
                        actor="op1", out_dir=tmp_path)
    page = (tmp_path / "b" / f"{b.id}.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page and "火災のお知らせ &lt;b&gt;" in page
    assert "3-15" not in page and "secret_handle" not in page and "訓練" not in page
    feed = etree.parse(str(tmp_path / "feed.atom"))
    assert feed.findtext("a:entry/a:title", namespaces=ATOM) == "火災のお知らせ <b>"
    assert feed.find("a:entry/a:link", namespaces=ATOM).get("href") == f"b/{b.id}.html"
    data = json.loads((tmp_path / "bulletins.json").read_text(encoding="utf-8"))
    assert [x["id"] for x in data["bulletins"]] == [b.id]
    assert data["bulletins"][0]["items"][0]["key"] == f"post:{post_id}"
    clock.advance(600)
    second = service.publish("続報", "鎮火しました。", [], actor="op1", out_dir=tmp_path)
    data = json.loads((tmp_path / "bulletins.json").read_text(encoding="utf-8"))
    assert [x["id"] for x in data["bulletins"]] == [second.id, b.id]
    assert f'href="b/{b.id}.html"' in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert len(etree.parse(str(tmp_path / "feed.atom")).findall("a:entry", namespaces=ATOM)) == 2
    with db.session() as s:
        assert s.scalars(select(AuditEntry.item_id).where(AuditEntry.action == "bulletin.publish")).all() == [
            b.id, second.id]


def test_only_verified_items_and_no_mixing_of_modes(db, clock, tmp_path):
    new_post = add_post(db, clock, "未確認の投稿", ["fire"])
    with pytest.raises(ValidationError, match="only verified"):
        BulletinService(db, clock).publish("t", "", [f"post:{new_post}"], actor="op", out_dir=tmp_path)
    with pytest.raises(ValidationError, match="not an item key"):
        BulletinService(db, clock).publish("t", "", ["post:abc"], actor="op", out_dir=tmp_path)
    drill = Scope.drill("run-7")
    drill_post = _verified(db, clock, "訓練 火災", drill)
    with pytest.raises(UserError, match="not found"):  # a real bulletin cannot cite a drill item
        BulletinService(db, clock).publish("t", "", [f"post:{drill_post}"], actor="op", out_dir=tmp_path)
    b = BulletinService(db, clock, drill).publish("訓練のお知らせ", "本文", [f"post:{drill_post}"], actor="op",
                                                  out_dir=tmp_path / "drill")
    page = (tmp_path / "drill" / "b" / f"{b.id}.html").read_text(encoding="utf-8")
    assert "EXERCISE" in page and "【訓練 EXERCISE】訓練のお知らせ" in page
    assert "訓練" in etree.parse(str(tmp_path / "drill" / "feed.atom")).findtext("a:title", namespaces=ATOM)
    real_post = _verified(db, clock, "本番")
    with pytest.raises(UserError, match="holds drill bulletins"):
        BulletinService(db, clock).publish("t", "", [f"post:{real_post}"], actor="op", out_dir=tmp_path / "drill")


LOG = """\
203.0.113.5 - - [17/Jan/2026:06:00:01 +0900] "GET /bulletin/b/20260117-060000-1.html HTTP/1.1" 200 2326
203.0.113.5 - - [17/Jan/2026:06:00:09 +0900] "GET /bulletin/b/20260117-060000-1.html?from=x HTTP/1.1" 304 0
198.51.100.7 - - [17/Jan/2026:06:01:00 +0900] "GET /bulletin/b/20260117-060000-1.html HTTP/1.1" 200 2326 "https://t.co/" "Mozilla/5.0"
198.51.100.7 - - [17/Jan/2026:06:01:02 +0900] "GET /bulletin/b/20260117-061000-2.html HTTP/2.0" 200 900 "-" "curl/8"
198.51.100.8 - - [17/Jan/2026:06:01:03 +0900] "GET /bulletin/b/20260117-061000-2.html HTTP/1.1" 404 12
this is not a log line
198.51.100.9 - - [17/Jan/2026:06:02:00 +0900] "GET /bulletin/feed.atom HTTP/1.1" 200 4000
198.51.100.9 - - [17/Jan/2026:06:02:00 +0900] "GET /bulletin/bulletins.json HTTP/1.1" 200 4000
198.51.100.9 - - [17/Jan/2026:06:02:00 +0900] "POST /bulletin/b/20260117-061000-2.html HTTP/1.1" 200 1

198.51.100.9 - - [17/Jan/2026 "GET / HTTP/1.1" 200 1
"""


def test_access_log_counts_per_bulletin_and_names_bad_lines(tmp_path):
    path = tmp_path / "access.log"
    path.write_text(LOG, encoding="utf-8")
    stats = parse_access_log(path)
    assert stats.as_dict() == {
        "bulletins": {"20260117-060000-1": {"hits": 3, "visitors": 2}, "20260117-061000-2": {"hits": 1, "visitors": 1}},
        "feed": 1, "json": 1, "index": 0, "lines": 10, "counted": 6, "malformed": 2,
    }
    assert [n for n, _ in stats.malformed] == [6, 11]


def test_bulletin_stats_command(tmp_path, capsys):
    path = tmp_path / "access.log"
    path.write_text(LOG, encoding="utf-8")
    assert main(["bulletin", "stats", str(path)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["bulletins"]["20260117-060000-1"]["hits"] == 3
    assert f"{path}:6: not Common/Combined Log Format; skipped" in err and ":11:" in err
    assert main(["bulletin", "stats", str(tmp_path / "missing.log")]) == 2
    assert "cannot read access log" in capsys.readouterr().err


def test_bulletin_publish_command(sqlite_url, sqlite_db, clock, tmp_path, capsys):
    post_id = _verified(sqlite_db, clock, "北区で火災")
    assert main(["bulletin", "publish", "--db", sqlite_url, "--title", "火災", "--body", "本文",
                 "--item", f"post:{post_id}", "--out", str(tmp_path / "site"), "--actor", "op"]) == 0
    assert (tmp_path / "site" / "feed.atom").exists()
    assert main(["bulletin", "publish", "--db", sqlite_url, "--title", "x", "--item", "post:999",
                 "--out", str(tmp_path / "site"), "--actor", "op"]) == 2
    assert "post 999 not found" in capsys.readouterr().err
