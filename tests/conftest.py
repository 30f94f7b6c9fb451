"""Shared fixtures: temp settings dirs, a manual clock, SQLite and PostgreSQL databases.

``any_db`` runs a test on both engines. PostgreSQL tests are counted and the
count is printed at the end of the run (the CI log shows they ran).
"""

from __future__ import annotations

import os
import sys
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_NUM_THREADS", "1")
# Each session has its own user cache (subprocesses inherit it; DD_TEST_CACHE_DIR reuses one). The
# learned NLP model is not fitted there: ``make venv`` fits it into the install (.venv/share), keyed by
# the digest of corpus + code, and pytest_sessionstart fits it there once if the corpus changed since.
os.environ["DD_CACHE_DIR"] = os.environ.get("DD_TEST_CACHE_DIR") or tempfile.mkdtemp(prefix="dd-test-cache-")

from tests import pg_server  # noqa: E402

_pg = {"admin": None, "cluster": None, "how": "", "ran": 0, "passed": 0}


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Settings and data never touch the user's real dirs."""
    base = tmp_path_factory.mktemp("dd-home")
    monkeypatch.setenv("DD_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("DD_DATA_DIR", str(base / "data"))
    monkeypatch.delenv("DD_DATABASE_URL", raising=False)


@pytest.fixture
def clock():
    from disaster_desk.core.clock import ManualClock

    return ManualClock()


@pytest.fixture(scope="session")
def pg_admin_url():
    if _pg["admin"] is None and not _pg["how"]:
        _pg["admin"], _pg["cluster"], _pg["how"] = pg_server.find_server()
    if _pg["admin"] is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL required in CI: {_pg['how']}")
        pytest.skip(_pg["how"])
    return _pg["admin"]


@pytest.fixture
def pg_url(pg_admin_url, request):
    """URL of a fresh, empty PostgreSQL database for one test."""
    request.applymarker(pytest.mark.postgres)
    url = pg_server.create_database(pg_admin_url)
    yield url
    pg_server.drop_database(pg_admin_url, url)


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'dd.sqlite'}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request):
    """The same test on SQLite and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    request.applymarker(pytest.mark.postgres)
    return request.getfixturevalue("pg_url")


@pytest.fixture
def db(db_url):
    from disaster_desk.core.db import Database

    database = Database.open(db_url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(sqlite_url):
    from disaster_desk.core.db import Database

    database = Database.open(sqlite_url)
    yield database
    database.dispose()


@pytest.fixture
def pg_db(pg_url):
    from disaster_desk.core.db import Database

    database = Database.open(pg_url)
    yield database
    database.dispose()


@pytest.fixture
def cluster(pg_url, monkeypatch):
    """``pg_url`` after ``admin init`` with group roles of a unique prefix; ``cluster.station(...)`` adds logins."""
    import uuid

    from disaster_desk.core import station_admin
    from tests.station_logins import GroupCluster

    prefix = f"t{uuid.uuid4().hex[:8]}_"
    monkeypatch.setenv("DD_ROLE_PREFIX", prefix)
    station_admin.init(pg_url)
    c = GroupCluster(pg_url, prefix)
    yield c
    c.drop()


def pytest_sessionstart(session):
    """The learned model of the current corpus is in the install before any test (or subprocess) runs:
    fitted once here when the corpus or its code changed since ``make venv``, never per test."""
    from nlp import model_store

    if model_store.find(model_store.digest()) is None:
        from nlp.progress import stderr_reporter

        path, done = model_store.prepare(stderr_reporter(interactive=True))
        print(f"\nlearned model {done}: {path}", file=sys.stderr)


def pytest_runtest_logreport(report):
    if report.when == "call" and "postgres" in report.keywords:
        _pg["ran"] += 1
        _pg["passed"] += int(report.passed)


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(
        f"PostgreSQL tests: {_pg['ran']} ran, {_pg['passed']} passed ({_pg['how'] or 'not used'})"
    )


def pytest_sessionfinish(session):
    if _pg["cluster"] is not None:
        _pg["cluster"].stop()


@pytest.fixture(scope="session")
def analyser(tmp_path_factory):
    """The NLP analyser (nlp.analyser), loaded once per test session: shipped gazetteer and area pack.

    Loading takes ~1.5 s (Sudachi dictionary + gazetteer); share this fixture rather than
    calling ``get_analyser()`` in each test.
    """
    from nlp.analyser import get_analyser

    return get_analyser(tmp_path_factory.mktemp("no-user-gazetteer"))
