"""``disaster-desk drill run`` headless, per the CLI contract (run in-process through ``cli.main``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from disaster_desk.cli import main

DATA = Path(__file__).parent / "data"


def test_drill_run_max_writes_metrics_and_report(tmp_path, sqlite_url, capsys):
    out = tmp_path / "out"
    assert main(["drill", "run", str(DATA / "small.yaml"), "--speed", "max", "--db", sqlite_url, "--out", str(out)]) == 0
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["speed"] == "max" and metrics["posts_collected"] == 4 and metrics["items_shared"] == 3
    assert metrics["time_to_share_s"] == {"count": 3, "median": 300.0, "p90": 420.0, "max": 420.0}
    assert "訓練 — EXERCISE" in (out / "report.html").read_text(encoding="utf-8")
    assert metrics["run_id"] in capsys.readouterr().out
    # the audit chain head in metrics.json is what admin verify-audit names as the head
    assert main(["admin", "verify-audit", "--db", sqlite_url]) == 0
    head = metrics["audit_chain_head"]
    assert capsys.readouterr().out.strip().endswith(f"head seq {head['seq']} {head['hash']}")
    # real stats of the same database stay empty
    assert main(["stats", "--db", sqlite_url]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["posts"] == 0 and stats["shared"] == 0


def test_real_exports_after_a_drill_hold_no_drill_data(tmp_path, sqlite_url, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["drill", "run", str(DATA / "small.yaml"), "--speed", "max", "--db", sqlite_url]) == 0
    (folder,) = tmp_path.glob("drill-*")  # default --out is ./drill-<run_id>
    run_id = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["run_id"]
    assert folder.name == f"drill-{run_id}"

    def export(fmt: str, out: Path, *extra: str) -> None:
        assert main(["export", fmt, "--db", sqlite_url, "--out", str(out), *extra]) == 0, capsys.readouterr().err

    export("geojson", tmp_path / "real.geojson")
    assert json.loads((tmp_path / "real.geojson").read_text(encoding="utf-8"))["features"] == []
    export("cap", tmp_path / "real-cap")
    assert not list((tmp_path / "real-cap").glob("*.xml"))
    # the drill's own export has its 3 shared items, marked as an exercise
    export("cap", tmp_path / "drill-cap", "--mode", "drill", "--run", run_id)
    alerts = list((tmp_path / "drill-cap").glob("*.xml"))
    assert len(alerts) == 3
    assert all("<status>Exercise</status>" in a.read_text(encoding="utf-8") for a in alerts)


def test_bad_scenario_is_one_line_naming_index_and_key(tmp_path, sqlite_url, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ninjects:\n  - {at: 10, kind: post, text: ok}\n  - {at: 20, kind: post, txt: typo}\n",
                   encoding="utf-8")
    assert main(["drill", "run", str(bad), "--speed", "max", "--db", sqlite_url]) == 2
    assert capsys.readouterr().err.splitlines() == [  # every problem, one a line, with its line in the file
        "disaster-desk: error: bad.yaml: inject 1, key 'txt': unknown key for a post inject (line 4)",
        "disaster-desk: error: bad.yaml: inject 1, key 'text': a post needs a non-empty text (line 4)",
    ]


def test_bad_speed_and_missing_scenario_are_user_errors(tmp_path, sqlite_url, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["drill", "run", str(DATA / "small.yaml"), "--speed", "fast", "--db", sqlite_url])
    assert exit_.value.code == 2 and "speed must be a number or 'max'" in capsys.readouterr().err
    assert main(["drill", "run", "no-such-scenario", "--db", sqlite_url]) == 2
    assert "scenario not found" in capsys.readouterr().err


def test_drill_list_shows_the_bundled_scenarios_as_a_real_process(tmp_path):
    result = subprocess.run([sys.executable, "-m", "disaster_desk", "drill", "list"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 0 and "uemachi" in result.stdout and "typhoon-surge" in result.stdout
