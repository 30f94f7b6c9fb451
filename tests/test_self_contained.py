"""A clone of the repository is the whole product: no file points outside it."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = "../" + "shared"  # spelled in two parts so this file does not match itself


def _tracked() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / p for p in out.decode().split("\0") if p]


def test_no_file_refers_to_a_folder_beside_the_repository():
    offenders = []
    for path in _tracked():
        if not path.is_file() or path.suffix in {".png", ".mbtiles", ".qm"}:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if OUTSIDE in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_contracts_are_in_docs():
    for name in ("architecture", "cli", "scenario-format", "taxonomy", "ui-conventions"):
        assert (ROOT / "docs" / f"{name}.md").stat().st_size > 1000


def test_vendored_data_says_where_it_came_from():
    data = ROOT / "tests" / "data"
    for folder in ("cap-1.2", "sip4d-zip-templates", "geolonia-osaka"):
        source = (data / folder / "SOURCE.md").read_text(encoding="utf-8")
        assert "Licence" in source or "licence" in source
    assert (ROOT / "resources" / "areas" / "osaka-city" / "SOURCE.md").is_file()


def test_no_tracked_file_is_a_symbolic_link():
    """A committed link (a shared .venv, say) would make a fresh clone use what lies on this machine."""
    out = subprocess.run(["git", "ls-files", "-s", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    links = [entry.split("\t", 1)[1] for entry in out.decode().split("\0") if entry.startswith("120000 ")]
    assert links == []
