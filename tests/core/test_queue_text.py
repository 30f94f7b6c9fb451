"""Free-text search in the queue: substrings of Japanese text, short terms, the index kept in sync.

On SQLite the search runs on the FTS5 trigram index ``posts_fts`` (migration
0007); on PostgreSQL on ILIKE with the pg_trgm index. Every count is checked
against ``exact_count`` (a LIKE scan of the posts).
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, insert, select, text, update

from disaster_desk.core import ingest, triage
from disaster_desk.core import queue as queue_module
from disaster_desk.core.db import Database, upgrade
from disaster_desk.core.grouping import GroupingService
from disaster_desk.core.models import Analysis, Post
from disaster_desk.core.modes import Scope
from disaster_desk.core.queue import QueueFilter, QueueService
from disaster_desk.core.queue_text import SOURCES, STATES
from disaster_desk.core.triage import TriageService
from tests.core.triage_items import add_post

TEXTS = {
    "outage": "北区天満で停電しています",
    "outage_end": "都島区も停電",  # the term ends the text
    "fire": "福島区で火災、煙が見える",
    "both": "火災のあと停電。避難所へ",
    "english": "Power outage near Umeda (JR Osaka)",
    "quote": 'He said "help" 100% 救助_要請 a/b//',
    "short": "火",  # one character
}


@pytest.fixture(autouse=True)
def _search_through_the_index(monkeypatch):
    """Test data is small: without this, SQLite would search it with LIKE (see SMALL_FILTER)."""
    monkeypatch.setattr(queue_module, "SMALL_FILTER", 0)


def _seed(db, clock):
    ids = {}
    for name, body in TEXTS.items():
        clock.advance(30)
        ids[name] = add_post(db, clock, body, ["lifeline"] if name != "fire" else ["fire"], ward="北区",
                             external_id=name)
    return ids


def found(queue, **kwargs):
    """Ids of the queue rows for a filter, after checking count == rows == a scan."""
    flt = QueueFilter(**kwargs)
    rows = queue.page(flt, 0, 100)
    assert queue.count(flt) == len(rows) == queue.exact_count(flt), flt
    return {r.item_id for r in rows}


def test_search_finds_substrings_of_any_length(db, clock):
    ids = _seed(db, clock)
    queue = QueueService(db)
    by = {v: k for k, v in ids.items()}

    def names(term, **kwargs):
        return {by[i] for i in found(queue, text=term, **kwargs)}

    assert names("停電") == {"outage", "outage_end", "both"}  # 2 characters, also at the end
    assert names("停電し") == {"outage"}
    assert names("電") == {"outage", "outage_end", "both"}  # 1 character
    assert names("火") == {"fire", "both", "short"}
    assert names("火災のあと停電") == {"both"}
    assert names("北区天満で停電しています") == {"outage"}  # the whole text
    assert names("outage") == {"english"}
    assert names("OUTAGE") == names("Outage") == {"english"}  # ASCII case does not matter
    assert names("jr osaka") == {"english"}
    assert names("ar U") == {"english"}  # spaces are part of the term
    assert names("停電です") == names("雪") == names("zz") == set()
    assert names("停電", labels=frozenset({"fire"})) == set()
    assert names("火災", labels=frozenset({"fire"})) == {"fire"}


def test_search_terms_are_text_not_query_syntax(db, clock):
    """FTS5 operators, quotes and LIKE wildcards in a term are matched as text (found() compares with LIKE)."""
    ids = _seed(db, clock)
    queue = QueueService(db)
    for term in ('"help"', '"', "100%", "%", "_要", "said \"", "*", "-", "'", "NEAR(", "k:§q1", "a/b", "/", "//",
                 "/_", "b/%", "0%/"):
        assert found(queue, text=term) == ({ids["quote"]} if term in TEXTS["quote"] else set()), term
    assert found(queue, text="(JR") == {ids["english"]}
    assert found(queue, text="help OR 停電") == set()


def test_search_keeps_real_and_drill_apart(db, clock):
    real = add_post(db, clock, "本物の停電 北区", ["lifeline"])
    drill = add_post(db, clock, "訓練の停電 北区", ["lifeline"], scope=Scope.drill("r1"))
    other_run = add_post(db, clock, "別の訓練の停電", ["lifeline"], scope=Scope.drill("r2"))
    assert found(QueueService(db), text="停電") == {real}
    assert found(QueueService(db), text="訓練") == set()
    assert found(QueueService(db, Scope.drill("r1")), text="停電") == {drill}
    assert found(QueueService(db, Scope.drill("r1")), text="本物") == set()
    assert found(QueueService(db, Scope.drill(None)), text="訓練") == {drill, other_run}


def test_search_index_follows_every_change(db, clock):
    ids = _seed(db, clock)
    dup = add_post(db, clock, "RT 北区天満で停電しています", ["lifeline"], ward="北区", external_id="dup")
    unanalysed = add_post(db, clock, "解析前の停電", None, external_id="pending")
    queue = QueueService(db)
    filters = [QueueFilter(text=t, **kw) for t in ("停電", "火", "火災", "天満で停電", "outage")
               for kw in ({}, {"include_none": True}, {"labels": frozenset({"fire", "lifeline"})},
                          {"wards": frozenset({"北区"})}, {"states": frozenset({"new"})},
                          {"states": frozenset({"acknowledged", "shared"})}, {"sources": frozenset({"x", "report"})})]

    def agree():
        for flt in filters:
            assert queue.count(flt) == queue.exact_count(flt) == len(queue.page(flt, 0, 100)), flt

    agree()
    assert unanalysed not in found(queue, text="停電", include_none=True)
    assert dup in found(queue, text="RT")
    triage = TriageService(db, clock)
    triage.acknowledge("post", ids["outage"], actor="op")
    triage.acknowledge("post", ids["fire"], actor="op")
    triage.share("post", ids["fire"], ["北区"], actor="op")
    agree()
    assert found(queue, text="停電", states=frozenset({"acknowledged"})) == {ids["outage"]}
    assert GroupingService(db, clock).collapse_duplicates([dup]) == 1
    agree()
    assert dup not in found(queue, text="RT")
    with db.session() as s:  # analysed at last; re-analysed; edited; deleted
        s.add(Analysis(post_id=unanalysed, labels=["fire"], urgency=5, ward="港区", analyser_version="t",
                       analysed_at=clock.now()))
    with db.session() as s:
        analysis = s.scalar(select(Analysis).where(Analysis.post_id == ids["both"]))
        analysis.labels, analysis.urgency, analysis.ward = ["none"], 0, None
        s.execute(update(Post).where(Post.id == ids["outage_end"]).values(text="都島区は復旧"))
        s.execute(delete(Analysis).where(Analysis.post_id == ids["short"]))
        s.execute(delete(Post).where(Post.id == ids["short"]))
    agree()
    assert found(queue, text="停電", wards=frozenset({"港区"})) == {unanalysed}
    assert found(queue, text="停電") == {ids["outage"], unanalysed}
    assert found(queue, text="停電", include_none=True) == {ids["outage"], unanalysed, ids["both"]}
    assert found(queue, text="復旧") == {ids["outage_end"]}
    assert found(queue, text="火") == {ids["fire"]}


def test_every_known_state_and_source_and_unknown_ones(db, clock):
    """The FTS codes written by the migration's triggers equal those the queue searches for."""
    states = list(dict.fromkeys([*triage.STATES, *STATES, "escalated"]))
    sources = list(dict.fromkeys([*ingest.SOURCES, *SOURCES, "line"]))
    posts = {}
    for state in states:
        for source in sources:
            clock.advance(1)
            post_id = add_post(db, clock, f"停電 {state} {source}", ["lifeline"], external_id=f"{state}-{source}")
            with db.session() as s:
                s.execute(update(Post).where(Post.id == post_id).values(state=state, source=source))
            posts[state, source] = post_id
    queue = QueueService(db)
    for state in states:
        assert found(queue, text="停電", states=frozenset({state})) == {
            i for (st, _), i in posts.items() if st == state}
    for source in sources:
        assert found(queue, text="停電", sources=frozenset({source})) == {
            i for (_, so), i in posts.items() if so == source}


