"""Issue 12, acceptance 1 (the drill half): a drill that shares hostile posts exports CAP, GeoJSON and CSV that parse.

The scenario mixes ordinary posts with one post of each hostile kind
(tests/hostile.py: NUL, lone surrogate, controls, noncharacters, bidi override,
a 5,000-character run that NFKC expands, markup, 12,000 characters), written
to YAML as an operator's tool would (escapes in double-quoted strings), played
by the real engine with the real analyser, and shares each hostile post. Every
post is stored once and analysed; the drill's CAP alerts are valid against the
CAP 1.2 schema, and its GeoJSON and CSV parse. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml
from lxml import etree
from sqlalchemy import func, select

from disaster_desk.cli import main
from disaster_desk.core.models import Analysis, Post, ShareEvent
from drills.engine import DrillEngine
from drills.scenario import parse_scenario
from tests.data_files import CAP_XSD
from tests.hostile import HOSTILE

#: A clean piece of each hostile post, for the share action's text_contains.
NEEDLES = {
    "nul": "中崎町で火事", "lone_surrogate": "閉じ込められている", "controls": "停電", "noncharacters": "港区で浸水",
    "bidi_override": "倒壊", "nfkc_expands": "\ufdfa\ufdfa", "markup": "西区で火災", "long": "淀川区で断水",
}
ORDINARY = 12
#: The posts of the drill: each hostile kind; the NFKC run follows a rescue call, so that it is relevant and exported.
POSTS = {**HOSTILE, "nfkc_expands": "此花区で救助要請 " + HOSTILE["nfkc_expands"]}


def hostile_scenario() -> str:
    injects = [{"at": i, "kind": "post", "source": "x", "text": f"訓練投稿{i}番: 天気は晴れ"} for i in range(ORDINARY)]
    for n, (kind, text) in enumerate(POSTS.items()):
        injects.append({"at": 100 + n, "kind": "post", "source": "x", "author": f"u\x00{kind}", "text": text})
        injects.append({"at": 200 + n, "kind": "action", "action": "share", "match": {"text_contains": NEEDLES[kind]},
                        "to": ["消防局"]})
    return yaml.safe_dump({"name": "hostile \x00 訓練", "start": "2026-01-17T05:46:00+09:00", "injects": injects},
                          allow_unicode=True)


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(CAP_XSD)))


def test_a_drill_sharing_hostile_posts_exports_cap_geojson_csv_that_parse(db, db_url, analyser, schema, tmp_path,
                                                                          capsys):
    scenario = parse_scenario(hostile_scenario(), source="hostile.yaml")
    engine = DrillEngine(scenario, db, speed=None, analyser=analyser, actor="drill:test")
    metrics = engine.run_to_end()
    assert engine.status == "finished" and engine.error is None
    with db.session() as s:
        posts = s.scalars(select(Post).where(Post.run_id == engine.run_id)).all()
        analysed = s.scalar(select(func.count(Analysis.id)).join(Post).where(
            Post.run_id == engine.run_id, Analysis.error.is_(None)))
        shared = set(s.scalars(select(ShareEvent.item_id).where(ShareEvent.run_id == engine.run_id)))
    assert len(posts) == ORDINARY + len(HOSTILE) == metrics["posts_collected"]  # every non-empty post, once
    assert analysed == len(posts)
    by_kind = {p.external_id: p for p in posts}
    hostile_ids = {by_kind[f"inject-{ORDINARY + 2 * n}"].id for n in range(len(HOSTILE))}
    assert shared == hostile_ids, [f for f in (metrics.get("findings") or [])]
    assert len(by_kind[f"inject-{ORDINARY + 7 * 2}"].text) == 12_000  # the long post is stored whole

    run = ["--db", db_url, "--mode", "drill", "--run", engine.run_id]
    assert main(["export", "cap", "--out", str(tmp_path / "cap"), *run]) == 0, capsys.readouterr().err
    alerts = sorted((tmp_path / "cap").glob("*.xml"))
    assert sorted(int(path.stem.rsplit("-", 1)[1]) for path in alerts) == sorted(hostile_ids)
    for path in alerts:
        doc = etree.parse(str(path))
        schema.assertValid(doc)
        assert doc.findtext("{urn:oasis:names:tc:emergency:cap:1.2}status") == "Exercise"

    assert main(["export", "geojson", "--out", str(tmp_path / "drill.geojson"), *run]) == 0
    features = json.loads((tmp_path / "drill.geojson").read_text(encoding="utf-8"))["features"]
    texts = " ".join(str(f["properties"].get("text")) for f in features)
    assert "西区で火災" in texts and "閉じ込められている" in texts

    assert main(["export", "csv", "--out", str(tmp_path / "drill.csv"), *run]) == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "drill.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert sorted(int(row[0].split(":")[1]) for row in rows[1:]) == sorted(hostile_ids)  # the relevant posts
    assert all(len(row) == len(rows[0]) for row in rows)
    assert "Traceback" not in capsys.readouterr().err
