"""NLP fixtures.

The area pack (resources/areas/osaka-city) gives every analyser Osaka's 1,903 towns and
the GSI shelters without any import, so ``full_analyser`` — the analyser as an operator
runs it — is the session's ``analyser`` itself, and ``imported_gazetteer`` is its (empty)
user gazetteer dir, for the CLI tests that pass ``--gazetteer-dir``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from tests.data_files import GEOLONIA_JSON, HINANJO, KINKYU, TOWNS_CSV

__all__ = ["GEOLONIA_JSON", "HINANJO", "KINKYU", "TOWNS_CSV"]


@pytest.fixture(scope="session")
def imported_gazetteer(analyser) -> Path:
    return analyser.gazetteer_dir


@pytest.fixture(scope="session")
def full_analyser(analyser):
    return analyser


class StoredAnalyses:
    """Posts ingested and analysed in a database of its own URL, then ``nlp reanalyze`` run on it by the CLI.

    The shared setup of the reanalyze tests (tests/nlp/test_cli.py, test_reanalyze_version.py): each step
    opens the database, does its part, and disposes of it, as separate processes would.
    """

    def __init__(self, db_url: str, clock: Any, analyser: Any, capsys: Any) -> None:
        self.db_url, self.clock, self.analyser, self.capsys = db_url, clock, analyser, capsys

    def _open(self):
        from disaster_desk.core.db import Database

        return Database.open(self.db_url)

    def store(self, texts: list[str]) -> list[int]:
        """Ingest ``texts`` as posts and analyse them with the session's analyser; their post ids."""
        from disaster_desk.core.analysis import AnalysisService
        from disaster_desk.core.ingest import IngestService, RawPost

        db = self._open()
        try:
            ids = IngestService(db, self.clock).ingest([RawPost("x", f"n{i}", t) for i, t in enumerate(texts)]).new_ids
            assert AnalysisService(db, self.analyser, self.clock).analyse_pending() == len(texts)
            return ids
        finally:
            db.dispose()

    def set(self, post_id: int, **values: Any) -> None:
        """Overwrite the stored analysis of ``post_id`` (what an older analyser would have stored)."""
        from disaster_desk.core.models import Analysis

        db = self._open()
        try:
            with db.session() as s:
                s.execute(update(Analysis).where(Analysis.post_id == post_id).values(**values))
        finally:
            db.dispose()

    def reanalyze(self) -> dict[str, Any]:
        """``disaster-desk nlp reanalyze`` on the database: its JSON line."""
        from disaster_desk.cli import main

        assert main(["nlp", "reanalyze", "--db", self.db_url, "--gazetteer-dir",
                     str(self.analyser.gazetteer_dir)]) == 0
        return json.loads(self.capsys.readouterr().out)

    def rows(self) -> dict[int, Any]:
        """The stored analyses by post id."""
        from disaster_desk.core.models import Analysis

        db = self._open()
        try:
            with db.session() as s:
                rows = {a.post_id: a for a in s.scalars(select(Analysis))}
                s.expunge_all()
                return rows
        finally:
            db.dispose()


@pytest.fixture
def stored_analyses(db_url, clock, analyser, capsys) -> StoredAnalyses:
    return StoredAnalyses(db_url, clock, analyser, capsys)
