"""A progress dialog over one task on the window's runner (issue 12 item 5, issue 16 item 12).

Long work (a CSV or registry import, an export) runs on the runner as usual; the
task gets a ``report(done, total)`` callable to hand to the core function
(core.progress), and the dialog follows it in the GUI thread: busy until the
first report, then ``done / total``, closed when the task ends. Where stopping
is safe the dialog offers 中止: the next report raises
:class:`~disaster_desk.ui.workers.Cancelled` inside the task, the core function
stops without writing (see each function's docstring) and ``on_cancelled``
runs once the task has ended (work that stores as it goes — the reports CSV
import, a transaction a line — returns a result whose ``stopped`` is true
instead: it goes to ``on_done``, which says what was stored). The outcome shown is what the work did, not what
was clicked: work that ended before it noticed the request (the click came
during the last transaction, or after the result was on its way to the GUI
thread) reports its result through ``on_done`` and is not ``cancelled``. The
dialog is window-modal: the operator sees it and cannot start the same work
twice, and it appears only when the work lasts (``SHOW_AFTER_MS``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from disaster_desk.ui.workers import Cancelled, TaskContext, TaskHandle

log = logging.getLogger(__name__)

#: Work shorter than this shows no dialog (a flash would only distract).
SHOW_AFTER_MS = 400

Report = Callable[[int, int], None]

#: What the task returns when it stopped on a cancel request.
_STOPPED = object()


class _Dialog(QProgressDialog):
    """QProgressDialog that remembers whether it was ever on screen (tests ask)."""

    was_shown = False

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        self.was_shown = True
        super().showEvent(event)


def _dialog(label: str, cancel_text: str, parent: QWidget, title: str, modality: Qt.WindowModality) -> _Dialog:
    dialog = _Dialog(label, cancel_text, 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(modality)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    return dialog


class ProgressTask(QObject):
    """One run of ``work(report)`` on ``runner`` with its progress dialog (kept as ``.dialog``)."""

    def __init__(
        self,
        parent: QWidget,
        runner: Any,
        work: Callable[[Report], Any],
        *,
        title: str,
        label: str,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        cancellable: bool = False,
        cancel_text: str | None = None,
    ) -> None:
        super().__init__(parent)
        for earlier in parent.findChildren(ProgressTask):  # the dialogs of ended runs go with them
            if earlier is not self and earlier.finished:
                earlier.dialog.deleteLater()
                earlier.deleteLater()
        self.label = label
        self.finished = False
        #: 中止 was clicked while the task ran (it may still have finished: see ``cancelled``).
        self.cancel_requested = False
        #: The work stopped on that request (nothing stored, or a partial result whose ``stopped`` is true).
        self.cancelled = False
        #: (done, total) as the dialog last showed it: what tests and the log read.
        self.shown: list[tuple[int, int]] = []
        self._on_done, self._on_error, self._on_cancelled = on_done, on_error, on_cancelled
        dialog = _dialog(label, cancel_text or QCoreApplication.translate("ProgressTask", "中止"), parent, title,
                         Qt.WindowModality.WindowModal)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self._cancel)
        dialog.setValue(0)  # starts the show-after timer
        self.dialog = dialog

        def task(ctx: TaskContext) -> Any:
            def report(done: int, total: int) -> None:
                if cancellable:
                    ctx.check()  # raises Cancelled: the core function stops where it is safe
                ctx.progress(done, total)

            try:
                return work(report)
            except Cancelled:
                return _STOPPED

        self.handle: TaskHandle = runner.submit(task, on_done=self._done, on_error=self._failed,
                                                on_progress=self._progress)

    # -- GUI thread ----------------------------------------------------------------
    def _progress(self, done: int, total: int) -> None:
        if self.finished or self.cancel_requested:  # a report already on its way keeps 中止しています… up
            return
        self.shown.append((done, total))
        _show_count(self.dialog, self.label, done, total)

    def _close(self) -> None:
        self.finished = True
        self.dialog.canceled.disconnect(self._cancel)
        self.dialog.close()

    def _done(self, result: Any) -> None:
        if self.finished:
            return
        self._close()
        if result is _STOPPED:
            self.cancelled = True
            log.info("%s: stopped by the operator", self.label)
            if self._on_cancelled is not None:
                self._on_cancelled()
            return
        if getattr(result, "stopped", False) is True:  # work that stores as it goes stopped partway
            self.cancelled = True
            log.info("%s: stopped by the operator partway; what was stored is reported", self.label)
        elif self.cancel_requested:
            log.info("%s: 中止 came after the work had finished; its result stands", self.label)
        if self._on_done is not None:
            self._on_done(result)

    def _failed(self, exc: BaseException) -> None:
        if self.finished:
            return
        self._close()
        if self._on_error is not None:
            self._on_error(exc)
        else:
            log.error("%s: %s", self.label, exc)

    def _cancel(self) -> None:
        """中止: ask the task to stop; its end calls back as above.

        The dialog stays up (window-modal, without its button) saying 中止しています… until the task
        has ended: the same work cannot be started again while this run may still be committing.
        """
        if self.finished:
            return
        self.cancel_requested = True
        self.handle.cancel()
        self.dialog.setCancelButton(None)
        self.dialog.setLabelText(self.label + "\n" + QCoreApplication.translate("ProgressTask", "中止しています…"))
        self.dialog.show()


class StepProgress(QObject):
    """A progress dialog for work the GUI drives step by step (a drill at max speed).

    Not modal: the controller keeps watching the map and the KPIs. Its button
    calls ``on_cancel`` (the drill panel's 終了, which asks first); when that
    did not end the work the dialog comes back.
    """

    def __init__(self, parent: QWidget, *, title: str, label: str, cancel_text: str,
                 on_cancel: Callable[[], None]) -> None:
        super().__init__(parent)
        self.label = label
        self.closed = False
        self.shown: list[tuple[int, int]] = []
        self._on_cancel = on_cancel
        dialog = _dialog(label, cancel_text, parent, title, Qt.WindowModality.NonModal)
        dialog.canceled.connect(self._cancel)
        dialog.setValue(0)
        self.dialog = dialog

    def update(self, done: int, total: int) -> None:
        if self.closed or (self.shown and self.shown[-1] == (done, total)):
            return
        self.shown.append((done, total))
        _show_count(self.dialog, self.label, done, total)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.dialog.canceled.disconnect(self._cancel)
            self.dialog.close()
            self.dialog.deleteLater()

    def _cancel(self) -> None:
        self._on_cancel()
        if not self.closed:  # the operator chose to go on (or the end is still on its way)
            done, total = self.shown[-1] if self.shown else (0, 0)
            self.dialog.reset()
            self.dialog.setMaximum(max(total, 0))
            self.dialog.setValue(min(done, total))
            self.dialog.show()


def _show_count(dialog, label: str, done: int, total: int) -> None:
    """The bar and the words ``label\nN / M`` of a progress dialog; a total of 0 stays busy."""
    if total > 0:
        dialog.setMaximum(total)
        dialog.setValue(min(done, total))
        dialog.setLabelText(f"{label}\n{done:,} / {total:,}")
