"""``disaster-desk screenshot`` works offscreen and says what is wrong in one line."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtGui import QImage


def cli(*args, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DD_CONFIG_DIR=str(tmp_path / "cfg"),
               DD_DATA_DIR=str(tmp_path / "data"))
    return subprocess.run([sys.executable, "-m", "disaster_desk", "screenshot", *args], capture_output=True,
                          text=True, timeout=240, env=env)


def test_screenshot_writes_a_png_of_the_window(tmp_path, sqlite_url):
    out = tmp_path / "shot.png"
    result = cli(str(out), "--after", "0.5", "--size", "1200x800", "--db", sqlite_url, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-800:]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)
    assert out.stat().st_size < 500_000  # small enough for the README
    # the window, not a blank picture: the menu bar area differs from the middle of the map
    assert len({image.pixel(x, y) for x in range(0, 1200, 40) for y in range(0, 800, 40)}) > 5


def test_bad_size_is_a_one_line_error(tmp_path):
    result = cli(str(tmp_path / "x.png"), "--size", "huge", tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "--size" in result.stderr
    assert "Traceback" not in result.stderr


def test_html_picture_of_a_local_page(tmp_path):
    page = tmp_path / "report.html"
    page.write_text("<html><body style='background:#fff'><h1 style='color:#b71c1c'>事後検証報告</h1>"
                    "</body></html>", encoding="utf-8")
    out = tmp_path / "pics" / "report.png"
    result = cli(str(out), "--html", str(page), "--size", "600x400", "--after", "0.2", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-800:]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (600, 400)
    colours = {image.pixelColor(x, y).name() for x in range(0, 600, 3) for y in range(0, 80, 2)}
    assert "#ffffff" in colours and any(c.startswith("#b") or c.startswith("#c") for c in colours - {"#ffffff"})


def test_html_picture_of_a_missing_file_is_a_one_line_error(tmp_path):
    result = cli(str(tmp_path / "x.png"), "--html", str(tmp_path / "nope.html"), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "--html" in result.stderr and "nope.html" in result.stderr and "Traceback" not in result.stderr
