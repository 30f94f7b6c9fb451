"""The start-up window says what the desk is doing, step by step, with a bar, until the analyser is ready."""

from __future__ import annotations

import threading

from disaster_desk.ui.startup import AnalyserWarmup, StartupWindow, phase_text, warm_up_analyser
from disaster_desk.ui.workers import ThreadRunner
from nlp.progress import STEPS, Step


def test_each_step_is_shown_in_words_in_order_until_the_real_analyser_is_ready(make_main_window, qtbot, tmp_path):
    splash = StartupWindow()
    qtbot.addWidget(splash)
    splash.show()
    qtbot.waitExposed(splash)
    shown = []  # (words in the window, window visible, bar) as each step is shown

    def look(text):
        assert splash.step_label.text() == text
        shown.append((text, splash.isVisible(), splash.bar.value()))

    splash.step_shown.connect(look)
    for phase in ("database", "collectors", "window"):  # what run_app does on the GUI thread
        splash.begin(phase)
    window = make_main_window(runner=ThreadRunner())
    # a gazetteer dir no analyser was built for: the dictionary, the model and the gazetteer really load
    warmup = warm_up_analyser(window, splash, tmp_path / "gazetteer")
    qtbot.waitUntil(lambda: warmup.done, timeout=120_000)
    assert window.warmup is warmup
    words = [text for text, _visible, _bar in shown]
    assert words[:4] == [phase_text(p) for p in ("database", "collectors", "window", "analyser")]
    assert words[-1] == phase_text("ready")
    analyser_words = words[4:-1]
    assert len(analyser_words) == len(STEPS)
    for text, (_key, _nlp_words), n in zip(analyser_words, STEPS, range(1, 4), strict=True):
        assert text.startswith(phase_text("analyser")) and text.endswith(f"({n}/3)"), text
    assert "辞書" in analyser_words[0] and "学習モデル" in analyser_words[1] and "地名辞書" in analyser_words[2]
    assert all(visible for _text, visible, _bar in shown)  # the words were on screen, not a vanished message
    bars = [bar for _text, _visible, bar in shown]
    assert bars == sorted(bars) and bars[0] == 0 and bars[-2] < 100 and bars[-1] == 100
    assert splash.steps == words
    assert "✓ " + analyser_words[-1] in splash.done_label.text()
    qtbot.waitUntil(lambda: not splash.isVisible())  # closed once ready


def test_the_demo_waiting_for_the_analyser_shows_its_steps_not_a_wordless_spinner(make_main_window, analyser, qtbot):
    release, go_on = threading.Event(), threading.Event()

    def slow_load(report):
        report(Step("dictionary", STEPS[0][1], 0.0))
        go_on.wait(10)
        report(Step("model", STEPS[1][1], 1 / 3))
        release.wait(10)
        return analyser

    runner = ThreadRunner()
    window = make_main_window(runner=runner, analyser_provider=lambda: (release.wait(10), analyser)[1])
    warmup = AnalyserWarmup(runner, slow_load, window)
    window.warmup = warmup
    warmup.start()
    qtbot.waitUntil(lambda: warmup.last_step is not None)
    window.start_demo()
    assert window.progress.isVisible() and window.progress.maximum() == 100  # a bar that says how far
    assert "デモの準備" in window.statusBar().currentMessage()
    assert "形態素解析の辞書" in window.statusBar().currentMessage() and "(1/3)" in window.statusBar().currentMessage()
    go_on.set()
    qtbot.waitUntil(lambda: "(2/3)" in window.statusBar().currentMessage())
    assert "学習モデルを読み込んでいます" in window.statusBar().currentMessage()
    assert window.progress.value() == 33 and "解析器" in window.progress.format()
    release.set()
    qtbot.waitUntil(lambda: window.drill_engine is not None, timeout=30_000)
    assert window.progress.isHidden() and "デモ再生中" in window.statusBar().currentMessage()
    window.cancel_demo()


def test_a_failed_load_stays_shown_with_a_way_to_close_it(qtbot):
    splash = StartupWindow()
    qtbot.addWidget(splash)
    splash.show()
    splash.begin("database")
    splash.failed("OSError: no dictionary")
    assert splash.isVisible() and splash.close_button.isVisible()
    assert "解析器を読み込めませんでした" in splash.step_label.text() and "no dictionary" in splash.step_label.text()
    splash.close_button.click()
    assert not splash.isVisible()


def test_a_new_database_shows_each_migration_in_order_while_it_opens(qtbot, tmp_path):
    from disaster_desk.core.db import MIGRATIONS_DIR
    from disaster_desk.core.settings import Settings
    from disaster_desk.ui import station_login

    total = len([p for p in (MIGRATIONS_DIR / "versions").glob("*.py") if not p.name.startswith("_")])
    splash = StartupWindow()
    qtbot.addWidget(splash)
    splash.show()
    bars = []
    splash.step_shown.connect(lambda _text: bars.append(splash.bar.value()))
    splash.begin("database")
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'new.db'}", actor="tester")
    db, _access = station_login.open_station_in_background(settings, ThreadRunner(1), splash.migrated.emit)
    try:
        qtbot.waitUntil(lambda: splash.step_label.text().startswith(f"データベースのスキーマを更新しています {total}/{total}"))
    finally:
        db.dispose()
    migrations = [s for s in splash.steps if s.startswith("データベースのスキーマを更新しています")]
    assert [m.split()[1].split("（")[0] for m in migrations] == [f"{n}/{total}" for n in range(total + 1)]
    assert "（initial schema）" in migrations[1]
    assert bars == sorted(bars) and bars[-1] == round(100 * 0.15)  # the database's share of the bar


def test_run_app_shows_the_start_in_order_from_the_database_to_the_ready_analyser(qtbot, monkeypatch, tmp_path):
    """The desk as ``disaster-desk gui --no-collect`` starts it, on a new database and a new gazetteer dir."""
    import argparse

    from PySide6.QtWidgets import QApplication

    from disaster_desk.ui import app as app_module
    from disaster_desk.ui import startup
    from disaster_desk.ui.main_window import MainWindow

    config = tmp_path / "settings.yaml"
    config.write_text(f"gazetteer_dir: {tmp_path / 'gazetteer'}\nactor: tester\n", encoding="utf-8")
    windows: list[StartupWindow] = []
    real_init = startup.StartupWindow.__init__

    def recording_init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        windows.append(self)

    monkeypatch.setattr(startup.StartupWindow, "__init__", recording_init)
    outcome = {}

    def event_loop(_app):  # stands in for app.exec(): runs events until the start is over, then quits
        splash = windows[0]
        qtbot.waitUntil(lambda: splash.finished, timeout=180_000)
        outcome["visible_at_end"] = splash.isVisible()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                outcome["window_shown"] = True
                widget._close_confirmed = True
                widget.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    args = argparse.Namespace(config=str(config), db=f"sqlite:///{tmp_path / 'desk.db'}", role=None,
                              no_collect=True, demo=False)
    assert app_module.run_app(args) == 0
    steps = windows[0].steps
    assert outcome == {"visible_at_end": False, "window_shown": True}
    assert steps[0] == phase_text("database")
    migrations = [i for i, s in enumerate(steps) if s.startswith("データベースのスキーマを更新しています")]
    window_at = steps.index(phase_text("window"))
    analyser_at = steps.index(phase_text("analyser"))
    assert migrations and 0 < migrations[0] and migrations[-1] < window_at < analyser_at
    loads = steps[analyser_at + 1:-1]
    assert [s.rsplit("(", 1)[1] for s in loads] == ["1/3)", "2/3)", "3/3)"]
    assert steps[-1] == phase_text("ready")
