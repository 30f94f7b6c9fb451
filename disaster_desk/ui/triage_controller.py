"""Triage actions from the window (buttons and keys) through the core TriageService.

Each action passes the version the operator saw, so a change made meanwhile
by another station is refused (ConflictError) instead of overwritten; the
window then reloads the item and says so.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.modes import Scope
from disaster_desk.errors import UserError

log = logging.getLogger(__name__)

TRANSITION_ACTIONS = ("acknowledge", "verify", "dismiss", "close")


class TriageController(QObject):
    #: (action, item key) after a successful change.
    done = Signal(str, str)
    #: (action, item key, message) when the core refused the change.
    failed = Signal(str, str, str)

    def __init__(self, db: Database, clock: Clock, scope: Scope, actor: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db, self.clock, self.scope, self.actor = db, clock, scope, actor

    def set_scope(self, scope: Scope, clock: Clock) -> None:
        self.scope, self.clock = scope, clock

    def _service(self) -> Any:
        from disaster_desk.core.triage import TriageService

        return TriageService(self.db, self.clock, self.scope)

    def allowed(self, row: Any) -> list[str]:
        from disaster_desk.core.triage import allowed_actions

        return allowed_actions(row.state) if row is not None else []

    def transition(self, action: str, row: Any) -> bool:
        if action not in TRANSITION_ACTIONS:
            raise ValueError(action)
        key = str(ItemKey.of(row))
        try:
            getattr(self._service(), action)(row.item_type, row.item_id, actor=self.actor, expected_version=row.version)
        except UserError as exc:
            log.warning("%s %s refused: %s", action, key, exc)
            self.failed.emit(action, key, str(exc))
            return False
        log.info("%s %s by %s", action, key, self.actor)
        self.done.emit(action, key)
        return True

    def share(self, row: Any, targets: Sequence[str], note: str | None = None) -> bool:
        key = str(ItemKey.of(row))
        try:
            self._service().share(
                row.item_type, row.item_id, list(targets), actor=self.actor, note=note, expected_version=row.version,
                acknowledge_new=True,
            )
        except UserError as exc:
            log.warning("share %s refused: %s", key, exc)
            self.failed.emit("share", key, str(exc))
            return False
        log.info("shared %s with %s", key, ", ".join(targets))
        self.done.emit("share", key)
        return True
