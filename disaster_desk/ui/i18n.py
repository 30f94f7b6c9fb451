"""UI language: Japanese is the source language of every ``tr()`` string;
English comes from ``resources/translations/disaster_desk_en.ts``.

Approach (robust on any install): the ``.ts`` source is what we ship and
commit. At start-up it is compiled to a ``.qm`` in a cache folder with the
``pyside6-lrelease`` of the installed PySide6 (named by the ``.ts`` digest,
so a changed ``.ts`` is compiled again) and loaded with ``QTranslator.load``. When lrelease is missing or fails,
:class:`TsTranslator` reads the ``.ts`` XML directly, so English never depends
on a build tool being present.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

import resources

log = logging.getLogger(__name__)

LANGUAGES = ("ja", "en")


def ts_path(language: str) -> Path:
    return resources.path("translations", f"disaster_desk_{language}.ts")


def _lrelease() -> str | None:
    here = Path(sys.executable).parent / "pyside6-lrelease"
    if here.exists():
        return str(here)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compile_ts(ts: Path, cache_dir: Path | None = None) -> Path | None:
    """Compile ``ts`` to a ``.qm`` in ``cache_dir``; None when lrelease is unavailable or fails."""
    tool = _lrelease()
    if tool is None:
        return None
    cache = cache_dir or Path(tempfile.gettempdir()) / f"disaster-desk-qm-{os.getuid() if hasattr(os, 'getuid') else 0}"
    cache.mkdir(parents=True, exist_ok=True)
    # Named by the .ts contents: two checkouts (or versions) never load each other's .qm from the shared folder.
    qm = cache / f"{ts.stem}-{hashlib.sha256(ts.read_bytes()).hexdigest()[:16]}.qm"
    if qm.exists():
        return qm
    part = qm.with_suffix(f".{os.getpid()}.part")
    try:
        subprocess.run([tool, "-silent", str(ts), "-qm", str(part)], check=True, capture_output=True, timeout=60)
        os.replace(part, qm)  # another process never reads a half-written file
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("pyside6-lrelease failed (%s); reading %s directly", exc, ts.name)
        return None
    return qm if qm.exists() else None


class TsTranslator(QTranslator):
    """A translator that reads a Qt Linguist ``.ts`` file itself (fallback)."""

    def __init__(self, ts: Path, parent=None) -> None:
        super().__init__(parent)
        self.table: dict[tuple[str, str], str] = {}
        for context in ET.parse(ts).getroot().iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                source = message.findtext("source") or ""
                tr = message.find("translation")
                if tr is not None and tr.text and tr.get("type") not in ("unfinished", "obsolete", "vanished"):
                    self.table[(name, source)] = tr.text

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D401 - Qt override
        # None is a null QString: Qt then tries the next translator or keeps the source text
        # (an empty "" would replace the text with nothing).
        return self.table.get((context, source_text))

    def isEmpty(self) -> bool:  # noqa: N802 - Qt naming
        return not self.table


def current_language() -> str:
    """The language the application's texts are in (``ja`` unless English was installed)."""
    app = QCoreApplication.instance()
    return getattr(app, "_dd_language", "ja") if app is not None else "ja"


def install_qt_translations(app: QCoreApplication, language: str) -> QTranslator | None:
    """Qt's own strings (Cancel, Yes/No of standard buttons, file dialogs) in ``language``.

    The source language of Qt is English, so only Japanese needs a catalogue
    (``qtbase_ja.qm``, shipped with PySide6).
    """
    if language == "en":
        return None
    translator = QTranslator(app)
    directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{language}", directory):
        log.warning("Qt's own %s translation not found in %s", language, directory)
        return None
    app.installTranslator(translator)
    return translator


def install_translator(app: QCoreApplication, language: str, *, use_lrelease: bool = True) -> QTranslator | None:
    """Install the translators for ``language`` on ``app`` (ours and Qt's own); Japanese needs none of ours."""
    for old in getattr(app, "_dd_translators", []):
        app.removeTranslator(old)
    app._dd_translators = []
    app._dd_language = language if language in LANGUAGES else "ja"
    qt_own = install_qt_translations(app, app._dd_language)
    if qt_own is not None:
        app._dd_translators.append(qt_own)
    if language == "ja":
        return None
    ts = ts_path(language)
    if not ts.exists():
        log.warning("no translation for %s", language)
        return None
    translator: QTranslator | None = None
    qm = compile_ts(ts) if use_lrelease else None
    if qm is not None:
        candidate = QTranslator(app)
        if candidate.load(str(qm)):
            translator = candidate
    if translator is None:
        translator = TsTranslator(ts, app)
    app.installTranslator(translator)
    app._dd_translators.append(translator)
    return translator
