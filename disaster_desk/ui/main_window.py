"""The main window: dockable panels around the queue, wired to the core.

The window assembles panels and routes signals; the panels adapt core
services; background work goes through a runner (:mod:`disaster_desk.ui.workers`).
Menus and shortcuts are in :mod:`disaster_desk.ui.window_actions`, layout
persistence in :mod:`disaster_desk.ui.window_state`.
"""

from __future__ import annotations

import heapq
import logging
from typing import Any

from PySide6.QtCore import QEvent, QSettings, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from disaster_desk.core.access import Access, access_from_settings
from disaster_desk.core.clock import JST, Clock, SystemClock
from disaster_desk.core.db import Database
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.settings import Settings
from disaster_desk.core.sharing import share_history
from disaster_desk.core.similar import similar_posts
from disaster_desk.ui import panels, window_actions, window_layout, window_state
from disaster_desk.ui.alerts_panel import AlertsPanel
from disaster_desk.ui.attention import RescueBanner
from disaster_desk.ui.change_hub import ChangeHub, keys_of
from disaster_desk.ui.collector_panel import CollectorPanel
from disaster_desk.ui.detail_panel import DetailPanel
from disaster_desk.ui.drill_band import DrillBand
from disaster_desk.ui.help_overlay import HelpOverlay
from disaster_desk.ui.i18n import current_language
from disaster_desk.ui.inbox_panel import InboxPanel
from disaster_desk.ui.log_panel import LogPanel
from disaster_desk.ui.map.script_json import prepared, script_json
from disaster_desk.ui.placeholders import LoadingPanel
from disaster_desk.ui.queue_panel import QueuePanel, make_filter
from disaster_desk.ui.triage_controller import TriageController
from disaster_desk.ui.window_layout import ROLES
from disaster_desk.ui.workers import LatestRead, ThreadRunner

log = logging.getLogger(__name__)

