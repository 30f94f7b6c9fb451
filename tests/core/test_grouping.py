"""Duplicate collapse and incidents (automatic grouping, operator merge/split)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from disaster_desk.core.grouping import GroupingService, normalise, primary_label
from disaster_desk.core.models import AuditEntry, Incident, Post
from disaster_desk.core.queue import QueueFilter, QueueService
from disaster_desk.errors import ValidationError
from tests.core.triage_items import add_post


@pytest.mark.parametrize(("a", "b"), [
    ("RT @osaka_taro: 北区中崎町で火事です！", "北区中崎町で火事です"),
    ("北区中崎町で火事です https://t.co/xyz", "北区 中崎町で　火事です。"),
    ("ＡＢＣ１２３", "abc123"),
])
def test_normalise_makes_copies_equal(a, b):
    assert normalise(a) == normalise(b)


def test_primary_label_is_the_most_urgent():
    assert primary_label(["building", "rescue"]) == "rescue"
    assert primary_label(["lifeline", "evacuation"]) == "lifeline"


def test_retweets_and_near_duplicates_collapse_under_the_first_post(db, clock):
    first = add_post(db, clock, "北区中崎町2丁目で家屋倒壊、閉じ込められている人がいます", ["rescue"])
    clock.advance(60)
    rt = add_post(db, clock, "RT @a: 北区中崎町2丁目で家屋倒壊、閉じ込められている人がいます", ["rescue"])
    near = add_post(db, clock, "北区中崎町2丁目で家屋倒壊、閉じ込められている人がいます #拡散希望", ["rescue"])
    other = add_post(db, clock, "淀川区で火災が発生しています", ["fire"])
    grouping = GroupingService(db, clock)
    assert grouping.collapse_duplicates([first, rt, near, other]) == 2
    assert grouping.collapse_duplicates([rt, near]) == 0  # already done
    with db.session() as s:
        dup = dict(s.execute(select(Post.id, Post.duplicate_of)).all())
    assert dup == {first: None, rt: first, near: first, other: None}
    rows = QueueService(db).page(QueueFilter(), 0, 10)
    assert [(r.item_id, r.duplicates) for r in rows] == [(first, 2), (other, 0)]


def test_copies_outside_the_window_are_not_duplicates(db, clock):
    first = add_post(db, clock, "港区で冠水しています", ["flood"])
    clock.advance(hours=7)
    later = add_post(db, clock, "港区で冠水しています", ["flood"])
    assert GroupingService(db, clock).collapse_duplicates([first, later]) == 0


def _incident_posts(db, clock):
    a = add_post(db, clock, "中崎町で火事", ["fire"], ward="北区", place="中崎町", lat=34.71, lon=135.50)
    clock.advance(minutes=10)
    b = add_post(db, clock, "中崎町の火事、煙がすごい", ["fire", "casualty"], ward="北区", place="中崎町")
    c = add_post(db, clock, "中崎町で断水", ["lifeline"], ward="北区", place="中崎町")
    d = add_post(db, clock, "十三で火事", ["fire"], ward="淀川区", place="十三")
    clock.advance(hours=2)
    e = add_post(db, clock, "中崎町でまた火事", ["fire"], ward="北区", place="中崎町")
    return a, b, c, d, e


def test_same_category_and_place_within_window_form_an_incident(db, clock):
    a, b, c, d, e = _incident_posts(db, clock)
    grouping = GroupingService(db, clock)
    (incident_id,) = grouping.group_incidents()
    with db.session() as s:
        incident = s.get(Incident, incident_id)
        members = dict(s.execute(select(Post.id, Post.incident_id)).all())
    assert (incident.label, incident.ward, incident.place) == ("fire", "北区", "中崎町")
    assert (incident.lat, incident.lon) == (34.71, 135.50)
    assert members == {a: incident_id, b: incident_id, c: None, d: None, e: None}
    clock.advance(minutes=20)
    f = add_post(db, clock, "中崎町 火事 まだ燃えてる", ["fire"], ward="北区", place="中崎町")
    # e (2 h later) started nothing alone; f joins e in a second incident
    assert len(grouping.group_incidents([f])) == 1
    with db.session() as s:
        assert s.get(Post, f).incident_id == s.get(Post, e).incident_id != incident_id


def test_operator_merges_and_splits_incidents_with_audit(db, clock):
    a, b, c, d, e = _incident_posts(db, clock)
    grouping = GroupingService(db, clock)
    (first,) = grouping.group_incidents()
    clock.advance(minutes=5)
    f = add_post(db, clock, "中崎町でまだ火事", ["fire"], ward="北区", place="中崎町")
    (second,) = grouping.group_incidents([f])
    grouping.merge(first, [second], actor="op1")
    with db.session() as s:
        assert s.get(Incident, second) is None
        assert set(s.scalars(select(Post.id).where(Post.incident_id == first))) == {a, b, e, f}
    new = grouping.split(first, [e, f], actor="op2")
    with db.session() as s:
        assert set(s.scalars(select(Post.id).where(Post.incident_id == new))) == {e, f}
        kept = s.get(Incident, first)
        assert kept.last_at == s.get(Post, b).collected_at
        actions = [(x.action, x.who) for x in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == [("incident.merge", "op1"), ("incident.split", "op2")]
    with pytest.raises(ValidationError, match="not in incident"):
        grouping.split(first, [d], actor="op")
    with pytest.raises(ValidationError, match="at least one post"):
        grouping.split(first, [a, b], actor="op")


def test_process_is_the_pipeline_hook(db, clock):
    a = add_post(db, clock, "中崎町で火事です", ["fire"], ward="北区", place="中崎町")
    b = add_post(db, clock, "RT @x: 中崎町で火事です", ["fire"], ward="北区", place="中崎町")
    c = add_post(db, clock, "中崎町で火事、消防車まだ", ["fire"], ward="北区", place="中崎町")
    collapsed, incidents = GroupingService(db, clock).process([a, b, c])
    assert collapsed == 1 and len(incidents) == 1
    with db.session() as s:
        assert {p.id: (p.duplicate_of, p.incident_id) for p in s.scalars(select(Post))} == {
            a: (None, incidents[0]), b: (a, None), c: (None, incidents[0])}


def _brute_force_roots(posts):
    """The one-by-one comparison the index replaces: the earliest earlier post with the same key or a near copy."""
    from disaster_desk.core.grouping import DUPLICATE_WINDOW, NEAR_DUPLICATE, shingles, similarity

    roots, seen = {}, []
    for pid, at, text in posts:
        key, grams = shingles(text)
        root = next((other for other, other_at, other_key, other_grams in seen
                     if abs(at - other_at) <= DUPLICATE_WINDOW and ((key and other_key == key) or (
                         len(key) >= 8 and similarity(grams, other_grams) >= NEAR_DUPLICATE))), None)
        roots[pid] = root
        if root is None:
            seen.append((pid, at, key, grams))
    return roots


def test_the_duplicate_index_finds_what_comparing_every_pair_finds():
    import random
    from datetime import datetime, timedelta, timezone

    from disaster_desk.core.grouping import DuplicateIndex, shingles

    rng = random.Random(7)
    words = ["北区", "中崎町", "で", "火事", "です", "救助", "を", "お願いします", "！", "拡散希望", "2丁目", "倒壊",
             "RT @a: ", "https://t.co/x ", "閉じ込め", "🙏", "水", "が"]
    start = datetime(2026, 12, 6, tzinfo=timezone.utc)
    posts, texts = [], []
    for pid in range(1, 1500):
        if texts and rng.random() < 0.5:  # a copy of an earlier post with a word or two changed
            base = rng.choice(texts).split("|")
            for _ in range(rng.choice([0, 1, 1, 2])):
                base.insert(rng.randrange(len(base) + 1), rng.choice(words))  # a word added
        else:
            base = [rng.choice(words) for _ in range(rng.randint(1, 16))]
        texts.append("|".join(base))
        posts.append((pid, start + timedelta(minutes=pid * rng.uniform(0, 1.2)), "".join(base)))
    expected = _brute_force_roots(posts)
    index = DuplicateIndex()
    found = {}
    for pid, at, text in posts:
        key, grams = shingles(text)
        found[pid] = index.root(pid, at, key, grams)
        if found[pid] is None:
            index.add(pid, at, key, grams)
    assert found == expected
    text_of = {pid: text for pid, _at, text in posts}
    near = [pid for pid, root in found.items() if root and shingles(text_of[pid])[0] != shingles(text_of[root])[0]]
    assert 200 < sum(root is not None for root in found.values()) < 1400  # copies and originals
    assert len(near) > 50  # near copies among them, not only the same words


def test_batches_one_after_another_find_the_posts_of_earlier_batches(db, clock):
    grouping = GroupingService(db, clock)
    first = add_post(db, clock, "西区九条3丁目でマンションの外壁が崩れています", ["building"])
    other = add_post(db, clock, "港区弁天で道路が冠水して車が動けません", ["flood"])
    assert grouping.collapse_duplicates([first, other]) == 0
    clock.advance(minutes=5)
    copy = add_post(db, clock, "RT @b: 西区九条3丁目でマンションの外壁が崩れています", ["building"])
    assert GroupingService(db, clock).collapse_duplicates([copy]) == 1  # a new service: the same database
    clock.advance(minutes=5)
    near = add_post(db, clock, "港区弁天で道路が冠水して車が動けません！！拡散希望", ["flood"])
    with db.session() as s:  # the root left the candidates (collapsed by hand meanwhile): the copy is the root now
        s.execute(Post.__table__.update().where(Post.id == other).values(duplicate_of=first))
    later = add_post(db, clock, "港区弁天で道路が冠水して車が動けません", ["flood"])
    assert grouping.collapse_duplicates([near, later]) == 1
    with db.session() as s:
        dup = dict(s.execute(select(Post.id, Post.duplicate_of)).all())
    assert dup == {first: None, other: first, copy: first, near: None, later: near}


def test_prepared_candidates_find_the_same_roots(db, clock):
    first = add_post(db, clock, "都島区京橋で火災、黒い煙が上がっています", ["fire"])
    clock.advance(minutes=3)
    prepared = GroupingService(db, clock)
    assert prepared.prepare() == 1
    copy = add_post(db, clock, "RT @c: 都島区京橋で火災、黒い煙が上がっています", ["fire"])
    assert prepared.collapse_duplicates([copy]) == 1
    with db.session() as s:
        assert s.scalar(select(Post.duplicate_of).where(Post.id == copy)) == first
