"""The import-linter contracts of pyproject.toml (ARCHITECTURE rules 1 and 5, and the layers)
are kept, and they do catch a break: ``make test`` enforces what ``make lint`` checks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("disaster_desk", "collectors", "nlp", "drills")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=where, env=env, capture_output=True, text=True,
                          timeout=300)


def test_the_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def source_copy(tmp_path):
    """The Python sources and pyproject.toml in a temporary tree, to break on purpose."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=lambda _d, names: [n for n in names if not (n.endswith(".py") or "." not in n)
                                                  or n == "__pycache__"])
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("disaster_desk/ui/alerts_panel.py", "import sqlalchemy", "ui reaches the database only"),
    ("disaster_desk/core/queue.py", "import disaster_desk.commands", "Layers: cli > commands"),
    ("nlp/classifier.py", "import collectors.base", "Layers: cli > commands"),
])
def test_a_break_is_caught(source_copy, module, line, contract):
    path = source_copy / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = lint_imports(source_copy)
    assert result.returncode != 0
    broken = [text for text in result.stdout.splitlines() if text.endswith("BROKEN")]
    assert any(contract in text for text in broken), result.stdout
