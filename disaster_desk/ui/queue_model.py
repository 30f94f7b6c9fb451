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
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
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
        self.loading, self._fetching = True, False
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
            self._reading = False
            if generation == self._generation:
                arrived = self.merge(fresh)
                if on_done is not None:
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

    def merge(self, fresh: Fresh) -> list[Any]:
        """Merge freshly read rows into the loaded ones (GUI thread); return the rows that are new.

        Both lists are in the service's order, so one walk inserts, updates and
        removes rows in place (napari's item-model pattern) instead of a reset.
        """
        self._merges += 1
        self.total, self.capped = fresh.total, fresh.capped
        fresh_rows = fresh.rows
        fresh_keys = {row_key(r) for r in fresh_rows}
        old_keys = {row_key(r) for r in self.rows}
        arrived = [r for r in fresh_rows if row_key(r) not in old_keys]
        i = 0
        for new in fresh_rows:
            key = row_key(new)
            while i < len(self.rows) and row_key(self.rows[i]) not in fresh_keys:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self.rows[i]
                self.endRemoveRows()
            if i < len(self.rows) and row_key(self.rows[i]) == key:
                if self.rows[i] != new:
                    self.rows[i] = new
                    self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))
            elif key in old_keys:  # moved (urgency changed): remove the old place, insert here
                j = next(k for k in range(len(self.rows)) if row_key(self.rows[k]) == key)
                self.beginRemoveRows(QModelIndex(), j, j)
                del self.rows[j]
                self.endRemoveRows()
                if j < i:
                    i -= 1
                self._insert(i, new)
            else:
                self._insert(i, new)
            i += 1
        if i < len(self.rows):
            self.beginRemoveRows(QModelIndex(), i, len(self.rows) - 1)
            del self.rows[i:]
            self.endRemoveRows()
        if arrived:
            self.rows_arrived.emit(arrived)
        return arrived

    def _insert(self, i: int, row: Any) -> None:
        self.beginInsertRows(QModelIndex(), i, i)
        self.rows.insert(i, row)
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
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_TEXT:
            return row.text
        if role == KeyRole:
            return row_key(row)
        if role == LabelsRole:
            return list(row.labels or [])
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.FontRole and row.state == "new":
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and row.state in ("dismissed", "closed"):
            return self._grey
        return None

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
        minutes = max(0, int((self.clock.now() - when).total_seconds() // 60))
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
