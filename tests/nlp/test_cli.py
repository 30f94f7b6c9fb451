"""``disaster-desk nlp analyze|eval|reanalyze`` and ``gazetteer import`` as operators run them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from disaster_desk.cli import main
from tests.data_files import TOWNS_CSV

DEV = Path(__file__).resolve().parents[2] / "nlp" / "data" / "dev.jsonl"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_analyze_reports_malformed_lines_and_analyses_the_rest(tmp_path, capsys, full_analyser, imported_gazetteer):
    src = _write(tmp_path / "in.jsonl", [
        json.dumps({"id": "p1", "text": "北区曽根崎2丁目で火事！", "author": "x"}, ensure_ascii=False),
        '{"id": "p2", "text": "broken',
        json.dumps({"id": "p3"}),
        "",
        json.dumps({"id": "p4", "text": "東京都北区で停電"}, ensure_ascii=False),
    ])
    assert main(["nlp", "analyze", str(src), "--gazetteer-dir", str(imported_gazetteer)]) == 0
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["p1", "p4"]
    first = {k: v for k, v in records[0].items() if k != "confidence"}
    assert first == {"id": "p1", "labels": ["fire"], "ward": "北区", "lat": records[0]["lat"],
                     "lon": records[0]["lon"], "place": "曾根崎二丁目", "precision": "address",
                     "status": "ongoing", "review": []}
    assert records[0]["confidence"]["fire"] > 0.5 > records[0]["confidence"]["rescue"]
    assert records[1]["ward"] is None and records[1]["lat"] is None and records[1]["labels"] == ["lifeline"]
    assert records[1]["status"] == "elsewhere"  # 東京都北区: another city
    assert f"{src}:2: skipped: not valid JSON" in err
    assert f"{src}:3: skipped: no 'text'" in err


def test_analyze_writes_output_file(tmp_path, capsys, full_analyser, imported_gazetteer):
    src = _write(tmp_path / "in.jsonl", [json.dumps({"id": 7, "text": "天六で停電"}, ensure_ascii=False)])
    out = tmp_path / "out.jsonl"
    assert main(["nlp", "analyze", str(src), "-o", str(out), "--gazetteer-dir", str(imported_gazetteer)]) == 0
    assert capsys.readouterr().out == ""
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert (record["id"], record["place"], record["precision"]) == ("7", "天神橋筋六丁目", "station")


def test_analyze_missing_file_is_a_one_line_error(tmp_path, capsys):
    assert main(["nlp", "analyze", str(tmp_path / "nope.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.jsonl" in err


def test_analyze_as_a_process(tmp_path, analyser):
    src = _write(tmp_path / "in.jsonl", ['{"id": "a", "text": "梅田駅で火事"}', "not json"])
    proc = subprocess.run(
        [sys.executable, "-m", "disaster_desk", "nlp", "analyze", str(src), "--gazetteer-dir", str(tmp_path / "none")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["place"] == "梅田"
    assert "in.jsonl:2: skipped" in proc.stderr and "Traceback" not in proc.stderr


def test_eval_prints_the_metrics(capsys, full_analyser, imported_gazetteer):
    assert main(["nlp", "eval", str(DEV), "--gazetteer-dir", str(imported_gazetteer), "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert set(metrics["per_label"]) == {"rescue", "casualty", "fire", "building", "flood", "lifeline", "transport",
                                         "evacuation", "supplies", "safety", "none"}
    assert metrics["analyser_version"] == full_analyser.version
    assert main(["nlp", "eval", str(DEV), "--gazetteer-dir", str(imported_gazetteer)]) == 0
    text = capsys.readouterr().out
    assert "macro-F1" in text and "rescue recall" in text and "within 1.5 km" in text and "out-of-area pins" in text


def test_gazetteer_import_prints_counts(tmp_path, capsys):
    assert main(["gazetteer", "import", "--format", "geolonia", str(TOWNS_CSV), "--gazetteer-dir", str(tmp_path)]) == 0
    assert "1903 imported" in capsys.readouterr().out
    assert (tmp_path / "towns-geolonia.csv").exists()


def test_reanalyze_reruns_posts_of_another_analyser_version(stored_analyses, analyser):
    ids = stored_analyses.store(["十三駅で火事", "停電してる", "今日は晴れ"])
    stored_analyses.set(ids[0], analyser_version="old", labels=["none"])
    assert stored_analyses.reanalyze() == {"reanalysed": 1, "analyser_version": analyser.version}
    row = stored_analyses.rows()[ids[0]]
    assert (row.labels, row.ward, row.analyser_version) == (["fire"], "淀川区", analyser.version)
