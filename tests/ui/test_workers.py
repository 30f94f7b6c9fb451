"""Background tasks: run off the GUI thread, report back in it, can be cancelled."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from disaster_desk.ui.workers import SyncRunner, ThreadRunner


def test_thread_runner_runs_off_the_gui_thread_and_calls_back_in_it(qtbot, qapp):
    runner = ThreadRunner()
    seen = {}

    def task(ctx):
        seen["task_thread"] = threading.current_thread()
        for i in range(3):
            ctx.progress(i + 1, 3)
        return 42

    progress = []
    done = []
    runner.submit(task, on_done=lambda r: done.append((r, QThread.currentThread() is qapp.thread())),
                  on_progress=lambda d, t: progress.append((d, t)))
    qtbot.waitUntil(lambda: bool(done))
    assert done == [(42, True)]
    assert seen["task_thread"] is not threading.main_thread()
    qtbot.waitUntil(lambda: len(progress) == 3)
    assert progress[-1] == (3, 3)


def test_errors_reach_on_error_and_cancel_stops_a_task(qtbot):
    runner = ThreadRunner()
    errors = []
    runner.submit(lambda ctx: 1 / 0, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)

    started = threading.Event()
    finished = []

    def long_task(ctx):
        started.set()
        while True:
            ctx.check()  # raises Cancelled once cancel() is called
            ctx.cancelled or threading.Event().wait(0.01)

    handle = runner.submit(long_task, on_done=finished.append)
    assert started.wait(5)
    handle.cancel()
    qtbot.waitUntil(lambda: handle.done)
    assert finished == []


def test_sync_runner_runs_at_once():
    out = []
    SyncRunner().submit(lambda ctx: "ok", on_done=out.append)
    assert out == ["ok"]
