"""One vocabulary: each enumerated value defined once, with the same words in every output."""

from __future__ import annotations

import csv
import io
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disaster_desk.core import vocabulary as vocab
from disaster_desk.core.map_items import map_item_for
from disaster_desk.core.report_csv import COLUMNS, decode_csv, export_reports, import_reports
from disaster_desk.core.report_rows import report_text
from disaster_desk.core.report_schema import PAYLOADS
from disaster_desk.core.reports import ReportService
from disaster_desk.core.triage import STATES, TriageService


@pytest.mark.parametrize(("kind", "field"), sorted(vocab.REPORT_VALUES))
def test_the_schema_accepts_exactly_the_vocabulary(kind, field):
    annotation = PAYLOADS[kind].model_fields[field].annotation
    while typing.get_origin(annotation) is not typing.Literal:
        annotation = typing.get_args(annotation)[0]  # list[Need] -> Need
    assert typing.get_args(annotation) == vocab.REPORT_VALUES[(kind, field)].ids


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_every_schema_field_has_a_label_and_the_csv_uses_it(kind):
    assert set(vocab.REPORT_FIELDS[kind].ids) == set(PAYLOADS[kind].model_fields)
    assert [title for _, title in COLUMNS[kind]][1:] == [t.ja for t in vocab.REPORT_FIELDS[kind]]


def test_triage_states_are_the_vocabularys():
    assert set(STATES) == set(vocab.TRIAGE_STATE.ids)


@pytest.mark.parametrize("vocabulary", vocab.ALL, ids=lambda v: v.name)
def test_every_term_parses_back_from_each_of_its_words(vocabulary):
    for term in vocabulary:
        assert term.ja and term.en
        for word in (term.id, term.ja, term.en, term.en.upper(), f" {term.ja} ", *term.aliases):
            assert vocabulary.parse(word) == term.id


@given(st.text(max_size=12))
def test_parse_never_guesses(text):
    for vocabulary in vocab.ALL:
        found = vocabulary.parse(text)
        if found is not None:
            term = vocabulary.get(found)
            words = {w.casefold() for w in (term.id, term.ja, term.en, *term.aliases)}
            assert text.strip().casefold() in words


def test_a_word_naming_two_values_is_refused_at_definition():
    with pytest.raises(ValueError, match="names both"):
        vocab.Vocabulary("x", (vocab.Term("a", "停止", "Stop"), vocab.Term("b", "停止", "Halt")))


def test_degraded_is_the_same_word_in_queue_text_csv_and_form(db, clock):
    reports = ReportService(db, clock)
    reports.submit("system", None, {"system": "区LAN", "status": "degraded"}, author="hq")
    reports.submit("damage", "北区", {"type": "road", "severity": "major", "status": "closed"}, author="kita")
    assert report_text("system", None, {"system": "区LAN", "status": "degraded"}) == "システム 区LAN 一部停止"
    assert "通行止め・閉鎖" in report_text("damage", "北区", {"type": "road", "severity": "major", "status": "closed"})
    rows = list(csv.reader(io.StringIO(decode_csv(export_reports(db, "system", reports.scope)))))
    assert rows[1][2] == "一部停止"
    damage = list(csv.reader(io.StringIO(decode_csv(export_reports(db, "damage", reports.scope)))))
    assert damage[1][1:4] == ["道路", "重大", ""] and damage[1][6] == "通行止め・閉鎖"


def test_old_and_english_spellings_import(sqlite_db, clock):
    data = ("区,システム名,稼働状況,備考\r\n北区,庁内LAN,一部障害,\r\n北区,住基,Degraded,\r\n北区,電話,DOWN,\r\n"
            "北区,メール,壊れた,\r\n").encode()
    result = import_reports(ReportService(sqlite_db, clock), "system", data, author="kita")
    assert len(result.created) == 3
    assert [(e.line, e.column) for e in result.errors] == [(5, "稼働状況")]


def test_csv_export_round_trips_through_the_japanese_words(sqlite_db, clock):
    reports = ReportService(sqlite_db, clock)
    reports.submit("shelter", "北区", {"name": "扇町小学校", "status": "full", "needs": ["water", "milk"]}, author="k")
    data = export_reports(sqlite_db, "shelter", reports.scope)
    text = decode_csv(data)
    assert "満員" in text and "水;ミルク" in text and "full" not in text
    again = import_reports(reports, "shelter", data, author="k")
    assert again.errors == [] and again.created == [] and len(again.duplicates) == 1


def test_map_popups_say_states_in_the_vocabularys_words(sqlite_db, clock):
    from tests.core.test_map_items import add_post

    pid = add_post(sqlite_db, clock, "北区で火事", ["fire"], 34.70, 135.50)
    TriageService(sqlite_db, clock).acknowledge("post", pid, actor="op")
    TriageService(sqlite_db, clock).share("post", pid, ["消防局", "北区"], actor="op")
    fields = dict(map_item_for(sqlite_db, f"post:{pid}").fields)
    assert fields["状態"] == "共有済→消防局・北区"
    english = map_item_for(sqlite_db, f"post:{pid}", language="en")
    assert dict(english.fields)["State"] == "Shared→消防局・北区" and english.title == "Fire"
    rid = ReportService(sqlite_db, clock).submit(
        "damage", "北区", {"type": "bridge", "severity": "critical", "status": "repairing"}, author="k").report_id
    damage = map_item_for(sqlite_db, f"report:{rid}")
    assert damage.title == "橋梁 / 甚大" and dict(damage.fields)["状況"] == "復旧中"
