"""Fails a GUI test whose ui code runs SQL on the GUI thread (ARCHITECTURE rule 5).

A SQLAlchemy ``before_cursor_execute`` listener on every engine records each
statement run on the main (Qt GUI) thread while a frame of ``disaster_desk/ui``
is on the stack, outside a task of the runner. A :class:`SyncRunner` task counts
as off the GUI thread: in the application it runs on the worker pool. Statements
of the test's own setup (seeding through core services) have no ui frame and
are not counted.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

import disaster_desk.ui

UI_DIR = str(Path(disaster_desk.ui.__file__).parent)

@dataclass(frozen=True)
class GuiQuery:
    where: str  # the innermost ui frame: file:line in function
    statement: str

    def __str__(self) -> str:
        return f"{self.where}: {' '.join(self.statement.split())[:160]}"


def _ui_frame() -> str | None:
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(UI_DIR):
            return f"{Path(filename).relative_to(Path(UI_DIR).parent.parent)}:{frame.f_lineno} in {frame.f_code.co_name}"
        frame = frame.f_back
    return None


class GuiThreadGuard:
    """Records SQL run by ui code on the GUI thread while installed."""

    def __init__(self) -> None:
        self.queries: list[GuiQuery] = []

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        from disaster_desk.ui.workers import in_sync_task

        if threading.current_thread() is not threading.main_thread() or in_sync_task():
            return
        where = _ui_frame()
        if where is not None:
            self.queries.append(GuiQuery(where, statement))

    def install(self) -> GuiThreadGuard:
        event.listen(Engine, "before_cursor_execute", self._before)
        return self

    def remove(self) -> None:
        event.remove(Engine, "before_cursor_execute", self._before)

    def report(self) -> str:
        places: dict[str, GuiQuery] = {}
        for q in self.queries:
            places.setdefault(q.where, q)
        return "\n".join(str(q) for q in places.values())
