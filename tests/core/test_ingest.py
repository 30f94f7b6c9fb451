"""Storing posts: idempotent, scoped, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from disaster_desk.core.ingest import MAX_TEXT, ORIGINAL_TEXT, IngestService, RawPost
from disaster_desk.core.models import Post
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.text import clean_text
from disaster_desk.errors import ValidationError
from tests.hostile import HOSTILE


def _post(i: int, text: str = "北区で火事") -> RawPost:
    return RawPost(source="x", external_id=str(i), text=f"{text} {i}", author="a")


def _count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Post))


def test_same_post_twice_is_one_row(db, clock):
    service = IngestService(db, clock)
    first = service.ingest([_post(1), _post(2)])
    again = service.ingest([_post(2), _post(3)])
    assert first.stored == 2
    assert again.stored == 1 and again.duplicates == 1
    assert _count(db) == 3


def test_duplicates_inside_one_batch_are_stored_once(db, clock):
    result = IngestService(db, clock).ingest([_post(7), _post(7)])
    assert result.stored == 1 and result.duplicates == 1


def test_drill_and_real_copies_of_a_post_are_separate(db, clock):
    IngestService(db, clock).ingest([_post(1)])
    IngestService(db, clock, Scope.drill("run-1")).ingest([_post(1)])
    with db.session() as s:
        modes = sorted(s.scalars(select(Post.mode)))
    assert modes == ["drill", "real"]


def test_times_are_utc_aware_and_from_the_clock(db, clock):
    IngestService(db, clock).ingest([_post(1)])
    with db.session() as s:
        post = s.scalar(select(Post))
    assert post.collected_at == clock.now()
    assert post.collected_at.tzinfo is not None


@pytest.mark.parametrize(
    ("post", "field"),
    [
        (RawPost(source="x", external_id="1", text="  "), "text"),
        (RawPost(source="fax", external_id="1", text="t"), "source"),
        (RawPost(source="x", external_id="", text="t"), "id"),
        (RawPost(source="x", external_id="1", text="t", geo_lat=34.7), "geo"),
    ],
)
def test_bad_post_is_refused_naming_the_field_and_nothing_is_stored(db, clock, post, field):
    service = IngestService(db, clock)
    service.ingest([_post(1)])
    with pytest.raises(ValidationError) as err:
        service.ingest([_post(2), post])
    assert err.value.field == field
    assert _count(db) == 1


def test_writing_drill_data_needs_a_run_id(sqlite_db, clock):
    with pytest.raises(ValueError):
        IngestService(sqlite_db, clock, Scope("drill", ""))
    assert REAL_SCOPE.mode == "real"


def test_hostile_text_is_stored_clean_with_the_original_in_raw(db, clock):
    posts = [RawPost(source="replay", external_id=kind, text=text, author="a\x00b") for kind, text in HOSTILE.items()]
    result = IngestService(db, clock).ingest(posts)
    assert result.stored == len(HOSTILE)
    with db.session() as s:
        stored = {p.external_id: p for p in s.scalars(select(Post))}
    for kind, text in HOSTILE.items():
        post = stored[kind]
        assert post.text == clean_text(text) and post.author == "ab"
        post.text.encode("utf-8")
        if post.text != text:
            assert post.raw[ORIGINAL_TEXT] == text  # nothing outside sent is lost
        else:
            assert post.raw is None
    assert stored["long"].text == HOSTILE["long"]  # long posts stored whole


def test_an_x_long_post_is_stored_whole_and_the_limit_names_the_size(db, clock):
    long = "大" * 25_000
    assert IngestService(db, clock).ingest([RawPost(source="x", external_id="1", text=long)]).stored == 1
    with pytest.raises(ValidationError, match="100,000") as err:
        RawPost(source="x", external_id="2", text="a" * (MAX_TEXT + 1)).validate()
    assert err.value.field == "text"


def test_a_post_of_nothing_but_controls_is_refused_as_empty():
    with pytest.raises(ValidationError) as err:
        RawPost(source="x", external_id="1", text="\x00\x01\u202e").validate()
    assert err.value.field == "text"


def test_a_row_the_database_refuses_is_refused_alone_and_named(db, clock, caplog):
    from datetime import datetime, timezone

    poison = RawPost(source="x", external_id="poison", text="北区で火事", raw={"when": datetime.now(timezone.utc)})
    result = IngestService(db, clock).ingest([_post(1), poison, _post(2)])
    assert result.stored == 2 and result.duplicates == 0
    (refusal,) = result.refused
    assert (refusal.source, refusal.external_id) == ("x", "poison") and "TypeError" in refusal.reason
    assert "x/poison refused" in caplog.text
    assert _count(db) == 2


def test_an_unreachable_database_is_raised_not_refused(clock, tmp_path):
    from sqlalchemy.exc import OperationalError

    from disaster_desk.core.db import Database

    db = Database.open(f"sqlite:///{tmp_path}/gone.sqlite")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE posts_fts")  # stands in for a database that cannot write
    try:
        with pytest.raises(OperationalError):
            IngestService(db, clock).ingest([_post(1)])
    finally:
        db.dispose()
