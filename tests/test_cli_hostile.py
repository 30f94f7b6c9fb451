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


def test_drill_export_and_bulletin_commands_survive_hostile_text(db_url, tmp_path):
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
    assert err_lines(cli("drill", "run", str(scenario), "--speed", "max", "--db", db_url, "--out", str(out))) == []
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    run = ["--db", db_url, "--mode", "drill", "--run", metrics["run_id"]]
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


def test_reports_and_shelters_import_and_sip4d_export_survive_hostile_files(db_url, tmp_path):
    """reports import, shelters import and export sip4d on files carrying every hostile kind, both engines."""
    import csv
    import io

    from tests.data_files import HINANJO

    rows = [["区", "種別", "程度", "場所", "緯度", "経度", "対応状況", "備考"]]
    for text in HOSTILE.values():  # each hostile kind in the place and the note
        rows.append(["北区", "道路", "重大", text[:150], "34.70", "135.50", "通行止め", text[:2000]])
    rows.append(["北区", "道路", "重大", HOSTILE["long"], "", "", "", ""])  # a place of 12,000 characters
    rows.append(["北区\x00", "道路", "重大", "=cmd|' /C calc'!A0", "", "", "", ""])  # the ward is cleaned too
    rows.append(["北区", "道路\u202e", "重大", "", "", "", "", ""])  # an enum with a bidi override: refused by name
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    data = out.getvalue().encode("utf-8", "surrogatepass")  # a lone surrogate as CESU bytes: not UTF-8
    data += "北区,道路,重大,".encode() + b"\xff\xfe" + b",,,,\n"  # a line with bytes of no encoding
    data += "北区,道路,重大,最後の行,,,,\n".encode()
    damage = tmp_path / "damage.csv"
    damage.write_bytes(data)
    done = cli("reports", "import", "--kind", "damage", str(damage), "--db", db_url, check=1)
    lines = err_lines(done)
    good = len(HOSTILE) - 1 + 2  # the lone-surrogate line does not decode: that line alone is refused
    assert done.stdout.decode().strip() == f"damage: {good} stored, 0 already stored, 4 refused", lines
    assert all(line.startswith(f"{damage}: line ") for line in lines), lines
    surrogate_line = 2 + list(HOSTILE).index("lone_surrogate")
    long_line, enum_line, bad_bytes_line = 2 + len(HOSTILE), 4 + len(HOSTILE), 5 + len(HOSTILE)
    named = {int(line.split("line ")[1].split(",")[0].split(":")[0]) for line in lines}
    assert named == {surrogate_line, long_line, enum_line, bad_bytes_line}, lines
    assert "column '場所'" in lines[1] and "column '種別'" in lines[2] and "not UTF-8 or Shift_JIS" in lines[3]
    again = cli("reports", "import", "--kind", "damage", str(damage), "--db", db_url, check=1)
    assert f"0 stored, {good} already stored" in again.stdout.decode()  # nothing twice

    gsi = HINANJO.read_text(encoding="utf-8-sig").splitlines()
    header, first = gsi[0], gsi[1].split(",")
    hostile_rows = []
    for n, text in enumerate(HOSTILE.values()):
        row = list(first)
        row[header.split(",").index("共通ID")] = f"X{n:04d}\x00"  # a hostile 共通ID too
        row[header.split(",").index("施設・場所名")] = text.replace(",", "、").replace("\n", " ")[:3000]
        hostile_rows.append(",".join(row))
    registry = tmp_path / "gsi.csv"
    registry.write_bytes(("\n".join([header, *hostile_rows]) + "\n").encode("utf-8", "surrogatepass"))
    done = cli("shelters", "import", "--format", "gsi", str(registry), "--db", db_url)
    lines = err_lines(done)
    assert all(line.startswith(f"{registry.name}") or line.startswith(str(registry)) for line in lines), lines
    assert any("line " + str(2 + list(HOSTILE).index("lone_surrogate")) in line for line in lines), lines
    assert "new" in done.stdout.decode()

    for target in ("zip", "folder"):
        path = tmp_path / ("x.zip" if target == "zip" else "sip4d")
        assert err_lines(cli("export", "sip4d", "--out", str(path), "--db", db_url)) == []
    import zipfile

    with zipfile.ZipFile(tmp_path / "x.zip") as zf:
        for name in zf.namelist():
            if name.endswith(".json") or name.endswith(".geojson"):
                json.loads(zf.read(name).decode("utf-8"))