def test_time_windows_and_paging_through_a_search(db, clock, monkeypatch):
    """Every page strategy (bounded walk, then by id or walking on) gives the queue order; windows apply."""
    start = clock.now()
    for i in range(40):
        clock.advance(10)
        add_post(db, clock, f"停電 {i}" if i % 3 else f"断水 {i}", [("rescue", "lifeline", "none")[i % 3]],
                 external_id=f"p{i}")
    flt = QueueFilter(text="停電", include_none=True)
    full = QueueService(db).page(flt, 0, 100)
    assert len(full) == sum(1 for i in range(40) if i % 3)
    order = [(-r.urgency, -r.received_at.timestamp()) for r in full]
    assert order == sorted(order)
    for probe, by_id, narrow, small in ((2000, 0, 0, 0), (3, 0, 0, 0), (3, 5000, 0, 0), (3, 5000, 20_000, 0),
                                        (2000, 5000, 20_000, 5000), (1, 1, 0, 0)):
        monkeypatch.setattr(queue_module, "WALK_PROBE", probe)
        monkeypatch.setattr(queue_module, "BY_ID_LIMIT", by_id)
        monkeypatch.setattr(queue_module, "NARROW_WINDOW", narrow)
        monkeypatch.setattr(queue_module, "SMALL_FILTER", small)
        queue = QueueService(db)
        paged = []
        for offset in range(0, 30, 4):
            paged += queue.page(flt, offset, 4)
        assert [r.key for r in paged] == [r.key for r in full]
        assert [r.key for r in queue.page(flt, 13, 3)] == [r.key for r in full[13:16]]
        window = QueueFilter(text="停電", include_none=True, since=start + (clock.now() - start) / 2)  # posts 19..39
        assert queue.count(window) == queue.exact_count(window) == len(queue.page(window, 0, 100)) == sum(
            1 for i in range(19, 40) if i % 3)


