"""Where the GUI thread's stalls come from: a watchdog thread sampling stacks while a probe tick is late.

The GUI thread calls :meth:`StallWatch.tick` from its probe timer. A daemon thread wakes every
``every_ms``; once the GUI thread has not ticked for ``interval + threshold`` it samples every
thread's Python stack (``sys._current_frames()``) until the next tick, which closes the stall.
What a stall shows:

- the GUI thread inside a project callback (a model merge, a JSON build): that code is the cause;
- the GUI thread in the event loop's C++ (its innermost frame is the loop's ``processEvents``):
  Qt's own work (layout, paint, QtWebEngine IPC) or a wait for the GIL;
- the watchdog's own sleep overshooting (``gil_wait_ms``): some thread held the GIL (or the process
  got no CPU) — the other threads' stacks of that moment say which.

Recent ``note()``-d events (map picture applied, change batch, queue merge) are kept with each stall,
so a stall can be placed in the run's phases. Only for benches and debugging: nothing in the
product uses it.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections import Counter, deque
from typing import Any

#: Innermost functions of a thread that waits without the GIL.
IDLE = {"wait", "sleep", "_wait_for_tstate_lock", "select", "poll", "get", "read", "readline", "accept"}


def _where(frame: Any, depth: int) -> str:
    stack = traceback.extract_stack(frame)[-depth:]
    return " < ".join(f"{_short(f.filename)}:{f.lineno} {f.name}" for f in reversed(stack))


def _short(path: str) -> str:
    for mark in ("/disaster_desk/", "/bench/", "/site-packages/", "/lib/python"):
        if mark in path:
            return path.split(mark, 1)[1]
    return path.rsplit("/", 1)[-1]


class StallWatch:
    """Samples stacks while the GUI thread is late by more than ``threshold_ms``."""

    def __init__(self, interval_ms: float = 50, threshold_ms: float = 100, every_ms: float = 5,
                 depth: int = 6) -> None:
        self.gui = threading.get_ident()
        self.interval = interval_ms / 1000
        self.threshold = threshold_ms / 1000
        self.every = every_ms / 1000
        self.depth = depth
        self.t0 = time.perf_counter()
        self.last = self.t0
        self._cpu = (time.thread_time(), time.process_time())
        self.events: deque[tuple[float, str]] = deque(maxlen=400)
        self.stalls: list[dict[str, Any]] = []
        self._samples: list[tuple[str, list[str]]] = []
        self._gil_wait = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stallwatch", daemon=True)

    def start(self) -> StallWatch:
        self.t0 = self.last = time.perf_counter()
        self._cpu = (time.thread_time(), time.process_time())
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def note(self, what: str) -> None:
        """An event of the run (GUI thread), kept for placing the stalls."""
        self.events.append((time.perf_counter(), what))

    def tick(self) -> None:
        """The probe ran (GUI thread): close the stall being sampled, if any."""
        now = time.perf_counter()
        late = now - self.last - self.interval
        cpu, self._cpu = self._cpu, (time.thread_time(), time.process_time())
        with self._lock:
            samples, self._samples = self._samples, []
            gil, self._gil_wait = self._gil_wait, 0.0
        if late > self.threshold:
            start = self.last + self.interval
            gui = Counter(s for s, _o in samples)
            others = Counter(o for _s, os_ in samples for o in os_)
            self.stalls.append({
                "at_s": round(start - self.t0, 2), "late_ms": round(late * 1000), "samples": len(samples),
                "gil_wait_ms": round(gil * 1000),
                # CPU this GUI thread / the whole process (every thread) used since the previous tick: a
                # stall with little GUI CPU waited (for the GIL, or for a core on a loaded machine)
                "gui_cpu_ms": round((self._cpu[0] - cpu[0]) * 1000),
                "process_cpu_ms": round((self._cpu[1] - cpu[1]) * 1000), "gui": gui.most_common(4), "others": others.most_common(4),
                "events": [f"{(t - start) * 1000:+.0f} ms {w}" for t, w in self.events if start - 1.0 <= t <= now],
            })
        self.last = now

    def _run(self) -> None:
        names = {}
        while not self._stop.is_set():
            before = time.perf_counter()
            time.sleep(self.every)
            after = time.perf_counter()
            if after - self.last - self.interval <= self.threshold:
                continue
            frames = sys._current_frames()
            if not names or len(names) != len(threading.enumerate()):
                names = {t.ident: t.name for t in threading.enumerate()}
            gui_frame = frames.get(self.gui)
            gui = _where(gui_frame, self.depth) if gui_frame is not None else "?"
            others = []
            for ident, frame in frames.items():
                if ident in (self.gui, threading.get_ident()):
                    continue
                if frame.f_code.co_name in IDLE:
                    continue  # a thread waiting (it holds no GIL)
                top = _where(frame, 3)
                others.append(f"[{names.get(ident, ident)}] {top}")
            with self._lock:
                self._samples.append((gui, others))
                self._gil_wait = max(self._gil_wait, after - before - self.every)

    def report(self, top: int = 12) -> list[dict[str, Any]]:
        """The longest stalls, longest first."""
        return sorted(self.stalls, key=lambda s: -s["late_ms"])[:top]
