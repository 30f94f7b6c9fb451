"""What the analyser is doing while it loads, for the GUI's start-up window and the CLI's stderr.

Loading is three steps (:data:`STEPS`); fitting the learned model, which only happens when
no model of the current corpus is stored (see :mod:`nlp.model_store`), reports its own
progress inside the model step. :func:`get_analyser` takes a ``progress`` callback and
the pipeline's parts call :func:`report`; the callback gets a :class:`Step` each time.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TextIO

#: (key, Japanese words of the step), in the order they run.
STEPS: tuple[tuple[str, str], ...] = (
    ("dictionary", "形態素解析の辞書（Sudachi／GiNZA）を読み込んでいます"),
    ("model", "学習モデルを読み込んでいます"),
    ("gazetteer", "地名辞書（区・町丁目・駅・避難所）を読み込んでいます"),
)
_INDEX = {key: i for i, (key, _text) in enumerate(STEPS)}


@dataclass(frozen=True)
class Step:
    """One report: ``key`` of :data:`STEPS`, the words to show, and how far the whole load is (0-1)."""

    key: str
    text: str
    fraction: float
    #: True for work that only a first start does (fitting the model): worth saying even to a log.
    slow: bool = False

    @property
    def number(self) -> int:
        """1-based number of the step (of ``len(STEPS)``)."""
        return _INDEX[self.key] + 1


Reporter = Callable[[Step], None]
_reporter: ContextVar[Reporter | None] = ContextVar("dd_nlp_progress", default=None)


@contextmanager
def reporting(callback: Reporter | None) -> Iterator[None]:
    """Send the :func:`report` calls made in this thread meanwhile to ``callback``."""
    token = _reporter.set(callback)
    try:
        yield
    finally:
        _reporter.reset(token)


def report(key: str, part: float = 0.0, detail: str = "", *, slow: bool = False) -> None:
    """Step ``key`` is running, ``part`` (0-1) of it done; ``detail`` replaces its usual words."""
    callback = _reporter.get()
    if callback is None:
        return
    text = detail or STEPS[_INDEX[key]][1]
    callback(Step(key, text, (_INDEX[key] + min(max(part, 0.0), 1.0)) / len(STEPS), slow))


def stderr_reporter(stream: TextIO | None = None, *, interactive: bool | None = None) -> Reporter:
    """Steps as lines on stderr (stdout is the commands' output).

    On a terminal every step is shown; otherwise (a pipe, a log, a test) only the slow ones —
    a first start fitting the model — so scripts reading stderr for bad lines see no chatter.
    """
    out = stream or sys.stderr
    tty = out.isatty() if interactive is None else interactive
    last: list[str] = []

    def show(step: Step) -> None:
        if not (tty or step.slow):
            return
        line = f"disaster-desk: [{step.number}/{len(STEPS)}] {step.text} ({round(100 * step.fraction)}%)"
        if last and last[0] == line:
            return
        last[:] = [line]
        print(line, file=out, flush=True)

    return show
