"""``nlp reanalyze`` re-applies the geoparser's fixes: analyses stored by an older rules version are redone."""

from __future__ import annotations

import json

from sqlalchemy import select, update

from disaster_desk.cli import main
from disaster_desk.core.analysis import AnalysisService
from disaster_desk.core.db import Database
from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.models import Analysis
from nlp.analyser import RULES_VERSION

#: A post in a neighbouring city whose town name holds an Osaka town (長田中 ⊃ 田中): the geoparser
#: before issue 15 pinned it in Osaka; the one of rules version 2 does not.
NEIGHBOUR = "東大阪市長田中3丁目で火事です"


def test_rules_version_was_raised_past_the_geoparser_fixes(analyser):
    assert int(RULES_VERSION) >= 3
    assert analyser.version.startswith(f"dd-nlp/{RULES_VERSION}+")


def test_analyses_of_the_older_rules_version_are_redone_by_reanalyze(db_url, clock, capsys, analyser):
    old_version = analyser.version.replace(f"dd-nlp/{RULES_VERSION}+", "dd-nlp/1+", 1)
    assert old_version != analyser.version
    db = Database.open(db_url)
    try:
        ids = IngestService(db, clock).ingest([RawPost("x", "n1", NEIGHBOUR), RawPost("x", "n2", "十三駅で火事")]).new_ids
        assert AnalysisService(db, analyser, clock).analyse_pending() == 2
        with db.session() as s:  # what the older geoparser stored: the post pinned in an Osaka ward
            s.execute(update(Analysis).where(Analysis.post_id == ids[0])
                      .values(analyser_version=old_version, ward="東成区", lat=34.67, lon=135.54, place="田中"))
    finally:
        db.dispose()
    assert main(["nlp", "reanalyze", "--db", db_url, "--gazetteer-dir", str(analyser.gazetteer_dir)]) == 0
    assert json.loads(capsys.readouterr().out) == {"reanalysed": 1, "analyser_version": analyser.version}
    db = Database.open(db_url)
    try:
        with db.session() as s:
            rows = {a.post_id: a for a in s.scalars(select(Analysis))}
    finally:
        db.dispose()
    assert rows[ids[0]].analyser_version == analyser.version
    assert (rows[ids[0]].ward, rows[ids[0]].lat) == (None, None)  # no longer pinned in Osaka
    assert rows[ids[1]].ward == "淀川区"  # the current one was left alone
