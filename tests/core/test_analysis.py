"""Analysing stored posts: results stored with the analyser version, then grouped."""

from __future__ import annotations

from sqlalchemy import select

from disaster_desk.core.analysis import AnalysisService, PostAnalysis
from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.models import Analysis, Incident, Post
from disaster_desk.core.modes import Scope


class KeywordAnalyser:
    """A tiny analyser with the NLP analyser's interface (the real one is tested in tests/nlp)."""

    def __init__(self, version: str = "kw-1") -> None:
        self.version = version

    def analyse(self, texts):
        out = []
        for text in texts:
            if "火事" in text:
                out.append(PostAnalysis(["fire"], "中崎町", "北区", 34.707, 135.505, "town"))
            else:
                out.append(PostAnalysis(["none"]))
        return out


def _ingest(db, clock, texts, scope=None):
    service = IngestService(db, clock, scope) if scope else IngestService(db, clock)
    return service.ingest(
        [RawPost(source="x", external_id=str(i), text=t) for i, t in enumerate(texts)]
    ).new_ids


def test_new_posts_are_analysed_then_duplicates_collapse_and_incidents_form(db, clock):
    ids = _ingest(db, clock, ["北区中崎町で火事 煙がすごい", "北区中崎町で火事 煙がすごい", "中崎町でまた火事、消防車来た", "今日は晴れ"])
    assert AnalysisService(db, KeywordAnalyser(), clock).analyse_ids(ids) == 4
    with db.session() as s:
        posts = {p.id: p for p in s.scalars(select(Post))}
        analyses = {a.post_id: a for a in s.scalars(select(Analysis))}
        incidents = s.scalars(select(Incident)).all()
    assert analyses[ids[0]].labels == ["fire"] and analyses[ids[0]].analyser_version == "kw-1"
    assert analyses[ids[3]].labels == ["none"] and analyses[ids[3]].urgency == 0
    assert posts[ids[1]].duplicate_of == ids[0]
    assert len(incidents) == 1 and incidents[0].label == "fire"
    assert posts[ids[0]].incident_id == posts[ids[2]].incident_id == incidents[0].id


def test_reanalyse_reruns_only_other_versions_and_keeps_grouping(db, clock):
    ids = _ingest(db, clock, ["北区中崎町で火事", "北区中崎町で火事"])
    AnalysisService(db, KeywordAnalyser("kw-1"), clock).analyse_ids(ids)
    assert AnalysisService(db, KeywordAnalyser("kw-1"), clock).reanalyse() == 0
    assert AnalysisService(db, KeywordAnalyser("kw-2"), clock).reanalyse() == 2
    with db.session() as s:
        assert {a.analyser_version for a in s.scalars(select(Analysis))} == {"kw-2"}
        assert s.get(Post, ids[1]).duplicate_of == ids[0]


def test_grouping_stays_inside_a_scope(db, clock):
    real = _ingest(db, clock, ["北区中崎町で火事"])
    drill = _ingest(db, clock, ["北区中崎町で火事"], Scope.drill("run-1"))
    AnalysisService(db, KeywordAnalyser(), clock).analyse_pending()
    with db.session() as s:
        assert s.get(Post, real[0]).duplicate_of is None
        assert s.get(Post, drill[0]).duplicate_of is None


class StatusAnalyser:
    """Returns what the NLP analyser returns beside the labels: status, confidence, labels to confirm."""

    version = "st-1"

    def analyse(self, texts):
        out = []
        for text in texts:
            if "瓦礫" in text:  # the model finds a rescue possible, below the alarm threshold
                out.append(PostAnalysis(["building"], status="ongoing", confidence={"rescue": 0.25, "building": 0.9},
                                        review=["rescue"]))
            else:
                out.append(PostAnalysis(["none"], status="resolved", confidence={"rescue": 0.01}))
        return out


def test_status_confidence_and_a_possible_rescue_are_stored_and_sort_below_rescue(db, clock):
    from disaster_desk.core.queue import QueueFilter, QueueService
    from disaster_desk.core.taxonomy import REVIEW_URGENCY, URGENCY

    ids = _ingest(db, clock, ["家の前の瓦礫の奥から物音がする", "停電、復旧しました"])
    AnalysisService(db, StatusAnalyser(), clock).analyse_ids(ids)
    with db.session() as s:
        analyses = {a.post_id: a for a in s.scalars(select(Analysis))}
        posts = {p.id: p for p in s.scalars(select(Post))}
    possible, over = analyses[ids[0]], analyses[ids[1]]
    assert possible.review == ["rescue"] and possible.confidence["rescue"] == 0.25 and possible.status == "ongoing"
    assert possible.urgency == posts[ids[0]].urgency == REVIEW_URGENCY
    assert URGENCY["casualty"] <= REVIEW_URGENCY < URGENCY["rescue"]
    assert over.status == "resolved" and over.review is None and over.urgency == 0
    rows = QueueService(db).page(QueueFilter(include_none=True), 0, 10)
    by_id = {r.item_id: r for r in rows}
    assert by_id[ids[0]].extra["review"] == ["rescue"] and by_id[ids[1]].extra["status"] == "resolved"
    assert [r.item_id for r in rows][0] == ids[0]  # the possible rescue first


class PoisonAnalyser(KeywordAnalyser):
    """Fails on any batch holding a post with 毒 (as a tokenizer can on one odd post)."""

    def analyse(self, texts):
        if any("毒" in t for t in texts):
            raise RuntimeError("tokenizer choked")
        return super().analyse(texts)


def test_a_post_whose_analysis_fails_is_marked_queued_as_unanalysed_and_never_blocks_its_batch(db, clock):
    from disaster_desk.core.analysis import FAILED_URGENCY
    from disaster_desk.core.modes import REAL_SCOPE
    from disaster_desk.core.queue import QueueFilter, QueueService
    from disaster_desk.core.stats import counts

    ids = _ingest(db, clock, ["北区中崎町で火事", "毒の投稿 助けて", "今日は晴れ"])
    service = AnalysisService(db, PoisonAnalyser(), clock)
    assert service.analyse_ids(ids) == 3
    with db.session() as s:
        analyses = {a.post_id: a for a in s.scalars(select(Analysis))}
    assert analyses[ids[0]].labels == ["fire"] and analyses[ids[2]].labels == ["none"]
    failed = analyses[ids[1]]
    assert failed.error == "RuntimeError: tokenizer choked" and failed.labels == [] and failed.urgency == FAILED_URGENCY

    page = QueueService(db, REAL_SCOPE).page(QueueFilter(), 0, 10)
    row = next(r for r in page if r.item_id == ids[1])
    assert row.unanalysed and row.urgency == FAILED_URGENCY  # shown, with the rescue calls, never hidden
    assert counts(db, REAL_SCOPE)["posts_analysis_failed"] == 1

    assert service.analyse_pending() == 0  # not pending: the catch-up does not loop on it
    assert service.reanalyse() == 1  # tried again once per call; fails again, stays marked
    assert AnalysisService(db, KeywordAnalyser(), clock).reanalyse() == 1  # a fixed analyser clears the mark
    with db.session() as s:
        again = s.scalar(select(Analysis).where(Analysis.post_id == ids[1]))
    assert again.error is None and again.labels == ["none"]
