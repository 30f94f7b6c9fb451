"""``disaster-desk collect``: the CLI contract, and a real process killed mid-replay."""

from __future__ import annotations

import functools
import http.server
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from disaster_desk.cli import main

REPO = Path(__file__).resolve().parents[2]


def write_posts(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"k{i}", "text": f"西区で停電 {i}", "created_at": "2026-01-17T06:00:00+09:00"}, ensure_ascii=False) + "\n")
    return path


def sqlite_counts(db_file: Path) -> tuple[int, int]:
    with sqlite3.connect(db_file) as conn:
        total, distinct = conn.execute("SELECT count(*), count(DISTINCT external_id) FROM posts").fetchone()
    return total, distinct


def collect(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "disaster_desk", "collect", *args],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for_posts(db_file: Path, at_least: int, proc: subprocess.Popen, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        if db_file.exists():
            try:
                n = sqlite_counts(db_file)[0]
            except sqlite3.OperationalError:  # schema not created yet
                n = 0
            if n >= at_least:
                return n
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} posts after {timeout}s")


def test_killed_mid_replay_and_restarted_loses_nothing_and_stores_nothing_twice(tmp_path):
    posts = write_posts(tmp_path / "posts.jsonl", 3000)
    db_file = tmp_path / "dd.sqlite"
    url = f"sqlite:///{db_file}"
    proc = collect("--db", url, "--replay", str(posts), "--rate", "500", "--no-analyse")
    try:
        before_kill = wait_for_posts(db_file, 500, proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    assert before_kill < 3000  # really killed mid-run

    done = subprocess.run(
        [sys.executable, "-m", "disaster_desk", "collect", "--db", url, "--replay", str(posts), "--no-analyse"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["resumed_at_line"] > 1  # resumed from the checkpoint, not from the top
    assert sqlite_counts(db_file) == (3000, 3000)


def test_sigterm_finishes_the_batch_and_exits_0(tmp_path):
    posts = write_posts(tmp_path / "posts.jsonl", 5000)
    db_file = tmp_path / "dd.sqlite"
    proc = collect("--db", f"sqlite:///{db_file}", "--replay", str(posts), "--rate", "500", "--no-analyse")
    wait_for_posts(db_file, 100, proc)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    summary = json.loads(out)
    assert summary["stopped"] is True
    stored = sqlite_counts(db_file)[0]
    assert summary["stored"] == stored < 5000


def test_replay_then_status_in_process(tmp_path, capsys, sqlite_url):
    posts = write_posts(tmp_path / "posts.jsonl", 20)
    with posts.open("a", encoding="utf-8") as fh:
        fh.write("{broken\n")
    assert main(["collect", "--db", sqlite_url, "--replay", str(posts), "--no-analyse"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["stored"] == 20
    assert "line 21: not valid JSON" in err

    assert main(["collect", "--db", sqlite_url, "--replay", str(posts), "--no-analyse"]) == 0
    assert json.loads(capsys.readouterr().out)["stored"] == 0

    assert main(["collect", "--db", sqlite_url, "--status"]) == 0
    [replay] = json.loads(capsys.readouterr().out)
    assert replay["name"] == "replay" and replay["state"] == "ok" and replay["last_error"] is None
    assert set(replay) == {"name", "state", "last_run", "items", "last_error", "next_run", "waiting_until", "failures",
                           "refused", "last_refused"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--replay", "/nonexistent/posts.jsonl"], "replay file not found"),
        (["--rate", "5"], "--rate needs --replay"),
        (["--once"], "no collector is enabled"),
    ],
)
def test_user_errors_are_one_line_without_traceback(args, message, capsys, sqlite_url):
    assert main(["collect", "--db", sqlite_url, *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_once_runs_the_configured_collectors(tmp_path, capsys, sqlite_url):
    import responses

    config = tmp_path / "settings.yaml"
    config.write_text(
        "collectors:\n  jma:\n    enabled: true\n    feeds: [https://jma.example/feed/eqvol.xml]\n", encoding="utf-8"
    )
    data = REPO / "tests" / "data" / "jma"
    with responses.RequestsMock() as rsps:
        rsps.get("https://jma.example/feed/eqvol.xml", body=(data / "eqvol.xml").read_bytes())
        base = "https://www.data.jma.go.jp/developer/xml/data/"
        rsps.get(base + "20260116205630_0_VXSE53_010000.xml", body=(data / "VXSE53_osaka.xml").read_bytes())
        rsps.get(base + "20260116204800_0_VXSE51_010000.xml", body=(data / "VXSE51_osaka.xml").read_bytes())
        rsps.get(base + "20260116205000_0_VTSE41_010000.xml", body=(data / "VTSE41_osaka.xml").read_bytes())
        rsps.get(base + "20260116100000_0_VXSE51_010000.xml", body=(data / "VXSE51_miyagi.xml").read_bytes())
        assert main(["collect", "--db", sqlite_url, "--config", str(config), "--once", "--no-analyse"]) == 0
    [jma] = json.loads(capsys.readouterr().out)
    assert (jma["name"], jma["state"], jma["items"]) == ("jma", "ok", 3)


@pytest.fixture
def local_jma(tmp_path):
    """The JMA samples served by a local HTTP server (the feed's links rewritten to it)."""
    root = tmp_path / "www"
    (root / "data").mkdir(parents=True)
    data = REPO / "tests" / "data" / "jma"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root))
    )
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    feed = (data / "eqvol.xml").read_text(encoding="utf-8").replace("https://www.data.jma.go.jp/developer/xml/", base)
    (root / "eqvol.xml").write_text(feed, encoding="utf-8")
    for name, target in [
        ("VXSE53_osaka.xml", "20260116205630_0_VXSE53_010000.xml"),
        ("VXSE51_osaka.xml", "20260116204800_0_VXSE51_010000.xml"),
        ("VTSE41_osaka.xml", "20260116205000_0_VTSE41_010000.xml"),
        ("VXSE51_miyagi.xml", "20260116100000_0_VXSE51_010000.xml"),
    ]:
        (root / "data" / target).write_bytes((data / name).read_bytes())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base + "eqvol.xml"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_continuous_collection_until_sigterm_with_status_from_another_process(tmp_path, local_jma):
    config = tmp_path / "settings.yaml"
    config.write_text(f"collectors:\n  jma:\n    enabled: true\n    interval_s: 1\n    feeds: [{local_jma}]\n", encoding="utf-8")
    db_file = tmp_path / "dd.sqlite"
    url = f"sqlite:///{db_file}"
    proc = collect("--db", url, "--config", str(config), "--no-analyse")
    try:
        deadline = time.monotonic() + 60
        alerts = 0
        while alerts < 3 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.2)
            try:
                with sqlite3.connect(db_file) as conn:
                    alerts = conn.execute("SELECT count(*) FROM official_alerts").fetchone()[0]
            except sqlite3.OperationalError:
                pass
        assert alerts == 3
        status = subprocess.run(
            [sys.executable, "-m", "disaster_desk", "collect", "--db", url, "--status"],
            cwd=REPO, capture_output=True, text=True, timeout=60,
        )
        [jma] = json.loads(status.stdout)
        assert jma["name"] == "jma" and jma["state"] in ("ok", "running") and jma["next_run"]
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("SELECT count(*) FROM official_alerts").fetchone()[0] == 3  # polled again: no copies
        assert conn.execute("SELECT state FROM collector_status WHERE collector='jma'").fetchone()[0] == "stopped"


def test_once_with_a_failing_collector_exits_1_with_one_line(tmp_path, capsys, sqlite_url, monkeypatch):
    monkeypatch.delenv("DD_X_BEARER_TOKEN", raising=False)
    monkeypatch.setattr("collectors.x.get_secret", lambda name: None)
    config = tmp_path / "settings.yaml"
    config.write_text("collectors:\n  x:\n    enabled: true\n", encoding="utf-8")
    assert main(["collect", "--db", sqlite_url, "--config", str(config), "--once", "--no-analyse"]) == 1
    out, err = capsys.readouterr()
    [x] = json.loads(out)
    assert x["state"] == "error" and "DD_X_BEARER_TOKEN" in x["last_error"]
    assert err.count("\n") == 1 and "collector failed: x: PermanentError" in err
