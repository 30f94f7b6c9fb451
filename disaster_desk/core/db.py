"""Engines, sessions and migrations for SQLite (embedded) and PostgreSQL (shared).

``Database.open(url)`` creates the engine, brings the schema to the newest
Alembic revision and hands out sessions. SQLite runs in WAL mode with
``synchronous=NORMAL`` so a killed process loses no committed row and readers
never block the writer. Services tell other stations what
they changed through :mod:`disaster_desk.core.changes`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from disaster_desk.core.db_errors import first_line
from disaster_desk.errors import UserError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

#: Seconds a PostgreSQL connection may take to connect, a statement to run or a lock to be granted
#: (setting ``database.timeout_s``): past it a frozen server counts as down instead of hanging the caller.
DEFAULT_TIMEOUT_S = 10.0

#: NOTIFY channel of :mod:`disaster_desk.core.changes` (payload: one chunk of a Change as JSON).
CHANGES_CHANNEL = "dd_changes"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def database_identity(url: str) -> str:
    """Which database ``url`` names, as text safe to store and show: no password, no driver.

    ``postgresql://kita@hq.example:5432/desk`` (the port always written) or
    ``sqlite:////abs/path/desk.sqlite`` (the path made absolute). Two URLs of one
    database through another driver or a relative path have the same identity;
    another server, database, login or file has another.
    """
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        raise UserError(f"not a database URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = parsed.database or ":memory:"
        return f"sqlite:///{path if path == ':memory:' else Path(path).expanduser().resolve()}"
    user = f"{parsed.username}@" if parsed.username else ""
    port = parsed.port or (5432 if backend == "postgresql" else "")
    return f"{backend}://{user}{parsed.host or 'localhost'}{f':{port}' if port else ''}/{parsed.database or ''}"


def pg_timeouts(timeout_s: float) -> dict[str, Any]:
    """libpq connection arguments that bound every wait on a PostgreSQL server to about ``timeout_s``.

    ``connect_timeout`` covers the whole handshake (a stopped postmaster never
    answers the startup packet); ``statement_timeout`` and ``lock_timeout`` end
    a statement the server runs too long or a lock it waits for; TCP keepalives
    and ``tcp_user_timeout`` notice a peer that is gone. A server whose processes
    are frozen (SIGSTOP) still has its kernel acknowledge every packet, so only
    a client-side deadline catches a statement sent to it (the outbox has one).
    """
    ms = max(1, int(timeout_s * 1000))
    return {
        "connect_timeout": max(1, round(timeout_s)),
        "options": f"-c statement_timeout={ms} -c lock_timeout={ms}",
        "keepalives": 1,
        "keepalives_idle": max(1, round(timeout_s)),
        "keepalives_interval": max(1, round(timeout_s / 3)),
        "keepalives_count": 3,
        "tcp_user_timeout": ms,
    }


def make_engine(url: str, *, timeout_s: float | None = DEFAULT_TIMEOUT_S, **kwargs: Any) -> Engine:
    """An engine for ``url``; on PostgreSQL every connection gets :func:`pg_timeouts` (``timeout_s=None``: none)."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        raise UserError(f"not a database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if timeout_s:
        connect_args = dict(kwargs.pop("connect_args", None) or {})
        timeouts = pg_timeouts(timeout_s)
        if "options" in connect_args:  # the caller's options and ours
            timeouts["options"] = f"{timeouts['options']} {connect_args.pop('options')}"
        kwargs["connect_args"] = {**timeouts, **connect_args}
    try:
        return create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise UserError(f"unsupported database URL {url!r}: {exc}") from None


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


#: ``callback(done, total, what)`` told of each migration applied by :func:`upgrade` in this
#: thread (set with :func:`reporting_migrations`); the GUI's start-up window shows it.
MigrationProgress = Callable[[int, int, str], None]
_migration_progress: ContextVar[MigrationProgress | None] = ContextVar("dd_migration_progress", default=None)


@contextmanager
def reporting_migrations(callback: MigrationProgress | None) -> Iterator[None]:
    """Report the migrations that :func:`upgrade` applies in this thread meanwhile to ``callback``."""
    token = _migration_progress.set(callback)
    try:
        yield
    finally:
        _migration_progress.reset(token)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` with Alembic (each migration reported, see :func:`reporting_migrations`)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    callback = _migration_progress.get()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            _wait_for_migration_lock(conn)
        cfg.attributes["connection"] = conn
        if callback is not None:
            cfg.attributes["on_version_apply"] = _migration_reporter(cfg, conn, revision, callback)
        command.upgrade(cfg, revision)


#: The advisory lock key that serialises schema upgrades of one PostgreSQL database ("DDmigrat").
MIGRATION_LOCK_KEY = 0x44446D6967726174


def _wait_for_migration_lock(conn: Any) -> None:
    """Two stations opening a fresh database at once: the second waits for the first's upgrade.

    Without it both run the first migration and one fails on a duplicate ``alembic_version``. The
    lock is held to the end of the upgrade's transaction; the wait is not cut by the station's lock
    or statement timeout (a long back-fill is work, not a hang), which are restored afterwards.
    """
    saved = conn.execute(text("SELECT current_setting('lock_timeout'), current_setting('statement_timeout')")).one()
    conn.execute(text("SELECT set_config('lock_timeout', '0', true), set_config('statement_timeout', '0', true)"))
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    conn.execute(text("SELECT set_config('lock_timeout', :lock, true), set_config('statement_timeout', :stmt, true)"),
                 {"lock": saved[0], "stmt": saved[1]})


def _migration_reporter(cfg: Any, conn: Any, revision: str, callback: MigrationProgress):
    """Alembic's ``on_version_apply`` hook: (done, total, the migration's first docstring line)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(cfg)
    current = MigrationContext.configure(conn).get_current_revision()
    total = sum(1 for _ in script.iterate_revisions(revision, current))
    done = [0]

    def applied(*, step: Any, **_kw: Any) -> None:
        done[0] += 1
        rev = getattr(step, "up_revision", None)
        what = (getattr(rev, "doc", "") or "").strip().splitlines()
        callback(done[0], max(total, done[0]), what[0] if what else str(step.up_revision_id))

    if total:
        callback(0, total, "")
    return applied


class Database:
    """An engine plus a session factory; the one way services reach storage."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True, timeout_s: float | None = DEFAULT_TIMEOUT_S,
             **kwargs: Any) -> Database:
        """Engine, migrations, sessions; ``timeout_s`` bounds PostgreSQL waits (:func:`pg_timeouts`)."""
        engine = make_engine(url, timeout_s=timeout_s, **kwargs)
        try:
            if migrate:
                upgrade(engine)
            else:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
        except OperationalError as exc:
            engine.dispose()
            reason = first_line(exc)
            raise UserError(f"cannot open database {engine.url.render_as_string(hide_password=True)}: {reason}") from None
        return cls(engine)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
