"""Grouping coexists with operators: triage while grouping runs refuses nothing, loses no grouping.

Before, grouping set ``incident_id`` through the ORM: every attached post's
triage version was bumped (an operator who had read the post was refused as in
conflict) and a post triaged in between failed the whole grouping batch with
StaleDataError. These tests run a real operator thread against grouping.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from disaster_desk.core.grouping import GroupingService
from disaster_desk.core.models import Incident, Post
from disaster_desk.core.triage import TriageService
from disaster_desk.errors import ConflictError
from tests.core.triage_items import add_post

PLACES = 40  # places with two fire posts each: 80 posts that must be grouped
SINGLES = 20  # posts with no partner: never grouped


def _desk(db, clock) -> tuple[list[int], list[int]]:
    pairs, singles = [], []
    for i in range(PLACES):
        for j in range(2):
            pairs.append(add_post(db, clock, f"北区中崎町{i}丁目で火災 {uuid.uuid4().hex}", ["fire"], ward="北区",
                                  place=f"中崎町{i}丁目", external_id=f"pair-{i}-{j}"))
    for i in range(SINGLES):
        singles.append(add_post(db, clock, f"港区弁天{i}で浸水 {uuid.uuid4().hex}", ["flood"], ward="港区", place=f"弁天{i}",
                                external_id=f"single-{i}"))
    return pairs, singles  # distinct words: no post is collapsed as a duplicate of another


def test_operators_triaging_while_grouping_runs_are_never_refused(db, clock):
    pairs, singles = _desk(db, clock)
    ids = pairs + singles
    triage = TriageService(db, clock)
    refused: list[str] = []
    done = threading.Event()

    def operator() -> None:
        """Reads a post's version (as the queue shows it) and acts on it with that version."""
        rounds = 0
        while not done.is_set() or rounds < 2:
            rounds += 1
            for post_id in ids:
                with db.session() as s:
                    version, state = s.execute(select(Post.version, Post.state).where(Post.id == post_id)).one()
                action = triage.acknowledge if state == "new" else triage.verify if state == "acknowledged" else None
                if action is None:
                    continue
                try:
                    action("post", post_id, actor="op", expected_version=version)
                except ConflictError as exc:
                    refused.append(f"post {post_id}: {exc}")

    thread = threading.Thread(target=operator)
    thread.start()
    grouping = GroupingService(db, clock)
    errors: list[BaseException] = []
    try:
        for start in range(0, len(ids), 10):  # as the pipeline does: one batch of analysed posts at a time
            try:
                grouping.process(ids[start : start + 10])
            except StaleDataError as exc:
                errors.append(exc)
    finally:
        done.set()
        thread.join(120)
    assert errors == [] and refused == []
    with db.session() as s:
        grouped = dict(s.execute(select(Post.id, Post.incident_id)).all())
        incidents = s.scalar(select(func.count()).select_from(Incident))
        states = set(s.scalars(select(Post.state)))
    assert all(grouped[p] is not None for p in pairs)
    assert all(grouped[p] is None for p in singles)
    assert incidents == PLACES
    assert states == {"verified"}  # every operator action went through


def test_grouping_does_not_bump_the_triage_version(db, clock):
    a = add_post(db, clock, "福島区野田で火災", ["fire"], ward="福島区", place="野田")
    b = add_post(db, clock, "福島区野田で火災発生", ["fire"], ward="福島区", place="野田")
    with db.session() as s:
        before = dict(s.execute(select(Post.id, Post.version)).all())
    (incident,) = GroupingService(db, clock).group_incidents([a, b])
    clock.advance(60)
    c = add_post(db, clock, "野田の火災まだ燃えている", ["fire"], ward="福島区", place="野田")
    with db.session() as s:
        incident_version = s.scalar(select(Incident.version).where(Incident.id == incident))
    assert GroupingService(db, clock).group_incidents([c]) == [incident]
    with db.session() as s:
        after = dict(s.execute(select(Post.id, Post.version)).all())
        row = s.get(Incident, incident)
    assert after == {**before, c: after[c]} and after[c] == 1
    assert row.version == incident_version and row.last_at == clock.now().replace(tzinfo=row.last_at.tzinfo)


def test_the_periodic_pass_groups_what_was_left_ungrouped(db, clock):
    pairs, singles = _desk(db, clock)  # stored and analysed, grouping never ran (a crash, a failed batch)
    grouping = GroupingService(db, clock)
    touched = grouping.group_ungrouped()
    assert len(touched) == PLACES
    with db.session() as s:
        grouped = dict(s.execute(select(Post.id, Post.incident_id)).all())
    assert all(grouped[p] for p in pairs) and not any(grouped[p] for p in singles)
    assert grouping.group_ungrouped() == []  # nothing left: the singles are not tried again and again


@pytest.mark.postgres
def test_a_chunk_that_loses_a_race_is_retried(pg_db, clock, monkeypatch):
    """The first try of a chunk fails as a deadlock would; the retry groups it."""
    from sqlalchemy.exc import OperationalError

    from disaster_desk.core import grouping as grouping_module

    a = add_post(pg_db, clock, "西区で火災", ["fire"], ward="西区", place="北堀江")
    b = add_post(pg_db, clock, "西区北堀江で火災", ["fire"], ward="西区", place="北堀江")
    service = GroupingService(pg_db, clock)
    real = service._group_chunk
    calls = []

    def flaky(ids):
        calls.append(ids)
        if len(calls) == 1:
            raise OperationalError("UPDATE posts", {}, Exception("deadlock detected"))
        return real(ids)
    monkeypatch.setattr(service, "_group_chunk", flaky)
    monkeypatch.setattr(grouping_module.time, "sleep", lambda s: None)
    assert len(service.group_incidents([a, b])) == 1 and len(calls) == 2
