"""The queue/feed panel: filters above a lazily fetched table of items."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.clock import Clock
from disaster_desk.core.taxonomy import LABELS
from disaster_desk.ui.label_chips import LabelChipDelegate
from disaster_desk.ui.names import STATES, label_name, source_name, state_name
from disaster_desk.ui.queue_model import (
    COL_LABELS,
    COL_PLACE,
    COL_SOURCE,
    COL_STATE,
    COL_TEXT,
    COL_TIME,
    KeyRole,
    QueueModel,
    RowRole,
)

log = logging.getLogger(__name__)

#: Time windows offered by the filter, in hours (0 = all).
WINDOWS_H = (0, 1, 3, 24)
SOURCES = ("x", "mastodon", "bluesky", "jma", "replay", "other", "report")


def make_filter(**kwargs: Any) -> Any:
    from disaster_desk.core.queue import QueueFilter

    return QueueFilter(**kwargs)


class QueueTable(QTableView):
    """The table; J/K move like the arrow keys."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        key = event.key()
        if key in (Qt.Key.Key_J, Qt.Key.Key_K) and not event.modifiers():
            self.move_selection(1 if key == Qt.Key.Key_J else -1)
            return
        super().keyPressEvent(event)

    def move_selection(self, step: int) -> None:
        model = self.model()
        if model is None or model.rowCount() == 0:
            return
        current = self.currentIndex().row()
        row = 0 if current < 0 else max(0, min(model.rowCount() - 1, current + step))
        if row == model.rowCount() - 1 and model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
        self.select_row(row)

    def select_row(self, row: int) -> None:
        index = self.model().index(row, COL_TEXT)
        self.setCurrentIndex(index)
        self.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.scrollTo(index)


class QueuePanel(QWidget):
    """Filters (label, ward, source, state, time window, text) and the queue table."""

    #: The selected item's QueueRow (None when the selection is cleared).
    item_selected = Signal(object)

    def __init__(self, service: Any, clock: Clock, parent: QWidget | None = None, *, runner: Any = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("検索 (/)"))
        self.search.setClearButtonEnabled(True)
        self.label_box = self._combo(self.tr("全区分"), [(label_name(lb), lb) for lb in LABELS if lb != "none"])
        self.ward_box = self._combo(self.tr("全区"), [(w, w) for w in OSAKA_WARDS])
        self.source_box = self._combo(self.tr("全出典"), [(source_name(s), s) for s in SOURCES])
        self.state_box = self._combo(self.tr("全状態"), [(state_name(s), s) for s in STATES])
        self.window_box = QComboBox(self)
        for hours in WINDOWS_H:
            self.window_box.addItem(self.tr("全期間") if hours == 0 else self.tr("直近%1時間").replace("%1", str(hours)), hours)
        self.count_label = QLabel(self)
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.search, 2)
        for box in (self.label_box, self.ward_box, self.source_box, self.state_box, self.window_box):
            filters.addWidget(box)
        filters.addWidget(self.count_label)

        self.model = QueueModel(service, self.current_filter(), clock, self, runner=runner)
        self.table = QueueTable(self)
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(COL_LABELS, LabelChipDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_LABELS, 170), (COL_PLACE, 130), (COL_TIME, 105), (COL_STATE, 70), (COL_SOURCE, 80)):
            header.resizeSection(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(filters)
        layout.addWidget(self.table)

        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        for box in (self.label_box, self.ward_box, self.source_box, self.state_box, self.window_box):
            box.currentIndexChanged.connect(self.apply_filter)
        self.search.returnPressed.connect(self.focus_table)
        self.pending_refresh = False
        self.table.verticalScrollBar().valueChanged.connect(self._scrolled)
        self._update_count()

    @property
    def runner(self) -> Any:
        """Where the model reads (the window's worker pool): reloads, pages and refreshes."""
        return self.model.runner

    @runner.setter
    def runner(self, runner: Any) -> None:
        self.model.runner = runner

    def _combo(self, all_text: str, items: list[tuple[str, str]]) -> QComboBox:
        box = QComboBox(self)
        box.addItem(all_text, None)
        for text, value in items:
            box.addItem(text, value)
        return box

    # -- filtering ----------------------------------------------------------
    def current_filter(self) -> Any:
        def chosen(box: QComboBox) -> frozenset[str]:
            value = box.currentData()
            return frozenset([value]) if value else frozenset()

        hours = self.window_box.currentData() or 0
        return make_filter(
            labels=chosen(self.label_box),
            wards=chosen(self.ward_box),
            sources=chosen(self.source_box),
            states=chosen(self.state_box),
            since=self.clock.now() - timedelta(hours=hours) if hours else None,
            until=None,
            text=self.search.text().strip() or None,
        )

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())

    def set_service(self, service: Any) -> None:
        self.model.set_service(service)

    def refresh(self, force: bool = False) -> list[Any]:
        """Merge new and changed items; the selection stays on its item.

        While the operator reads far down the list (past the first page), the
        rows are left still: the refresh would re-read everything above them and
        move them. A 「新着あり」 note appears and the merge happens when the
        list is scrolled back near the top (or ``force``).
        """
        if self.window_box.currentData():
            self.model.flt = self.current_filter()
        first_visible = self.table.rowAt(0)
        if not force and first_visible > QueueModel.PAGE:
            self.pending_refresh = True
            self.count_label.setText(self.tr("%1件 ・新着あり ↑").replace("%1", self.model.count_text()))
            return []
        self.pending_refresh = False
        last_visible = self.table.rowAt(self.table.viewport().height() - 1)
        keep = None if last_visible < 0 else last_visible + QueueModel.PAGE
        arrived: list[Any] = []  # filled at once only by a synchronous runner (tests)

        def done(rows: list[Any]) -> None:
            arrived.extend(rows)
            self._update_count()

        self.model.refresh_in(self.model.runner, keep, on_done=done)  # read on the pool, merged here
        return arrived

    def _scrolled(self, _value: int) -> None:
        if self.pending_refresh and 0 <= self.table.rowAt(0) <= QueueModel.PAGE:
            self.refresh()

    def _update_count(self, *args: Any) -> None:
        self.count_label.setText(self.tr("%1件").replace("%1", self.model.count_text()))

    # -- selection ------------------------------------------------------------
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.item_selected.emit(current.data(RowRole) if current.isValid() else None)

    def selected_row(self) -> Any | None:
        index = self.table.currentIndex()
        return index.data(RowRole) if index.isValid() else None

    def select_key(self, key: str) -> bool:
        row = self.model.row_of(key)
        if row < 0:
            return False
        self.table.select_row(row)
        return True

    def key_at(self, row: int) -> str | None:
        return self.model.index(row, 0).data(KeyRole)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def focus_table(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.select_row(0)
