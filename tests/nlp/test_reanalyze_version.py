"""``nlp reanalyze`` re-applies the geoparser's fixes: analyses stored by an older rules version are redone."""

from __future__ import annotations

from nlp.analyser import RULES_VERSION

#: A post in a neighbouring city whose town name holds an Osaka town (長田中 ⊃ 田中): the geoparser
#: before issue 15 pinned it in Osaka; the one of rules version 2 does not.
NEIGHBOUR = "東大阪市長田中3丁目で火事です"


def test_rules_version_was_raised_past_the_geoparser_fixes(analyser):
    assert int(RULES_VERSION) >= 5
    assert analyser.version.startswith(f"dd-nlp/{RULES_VERSION}+")


def test_analyses_of_the_older_rules_version_are_redone_by_reanalyze(stored_analyses, analyser):
    old_version = analyser.version.replace(f"dd-nlp/{RULES_VERSION}+", "dd-nlp/1+", 1)
    assert old_version != analyser.version
    ids = stored_analyses.store([NEIGHBOUR, "十三駅で火事"])
    # what the older geoparser stored: the post pinned in an Osaka ward
    stored_analyses.set(ids[0], analyser_version=old_version, ward="東成区", lat=34.67, lon=135.54, place="田中")
    assert stored_analyses.reanalyze() == {"reanalysed": 1, "analyser_version": analyser.version}
    rows = stored_analyses.rows()
    assert rows[ids[0]].analyser_version == analyser.version
    assert (rows[ids[0]].ward, rows[ids[0]].lat) == (None, None)  # no longer pinned in Osaka
    assert rows[ids[1]].ward == "淀川区"  # the current one was left alone
