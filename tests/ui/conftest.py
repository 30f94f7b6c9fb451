"""GUI fixtures: a main window on a temporary SQLite database (Dangerzone's
``tests/gui/conftest.py`` pattern), with a synchronous task runner and its
QSettings in the temporary config dir."""

from __future__ import annotations

import os

import pytest

from disaster_desk.ui.qtenv import prepare_qt_environment
from tests.ui.gui_thread_guard import GuiThreadGuard

prepare_qt_environment()


@pytest.fixture
def english(qapp):
    """The UI in English (the shipped .ts) for one test; Japanese again after it."""
    from disaster_desk.ui import i18n

    i18n.install_translator(qapp, "en")
    yield
    i18n.install_translator(qapp, "ja")


@pytest.fixture(autouse=True)
def no_db_on_gui_thread(request):
    """Every GUI test fails if ui code ran SQL on the GUI thread (outside the runner)."""
    guard = GuiThreadGuard().install()
    yield guard
    guard.remove()
    if guard.queries:
        log_to = os.environ.get("DD_GUI_GUARD_LOG")
        if log_to:  # survey mode: collect the places instead of failing
            with open(log_to, "a", encoding="utf-8") as out:
                out.write(f"## {request.node.nodeid}\n{guard.report()}\n")
            return
        pytest.fail(f"database calls on the GUI thread:\n{guard.report()}", pytrace=False)


@pytest.fixture
def settings(sqlite_url):
    from disaster_desk.core.settings import Settings

    return Settings(db_url=sqlite_url, actor="tester", station_ward="北区")


@pytest.fixture
def ward_settings(settings):
    """A ward station (北区) on SQLite: its role and ward come from settings.yaml."""
    return settings.model_copy(update={"role": "ward", "station_ward": "北区", "actor": "北区役所 田中"})


@pytest.fixture
def sync_runner():
    from disaster_desk.ui.workers import SyncRunner

    return SyncRunner()


@pytest.fixture
def make_main_window(qtbot, sqlite_db, settings, clock, sync_runner):
    """Factory: ``make_main_window(**kwargs)`` -> a shown MainWindow (closed after the test)."""
    from disaster_desk.ui.main_window import MainWindow

    windows = []

    def make(**kwargs):
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("runner", sync_runner)
        kwargs.setdefault("watch", False)
        db = kwargs.pop("db", sqlite_db)
        window = MainWindow(kwargs.pop("settings", settings), db, **kwargs)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # window shortcuts need the active window
        qtbot.waitUntil(lambda: window.panels_ready)  # map and drill panel follow the window
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def main_window(make_main_window):
    return make_main_window()
