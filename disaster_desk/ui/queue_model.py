"""The queue as a Qt table model adapting :class:`disaster_desk.core.queue.QueueService`.

Rows are fetched lazily, a page at a time (``canFetchMore``/``fetchMore``), so
a million stored posts open as fast as a hundred. New or changed items are
merged into the loaded rows with ``beginInsertRows``/``dataChanged``/
``beginRemoveRows`` (:meth:`QueueModel.refresh`), so the selection and the
scroll position survive an update. The model owns no data: the database does.

Every read — the full reload of a filter or scope change, each page fetched
while scrolling, each refresh — runs on the model's runner (the worker pool);
the GUI thread only applies what arrives. A read that started before a reload
(another filter or scope) is thrown away when it arrives.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from disaster_desk.core.clock import JST, Clock
from disaster_desk.core.items import ItemKey
from disaster_desk.ui.i18n import current_language
from disaster_desk.ui.names import label_name, review_name, source_name, state_name, status_name, target_name
from disaster_desk.ui.workers import default_runner

log = logging.getLogger(__name__)

KeyRole = Qt.ItemDataRole.UserRole + 1
LabelsRole = Qt.ItemDataRole.UserRole + 2
RowRole = Qt.ItemDataRole.UserRole + 3

COL_LABELS, COL_TEXT, COL_PLACE, COL_TIME, COL_STATE, COL_SOURCE = range(6)
#: The label column of a post whose analysis failed (it is queued with the rescue calls).
UNANALYSED = "未解析"

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
_DISPLAY, _TOOLTIP = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole)
_FONT, _FOREGROUND = int(Qt.ItemDataRole.FontRole), int(Qt.ItemDataRole.ForegroundRole)
#: The roles :meth:`QueueModel.data` answers. A view asks about nine roles of every visible cell on each
#: paint (alignment, decoration, check state, background…); the others are refused before any work.
SERVED_ROLES = frozenset({_DISPLAY, _TOOLTIP, _FONT, _FOREGROUND, int(KeyRole), int(LabelsRole), int(RowRole)})


def row_key(row: Any) -> str:
    return str(ItemKey.of(row))


@dataclass(frozen=True)
class Fresh:
    """What a refresh read: the count and the first rows, in the service's order."""

    total: int
    capped: bool
    rows: list[Any]


