"""NLP fixtures.

The area pack (resources/areas/osaka-city) gives every analyser Osaka's 1,903 towns and
the GSI shelters without any import, so ``full_analyser`` — the analyser as an operator
runs it — is the session's ``analyser`` itself, and ``imported_gazetteer`` is its (empty)
user gazetteer dir, for the CLI tests that pass ``--gazetteer-dir``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.data_files import GEOLONIA_JSON, HINANJO, KINKYU, TOWNS_CSV

__all__ = ["GEOLONIA_JSON", "HINANJO", "KINKYU", "TOWNS_CSV"]


@pytest.fixture(scope="session")
def imported_gazetteer(analyser) -> Path:
    return analyser.gazetteer_dir


@pytest.fixture(scope="session")
def full_analyser(analyser):
    return analyser
