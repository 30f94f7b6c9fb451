"""The text boundary (core/text.py): what outside text may hold once stored."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from disaster_desk.core.text import clean_text, clean_value, cut_utf8, xml_safe
from tests.hostile import hostile_text

ANY_TEXT = hostile_text(300)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("北区で火事", "北区で火事"),
        ("a\x00b", "ab"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("dos\r\nline\rend", "dos\nline\nend"),
        ("bell\x07 esc\x1b del\x7f c1\x85", "bell esc del c1"),
        ("cut emoji \ud83d", "cut emoji \ufffd"),
        ("lone low \ude00 end", "lone low \ufffd end"),
        ("pair as two \ud83d\ude00", "pair as two \U0001f600"),
        ("non\ufffe\uffff\ufdd0\U0001fffe\U0010ffffchar", "nonchar"),
        ("evil\u202e}gnirts\u202c \u2066iso\u2069", "evil}gnirts iso"),
        ("marks \u200f stay", "marks \u200f stay"),
    ],
)
def test_clean_text_examples(raw, clean):
    assert clean_text(raw) == clean


@given(ANY_TEXT)
@settings(max_examples=200)
def test_clean_text_is_idempotent_encodable_and_xml_valid(text):
    clean = clean_text(text)
    assert clean_text(clean) == clean
    clean.encode("utf-8")  # no lone surrogate left
    assert "\x00" not in clean
    root = etree.fromstring(b"<t/>")
    root.text = clean  # lxml refuses XML-invalid characters
    assert (etree.fromstring(etree.tostring(root)).text or "") == clean


@given(ANY_TEXT)
@settings(max_examples=100)
def test_xml_safe_always_gives_xml_character_data(text):
    root = etree.fromstring(b"<t/>")
    root.text = xml_safe(text)


def test_clean_value_walks_json_like_data():
    data = {"name\x00": ["a\x01", {"k": "\ud800"}], "n": 3, "none": None}
    assert clean_value(data) == {"name": ["a", {"k": "\ufffd"}], "n": 3, "none": None}


@given(st.text(max_size=200), st.integers(min_value=0, max_value=400))
@settings(max_examples=200)
def test_cut_utf8_stays_within_the_limit_on_a_character_boundary(text, limit):
    cut, was_cut = cut_utf8(text, limit)
    assert len(cut.encode("utf-8")) <= limit or not was_cut and len(text.encode("utf-8")) <= limit
    assert text.startswith(cut)
    assert was_cut == (len(text.encode("utf-8")) > limit)