class MainWindow(QMainWindow):
    #: True until the end of __init__, so paint events during construction are ignored.
    _painted = True
    role_changed = Signal(str)
    #: The map and drill panel exist (shortly after the window is shown).
    deferred_ready = Signal()
    scope_changed = Signal(object)

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        clock: Clock | None = None,
        runner: Any = None,
        qsettings: QSettings | None = None,
        analyser_provider: Any = None,
        collector_scheduler: Any = None,
        watch: bool = True,
        confirm_close: bool = False,
        access: Access | None = None,
    ) -> None:
        super().__init__()
        #: Who this station is (its login's stations row on PostgreSQL, settings on SQLite):
        #: it fixes the ward and which layouts the role menu offers; saved window state never does.
        self.access = access or access_from_settings(settings)
        if self.access.source == "login":
            settings = settings.model_copy(update={"station_ward": self.access.ward})
        self.settings = settings
        self.db = db
        self.real_clock = clock or SystemClock()
        self.clock: Clock = self.real_clock
        self.scope: Scope = REAL_SCOPE
        self.runner = runner or ThreadRunner()
        self.qsettings = qsettings or window_state.ui_settings()
        self.analyser_provider = analyser_provider or panels.default_analyser_provider(settings)
        self.collector_scheduler = collector_scheduler
        self.demo: Any = None
        #: The drill run shown (demo or drill panel); its scope and clock drive the window.
        self.drill_engine: Any = None
        #: Selecting an item pans the map to it (off for overview screenshots).
        self.map_follows_selection = True
        self.role = self.access.layout(settings.role)
        self.setObjectName("mainWindow")
        self.setDockNestingEnabled(True)
        self.setDockOptions(QMainWindow.DockOption.AllowNestedDocks | QMainWindow.DockOption.AllowTabbedDocks)

        self._build_top()
        self._build_panels()
        #: Ask before closing (the app; tests and screenshots close without asking).
        self.confirm_close = confirm_close
        self._close_confirmed = False
        #: The dialogs open now (None when closed), for the keyboard flows and their tests.
        self.error_dialog: Any = None
        self.share_dialog: Any = None
        self.dismiss_dialog: Any = None
        self.place_dialog: Any = None
        self.quit_dialog: Any = None
        self.about_dialog: Any = None
        self.triage = TriageController(db, self.clock, self.scope, settings.actor, self, runner=self.runner)
        self.triage.done.connect(self._triage_done)
        self.triage.notice.connect(self.show_message)
        self.triage.failed.connect(self._triage_failed)
        self._build_status_bar()
        window_actions.install(self)
        self.help_overlay = HelpOverlay(self)
        self.help_overlay.set_shortcuts(window_actions.shortcut_help(self))
        self._map_items: dict[str, Any] = {}
        #: Marker updates applied so far, and the last one of each key (a picture read before it is older).
        self._marker_seq = 0
        self._marker_at: dict[str, int] = {}
        self._seen_rescue: set[str] = set()
        self._rescue_reads = LatestRead(self.runner)
        self._remember_rescue()
        self.resize(1600, 1000)
        restored = window_state.restore(self)
        self.set_role(self.role, show_docks=not restored)
        self.update_title()

        self.hub = ChangeHub(db, self.runner, self.scope, parent=self)
        self.hub.changed.connect(self.on_changes)
        if watch:
            self.hub.start()
        self._clock_timer = QTimer(self, interval=1000)
        self._clock_timer.timeout.connect(self._tick_clock)
        self._clock_timer.start()
        self._collector_timer = QTimer(self, interval=5000)
        self._collector_timer.timeout.connect(self.refresh_collectors)
        self._collector_timer.start()
        #: The map's picture is read again now and then: posts leave the time window, counts follow.
        self._map_timer = QTimer(self, interval=60_000)
        self._map_timer.timeout.connect(self.load_map_items)
        self._map_timer.start()
        self._painted = False
        QTimer.singleShot(2000, self.build_deferred_panels)  # in case no paint event comes (hidden window)

    # -- construction ------------------------------------------------------------
    def _build_top(self) -> None:
        top = QWidget(self)
        layout = QVBoxLayout(top)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.menu_bar = window_actions.make_menu_bar(top)
        self.drill_band = DrillBand(top)
        self.rescue_banner = RescueBanner(top, sound=self.settings.ui.rescue_sound)
        self.rescue_banner.show_requested.connect(self.select_item)
        layout.addWidget(self.menu_bar)
        layout.addWidget(self.drill_band)
        layout.addWidget(self.rescue_banner)
        self.setMenuWidget(top)

    def _build_panels(self) -> None:
        self.docks: dict[str, QDockWidget] = {}
        self.queue = QueuePanel(panels.make_queue_service(self.db, self.scope), self.clock, self, runner=self.runner)
        self.queue.item_selected.connect(self.on_item_selected)
        self.detail = DetailPanel(self)
        self.detail.action_requested.connect(self.run_action)
        # The map (QtWebEngine + folium) and the drill panel (scenario files) are slow to
        # create: they are built just after the window is shown (build_deferred_panels).
        self.panels_ready = False
        self.map_view: QWidget = LoadingPanel(self.tr("地図"))
        self.reports = panels.make_reports(self.db, self.scope, self.clock, self.runner, self.settings.actor)
        self.alerts = AlertsPanel(self.db, self.scope, self, runner=self.runner, clock=self.clock)
        self.drill_panel: QWidget = LoadingPanel(self.tr("訓練"))
        self.collectors = CollectorPanel(
            lambda: panels.collector_statuses(self.db, self.real_clock, self.collector_scheduler), self,
            runner=self.runner)
        self.collectors.updated.connect(lambda: self.collector_label.setText(self.collectors.summary()))
        self.log_panel = LogPanel(self)
        self.log_panel.attach()
        self.ward_form = panels.make_ward_form(self.db, self.settings, self.clock, self.runner, access=self.access,
                                               scope=self.scope)
        self.inbox = InboxPanel(self.db, self.scope, self.real_clock, self.settings.station_ward, self.settings.actor, self,
                                runner=self.runner)
        self.inbox.item_opened.connect(self.select_item)
        self.inbox.badge_changed.connect(self._inbox_badge)
        self.inbox.failed.connect(self.show_error)

        self._dock("queue", self.tr("キュー"), self.queue)
        self._dock("map", self.tr("地図"), self.map_view)
        self._dock("detail", self.tr("詳細"), self.detail, scroll=True)
        self._dock("reports", self.tr("区報告"), self.reports, scroll=True)
        self._dock("alerts", self.tr("気象庁"), self.alerts)
        self._dock("drill", self.tr("訓練"), self.drill_panel, scroll=True)
        self._dock("collectors", self.tr("収集状況"), self.collectors)
        self._dock("log", self.tr("ログ"), self.log_panel)
        self._dock("ward_form", self.tr("区報告フォーム"), self.ward_form, scroll=True)
        self._dock("inbox", self.tr("共有受信箱"), self.inbox)
        self._inbox_badge(self.inbox.unreceived())
        self.arrange_docks(self.role)

    def _inbox_badge(self, count: int) -> None:
        """The inbox's tab carries the count of shares not yet received (受領)."""
        dock = getattr(self, "docks", {}).get("inbox")
        if dock is None:
            return
        title = self.tr("共有受信箱")
        dock.setWindowTitle(self.tr("%1 (未受領 %2)").replace("%1", title).replace("%2", str(count)) if count else title)

    def _dock(self, name: str, title: str, widget: QWidget, *, scroll: bool = False) -> QDockWidget:
        return window_layout.make_dock(self, name, title, widget, scroll=scroll)

    def arrange_docks(self, role: str) -> None:
        window_layout.arrange(self, role)

    def build_deferred_panels(self) -> None:
        """Create the map and the drill panel (once), after the window is on screen."""
        if self.panels_ready:
            return
        self.panels_ready = True
        self.map_view = panels.make_map(self.settings, self.settings.station_ward if self.role == "ward" else None)
        if hasattr(self.map_view, "item_clicked"):
            self.map_view.item_clicked.connect(self.select_item)
        if hasattr(self.map_view, "window_changed"):
            self.map_view.window_changed.connect(lambda _w: self.load_map_items())
        if hasattr(self.map_view, "location_picked") and hasattr(self.ward_form, "set_location"):
            self.ward_form.set_map_available(True)  # the damage location is picked on the map
            self.ward_form.pick_requested.connect(self._pick_location)
            self.map_view.location_picked.connect(lambda lat, lon: self.ward_form.set_location((lat, lon)))
        self.docks["map"].setWidget(self.map_view)
        self.drill_panel = panels.make_drill_panel(self.db, self.analyser_provider, self.settings.actor, self.runner)
        if hasattr(self.drill_panel, "run_started"):
            self.drill_panel.run_started.connect(self._drill_panel_started)
            if self.drill_engine is not None:  # a demo started before the panel existed
                self.drill_panel.attach(self.drill_engine)
        self.docks["drill"].widget().setWidget(self.drill_panel)
        self.load_map_items()
        self.deferred_ready.emit()

    def _pick_location(self) -> None:
        self.docks["map"].raise_()
        self.map_view.pick_location(True)
        self.show_message(self.tr("地図上で被害の位置をクリックしてください"))

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(200)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_demo)
        self.collector_label = QLabel(self)
        self.clock_label = QLabel(self)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.collector_label)
        bar.addPermanentWidget(self.clock_label)

    # -- role and scope ------------------------------------------------------------
    def set_role(self, role: str, *, show_docks: bool = True) -> bool:
        """HQ / ward station / drill controller: which panels show, whether triage is allowed.

        Only the layouts this station's access allows (``self.access.layouts``): a ward
        station never becomes HQ. Returns False (and changes nothing) for another role.
        ``show_docks=False`` keeps the restored layout (the user's own choice of panels).
        """
        if role not in ROLES or role not in self.access.layouts:
            log.warning("role %s refused: this station (%s) may use %s", role, self.access.role, self.access.layouts)
            self.show_message(self.tr("この端末では「%1」に切り替えられません").replace("%1", role_name(self, role)))
            for r, action in getattr(self, "role_actions", {}).items():
                action.setChecked(r == self.role)
            return False
        self.role = role
        if show_docks:
            self.arrange_docks(role)
        allowed = self.may_triage()
        self.detail.set_actions_allowed(allowed)
        for action in getattr(self, "triage_actions", {}).values():
            action.setEnabled(allowed)
        for r, action in getattr(self, "role_actions", {}).items():
            action.setChecked(r == role)
        self.update_title()
        self.role_changed.emit(role)
        return True

    def may_triage(self) -> bool:
        """Triage from this window: not in the ward layout, and only for a login allowed to."""
        return self.role != "ward" and self.access.may_triage

    def set_scope(self, scope: Scope, clock: Clock) -> None:
        """Show real data, or one drill run's data (with the red band)."""
        self.scope, self.clock = scope, clock
        self.queue.clock = clock
        self.queue.model.clock = clock
        self.queue.set_service(panels.make_queue_service(self.db, scope))
        self.triage.set_scope(scope, clock)
        self.alerts.set_scope(scope, clock)
        self.inbox.set_scope(scope, clock)
        if hasattr(self.reports, "set_scope"):
            self.reports.set_scope(scope, clock)
        else:
            self.reports = panels.make_reports(self.db, scope, clock, self.runner, self.settings.actor)
            self.docks["reports"].widget().setWidget(self.reports)
        if hasattr(self.ward_form, "set_scope"):  # a report typed in a drill is the drill's
            self.ward_form.set_scope(scope, clock)
        self.drill_band.setVisible(scope.is_drill)
        self.hub.set_scope(scope)
        self._map_items = {}
        self._marker_at = {}
        self._seen_rescue = set()
        self.rescue_banner.reset()  # counts start again with each drill run
        self._remember_rescue()
        self.load_map_items()
        self.update_title()
        self.scope_changed.emit(scope)

    def update_title(self) -> None:
        mode = self.tr("訓練中") if self.scope.is_drill else self.tr("本番")
        role = role_name(self, self.role)
        if self.access.ward and self.role == "ward":
            role = f"{role} {self.access.ward}"
        if self.access.login:
            role = f"{role} ({self.access.display_name or self.access.login})"
        self.setWindowTitle(self.tr("災害情報デスク — %1 — %2").replace("%1", mode).replace("%2", role))

    # -- selection, map --------------------------------------------------------------
    def on_item_selected(self, row: Any) -> None:
        self.detail.set_row(row)
        if row is not None:  # its share history and similar posts follow from the runner
            key, scope, db = row.key, self.scope, self.db
            self._read_history(row)
            self.runner.submit(lambda _ctx: similar_posts(db, scope, row),
                               on_done=lambda posts: self.detail.set_similar(key, posts))
        if row is not None and self.map_follows_selection and hasattr(self.map_view, "highlight"):
            self.map_view.highlight(row.key)

    def _read_history(self, row: Any) -> None:
        key, scope, db = row.key, self.scope, self.db
        self.runner.submit(lambda _ctx: share_history(db, scope, row.item_type, row.item_id),
                           on_done=lambda records: self.detail.set_history(key, records))

    def select_item(self, key: str) -> None:
        """Select ``key`` in the queue (from a map click, the banner or the inbox)."""
        if not key:
            return
        if not self.queue.select_key(key) and hasattr(self.map_view, "highlight"):
            self.map_view.highlight(key)

    def load_map_items(self) -> None:
        """The map's picture (markers of the time window, counts of the rest), read on the worker pool.

        The first picture is read without the ward/town counts (on a large database they are the
        slow part), so the markers show at once; the counts follow in a second read.
        """
        if not hasattr(self.map_view, "set_counts"):
            return
        scope, db, window, now = self.scope, self.db, self.map_view.window, self.clock.now()
        language, seq, first = current_language(), self._marker_seq, not self._map_items

        def read(_ctx: Any) -> tuple[Any, dict[str, str], str | None]:
            picture = panels.map_picture(db, scope, window, now, language, counts=not first)
            # the markers' and the badges' JSON made here, not on the GUI thread
            return picture, prepared(picture.items), None if first else script_json(picture.counts_json())

        def applied(result: tuple[Any, dict[str, str], str | None]) -> None:
            picture, ready, counts = result
            self._apply_map_picture(scope, window, picture, seq, counted=not first, ready=ready, counts=counts)
            if first:
                self.load_map_items()

        self.runner.submit(read, on_done=applied)

    def _apply_map_picture(self, scope: Scope, window: Any, picture: Any, seq: int | None = None,
                           counted: bool = True, ready: dict[str, str] | None = None,
                           counts: str | None = None) -> None:
        """Apply a picture read when the marker updates were at ``seq``: markers updated since then
        (by :meth:`_apply_markers`) are newer than the picture and stay as they are. The ward/town
        badges change only with a picture that ``counted`` them. ``ready``/``counts``: the markers' and
        the badges' JSON, made on the worker pool with the read."""
        if scope != self.scope or window != self.map_view.window:
            return
        newer = {key for key, at in self._marker_at.items() if seq is None or at > seq}
        self._marker_at = {key: at for key, at in self._marker_at.items() if key in newer}
        items = [i for i in picture.items if i.key not in newer]
        if not self._map_items:
            self.map_view.set_items(items, ready=ready)
        else:
            keys = {i.key for i in items}
            self.map_view.remove_items([k for k in self._map_items if k not in keys and k not in newer])
            new = [i for i in items if i.key not in self._map_items]
            changed = [i for i in items if i.key in self._map_items and self._map_items[i.key] != i]
            if new or changed:
                self.map_view.add_items(new + changed, ready=ready)
        self._map_items = {**{i.key: i for i in items},
                           **{key: item for key, item in self._map_items.items() if key in newer}}
        if counted:
            self.map_view.set_counts(picture, ready=counts)

    # -- triage ------------------------------------------------------------------------
    def run_action(self, action: str) -> None:
        if not self.may_triage():
            return
        row = self.queue.selected_row()
        if row is None:
            self.show_message(self.tr("項目が選択されていません"))
            return
        if action == "share":  # validated first: a refused share never opens the dialog
            self.triage.check("share", row, lambda: window_actions.open_share_dialog(self, row))
        elif action == "dismiss" and self.triage.needs_reason(row):
            window_actions.open_dismiss_dialog(self, row)
        elif action == "place":
            window_actions.open_place_dialog(self, row)
        else:
            self.triage.transition(action, row)

    def undo(self) -> None:
        """Ctrl+Z: undo the operator's own last action."""
        if self.may_triage():
            self.triage.undo()

    def show_error(self, title: str, message: str) -> None:
        """An error a person must act on: a dialog that stays until it is read."""
        from disaster_desk.ui.triage_dialogs import show_error

        log.warning("%s: %s", title, message)
        self.error_dialog = show_error(self, title, message, on_closed=self._error_closed)

    def _error_closed(self) -> None:
        self.error_dialog = None
        self.queue.focus_table()

    def _triage_failed(self, action: str, key: str, message: str) -> None:
        self.queue.refresh()  # the operator sees the current state behind the message
        self.on_item_selected(self.queue.selected_row())
        self.show_error(self.tr("操作できません"), message)

    def _triage_done(self, action: str, key: str) -> None:
        # The marker first (read on the runner), then the selection: the popup the selection
        # opens shows the new state.
        scope, db, language, start = self.scope, self.db, current_language(), self._window_start()
        self.runner.submit(lambda _ctx: panels.map_item(db, key, scope, language, start),
                           on_done=lambda item: self._triaged_marker(scope, item))
        self.queue.refresh()
        if action == "undo":
            self.select_item(key)
        self.on_item_selected(self.queue.selected_row())
        self._check_rescue()

    # -- updates -----------------------------------------------------------------------
    def on_changes(self, changes: list[Any]) -> None:
        """Changes of this window's scope (from :class:`ChangeHub`): update what shows the changed items."""
        keys = keys_of(changes)
        types = {k.type for k in keys}
        if types & {"post", "report", "incident"}:
            self.queue.refresh()
            self._check_rescue()
            self._update_markers(keys)
        if "report" in types and hasattr(self.reports, "refresh"):
            self.reports.refresh()
        if "alert" in types:
            self.alerts.refresh()
            self.load_map_items()  # the intensity markers of the newest alert replace the others
        if any(c.kind == "shared" for c in changes):
            self.inbox.refresh()
            row = self.queue.selected_row()
            if row is not None and row.key in {str(k) for k in keys}:  # a share or a 受領 of the item shown
                self._read_history(row)

    def _update_markers(self, keys: set[Any]) -> None:
        """Re-read only the changed markers (worker pool); add, update or remove them."""
        if not hasattr(self.map_view, "update_item"):
            return
        scope, db, language, since = self.scope, self.db, current_language(), self._window_start()
        def read(wanted: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
            items = panels.map_items_of(db, wanted, scope, language, since)
            return items, prepared(items.values())  # the JSON made on the pool with the read

        self.hub.read_markers(keys, read, lambda result: self._apply_markers(scope, *result))

    def _window_start(self) -> Any:
        """The start of the map's time window now (None: every post)."""
        return self.map_view.window.since(self.clock.now()) if hasattr(self.map_view, "window") else None

    def _apply_markers(self, scope: Scope, items: dict[str, Any], ready: dict[str, str] | None = None) -> None:
        if scope != self.scope or not hasattr(self.map_view, "update_item"):
            return
        self._marker_seq += 1
        self._marker_at.update(dict.fromkeys(items, self._marker_seq))
        changed = [item for item in items.values() if item is not None and self._map_items.get(item.key) != item]
        if changed:
            self.map_view.add_items(changed, ready=ready)
        gone = [key for key, item in items.items() if item is None and key in self._map_items]
        self.map_view.remove_items(gone)
        for key in gone:
            del self._map_items[key]
        self._map_items.update({item.key: item for item in changed})
        self._keep_marker_bound()

    def _keep_marker_bound(self) -> None:
        """At most the bound of post markers: the least relevant ones leave (they are counted at the next read)."""
        bound = self.map_view.window.bound if hasattr(self.map_view, "window") else None
        posts = [i for i in self._map_items.values() if i.layer == "post"]
        if bound is None or len(posts) <= bound:
            return
        # the few least relevant (a batch's worth beyond the bound), not a sort of every marker
        least = heapq.nsmallest(len(posts) - bound, posts, key=lambda i: i.relevance)
        self.map_view.remove_items([item.key for item in least])
        for item in least:
            del self._map_items[item.key]

    def _triaged_marker(self, scope: Scope, item: Any) -> None:
        if item is not None and scope == self.scope and hasattr(self.map_view, "update_item"):
            self.map_view.update_item(item)

    def _remember_rescue(self) -> None:
        """What is unhandled when a scope is shown counts as seen (the banner announces only newer ones)."""
        scope, db = self.scope, self.db
        self.runner.submit(lambda _ctx: _rescue_rows(db, scope), on_done=lambda rows: scope == self.scope and
                           self._seen_rescue.update(r.key for r in rows))

    def _check_rescue(self) -> None:
        """Announce rescue calls not seen before (read on the worker pool; only the newest read is applied)."""
        scope, db = self.scope, self.db
        self._rescue_reads.submit(lambda: _rescue_rows(db, scope), lambda rows: self._announce_rescue(scope, rows))

    def _announce_rescue(self, scope: Scope, unhandled: list[Any]) -> None:
        if scope != self.scope:
            return
        self.rescue_banner.retain({r.key for r in unhandled})
        rows = [r for r in unhandled if r.key not in self._seen_rescue]
        if rows:
            self._seen_rescue |= {r.key for r in rows}
            self.rescue_banner.announce(rows)

    def refresh_collectors(self) -> None:
        self.collectors.refresh()  # the status bar's summary follows its ``updated``

    def _tick_clock(self) -> None:
        now = self.clock.now().astimezone(JST)
        text = now.strftime("%H:%M:%S JST")
        engine = self.drill_engine
        if self.scope.is_drill and engine is not None:
            from disaster_desk.ui.drill_panel import speed_text
            from drills.scenario import format_elapsed

            elapsed = format_elapsed(engine.clock.elapsed())
            text = self.tr("経過 %1").replace("%1", elapsed) + f"  {speed_text(engine.speed)}  " + text
            self.drill_band.set_detail(f"{engine.scenario.name}  {elapsed}")
        self.clock_label.setText(text)

    def show_message(self, text: str, msecs: int = 6000) -> None:
        self.statusBar().showMessage(text, msecs)

    # -- demo --------------------------------------------------------------------------
    def start_demo(self) -> None:
        """Play the bundled drill scenario in this window (``make run``)."""
        from disaster_desk.ui.demo import DemoController

        if self.demo is not None:
            return
        self.demo = DemoController(self.db, self.runner, self.analyser_provider, self)
        self.demo.started.connect(self._demo_started)
        self.demo.stepped.connect(lambda n: self.hub.poll())
        self.demo.finished.connect(lambda: self.show_message(self.tr("デモが終了しました")))
        self.demo.failed.connect(self._demo_failed)
        self.progress.show()
        self.cancel_button.show()
        self.show_message(self.tr("デモの準備: 解析器を読み込んでいます（辞書・学習モデル・地名辞書）"), 0)
        warmup = getattr(self, "warmup", None)  # the analyser loading since the start (ui/startup.py)
        if warmup is not None and not warmup.done:
            self.progress.setRange(0, 100)  # how far, with the step's words beside it
            self.progress.setValue(0)
            self.progress.setFormat(self.tr("解析器 %p%"))
            warmup.stepped.connect(self._demo_loading_step)
            if warmup.last_step is not None:
                self._demo_loading_step(warmup.last_step)
        else:  # no steps to follow: the words say what is awaited
            self.progress.setRange(0, 0)
            self.progress.setFormat(self.tr("解析器"))
        self.demo.start()

    def _demo_loading_step(self, step: Any) -> None:
        """A step of the analyser's load while the demo waits for it: its words stay until the next."""
        from disaster_desk.ui.startup import analyser_step_text

        if self.demo is None or self.demo.engine is not None:
            return
        self.progress.setValue(max(self.progress.value(), round(100 * step.fraction)))
        self.show_message(self.tr("デモの準備: %1").replace("%1", analyser_step_text(step)), 0)

    def _demo_failed(self, message: str) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.show_message(self.tr("デモを開始できません: %1").replace("%1", message))

    def cancel_demo(self) -> None:
        if self.demo is not None:
            self.demo.cancel()
            self.demo = None
        self.progress.hide()
        self.cancel_button.hide()
        self.show_message(self.tr("デモを取り消しました"))

    def _demo_started(self, engine: Any) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.drill_engine = engine
        self.set_scope(engine.scope, engine.clock)
        if hasattr(self.drill_panel, "attach"):  # the panel shows the demo's run, not 待機中
            self.drill_panel.attach(engine)
        self.show_message(self.tr("デモ再生中: %1").replace("%1", engine.scenario.name))

    def _drill_panel_started(self, engine: Any) -> None:
        self.drill_engine = engine
        self.set_scope(engine.scope, engine.clock)
        self.show_message(self.tr("訓練開始: %1").replace("%1", engine.scenario.name))

    def event(self, event) -> bool:
        """The first paint means the window is on screen: now build the slow panels."""
        if not self._painted and event.type() in (QEvent.Type.Paint, QEvent.Type.UpdateRequest):
            self._painted = True
            QTimer.singleShot(0, self.build_deferred_panels)
        return super().event(event)

    # -- closing -----------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if self.confirm_close and not self._close_confirmed:
            event.ignore()
            window_actions.confirm_quit(self)
            return
        window_state.save(self)
        self.hub.stop()
        if self.demo is not None:
            self.demo.stop()
        self.log_panel.detach()
        self.runner.wait(5000)
        if hasattr(self.map_view, "web"):  # its page goes before the web profile (a crash at exit otherwise)
            self.map_view.close()
        super().closeEvent(event)


def role_name(window: QMainWindow, role: str) -> str:
    return {"hq": window.tr("本部"), "ward": window.tr("区"), "drill": window.tr("訓練統制")}.get(role, role)


def _rescue_rows(db: Database, scope: Scope) -> list[Any]:
    """Unhandled rescue calls of ``scope`` (database work: the worker pool)."""
    service = panels.make_queue_service(db, scope)
    return service.page(make_filter(labels=frozenset({"rescue"}), states=frozenset({"new"})), 0, 50)
