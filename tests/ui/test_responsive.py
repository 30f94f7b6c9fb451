"""ui.responsive: the full garbage collection runs when the worker pool is idle, not from a worker's allocation."""

from __future__ import annotations

import gc
import threading

from disaster_desk.ui.responsive import NEVER, IdleCollector
from disaster_desk.ui.workers import ThreadRunner, running_tasks

#: A full collection of this test process's heap (models, Qt, 1,400 tests' objects) takes seconds on a
#: loaded 2-core CI machine (two of them overran 5 s once): the tests wait on behaviour, not on speed.
WAIT_MS = 60_000


def full_collections() -> tuple[list[str], object]:
    """The names of the threads that run each generation-2 collection from now on, and the hook to remove."""
    seen: list[str] = []

    def hook(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            seen.append(threading.current_thread().name)

    gc.callbacks.append(hook)
    return seen, hook


def test_automatic_full_collections_are_off_while_started_and_restored_after(qtbot):
    before = gc.get_threshold()
    collector = IdleCollector().start()
    try:
        assert gc.get_threshold() == (before[0], before[1], NEVER)
        assert collector.active
    finally:
        collector.stop()
    assert gc.get_threshold() == before and not collector.active


def test_the_collection_waits_for_the_pool_then_runs_in_the_gui_thread(qtbot, monkeypatch):
    monkeypatch.setattr(IdleCollector, "INTERVAL_MS", 50)
    monkeypatch.setattr(IdleCollector, "RETRY_MS", 20)
    runner, release, started = ThreadRunner(), threading.Event(), threading.Event()
    seen, hook = full_collections()
    collector = IdleCollector()
    try:
        runner.submit(lambda _ctx: (started.set(), release.wait(10)))
        assert started.wait(10) and running_tasks() == 1
        collector.start()
        qtbot.waitUntil(lambda: collector._deferred >= 3, timeout=WAIT_MS)  # a task runs: asked again, not run
        assert collector.collections == 0
        release.set()
        qtbot.waitUntil(lambda: collector.collections >= 1, timeout=WAIT_MS)
        assert collector.forced == 0 and running_tasks() == 0
        assert threading.main_thread().name in seen
    finally:
        collector.stop()
        release.set()
        runner.wait(5000)
        gc.callbacks.remove(hook)


def test_a_pool_never_idle_does_not_stop_the_collections(qtbot, monkeypatch):
    monkeypatch.setattr(IdleCollector, "INTERVAL_MS", 20)
    monkeypatch.setattr(IdleCollector, "RETRY_MS", 5)
    monkeypatch.setattr(IdleCollector, "MAX_DEFERRALS", 3)
    collector = IdleCollector(busy=lambda: 1).start()
    try:
        qtbot.waitUntil(lambda: collector.collections >= 2, timeout=WAIT_MS)
        assert collector.forced == collector.collections  # each after three deferrals
    finally:
        collector.stop()
