"""Similar posts of a queue item: duplicates and the same incident, never another scope."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import update

from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.models import Post
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.similar import similar_posts


def _store(db, clock, texts, scope=REAL_SCOPE):
    posts = [RawPost(source="x", external_id=f"{scope.mode}-{i}", text=t) for i, t in enumerate(texts)]
    return IngestService(db, clock, scope).ingest(posts).new_ids


def test_duplicates_of_the_post_and_of_its_original_are_similar(db, clock):
    first, copy, other_copy, unrelated = _store(db, clock, ["橋が落ちた", "橋が落ちた!", "橋が落ちた!!", "晴れ"])
    [drill_copy] = _store(db, clock, ["訓練: 橋が落ちた"], Scope.drill("r1"))
    with db.session() as s:
        s.execute(update(Post).where(Post.id.in_([copy, other_copy, drill_copy])).values(duplicate_of=first))
    row = SimpleNamespace(item_type="post", item_id=copy, incident_id=None)
    assert [p.id for p in similar_posts(db, REAL_SCOPE, row)] == [other_copy, first]  # newest first
    original = SimpleNamespace(item_type="post", item_id=first, incident_id=None)
    assert {p.id for p in similar_posts(db, REAL_SCOPE, original)} == {copy, other_copy}  # the drill's stays out
    assert unrelated not in {p.id for p in similar_posts(db, REAL_SCOPE, original)}
    assert similar_posts(db, REAL_SCOPE, SimpleNamespace(item_type="report", item_id=1)) == []
