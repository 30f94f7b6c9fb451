"""The test setup can start its own PostgreSQL when none is running."""

from __future__ import annotations

import glob

import psycopg
import pytest

from disaster_desk.core.db import Database
from disaster_desk.core.ingest import IngestService, RawPost
from tests.pg_server import TempCluster


@pytest.mark.postgres
@pytest.mark.skipif(not glob.glob("/usr/lib/postgresql/*/bin/initdb"), reason="no PostgreSQL binaries")
def test_temporary_cluster_starts_migrates_and_stops(clock):
    cluster = TempCluster()
    url = cluster.start()
    try:
        db = Database.open(url)
        assert IngestService(db, clock).ingest([RawPost(source="x", external_id="1", text="北区で火事")]).stored == 1
        db.dispose()
    finally:
        cluster.stop()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=2)
