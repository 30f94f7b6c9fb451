"""ARCHITECTURE rule 1: the core packages import without Qt."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = ["disaster_desk.core", "collectors", "nlp", "drills"]


def test_core_packages_do_not_import_qt():
    code = (
        "import importlib, pkgutil, sys\n"
        f"for root in {CORE_MODULES!r}:\n"
        "    pkg = importlib.import_module(root)\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, root + '.'):\n"
        "        if '.migrations' in info.name: continue\n"
        "        importlib.import_module(info.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_version():
    result = subprocess.run([sys.executable, "-m", "disaster_desk", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("disaster-desk ")