def test_sqlite_search_reads_the_index_not_the_posts(sqlite_db, clock):
    """Counting a search (1, 2 and 3+ characters) is one FTS query: no LIKE scan of the posts."""
    from sqlalchemy import event

    _seed(sqlite_db, clock)
    statements = []
    event.listen(sqlite_db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    for term in ("電", "停電", "天満で停電"):
        statements.clear()
        assert QueueService(sqlite_db).count(QueueFilter(text=term, sources=frozenset({"x"}))) > 0
        assert any("posts_fts MATCH" in sql for sql in statements), term
        assert not any(" LIKE " in sql for sql in statements), term


def test_posts_stored_before_the_search_index_are_found(sqlite_url, clock):
    """Migration 0007 indexes the posts already stored."""
    db = Database.open(sqlite_url, migrate=False)
    upgrade(db.engine, "0006_queue_ward_index")
    with db.session() as s:
        s.execute(insert(Post), [{"source": "x", "external_id": "old", "text": "古い停電の投稿", "collected_at": clock.now(),
                                  "state": "new", "version": 1, "mode": "real", "run_id": "", "urgency": 5,
                                  "label_mask": 1 << 5, "ward": "北区"}])
    upgrade(db.engine)
    queue = QueueService(db)
    assert queue.count(QueueFilter(text="停電")) == 1 == queue.count(QueueFilter(text="古い停電"))
    with db.session() as s:
        assert s.scalar(text("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 't:\"古い停\"'")) == 1
    db.dispose()


def test_postgres_search_can_use_the_trigram_index(pg_db, clock):
    add_post(pg_db, clock, "北区天満で停電しています", ["lifeline"])
    with pg_db.engine.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
            pytest.skip("pg_trgm is not installed on this server")
        conn.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(conn.execute(text("EXPLAIN SELECT id FROM posts WHERE text ILIKE '%天満で停電%'")).scalars())
    assert "ix_posts_text_trgm" in plan
    # The pattern is in the SQL text, not a parameter: psycopg prepares a statement run 5 times and
    # PostgreSQL's generic plan for "ILIKE $1" would not use the index.
    from sqlalchemy import event

    statements = []
    event.listen(pg_db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    QueueService(pg_db).count(QueueFilter(text="天満で停電"))
    assert any("'%%天満で停電%%'" in sql or "'%天満で停電%'" in sql for sql in statements)
    assert found(QueueService(pg_db), text="天満で停電") == found(QueueService(pg_db), text="停電") != set()


def test_time_windows_over_many_hours_count_exactly(db, clock, monkeypatch):
    """Windows cut hours anywhere (or fall on the hour): whole hours in the index, cut ones on posts."""
    import random
    from datetime import timedelta

    from disaster_desk.core import queue_text

    rng = random.Random(4)
    start = clock.now().replace(minute=0, second=0, microsecond=0)
    clock.advance(seconds=(start - clock.now()).total_seconds())
    for i in range(120):  # ~10 hours, some posts exactly on the hour
        clock.advance(0 if i == 0 else rng.choice([60, 300, 599.5, 3600 - (clock.now() - start).total_seconds() % 3600]))
        add_post(db, clock, f"停電 {i}" if i % 4 else f"断水 {i}", [rng.choice(["rescue", "lifeline", "none"])],
                 ward=rng.choice(["北区", None]), external_id=f"h{i}")
    end = clock.now()
    span = (end - start).total_seconds()
    windows = [(None, start + timedelta(hours=3)), (start + timedelta(hours=2), None), (start - timedelta(days=9), None),
               (None, end + timedelta(days=9)), (start + timedelta(hours=1), start + timedelta(hours=1)),
               (end, None), (start + timedelta(hours=1, minutes=1), start + timedelta(hours=1, minutes=50))]
    windows += [tuple(sorted(start + timedelta(seconds=rng.uniform(-600, span + 600)) for _ in range(2)))
                for _ in range(12)]
    for max_hours, probe in ((queue_text.MAX_HOURS, 2000), (2, 2), (queue_text.MAX_HOURS, 2)):
        monkeypatch.setattr(queue_text, "MAX_HOURS", max_hours)
        monkeypatch.setattr(queue_module, "WALK_PROBE", probe)
        for since, until in windows:
            for kwargs in ({}, {"include_none": True, "wards": frozenset({"北区"})}):
                flt = QueueFilter(text="停電", since=since, until=until, **kwargs)
                queue = QueueService(db)
                rows = queue.page(flt, 0, 200)
                assert queue.count(flt) == queue.exact_count(flt) == len(rows), (since, until, kwargs)
                assert all((since is None or r.received_at >= since) and (until is None or r.received_at < until)
                           for r in rows)
