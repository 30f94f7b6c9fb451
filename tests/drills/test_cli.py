"""``disaster-desk drill run`` headless, per the CLI contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data"


def drill(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "disaster_desk", "drill", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_drill_run_max_writes_metrics_and_report(tmp_path, sqlite_url):
    out = tmp_path / "out"
    result = drill("run", str(DATA / "small.yaml"), "--speed", "max", "--db", sqlite_url, "--out", str(out),
                   cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["speed"] == "max" and metrics["posts_collected"] == 4 and metrics["items_shared"] == 3
    assert metrics["time_to_share_s"] == {"count": 3, "median": 300.0, "p90": 420.0, "max": 420.0}
    assert "訓練 — EXERCISE" in (out / "report.html").read_text(encoding="utf-8")
    # real stats of the same database stay empty
    stats = subprocess.run([sys.executable, "-m", "disaster_desk", "stats", "--db", sqlite_url],
                           capture_output=True, text=True, timeout=60)
    assert json.loads(stats.stdout)["posts"] == 0 and json.loads(stats.stdout)["shared"] == 0


def test_default_out_dir_is_named_after_the_run(tmp_path, sqlite_url):
    result = drill("run", str(DATA / "small.yaml"), "--speed", "max", "--db", sqlite_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (folder,) = tmp_path.glob("drill-*")
    assert json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["run_id"] == folder.name[len("drill-"):]


def test_bad_scenario_is_one_line_naming_index_and_key(tmp_path, sqlite_url):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ninjects:\n  - {at: 10, kind: post, text: ok}\n  - {at: 20, kind: post, txt: typo}\n",
                   encoding="utf-8")
    result = drill("run", str(bad), "--speed", "max", "--db", sqlite_url, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "disaster-desk: error: bad.yaml: inject 1, key 'txt': unknown key for a post inject"
    assert "Traceback" not in result.stderr


def test_bad_speed_and_missing_scenario_are_user_errors(tmp_path, sqlite_url):
    result = drill("run", str(DATA / "small.yaml"), "--speed", "fast", "--db", sqlite_url, cwd=tmp_path)
    assert result.returncode == 2 and "speed must be a number or 'max'" in result.stderr
    result = drill("run", "no-such-scenario", "--db", sqlite_url, cwd=tmp_path)
    assert result.returncode == 2 and "scenario not found" in result.stderr and "Traceback" not in result.stderr


def test_drill_list_shows_the_bundled_scenarios(tmp_path):
    result = drill("list", cwd=tmp_path)
    assert result.returncode == 0 and "uemachi" in result.stdout and "typhoon-surge" in result.stdout


def test_real_exports_after_a_drill_hold_no_drill_data(tmp_path, sqlite_url):
    result = drill("run", str(DATA / "small.yaml"), "--speed", "max", "--db", sqlite_url, "--out", str(tmp_path / "o"),
                   cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    run_id = json.loads((tmp_path / "o" / "metrics.json").read_text(encoding="utf-8"))["run_id"]

    def export(fmt: str, out: Path, *extra: str) -> None:
        done = subprocess.run([sys.executable, "-m", "disaster_desk", "export", fmt, "--db", sqlite_url, "--out",
                               str(out), *extra], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr

    export("geojson", tmp_path / "real.geojson")
    assert json.loads((tmp_path / "real.geojson").read_text(encoding="utf-8"))["features"] == []
    export("cap", tmp_path / "real-cap")
    assert not list((tmp_path / "real-cap").glob("*.xml"))
    # the drill's own export has its 3 shared items, marked as an exercise
    export("cap", tmp_path / "drill-cap", "--mode", "drill", "--run", run_id)
    alerts = list((tmp_path / "drill-cap").glob("*.xml"))
    assert len(alerts) == 3
    assert all("<status>Exercise</status>" in a.read_text(encoding="utf-8") for a in alerts)
