"""``disaster-desk export`` per the CLI contract: formats, --mode/--run, errors without tracebacks."""

from __future__ import annotations

import json

from disaster_desk.cli import main


def test_export_geojson_and_cap_from_the_command_line(sqlite_url, desk_sqlite, tmp_path, capsys):
    assert main(["export", "geojson", "--db", sqlite_url, "--out", str(tmp_path / "a.geojson")]) == 0
    data = json.loads((tmp_path / "a.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["mode"] for f in data["features"]} == {"real"}
    assert main(["export", "cap", "--db", sqlite_url, "--mode", "drill", "--run", "drill-run-1",
                 "--out", str(tmp_path / "cap")]) == 0
    assert len(list((tmp_path / "cap").glob("disaster-desk.drill-run-1.*.xml"))) == 2
    assert main(["export", "csv", "--db", sqlite_url, "--keep-personal", "--out", str(tmp_path / "x.csv")]) == 0
    assert "@_taro" in (tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    assert main(["export", "sip4d", "--db", sqlite_url, "--out", str(tmp_path / "s.zip")]) == 0
    assert (tmp_path / "s.zip").exists()
    assert "written" in capsys.readouterr().out


def test_bad_database_is_one_line_error(tmp_path, capsys):
    assert main(["export", "csv", "--db", "nosuch://x", "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("disaster-desk: error:") and "Traceback" not in err


def test_unwritable_output_is_one_line_error(sqlite_url, desk_sqlite, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["export", "cap", "--db", sqlite_url, "--out", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("disaster-desk: error: cannot write") and "Traceback" not in err
