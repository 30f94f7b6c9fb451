"""NLP fixtures: the shared public data (../shared/data) imported once into a gazetteer dir.

``full_analyser`` is the analyser with Osaka's 1,903 towns and designated shelters
imported, as an operator would run it; ``analyser`` (tests/conftest.py) has only
the shipped gazetteer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
GEOLONIA = SHARED_DATA / "geolonia-osaka"
GSI = SHARED_DATA / "gsi-shelters-osaka"


def need_shared_data() -> None:
    if not (GEOLONIA.is_dir() and GSI.is_dir()):
        pytest.skip(f"shared public data not found at {SHARED_DATA}")


@pytest.fixture(scope="session")
def imported_gazetteer(tmp_path_factory) -> Path:
    need_shared_data()
    from nlp.importers import import_file

    out = tmp_path_factory.mktemp("gazetteer")
    import_file("geolonia", GEOLONIA, out)
    import_file("gsi-shelters", GSI, out)
    return out


@pytest.fixture(scope="session")
def full_analyser(imported_gazetteer):
    from nlp.analyser import get_analyser

    return get_analyser(imported_gazetteer)
