"""Writers that never stop half-way: files built aside, put in place together, undone together.

An export or a bulletin is several files. Writing them one by one into the
target folder leaves half a folder when one of them fails (a character XML
forbids, a full disk, the audit entry refused). :class:`StagedFiles` builds
them in a hidden folder next to the target (same file system, so a rename is
atomic), and :meth:`StagedFiles.install` renames them into the target, moving
the files they replace aside. Until the ``with`` block ends without an error
the installation can be undone: the previous files come back, new ones go,
and a target folder that did not exist before is removed again. So a caller
may put the files in place *inside* its database transaction and let a failed
commit take them back out (the bulletin's audit entry is part of the same step)::

    with StagedFiles(out) as files:
        (files.root / "index.html").write_text(...)
        with db.session() as session:
            audit.record(session, ...)
            session.flush()
            files.install()
        # committed: the files stay; an error anywhere above leaves the folder as it was

:func:`replace_file` is the one-file case (write aside, then ``os.replace``).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)

#: Permissions of published files (a web server reads them).
FILE_MODE = 0o644


def replace_file(path: str | Path, data: str | bytes) -> None:
    """Replace ``path`` atomically with ``data`` (text is written as UTF-8)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class StagedFiles:
    """Files for ``target`` built in ``root`` (a hidden sibling folder), installed all at once or not at all."""

    def __init__(self, target: str | Path) -> None:
        self.target = Path(target)
        self.root: Path = Path()
        self._backup: Path = Path()
        self._installed: list[tuple[Path, Path | None]] = []  # (installed path, its backup or None)
        self._created_target = False
        self._created_dirs: list[Path] = []

    def __enter__(self) -> StagedFiles:
        parent = self.target.parent
        parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(dir=parent, prefix=f".{self.target.name}.partial-"))
        self._backup = Path(tempfile.mkdtemp(dir=parent, prefix=f".{self.target.name}.previous-"))
        return self

    def files(self) -> list[Path]:
        """The staged files, relative to :attr:`root`, sorted."""
        return sorted(p.relative_to(self.root) for p in self.root.rglob("*") if p.is_file())

    def install(self) -> list[Path]:
        """Rename every staged file into the target; returns their final paths.

        The files they replace are kept aside until the ``with`` block ends, so
        an error raised here or later in the block puts the folder back as it was.
        """
        if not self.target.exists():
            self.target.mkdir(parents=True)
            self._created_target = True
        placed = []
        for rel in self.files():
            final = self.target / rel
            self._mkdirs(final.parent)
            backup = None
            if final.exists():
                backup = self._backup / rel
                backup.parent.mkdir(parents=True, exist_ok=True)
                os.replace(final, backup)
            self._installed.append((final, backup))
            staged = self.root / rel
            os.chmod(staged, FILE_MODE)
            os.replace(staged, final)
            placed.append(final)
        return placed

    def _mkdirs(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            path.mkdir()
            self._created_dirs.append(path)

    def undo(self) -> None:
        """Take installed files back out and restore the ones they replaced."""
        for final, backup in reversed(self._installed):
            final.unlink(missing_ok=True)
            if backup is not None and backup.exists():
                os.replace(backup, final)
        self._installed.clear()
        for folder in reversed(self._created_dirs):
            _rmdir_quietly(folder)
        if self._created_target:
            _rmdir_quietly(self.target)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if exc_type is not None:
                try:
                    self.undo()
                except OSError:
                    log.exception("could not undo the partial installation in %s", self.target)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            shutil.rmtree(self._backup, ignore_errors=True)


def _rmdir_quietly(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass
