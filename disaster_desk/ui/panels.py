"""Building the panels of other areas, with a named placeholder when one is missing.

The map (``ui/map``), reports (``ui/reports``) and drill panel
(``ui/drill_panel.py``) are written by other engineers; the window only
depends on their agreed constructors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.modes import Scope
from disaster_desk.core.settings import Settings, data_dir
from disaster_desk.ui.placeholders import MissingPanel

log = logging.getLogger(__name__)


def _missing(what: str, module: str, exc: BaseException) -> MissingPanel:
    return MissingPanel(what, module, f"{type(exc).__name__}: {exc}")


def make_map(settings: Settings, focus_ward: str | None = None) -> QWidget:
    """The map; ``focus_ward`` (a ward station's own ward) opens it on that ward."""
    try:
        from disaster_desk.ui.map.view import MapView
    except ImportError as exc:
        return _missing("地図", "disaster_desk.ui.map.view", exc)
    # The user's imported boundaries (gazetteer import --format n03) replace the pack's, as in the gazetteer.
    user_dir = settings.gazetteer_dir or str(data_dir() / "gazetteer")
    return MapView(settings.map, area=settings.area, user_dir=user_dir, focus_ward=focus_ward)


def make_reports(db: Database, scope: Scope, clock: Clock, runner: Any = None, actor: str = "hq") -> QWidget:
    try:
        from disaster_desk.ui.reports.panel import ReportsPanel
    except ImportError as exc:
        return _missing("区報告", "disaster_desk.ui.reports.panel", exc)
    return ReportsPanel(db, scope, clock, runner=runner, actor=actor)


def make_ward_form(db: Database, settings: Settings, clock: Clock, runner: Any = None, *,
                   access: Any = None, scope: Scope | None = None) -> QWidget:
    """The ward report form; its outbox records the station's login (``access``) and the scope."""
    try:
        from disaster_desk.ui.reports.ward_form import WardReportForm
    except ImportError as exc:
        return _missing("区報告フォーム", "disaster_desk.ui.reports.ward_form", exc)
    extra = {"scope": scope} if scope is not None else {}
    return WardReportForm(db, settings, clock, runner=runner, access=access, **extra)


def make_drill_panel(db: Database, analyser_provider: Callable[[], Any], actor: str, runner: Any = None) -> QWidget:
    try:
        from disaster_desk.ui.drill_panel import DrillPanel
    except ImportError as exc:
        return _missing("訓練", "disaster_desk.ui.drill_panel", exc)
    return DrillPanel(db, analyser_provider, actor=actor, runner=runner)


def make_queue_service(db: Database, scope: Scope) -> Any:
    from disaster_desk.core.queue import QueueService
    from disaster_desk.ui.i18n import current_language

    return QueueService(db, scope, language=current_language())


def map_picture(db: Database, scope: Scope, window: Any, now: Any, language: str = "ja", counts: bool = True) -> Any:
    """The markers of the map's time window and the counts of the other posts (core.map_items.map_picture)."""
    from disaster_desk.core.map_items import map_picture as picture

    return picture(db, scope, window=window, now=now, language=language, counts=counts)


def map_item(db: Database, key: str, scope: Scope, language: str = "ja", since: Any = None) -> Any | None:
    """The current marker of one item of ``scope`` (a drill item is not found in the real scope).

    ``since``: the start of the map's time window (an older post has no marker).
    """
    try:
        from disaster_desk.core.map_items import map_item_for
    except ImportError:
        return None
    return map_item_for(db, key, scope, language=language, since=since)


def map_items_of(db: Database, keys: list[str], scope: Scope, language: str = "ja",
                 since: Any = None) -> dict[str, Any]:
    """The current markers of many items of ``scope`` in one read (core.map_items.map_items_for)."""
    try:
        from disaster_desk.core.map_items import map_items_for
    except ImportError:
        return {}
    return map_items_for(db, keys, scope, language=language, since=since)


def collector_statuses(db: Database, clock: Clock, scheduler: Any = None) -> list[Any]:
    """The in-process scheduler's view, else what the collecting process last stored."""
    if scheduler is not None:
        return list(scheduler.status())
    try:
        from collectors.status import StatusStore
    except ImportError:
        return []
    return StatusStore(db, clock).load_all()


def default_analyser_provider(settings: Settings) -> Callable[[], Any]:
    def provide() -> Any:
        from nlp.analyser import get_analyser

        return get_analyser(settings.gazetteer_dir)

    return provide
