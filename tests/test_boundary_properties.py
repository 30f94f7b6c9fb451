"""Issue 12 item 10: property-based, from the text boundary to every output, on SQLite and PostgreSQL.

For arbitrary Unicode (lone surrogates, controls, noncharacters, bidi
overrides; 0 to 100,000 characters; tests/hostile.py) a post entering the
ingest path is stored exactly once (ingesting the same source id again stores
nothing), analysed or marked failed, and every export holding it parses: CAP
(lxml, against the CAP 1.2 schema), GeoJSON (json), CSV (csv, every row as wide
as the header) and the bulletin (HTML, Atom, JSON). A post that is empty once
cleaned is refused, never stored.

Each example plays in its own drill run (Scope.drill), so the exports of an
example hold only its post; the database and the analyser are loaded once per
module. Runtime is kept small: max_examples is modest, and long texts are drawn
less often than short ones.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import func, select

from disaster_desk.core.analysis import AnalysisService
from disaster_desk.core.bulletin import BulletinService
from disaster_desk.core.clock import ManualClock
from disaster_desk.core.db import Database
from disaster_desk.core.exports.cap import export_cap
from disaster_desk.core.exports.csv_export import export_csv
from disaster_desk.core.exports.geojson import export_geojson
from disaster_desk.core.ingest import MAX_TEXT, IngestService, RawPost
from disaster_desk.core.models import Analysis, Post
from disaster_desk.core.modes import Scope
from disaster_desk.core.text import clean_text
from disaster_desk.core.triage import TriageService
from disaster_desk.errors import ValidationError
from tests import pg_server
from tests.data_files import CAP_XSD
from tests.hostile import hostile_text

#: Said before the arbitrary text so that the analyser finds the post relevant and the exports hold it.
RESCUE = "北区中崎町で救助を求める声がします "
_ids = itertools.count()


def _repeat(piece: str, n: int) -> str:
    return (piece * (n // max(1, len(piece)) + 1))[:n] if piece else ""


#: Short arbitrary text most of the time; sometimes one hostile piece repeated up to 100,000 characters.
TEXTS = st.one_of(
    hostile_text(300),
    hostile_text(300),
    st.builds(_repeat, hostile_text(12), st.integers(min_value=0, max_value=100_000)),
)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def desk(request, tmp_path_factory, analyser):
    """One database per engine for the module, the session's analyser and a manual clock."""
    admin = url = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('props') / 'dd.sqlite'}"
    else:
        admin = request.getfixturevalue("pg_admin_url")
        url = pg_server.create_database(admin)
    db = Database.open(url)
    yield db, analyser, ManualClock()
    db.dispose()
    if admin is not None:
        pg_server.drop_database(admin, url)


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(CAP_XSD)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=TEXTS, rescue=st.booleans())
def test_any_text_is_stored_once_analysed_and_every_export_parses(desk, schema, tmp_path_factory, text, rescue):
    db, analyser, clock = desk
    n = next(_ids)
    scope = Scope.drill(f"prop-{n}")
    text = RESCUE + text if rescue else text
    source_id = f"prop-{n}"

    def post() -> RawPost:
        return RawPost(source="x", external_id=source_id, text=text, author="a" + text[:20], created_at=clock.now(),
                       raw={"id": source_id, "text": text})

    ingest = IngestService(db, clock, scope)
    cleaned = clean_text(text)
    if not cleaned.strip() or len(cleaned) > MAX_TEXT:  # nothing to say, or over the limit: refused by name
        with pytest.raises(ValidationError, match="field 'text'"):
            ingest.ingest([post()])
        with db.session() as s:
            assert s.scalar(select(func.count(Post.id)).where(Post.run_id == scope.run_id)) == 0
        return
    first = ingest.ingest([post()])
    again = ingest.ingest([post()])
    with db.session() as s:
        stored = s.scalars(select(Post).where(Post.run_id == scope.run_id)).all()
    assert len(stored) == 1 and first.new_ids == [stored[0].id] and again.new_ids == []  # exactly once
    post_id = stored[0].id

    AnalysisService(db, analyser, clock).analyse_ids([post_id])
    with db.session() as s:
        analysis = s.scalar(select(Analysis).where(Analysis.post_id == post_id))
        assert s.scalar(select(func.count(Analysis.id)).where(Analysis.post_id == post_id)) == 1
    assert analysis is not None  # analysed, or marked failed with its error (still there, as 未解析)
    if analysis.error is not None:
        return  # a failed analysis is not relevant: no export holds it
    with db.session() as s:
        relevant = (s.get(Post, post_id).urgency or 0) > 0
    event(f"relevant={relevant}, long={len(text) > 10_000}, cut={analysis.truncated_bytes is not None}")
    if relevant:
        TriageService(db, clock, scope).share("post", post_id, ["消防局"], actor="op", acknowledge_new=True)

    out = Path(tmp_path_factory.mktemp(f"prop-{n}-"))
    alerts = export_cap(db, scope, out / "cap")
    assert len(alerts) == (1 if relevant else 0)
    for path in alerts:
        schema.assertValid(etree.parse(str(path)))
    export_geojson(db, scope, out / "x.geojson")
    features = json.loads((out / "x.geojson").read_text(encoding="utf-8"))["features"]
    assert len(features) == (1 if relevant else 0)
    export_csv(db, scope, out / "x.csv")
    rows = list(csv.reader(io.StringIO((out / "x.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert len(rows) == (2 if relevant else 1) and all(len(r) == len(rows[0]) for r in rows)
    if not relevant:
        return
    BulletinService(db, clock, scope).publish(text[:80] or "速報", text, [("post", post_id)], actor="op" + text[:10],
                                              out_dir=out / "site")
    page = lxml.html.parse(str(out / "site" / "index.html"))
    assert page.getroot() is not None
    etree.parse(str(out / "site" / "feed.atom"))
    assert json.loads((out / "site" / "bulletins.json").read_text(encoding="utf-8"))