class QueueModel(QAbstractTableModel):
    """Lazily fetched rows of the queue for one filter and scope."""

    PAGE = 200
    #: Text search without a time window scans every post to count it: stop counting here
    #: ("1,000+") and keep fetching pages until one comes back short.
    TEXT_COUNT_CAP = 1000
    #: Emitted with the QueueRows that were not in the model before a refresh.
    rows_arrived = Signal(list)
    #: A reload (filter or scope change) has been applied.
    loaded = Signal()

    def __init__(self, service: Any, flt: Any, clock: Clock, parent=None, *, runner: Any = None) -> None:
        super().__init__(parent)
        self.service = service
        self.flt = flt
        self.clock = clock
        #: Where every read runs (the window's worker pool; SyncRunner in tests).
        self.runner = default_runner(runner)
        self.rows: list[Any] = []
        self.total = 0
        self._headers = [
            self.tr("区分"), self.tr("本文"), self.tr("場所"), self.tr("受信"), self.tr("状態"), self.tr("出典"),
        ]
        # One instance each: a fresh QFont per data() call leaks a reference to None
        # in PySide6 6.12 on Python 3.11 (None is then freed: interpreter abort).
        self._bold = QFont()
        self._bold.setBold(True)
        self._grey = QBrush(QColor("#8a8a8a"))
        self.capped = False
        #: Bumped by each reload: a refresh or page read before it is not merged.
        self._generation = 0
        self._reading = False
        self._again_wanted = False
        self._again: int | None = 0
        self._exhausted = True
        #: A reload or a page read is on the runner.
        self.loading = False
        self._fetching = False
        #: Bumped by each merge: a page read across a merge is read again (its offset moved).
        self._merges = 0
        #: A merge is applied in slices (:meth:`merge`); a page asked for meanwhile is read after it.
        self._merging = False
        self._fetch_wanted = False
        #: Display texts per row object: (the row, its texts, the age in minutes of the time text).
        self._texts: dict[int, tuple[Any, tuple[str, ...], int]] = {}
        self.reload()

    # -- loading ---------------------------------------------------------------
    def set_service(self, service: Any) -> None:
        self.service = service
        self.reload()

    def set_filter(self, flt: Any) -> None:
        self.flt = flt
        self.reload()

    def _count_of(self, flt: Any, service: Any = None) -> tuple[int, bool]:
        service = service or self.service
        cap = self.TEXT_COUNT_CAP if getattr(flt, "text", None) else None
        total = service.count(flt, cap=cap) if cap else service.count(flt)
        return total, cap is not None and total >= cap

    def reload(self) -> None:
        """Read the count and the first page of the filter and scope on the runner; rows follow.

        The rows of the previous filter or scope leave at once (a drill's rows are never
        shown under the real scope, nor the other way round while the read runs).
        """
        self._generation += 1
        generation, service, flt = self._generation, self.service, self.flt
        self.loading, self._fetching, self._merging, self._fetch_wanted = True, False, False, False
        self.beginResetModel()
        self.rows, self.total, self.capped, self._exhausted = [], 0, False, True
        self.endResetModel()

        def read(_ctx: Any) -> Fresh:
            total, capped = self._count_of(flt, service)
            return Fresh(total, capped, list(service.page(flt, 0, self.PAGE)))

        def apply(fresh: Fresh) -> None:
            if generation != self._generation:
                return
            self.loading = False
            self.beginResetModel()
            self.total, self.capped, self.rows = fresh.total, fresh.capped, fresh.rows
            self._exhausted = len(self.rows) < self.PAGE
            self.endResetModel()
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.loading = False
                log.warning("queue reload failed: %s", exc)

        self.runner.submit(read, on_done=apply, on_error=failed)

    def count_text(self) -> str:
        shown = f"{max(self.total, len(self.rows)):,}"
        return shown + "+" if self.capped and not self._exhausted else shown

    def canFetchMore(self, parent: Index = ROOT) -> bool:  # noqa: N802 - Qt naming
        if parent.isValid() or self.loading:
            return False
        return len(self.rows) < self.total or (self.capped and not self._exhausted)

    def fetchMore(self, parent: Index = ROOT) -> None:  # noqa: N802 - Qt naming
        """Read the next page on the runner (one at a time); it is appended when it arrives."""
        if parent.isValid() or self._fetching or self.loading:
            return
        if self._merging:  # the offset moves with every slice: read the page after the merge
            self._fetch_wanted = True
            return
        self._fetching = True
        generation, merges, service, flt, offset = self._generation, self._merges, self.service, self.flt, len(self.rows)

        def arrived(page: list[Any]) -> None:
            if generation != self._generation:
                return
            self._fetching = False
            if merges != self._merges:  # the loaded rows changed meanwhile: the offset is stale
                self.fetchMore()
                return
            self._append(page)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._fetching = False
                log.warning("queue page read failed: %s", exc)

        self.runner.submit(lambda _ctx: list(service.page(flt, offset, self.PAGE)), on_done=arrived, on_error=failed)

    def _append(self, page: list[Any]) -> None:
        self._exhausted = len(page) < self.PAGE
        more = [r for r in page if row_key(r) not in self._keys()]
        if not more:
            self.total = len(self.rows)
            self._exhausted = True
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def _keys(self) -> set[str]:
        return {row_key(r) for r in self.rows[-self.PAGE * 2 :]}

    def refresh(self, keep: int | None = None) -> list[Any]:
        """Merge the current database state into the loaded rows, read on the model's runner.

        Returns the new rows when the runner is synchronous (tests), else ``[]``
        (they come with :attr:`rows_arrived`). ``keep`` bounds the work: only the
        first ``keep`` rows (at least a page) are re-read; loaded rows past them
        are dropped and fetched again when scrolled to, so a refresh near the top
        stays cheap with many rows loaded.
        """
        got: list[Any] = []
        self.refresh_in(self.runner, keep, on_done=got.extend)
        return got

    def refresh_in(self, runner: Any, keep: int | None = None, on_done: Any = None) -> None:
        """:meth:`refresh` with the reading on ``runner`` (the worker pool) and the merge in the GUI thread.

        Refreshes asked for while one is reading are folded into one more read after it,
        so a burst of changes costs two reads, not one per change. A read that started
        before a reload (another filter or scope) is thrown away.
        """
        if self._reading:
            self._again_wanted = True
            self._again = None if keep is None or self._again is None else max(self._again, keep)
            return
        self._reading = True
        self._again_wanted, self._again = False, 0
        generation, flt, window = self._generation, self.flt, self._window(keep)

        def merged(fresh: Fresh) -> None:
            if generation == self._generation:
                self.merge(fresh, on_done=finished)  # in slices: the next read waits for the last one
            else:
                finished(None)

        def finished(arrived: list[Any] | None) -> None:
            self._reading = False
            if arrived is not None and on_done is not None:
                on_done(arrived)
            if self._again_wanted:
                self.refresh_in(runner, self._again, on_done)

        def failed(exc: BaseException) -> None:
            self._reading = False
            log.warning("queue refresh failed: %s", exc)

        runner.submit(lambda _ctx: self.read_fresh(flt, window), on_done=merged, on_error=failed)

    def _window(self, keep: int | None) -> int:
        return max(len(self.rows) if keep is None else min(len(self.rows), keep), self.PAGE)

    def read_fresh(self, flt: Any, window: int) -> Fresh:
        """Read what a refresh merges (count and the first ``window`` rows): database work, any thread."""
        total, capped = self._count_of(flt)
        return Fresh(total, capped, list(self.service.page(flt, 0, window)))

    def merge(self, fresh: Fresh, on_done: Callable[[list[Any] | None], None] | None = None) -> list[Any]:
        """Merge freshly read rows into the loaded ones (GUI thread); return the rows that are new.

        Both lists are in the service's order, so one walk inserts, updates and removes rows in
        place (napari's item-model pattern) instead of a reset; a run of neighbouring new rows is
        one insert, a run of rows that left one removal. The walk is applied :attr:`SLICE` row
        operations per event-loop turn: the first slice now, the rest in the following turns
        (``QTimer.singleShot(0)``), so a large batch (a reconnect after an outage, a thousand
        rows loaded) never holds the window. :attr:`rows_arrived` is emitted with each slice's
        new rows; ``on_done(new rows)`` follows the last slice (``on_done(None)`` when a reload
        stopped the walk: the rows are another filter's).
        """
        self._merges += 1
        self.total, self.capped = fresh.total, fresh.capped
        old_keys = {row_key(r) for r in self.rows}
        arrived = [r for r in fresh.rows if row_key(r) not in old_keys]
        self._merging = True
        self._step(self._edits(fresh.rows, old_keys), self._generation, arrived, on_done)
        return arrived

    #: Row operations (a row inserted, removed or changed; 20 rows walked unchanged) per event-loop turn.
    SLICE = 100

    @property
    def merging(self) -> bool:
        """A merge is being applied (in slices)."""
        return self._merging

    def _step(self, edits: Iterator[tuple[float, list[Any]]], generation: int, arrived: list[Any],
              on_done: Callable[[list[Any] | None], None] | None) -> None:
        """Apply one slice of ``edits``; the next one in the next turn of the event loop."""
        if generation != self._generation:  # reloaded meanwhile: the rows are another filter's
            if on_done is not None:
                on_done(None)
            return
        budget, new = self.SLICE, []
        for cost, rows in edits:
            new.extend(rows)
            budget -= cost
            if budget <= 0:
                break
        else:
            self._merging = False
            if new:
                self.rows_arrived.emit(new)
            if on_done is not None:
                on_done(arrived)
            if self._fetch_wanted:
                self._fetch_wanted = False
                self.fetchMore()
            return
        if new:
            self.rows_arrived.emit(new)
        QTimer.singleShot(0, self, lambda: self._step(edits, generation, arrived, on_done))

    def _edits(self, fresh_rows: list[Any], old_keys: set[str]) -> Iterator[tuple[float, list[Any]]]:
        """The walk of :meth:`merge`, one model change per step: (its cost, the new rows it inserted)."""
        fresh_keys = [row_key(r) for r in fresh_rows]
        wanted = set(fresh_keys)
        keys = [row_key(r) for r in self.rows]  # kept beside self.rows
        last = self.columnCount() - 1
        i = k = 0
        while k < len(fresh_rows):
            j = i
            while j < len(keys) and keys[j] not in wanted:
                j += 1
            if j > i:  # rows that left the window (read, closed, beyond the bound)
                self.beginRemoveRows(QModelIndex(), i, j - 1)
                del self.rows[i:j], keys[i:j]
                self.endRemoveRows()
                yield j - i, []
            key, new = fresh_keys[k], fresh_rows[k]
            if i < len(keys) and keys[i] == key:
                if self.rows[i] != new:
                    self.rows[i] = new
                    self.dataChanged.emit(self.index(i, 0), self.index(i, last))
                    yield 1, []
                else:
                    yield 0.05, []
                i, k = i + 1, k + 1
            elif key in old_keys:  # moved (urgency changed): remove the old place, insert here
                j = keys.index(key, i)  # every row before i is matched already
                self.beginRemoveRows(QModelIndex(), j, j)
                del self.rows[j], keys[j]
                self.endRemoveRows()
                self._insert_run(i, [new], keys, [key])
                i, k = i + 1, k + 1
                yield 2, []
            else:  # a run of new rows: one insert
                m = k + 1
                while m < len(fresh_rows) and m - k < self.SLICE and fresh_keys[m] not in old_keys:
                    m += 1
                run = fresh_rows[k:m]
                self._insert_run(i, run, keys, fresh_keys[k:m])
                i, k = i + len(run), m
                yield len(run), run
        if i < len(keys):
            self.beginRemoveRows(QModelIndex(), i, len(keys) - 1)
            del self.rows[i:], keys[i:]
            self.endRemoveRows()
            yield 1, []

    def _insert_run(self, i: int, rows: list[Any], keys: list[str], run_keys: list[str]) -> None:
        self.beginInsertRows(QModelIndex(), i, i + len(rows) - 1)
        self.rows[i:i] = rows
        keys[i:i] = run_keys
        self.endInsertRows()

    # -- access ----------------------------------------------------------------
    def row_at(self, i: int) -> Any | None:
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def row_of(self, key: str) -> int:
        for i, row in enumerate(self.rows):
            if row_key(row) == key:
                return i
        return -1

    # -- Qt model API ----------------------------------------------------------
    def rowCount(self, parent: Index = ROOT) -> int:  # noqa: N802 - Qt naming
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:  # noqa: N802 - Qt naming
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt naming
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each paint: refuse the roles not served
        # first, and make each row's texts once (:meth:`_texts_of`).
        if role not in SERVED_ROLES:
            return None
        i = index.row()
        if i < 0 or i >= len(self.rows) or not index.isValid():
            return None
        row = self.rows[i]
        if role == _DISPLAY:
            return self._texts_of(row)[index.column()]
        if role == _TOOLTIP:
            return row.text if index.column() == COL_TEXT else None
        if role == KeyRole:
            return row_key(row)
        if role == LabelsRole:
            return list(row.labels or [])
        if role == RowRole:
            return row
        if role == _FONT:
            return self._bold if row.state == "new" else None
        if role == _FOREGROUND:
            return self._grey if row.state in ("dismissed", "closed") else None
        return None

    def _texts_of(self, row: Any) -> tuple[str, ...]:
        """The six display texts of ``row``, made once per row object (a changed row is a new object)
        and, for the time column, once per minute of age."""
        key = id(row)  # the entry holds the row: its id is not reused while it is cached
        cached = self._texts.get(key)
        minutes = self._age_minutes(row.received_at)
        if cached is not None and cached[0] is row:
            if cached[2] == minutes:
                return cached[1]
            texts = (*cached[1][:COL_TIME], self.time_text(row.received_at), *cached[1][COL_TIME + 1:])
        else:
            texts = tuple(self._display(row, col) for col in range(len(self._headers)))
        if len(self._texts) > 2 * len(self.rows) + 200:  # rows that left (each full GC walks what is kept)
            shown = {id(r) for r in self.rows}
            self._texts = {k: v for k, v in self._texts.items() if k in shown}
        self._texts[key] = (row, texts, minutes)
        return texts

    def _age_minutes(self, when: datetime | None) -> int:
        return -1 if when is None else max(0, int((self.clock.now() - when).total_seconds() // 60))

    def _display(self, row: Any, col: int) -> str:
        if col == COL_LABELS:
            if getattr(row, "unanalysed", False):
                return UNANALYSED
            extra = getattr(row, "extra", None) or {}
            parts = [review_name()] if "rescue" in (extra.get("review") or ()) else []
            parts += [label_name(label) for label in row.labels or []]
            status = status_name(extra.get("status"))
            return " ".join(parts) + (f" [{status}]" if status else "")
        if col == COL_TEXT:
            text = " ".join((row.text or "").split())
            return text if len(text) <= 120 else text[:119] + "…"
        if col == COL_PLACE:
            parts = [row.ward] if row.ward else []
            if row.place and row.place != row.ward:
                parts.append(row.place)
            return " ".join(parts)
        if col == COL_TIME:
            return self.time_text(row.received_at)
        if col == COL_STATE:
            state = state_name(row.state) + shared_suffix(getattr(row, "shared_to", ()))
            dup = getattr(row, "duplicates", 0) or 0
            return f"{state} (+{dup})" if dup else state
        if col == COL_SOURCE:
            return source_name(row.source)
        return ""

    def time_text(self, when: datetime | None) -> str:
        if when is None:
            return ""
        minutes = self._age_minutes(when)
        clock_time = when.astimezone(JST).strftime("%H:%M")
        if minutes < 1:
            return self.tr("%1 たった今").replace("%1", clock_time)
        if minutes < 120:
            return self.tr("%1 (%2分前)").replace("%1", clock_time).replace("%2", str(minutes))
        return clock_time


def shared_suffix(targets: tuple[str, ...] | list[str], shown: int = 2) -> str:
    """「→消防局・北区」 (the queue convention), 「→消防局・北区 他3」 for more targets."""
    if not targets:
        return ""
    more = len(targets) - shown
    text = "→" + ("・" if current_language() == "ja" else ", ").join(target_name(t) for t in targets[:shown])
    return text + (QCoreApplication.translate("QueueModel", " 他%1").replace("%1", str(more)) if more > 0 else "")
