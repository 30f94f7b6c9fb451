"""Issue 12, acceptance 3: no traceback at the CLI for hostile input, whatever the command.

Each command runs in a real subprocess (``python -m disaster_desk``) on the
inputs of tests/hostile.py and on broken records (a line that is not JSON, a
post whose text is nothing but controls, a body file with a byte that is not
UTF-8, an argument carrying an undecodable byte, which Python hands over as a
lone surrogate). Good records are processed; each bad one is one line on stderr
naming it; exit codes per docs/cli.md (0 done, 2 a user error); never a
Python traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import lxml.html
from lxml import etree

from tests.data_files import CAP_XSD
from tests.drills.test_hostile_drill import hostile_scenario
from tests.hostile import HOSTILE

ROOT = Path(__file__).resolve().parents[1]
ORDINARY = 200


def cli(*args: str, check: int | None = 0) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "disaster_desk", *args], cwd=ROOT, capture_output=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    stderr = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    if check is not None:
        assert done.returncode == check, stderr
    return done


def err_lines(done: subprocess.CompletedProcess) -> list[str]:
    return done.stderr.decode("utf-8").splitlines()


def hostile_replay(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:  # json.dumps writes a lone surrogate as \ud83d, as APIs send it
        for i in range(ORDINARY):
            fh.write(json.dumps({"id": f"o{i}", "text": f"北区で火事 {i}", "created_at": "2026-12-04T03:00:00+09:00"})
                     + "\n")
        for kind, text in HOSTILE.items():
            fh.write(json.dumps({"id": kind, "text": text, "created_at": "2026-12-04T03:00:00+09:00",
                                 "author": "a\x00"}) + "\n")
        fh.write(json.dumps({"id": "only-controls", "text": "\x00\x01\u202e", "created_at": "2026-12-04T03:00:00Z"})
                 + "\n")
        fh.write("{not json\n")
    return path


def test_collect_replay_and_nlp_analyze_survive_hostile_posts(db_url, tmp_path):
    replay = hostile_replay(tmp_path / "hostile.jsonl")
    bad_lines = [ORDINARY + len(HOSTILE) + 1, ORDINARY + len(HOSTILE) + 2]
    done = cli("collect", "--replay", str(replay), "--once", "--db", db_url)
    lines = err_lines(done)
    assert len(lines) == 2 and [f"line {n}" in line for line, n in zip(lines, bad_lines, strict=True)] == [True, True]
    assert "'text'" in lines[0] and "not valid JSON" in lines[1]
    stats = json.loads(cli("stats", "--db", db_url).stdout)
    assert stats["posts"] == stats["posts_analysed"] == ORDINARY + len(HOSTILE)  # every non-empty post
    assert stats.get("posts_analysis_failed", 0) == 0
    again = cli("collect", "--replay", str(replay), "--once", "--db", db_url)  # resumes past the file's end
    assert err_lines(again) == [] and json.loads(again.stdout)["stored"] == 0
    assert json.loads(cli("stats", "--db", db_url).stdout)["posts"] == ORDINARY + len(HOSTILE)  # nothing twice

    if "postgresql" in db_url:
        return  # nlp analyze touches no database
    done = cli("nlp", "analyze", str(replay))
    out = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(out) == ORDINARY + len(HOSTILE) + 1  # the controls-only post too, analysed as nothing
    assert {"nul", "lone_surrogate", "long", "nfkc_expands"} <= {o["id"] for o in out}
    (line,) = err_lines(done)
    assert f":{bad_lines[1]}:" in line and "not valid JSON" in line


def test_drill_export_and_bulletin_commands_survive_hostile_text(sqlite_url, tmp_path):
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(hostile_scenario(), encoding="utf-8")
    assert cli("drill", "validate", str(scenario)).stdout.decode().startswith("hostile.yaml: ok, ")
    broken = tmp_path / "broken.yaml"
    text = hostile_scenario()
    assert "  text: '訓練投稿3番: 天気は晴れ'\n" in text
    broken.write_text(text.replace("  text: '訓練投稿3番: 天気は晴れ'\n", '  text: "\\0\\x01\\u202e"\n  colour: 赤\n'),
                      encoding="utf-8")
    lines = err_lines(cli("drill", "validate", str(broken), check=2))
    assert lines == [
        "disaster-desk: error: broken.yaml: inject 3, key 'colour': unknown key for a post inject (line 18)",
        "disaster-desk: error: broken.yaml: inject 3, key 'text': a post needs a non-empty text (line 17)",
    ]
    out = tmp_path / "drill"
    assert err_lines(cli("drill", "run", str(scenario), "--speed", "max", "--db", sqlite_url, "--out", str(out))) == []
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    run = ["--db", sqlite_url, "--mode", "drill", "--run", metrics["run_id"]]
    assert metrics["items_shared"] == len(HOSTILE)

    schema = etree.XMLSchema(etree.parse(str(CAP_XSD)))
    assert err_lines(cli("export", "cap", "--out", str(tmp_path / "cap"), *run)) == []
    alerts = list((tmp_path / "cap").glob("*.xml"))
    assert len(alerts) == len(HOSTILE)
    for alert in alerts:
        schema.assertValid(etree.parse(str(alert)))
    assert err_lines(cli("export", "geojson", "--out", str(tmp_path / "x.geojson"), *run)) == []
    assert len(json.loads((tmp_path / "x.geojson").read_text(encoding="utf-8"))["features"]) >= len(HOSTILE)
    assert err_lines(cli("export", "csv", "--out", str(tmp_path / "x.csv"), *run)) == []

    shared = [f"post:{path.stem.rsplit('-', 1)[1]}" for path in alerts]
    items = [arg for key in shared for arg in ("--item", key)]
    body = tmp_path / "body.txt"
    body.write_bytes("本文\x00\x01 ]]> <script>x</script>\n\ufffe 終".encode())
    site = tmp_path / "site"
    hostile_arg = os.fsdecode(b"\xff") + "\x01\u202e"  # an undecodable byte arrives as a lone surrogate
    cli("bulletin", "publish", "--title", "速報" + hostile_arg, "--body", f"@{body}", *items, "--out", str(site),
        "--actor", "op" + hostile_arg, *run)
    lxml.html.parse(str(site / "index.html"))
    etree.parse(str(site / "feed.atom"))
    json.loads((site / "bulletins.json").read_text(encoding="utf-8"))

    body.write_bytes("本文\n二行目 ".encode() + b"\xed\xa0\xbd")  # a CESU-8 surrogate: not UTF-8
    (line,) = err_lines(cli("bulletin", "publish", "--title", "t", "--body", f"@{body}", *items, "--out",
                            str(tmp_path / "site2"), "--actor", "op", *run, check=2))
    assert line.startswith("disaster-desk: error: ") and f"{body}: line 2" in line
    assert not (tmp_path / "site2").exists()
    (line,) = err_lines(cli("bulletin", "publish", "--title", "t", "--item", "post:999999", "--out",
                            str(tmp_path / "site3"), "--actor", "op", *run, check=2))
    assert "999999" in line
