"""Progress of long core work (imports, exports): a plain callable the GUI draws.

A core function that takes ``progress`` calls it as ``progress(done, total)``
while it works. The callable may raise :class:`Stopped` to stop the work (the GUI's 中止
raises :class:`disaster_desk.ui.workers.Cancelled`, a Stopped, from it); each function says whether
stopping is safe, and calls it only where stopping leaves nothing half-done
(an export before its files are installed, a registry import before its one
transaction commits). Work that stores as it goes (the reports CSV import: a
transaction a line) catches Stopped itself and returns what it stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sized
from typing import TypeVar

Progress = Callable[[int, int], None]

T = TypeVar("T")


class Stopped(Exception):
    """Raised by a ``progress`` callable to ask the work to stop where it is safe."""


#: At most about this many reports per run: a GUI redraw per row of 20,000 would cost more than the row.
STEPS = 100


def report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def counted(items: Iterable[T], progress: Progress | None, total: int | None = None) -> Iterator[T]:
    """Yield ``items``, reporting ``(done, total)`` before the first, about every 1 %, and after the last."""
    if total is None:
        total = len(items) if isinstance(items, Sized) else 0
    every = max(1, total // STEPS)
    report(progress, 0, total)
    done = 0
    for item in items:
        yield item
        done += 1
        if done % every == 0 or done == total:
            report(progress, done, max(total, done))
    if done != total:
        report(progress, done, done)
