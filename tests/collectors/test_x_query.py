"""X query building: keywords × area terms within the API's length limit."""

from __future__ import annotations

import pytest

from collectors.x_query import area_terms, build_queries


def test_keywords_times_areas_in_japanese():
    [q] = build_queries(["地震", "火事"], ["大阪", "北区"])
    assert q == "(地震 OR 火事) (大阪 OR 北区) lang:ja"


def test_retweets_can_be_excluded():
    [q] = build_queries(["地震"], ["大阪"], include_retweets=False)
    assert q.endswith("lang:ja -is:retweet")


def test_ambiguous_ward_names_are_qualified_with_the_city():
    terms = area_terms()
    assert "大阪市北区" in terms and "北区" not in terms
    assert "此花区" in terms and "梅田" in terms and terms[0] == "大阪"


def test_long_term_lists_are_split_under_the_limit():
    keywords = ["地震", "火事", "救助", "避難", "浸水", "停電", "断水"]
    queries = build_queries(keywords, max_len=200)
    assert len(queries) > 1
    assert all(len(q) <= 200 for q in queries)
    covered = set()
    for q in queries:
        assert q.startswith("(地震 OR 火事 OR 救助 OR 避難 OR 浸水 OR 停電 OR 断水) (")
        covered |= set(q.split(") (", 1)[1].rsplit(")", 1)[0].split(" OR "))
    assert covered == set(area_terms())


def test_no_keywords_is_an_error():
    with pytest.raises(ValueError, match="keywords"):
        build_queries([" "], ["大阪"])
