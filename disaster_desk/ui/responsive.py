"""Keeping the GUI thread responsive in a process whose worker threads run Python.

Two interpreter settings of the window's process, applied after start-up (:func:`tune`):

- **Full garbage collections between worker reads, not during them.** CPython starts a full
  (generation 2) collection from whichever thread allocates when its thresholds are crossed; in
  the window that is nearly always a pool thread materialising rows (a queue page, the map's
  picture), i.e. when the heap is at its largest. The collection holds the GIL, so the GUI thread
  stands still while it walks: bench live measured gen-2 pauses of 87 ms (1,000,000 posts, quiet
  machine) to 131–315 ms (200,000 posts, load 6–7), each one a GUI stall. After ``gc.freeze()``
  the heap that lives on is small, so :class:`IdleCollector` turns the automatic full collection
  off and runs it itself every :attr:`IdleCollector.INTERVAL_MS` when no pool task runs (after
  :attr:`IdleCollector.MAX_DEFERRALS` deferrals it collects anyway, so a pool that is never idle
  cannot make garbage cycles pile up). Generations 0 and 1 stay automatic: they walk at most a
  few thousand young objects.
- **A shorter GIL switch interval** (:data:`SWITCH_INTERVAL_S`, CPython's default is 5 ms). Each
  PySide call that releases the GIL (painting, model signals) has to take it back from a worker
  running Python, and waits up to one interval for it: a handler of a few hundred such calls,
  0.2 ms alone, took up to 124–212 ms beside two Python-busy workers at 5 ms and 66–168 ms at
  1 ms (load 8 on 2 cores; bench/README.md, live).

Not applied in tests: there windows come and go and the process' GC is left as it is.
"""

from __future__ import annotations

import gc
import logging
import sys

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from disaster_desk.ui.workers import running_tasks

log = logging.getLogger(__name__)

#: The GIL switch interval of the window's process (seconds).
SWITCH_INTERVAL_S = 0.001
#: A generation-2 threshold never reached: CPython then starts no full collection by itself.
NEVER = 1 << 30


class IdleCollector(QObject):
    """Runs the full garbage collection itself, when the worker pool is idle."""

    #: A full collection this often (milliseconds).
    INTERVAL_MS = 20_000
    #: While a pool task runs, the collection waits this long and asks again…
    RETRY_MS = 250
    #: …at most this many times; then it runs anyway.
    MAX_DEFERRALS = 40

    def __init__(self, parent: QObject | None = None, *, busy=running_tasks) -> None:
        super().__init__(parent)
        self._busy = busy
        self._saved: tuple[int, int, int] | None = None
        self._deferred = 0
        #: Full collections run, and how many of them ran while a task was still running.
        self.collections = 0
        self.forced = 0
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._due)

    @property
    def active(self) -> bool:
        return self._saved is not None

    def start(self) -> IdleCollector:
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.set_threshold(self._saved[0], self._saved[1], NEVER)
            self._timer.start(self.INTERVAL_MS)
        return self

    def stop(self) -> None:
        """The interpreter's own policy again."""
        self._timer.stop()
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def _due(self) -> None:
        if self._busy() and self._deferred < self.MAX_DEFERRALS:
            self._deferred += 1
            self._timer.start(self.RETRY_MS)
            return
        self.collect()

    def collect(self) -> int:
        """One full collection now (GUI thread); the next one an interval later."""
        if self._busy():
            self.forced += 1
        self._deferred = 0
        found = gc.collect(2)
        self.collections += 1
        if self._saved is not None:
            self._timer.start(self.INTERVAL_MS)
        return found


_collector: IdleCollector | None = None


def tune() -> IdleCollector:
    """Apply both settings to this process (once; the window's start-up calls it after ``gc.freeze``)."""
    global _collector
    if _collector is None:
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        _collector = IdleCollector(QCoreApplication.instance()).start()
        log.debug("GUI process: switch interval %.1f ms, full collections when the pool is idle",
                  SWITCH_INTERVAL_S * 1000)
    return _collector
