"""Triage actions from the window (buttons and keys) through the core services.

Each action passes the version the operator saw, so a change made meanwhile
by another station is refused (ConflictError) instead of overwritten; the
window then reloads the item and shows why in a dialog. The services run on
the window's runner (a worker thread in the app, at once in tests), never in
the GUI thread; results come back as signals with a message naming the item
by its text (「北区で救助要請…」→消防局), not by its id.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.db_errors import database_problem
from disaster_desk.core.items import ItemKey
from disaster_desk.core.modes import Scope
from disaster_desk.errors import UserError, ValidationError
from disaster_desk.ui.error_text import describe
from disaster_desk.ui.names import action_name, state_name

log = logging.getLogger(__name__)

TRANSITION_ACTIONS = ("acknowledge", "verify", "dismiss", "close", "reopen")
#: Labels whose dismissal asks for a reason and a confirmation.
REASON_LABELS = frozenset({"rescue", "casualty"})


def item_text(row: Any, width: int = 30) -> str:
    """「北区中崎町で救助要請…」: how an operator recognises an item in a message."""
    text = " ".join(str(getattr(row, "text", "") or "").split())
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f"「{text}」"


class _Runner:
    """Runs at once (for a controller made without the window's runner)."""

    def submit(self, fn, *, on_done=None, on_error=None, on_progress=None):
        from disaster_desk.ui.workers import SyncRunner

        return SyncRunner().submit(fn, on_done=on_done, on_error=on_error)


class TriageController(QObject):
    #: (action, item key) after a successful change.
    done = Signal(str, str)
    #: A sentence for the status bar after a change (item text, state, targets).
    notice = Signal(str)
    #: (action, item key, message) when the core refused the change: the window shows a dialog.
    failed = Signal(str, str, str)

    def __init__(self, db: Database, clock: Clock, scope: Scope, actor: str, parent: QObject | None = None,
                 *, runner: Any = None) -> None:
        super().__init__(parent)
        self.db, self.clock, self.scope, self.actor = db, clock, scope, actor
        self.runner = runner or _Runner()

    def set_scope(self, scope: Scope, clock: Clock) -> None:
        self.scope, self.clock = scope, clock

    def _service(self) -> Any:
        from disaster_desk.core.triage import TriageService

        return TriageService(self.db, self.clock, self.scope)

    def allowed(self, row: Any) -> list[str]:
        from disaster_desk.core.triage import allowed_actions

        return allowed_actions(row.state) if row is not None else []

    @staticmethod
    def needs_reason(row: Any) -> bool:
        """Dismissing this row asks for a reason (it is a rescue or casualty item)."""
        return bool(REASON_LABELS & set(getattr(row, "labels", None) or []))

    def _refusal(self, action: str, key: str, exc: BaseException) -> str:
        """What the operator reads when ``action`` on ``key`` failed; the technical text goes to the log."""
        if database_problem(exc) is not None:  # refused (RLS, a role, a timeout): the translated sentence
            log.warning("%s %s refused by the database: %s", action, key, exc)
            return describe(exc).text
        if not isinstance(exc, UserError):
            log.error("%s %s failed: %s", action, key, exc)
            return self.tr("予期しないエラー: %1").replace("%1", str(exc))
        text = exc.message if isinstance(exc, ValidationError) else str(exc)
        log.warning("%s %s refused: %s", action, key, text)
        return text

    def _run(self, action: str, row: Any, work: Callable[[Any], Any], message: Callable[[Any], str],
             on_failed: Callable[[str], None] | None = None) -> None:
        key = str(ItemKey.of(row)) if row is not None else ""

        def failed(exc: BaseException) -> None:
            text = self._refusal(action, key, exc)
            if on_failed is not None:
                on_failed(text)
            else:
                self.failed.emit(action, key, text)

        def finished(result: Any) -> None:
            done_key = key or str(ItemKey(result.item_type, result.item_id))
            log.info("%s %s by %s", action, done_key, self.actor)
            self.done.emit(action, done_key)
            self.notice.emit(message(result))

        self.runner.submit(lambda _ctx: work(self._service()), on_done=finished, on_error=failed)

    def transition(self, action: str, row: Any, *, reason: str | None = None) -> None:
        if action not in TRANSITION_ACTIONS:
            raise ValueError(action)

        def work(service: Any) -> Any:
            kwargs = {"reason": reason} if action in ("dismiss", "reopen") else {}
            return getattr(service, action)(row.item_type, row.item_id, actor=self.actor,
                                            expected_version=row.version, **kwargs)

        self._run(action, row, work, lambda _v: self.tr("%1しました: %2").replace("%1", action_name(action))
                  .replace("%2", item_text(row)))

    def check(self, action: str, row: Any, on_ok: Callable[[], None]) -> None:
        """Validate ``action`` on ``row`` now (before a dialog opens); ``on_ok`` when it would be accepted."""
        def work(service: Any) -> None:
            service.check(action, row.item_type, row.item_id, expected_version=row.version)

        def failed(exc: BaseException) -> None:
            key = str(ItemKey.of(row))
            self.failed.emit(action, key, self._refusal(action, key, exc))

        self.runner.submit(lambda _ctx: work(self._service()), on_done=lambda _r: on_ok(), on_error=failed)

    def share(self, row: Any, targets: Sequence[str], note: str | None = None) -> None:
        """Share (a new item is acknowledged on the way: two audited transitions)."""
        targets = list(targets)

        def work(service: Any) -> Any:
            return service.share(row.item_type, row.item_id, targets, actor=self.actor, note=note,
                                 expected_version=row.version, acknowledge_new=True)

        self._run("share", row, work, lambda _ids: self.tr("共有しました: %1→%2").replace("%1", item_text(row))
                  .replace("%2", "・".join(targets)))

    def undo(self) -> None:
        """Undo the operator's own last action (Ctrl+Z)."""
        def work(service: Any) -> Any:
            return service.undo_last(actor=self.actor)

        self._run("undo", None, work, lambda u: self.tr("%1を取り消しました: %2（%3に戻しました）")
                  .replace("%1", action_name(u.action)).replace("%2", f"「{u.text}」")
                  .replace("%3", state_name(u.state)))

    def correct_place(self, row: Any, place: Any, on_failed: Callable[[str], None] | None = None) -> None:
        from disaster_desk.core.places import PlaceService

        def work(_service: Any) -> Any:
            return PlaceService(self.db, self.clock, self.scope).correct(
                row.item_type, row.item_id, place, actor=self.actor, expected_version=row.version)

        where = " ".join(p for p in (place.ward, place.place) if p)
        self._run("correct_place", row, work, lambda _v: self.tr("場所を訂正しました: %1 → %2")
                  .replace("%1", item_text(row)).replace("%2", where), on_failed)
