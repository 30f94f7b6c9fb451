"""Background work off the GUI thread (ARCHITECTURE rule 5).

The Picard ``util/thread.py`` pattern: a task is a plain callable run on a
``QThreadPool``; its result, error and progress are posted back to the GUI
thread, where the callbacks run. Tasks never touch widgets. A task receives a
:class:`TaskContext` to report progress and to notice a cancel request.

Tests swap in :class:`SyncRunner`, which runs the task at once in the calling
thread, so a test needs no waiting for the common case.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

from disaster_desk.core.progress import Stopped

log = logging.getLogger(__name__)

Callback = Callable[..., Any] | None


class Cancelled(Stopped):
    """Raised inside a task by :meth:`TaskContext.check` after a cancel request (a core.progress Stopped)."""


class TaskContext:
    """What a running task sees: progress reporting and cancellation."""

    def __init__(self, on_progress: Callable[[int, int], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._on_progress = on_progress

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def progress(self, done: int, total: int) -> None:
        if self._on_progress is not None:
            self._on_progress(done, total)


class _MainThreadDispatcher(QObject):
    """Runs callables in the GUI thread: a signal emitted from a worker is queued to it."""

    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.call.connect(self._run)

    @Slot(object)
    def _run(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except Exception:  # a failing callback must not kill the event loop
            log.exception("callback failed")


_dispatcher: _MainThreadDispatcher | None = None


def _ensure_dispatcher() -> _MainThreadDispatcher:
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = _MainThreadDispatcher()
        app = QCoreApplication.instance()
        if app is not None:
            _dispatcher.moveToThread(app.thread())
    return _dispatcher


def _to_gui(fn: Callable[[], Any]) -> None:
    try:
        _ensure_dispatcher().call.emit(fn)
    except RuntimeError:  # the application is shutting down: nobody to tell
        log.debug("result dropped at shutdown")


class TaskHandle:
    """A submitted task: ``cancel()`` it, ask whether it is ``done``."""

    def __init__(self, context: TaskContext) -> None:
        self.context = context
        self.done = False

    def cancel(self) -> None:
        self.context.cancel()


_running = 0
_running_lock = threading.Lock()


def running_tasks() -> int:
    """Tasks running now on any :class:`ThreadRunner`'s pool (ui.responsive collects when none is)."""
    return _running


class _Runnable(QRunnable):
    def __init__(self, fn, handle: TaskHandle, on_done: Callback, on_error: Callback) -> None:
        super().__init__()
        self.fn, self.handle, self.on_done, self.on_error = fn, handle, on_done, on_error

    def run(self) -> None:
        global _running
        with _running_lock:
            _running += 1
        try:
            self._run()
        finally:
            with _running_lock:
                _running -= 1

    def _run(self) -> None:
        try:
            result = self.fn(self.handle.context)
        except Cancelled:
            _to_gui(lambda: _finish(self.handle, None, None))
        except Exception as exc:
            log.exception("background task failed")
            _to_gui(lambda exc=exc: _finish(self.handle, None, self.on_error, exc))
        else:
            _to_gui(lambda: _finish(self.handle, self.on_done, None, result))


def _finish(handle: TaskHandle, on_done: Callback, on_error: Callback, value: Any = None) -> None:
    handle.done = True
    if on_done is not None:
        on_done(value)
    elif on_error is not None:
        on_error(value)


class ThreadRunner:
    """Runs tasks on a thread pool; callbacks arrive in the GUI thread."""

    def __init__(self, max_threads: int = 2) -> None:
        _ensure_dispatcher()  # created here, in the GUI thread
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(max_threads)

    def submit(
        self,
        fn: Callable[[TaskContext], Any],
        *,
        on_done: Callback = None,
        on_error: Callback = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> TaskHandle:
        progress = None
        if on_progress is not None:

            def progress(done: int, total: int) -> None:
                _to_gui(lambda: on_progress(done, total))

        handle = TaskHandle(self.new_context(progress))
        self.pool.start(_Runnable(fn, handle, on_done, on_error))
        return handle

    def new_context(self, on_progress: Callable[[int, int], None] | None) -> TaskContext:
        """The context a submitted task gets (a test's runner hands one that holds at a check)."""
        return TaskContext(on_progress)

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)


_task = threading.local()


def in_sync_task() -> bool:
    """True while a :class:`SyncRunner` runs a task: the stand-in for a pool thread.

    The tests' guard against database calls on the GUI thread counts such a
    call as off the GUI thread, since in the application it runs on the pool.
    """
    return getattr(_task, "depth", 0) > 0


class SyncRunner:
    """Runs each task at once in the calling thread (tests, headless screenshots)."""

    def submit(self, fn, *, on_done: Callback = None, on_error: Callback = None, on_progress=None) -> TaskHandle:
        handle = TaskHandle(TaskContext(on_progress))
        _task.depth = getattr(_task, "depth", 0) + 1
        try:
            result, error = fn(handle.context), None
        except Cancelled:
            result, error = None, Cancelled()
        except Exception as exc:
            log.exception("task failed")
            result, error = None, exc
        finally:
            _task.depth -= 1
        handle.done = True  # the callbacks run as they would in the GUI thread
        if isinstance(error, Cancelled):
            return handle
        if error is not None:
            if on_error is not None:
                on_error(error)
        elif on_done is not None:
            on_done(result)
        return handle

    def wait(self, msecs: int = 0) -> bool:
        return True


def default_runner(runner: Any = None) -> Any:
    """The runner a panel was given, else its own pool (a panel used on its own)."""
    return runner if runner is not None else ThreadRunner(max_threads=1)


class LatestRead:
    """Reads for one view: each runs on the runner, only the newest request's result is applied.

    A panel refreshed twice in a row (two changes heard) must not be painted
    with the older read when it arrives last.
    """

    def __init__(self, runner: Any) -> None:
        self.runner = runner
        self._generation = 0

    def submit(self, read: Callable[[], Any], apply: Callable[[Any], None],
               on_error: Callable[[BaseException], None] | None = None) -> TaskHandle:
        self._generation += 1
        generation = self._generation

        def done(result: Any) -> None:
            if generation == self._generation:
                apply(result)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                if on_error is not None:
                    on_error(exc)
                else:
                    log.warning("read failed: %s", exc)

        return self.runner.submit(lambda _ctx: read(), on_done=done, on_error=failed)
