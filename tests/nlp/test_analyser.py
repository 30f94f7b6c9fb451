"""The analyser on hostile text: every post gets a result; over-long text is cut and says so."""

from __future__ import annotations

import json
import subprocess
import sys

from sqlalchemy import select

from disaster_desk.core.analysis import AnalysisService
from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.models import Analysis
from nlp.analyser import TOKENIZER_LIMIT
from tests.hostile import HOSTILE


def test_every_kind_of_hostile_text_is_analysed(analyser):
    results = dict(zip(HOSTILE, analyser.analyse(list(HOSTILE.values())), strict=True))
    assert "rescue" in results["lone_surrogate"].labels
    assert results["nul"].ward == "北区" and "fire" in results["nul"].labels
    assert results["nfkc_expands"].truncated_bytes > TOKENIZER_LIMIT
    assert all(r.truncated_bytes is None for k, r in results.items() if k != "nfkc_expands")


def test_text_before_a_long_expansion_is_still_read(analyser):
    (result,) = analyser.analyse(["北区中崎町で火事、人が閉じ込められている " + "\u3300" * 20_000])
    assert {"rescue", "fire"} <= set(result.labels) and result.ward == "北区"
    assert result.truncated_bytes is not None


def test_stored_analysis_records_the_cut(db, clock, analyser):
    ids = IngestService(db, clock).ingest(
        [RawPost("replay", k, t) for k, t in HOSTILE.items()]
    ).new_ids
    assert AnalysisService(db, analyser, clock).analyse_ids(ids) == len(HOSTILE)
    with db.session() as s:
        cut = {a.post.external_id: a.truncated_bytes for a in s.scalars(select(Analysis))}
    assert set(cut) == set(HOSTILE)
    assert cut["nfkc_expands"] > TOKENIZER_LIMIT and cut["nul"] is None


def test_analyze_never_crashes_on_hostile_lines(tmp_path, analyser):
    src = tmp_path / "hostile.jsonl"
    src.write_text("".join(json.dumps({"id": k, "text": t}) + "\n" for k, t in HOSTILE.items())
                   + '{"id": "cut\\ud83d", "text": "\\ud83d"}\n', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "disaster_desk", "nlp", "analyze", str(src), "--gazetteer-dir", str(tmp_path / "none")],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["id"] for r in records] == [*HOSTILE, "cut\ufffd"]
    assert records[list(HOSTILE).index("nfkc_expands")]["truncated_bytes"] > TOKENIZER_LIMIT
