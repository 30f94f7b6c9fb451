"""Offline outbox of a ward station.

A report is first written to a local SQLite file (store first), then sent to
the shared database through :class:`ReportService` (the one path). When the
link is down the report stays queued; :meth:`Outbox.flush` — called by the UI
on a timer — sends the queue in order once the link returns. Each report
carries its client UUID, so a resend after a lost acknowledgement is stored
once (the service is idempotent on it).

A frozen HQ server (processes stopped, its kernel still answering TCP) must
count as down, not hang the station: every send runs under a deadline of the
``database.timeout_s`` setting (libpq's own timeouts, :func:`disaster_desk.core.db.pg_timeouts`,
cover connecting; a client-side deadline covers a statement sent to a server
that never answers). A send abandoned at its deadline may still complete when
the server wakes: the client UUID makes the resend store it once.

After a link failure the next automatic try waits as the one retry policy
says (:class:`disaster_desk.core.retry.Reconnect`, full jitter), so stations
that lost the same server do not come back in lockstep; ``flush(force=True)``
(an operator's 再送信) tries at once.

Each row keeps what it was written for: its scope (real, or the drill run it
was typed in — a drill report is stored as drill with the run id, never as
real), its target database (:func:`disaster_desk.core.db.database_identity`:
the URL without password) and its author (the name the report is stored
under, the station's login and display name). A report is delivered only to
the database it was queued for, under its own author and scope: one queued
for another database — or a row of an older outbox file that recorded no
target — is held (保留) with a status saying why, never sent elsewhere.

Qt-free and thread-safe: the UI may call :meth:`flush` from a worker thread.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError

from disaster_desk.core.clock import Clock
from disaster_desk.core.db import DEFAULT_TIMEOUT_S, Database, database_identity
from disaster_desk.core.modes import REAL_SCOPE, Scope, scope_for
from disaster_desk.core.report_schema import validate_report
from disaster_desk.core.reports import ReportService
from disaster_desk.core.retry import Backoff, Reconnect
from disaster_desk.core.vocabulary import OUTBOX_STATE
from disaster_desk.errors import UserError, ValidationError

log = logging.getLogger(__name__)

QUEUED, SENT, REJECTED, HELD = "queued", "sent", "rejected", "held"
#: How far back a report with the same values counts as a possible duplicate.
DUPLICATE_WINDOW = timedelta(hours=6)
#: What the ward station calls each state (送信済 / 送信待ち / エラー).
STATE_JA = OUTBOX_STATE.labels("ja")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    client_uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    ward TEXT,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    report_id INTEGER,
    sent_at TEXT,
    mode TEXT NOT NULL DEFAULT 'real',
    run_id TEXT NOT NULL DEFAULT '',
    target TEXT,
    author TEXT,
    author_login TEXT,
    author_name TEXT
)
"""
#: Columns added since the first outbox files (ALTER TABLE on open): a row written
#: before them is real, for an unknown target, by an unknown author — and held.
_ADDED_COLUMNS = (
    ("mode", "TEXT NOT NULL DEFAULT 'real'"),
    ("run_id", "TEXT NOT NULL DEFAULT ''"),
    ("target", "TEXT"),
    ("author", "TEXT"),
    ("author_login", "TEXT"),
    ("author_name", "TEXT"),
)


@dataclass
class OutboxItem:
    client_uuid: str
    kind: str
    ward: str | None
    data: dict[str, Any]
    created_at: datetime
    state: str
    attempts: int
    last_error: str | None
    report_id: int | None
    #: Real, or the drill run the report was typed in.
    scope: Scope = REAL_SCOPE
    #: The database it is for (database_identity); None in a row of an older outbox file.
    target: str | None = None
    #: The name the report is stored under, and the station's login and display name.
    author: str | None = None
    author_login: str | None = None
    author_name: str | None = None


@dataclass
class FlushResult:
    sent: int
    queued: int
    rejected: int
    link_up: bool
    error: str | None = None
    #: Seconds until the next automatic try (after a link failure), else None.
    retry_in_s: float | None = None
    #: Reports held because they were queued for another database (or an unknown one).
    held: int = 0


class LinkDown(Exception):
    """The shared database could not be reached."""


class Outbox:
    def __init__(
        self,
        path: str | Path,
        db_url: str,
        clock: Clock,
        *,
        author: str,
        author_login: str | None = None,
        author_name: str | None = None,
        station_ward: str | None = None,
        scope: Scope = REAL_SCOPE,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        retry: Reconnect | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db_url = db_url
        self.target = database_identity(db_url)
        self.clock = clock
        self.author = author
        self.author_login = author_login
        self.author_name = author_name
        self.station_ward = station_ward
        self.scope = scope.one_run("a report is queued for real or for one drill run")
        self.timeout_s = timeout_s
        self.retry = retry or Reconnect(Backoff(attempts=0, base_s=2.0, cap_s=60.0))
        self._monotonic = monotonic
        self._next_try = 0.0  # monotonic time before which an automatic flush does not try the link
        self._db: Database | None = None
        self._lock = threading.RLock()
        self._link_lock = threading.Lock()
        self.link_up: bool | None = None  # unknown until the first send
        self.last_error: str | None = None
        with self._local() as conn:
            conn.execute(_SCHEMA)
            have = {row["name"] for row in conn.execute("PRAGMA table_info(outbox)")}
            for name, decl in _ADDED_COLUMNS:
                if name not in have:
                    conn.execute(f"ALTER TABLE outbox ADD COLUMN {name} {decl}")

    def set_scope(self, scope: Scope, clock: Clock | None = None) -> None:
        """Reports submitted from now on are for ``scope`` (a drill run or real), timed by ``clock``.

        Reports already queued keep the scope they were typed in.
        """
        self.scope = scope.one_run("a report is queued for real or for one drill run")
        if clock is not None:
            self.clock = clock

    def _local(self) -> _Closing:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # a queued report survives a power cut
        conn.row_factory = sqlite3.Row
        return _Closing(conn)

    def submit(self, kind: str, ward: str | None, data: dict[str, Any], *, send: bool = True) -> OutboxItem:
        """Validate, queue locally, then (``send``) try to send everything queued.

        Bad input raises :class:`ValidationError` at once and is not queued.
        The UI passes ``send=False`` and flushes from a worker thread.
        """
        ward = ward or self.station_ward
        if self.station_ward and ward != self.station_ward:
            raise ValidationError(f"this station reports for {self.station_ward} only, not {ward}", field="ward")
        payload = validate_report(kind, ward, data)
        client_uuid = str(uuid.uuid4())
        scope = self.scope
        with self._local() as conn:  # never waits for a flush in progress: the form stays responsive
            conn.execute(
                "INSERT INTO outbox (client_uuid, kind, ward, data, created_at, mode, run_id, target, author, "
                "author_login, author_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (client_uuid, kind, ward, json.dumps(payload, ensure_ascii=False), self.clock.now().isoformat(),
                 scope.mode, scope.run_id, self.target, self.author, self.author_login, self.author_name),
            )
        if send:
            self.flush()
        return self.item(client_uuid)

    def flush(self, *, force: bool = False) -> FlushResult:
        """Send queued reports in order; stop at the first link failure.

        A flush already running in another thread is not waited for (the
        next timer tick picks up what it leaves). After a link failure, a
        flush before the retry policy's wait is over returns at once without
        trying, unless ``force``.
        """
        sent = 0
        if not force and self.link_up is False and self._monotonic() < self._next_try:
            return self._result(0)
        if not self._lock.acquire(blocking=False):
            return self._result(0)
        try:
            for item in self._sendable():
                held = self._held_reason(item)
                if held is not None:
                    if item.state != HELD or item.last_error != held:
                        log.warning("outbox: report %s held: %s", item.client_uuid, held)
                        self._hold(item.client_uuid, held)
                    continue
                try:
                    report_id = self._send(item)
                except LinkDown as exc:
                    self._mark(item.client_uuid, QUEUED, error=str(exc))
                    break
                except (ValidationError, UserError) as exc:
                    log.error("outbox: report %s refused by the server: %s", item.client_uuid, exc)
                    self._mark(item.client_uuid, REJECTED, error=str(exc))
                    continue
                self._mark(item.client_uuid, SENT, report_id=report_id)
                sent += 1
        finally:
            self._lock.release()
        return self._result(sent)

    def _sendable(self) -> list[OutboxItem]:
        """Queued and held reports in order (a held one is sent when its own database is the target again)."""
        with self._local() as conn:
            rows = conn.execute("SELECT * FROM outbox WHERE state IN (?, ?) ORDER BY seq", (QUEUED, HELD)).fetchall()
        return [_item(row) for row in rows]

    def _held_reason(self, item: OutboxItem) -> str | None:
        """Why ``item`` must not go to this outbox's database (None: it may)."""
        if item.target is None:
            return (f"宛先の記録がない古い報告のため送信しません（現在の送信先 {self.target}）。"
                    "送信先を確認し、必要なら入力し直してください。")
        if item.target != self.target:
            return f"別のデータベース宛ての報告のため送信しません（宛先 {item.target}、現在の送信先 {self.target}）。"
        if item.author_login and self.author_login and item.author_login != self.author_login:
            return f"別のログイン（{item.author_login}）で入力された報告のため送信しません（現在 {self.author_login}）。"
        if not item.author:
            return "入力者の記録がない報告のため送信しません。"
        return None

    def _hold(self, client_uuid: str, reason: str) -> None:
        with self._local() as conn:
            conn.execute("UPDATE outbox SET state = ?, last_error = ? WHERE client_uuid = ?", (HELD, reason, client_uuid))

    def _result(self, sent: int) -> FlushResult:
        counts = self.counts()
        wait = self._next_try - self._monotonic() if self.link_up is False else None
        return FlushResult(sent, counts[QUEUED], counts[REJECTED], bool(self.link_up), self.last_error,
                           retry_in_s=max(0.0, wait) if wait is not None else None, held=counts[HELD])

    def _send(self, item: OutboxItem) -> int:
        """Send one report under the deadline; a server that does not answer in time is a link failure."""
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["id"] = self._send_now(item)
            except BaseException as exc:  # handed to the waiting thread
                outcome["error"] = exc

        worker = threading.Thread(target=run, name="outbox-send", daemon=True)
        worker.start()
        worker.join(self.timeout_s + 1.0)  # libpq's own timeouts fire first when they can
        if worker.is_alive():
            self._abandon_link()
            self._link(False, f"timeout: no answer from the server within {self.timeout_s:g} s")
            raise LinkDown(self.last_error)
        if "error" in outcome:
            raise outcome["error"]
        return outcome["id"]

    def _abandon_link(self) -> None:
        """Forget the engine whose connection hangs (its thread ends when the server answers or the OS gives up)."""
        db, self._db = self._db, None
        if db is not None:
            try:
                db.engine.pool.dispose()  # closes idle pooled connections; the hung one is checked out
            except Exception:  # noqa: BLE001 - best effort on a link that is gone
                log.debug("outbox: disposing the abandoned engine failed", exc_info=True)

    def _send_now(self, item: OutboxItem) -> int:
        try:
            db = self._database()
            # the report's own scope and author, not the station's current ones
            service = ReportService(db, self.clock, item.scope, station_ward=self.station_ward)
            result = service.submit(item.kind, item.ward, item.data, author=item.author or self.author,
                                    client_uuid=item.client_uuid, created_at=item.created_at)
        except (DBAPIError, LinkDown) as exc:
            if isinstance(exc, IntegrityError):
                raise UserError(f"database refused the report: {exc.orig}") from None
            self._link(False, _reason(exc))
            raise LinkDown(self.last_error) from None
        self._link(True, None)
        return result.report_id

    def _database(self) -> Database:
        if self._db is None:
            try:
                self._db = Database.open(self.db_url, timeout_s=self.timeout_s)
            except ValidationError:
                raise
            except (UserError, OSError) as exc:  # unreachable server or unavailable network share
                raise LinkDown(str(exc)) from None
        return self._db

    def _link(self, up: bool, error: str | None) -> None:
        with self._link_lock:  # the sending thread and the flush waiting for it both report here
            if up != self.link_up:
                log.info("outbox: link to %s is %s", self.db_url.split("@")[-1], "up" if up else f"down ({error})")
            self.link_up = up
            self.last_error = error
            if up:
                self.retry.connected()
                self._next_try = 0.0
            elif error is not None:
                self._next_try = self._monotonic() + self.retry.failed()

    def _mark(self, client_uuid: str, state: str, *, error: str | None = None, report_id: int | None = None) -> None:
        with self._local() as conn:
            conn.execute(
                "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, report_id = ?, sent_at = ? "
                "WHERE client_uuid = ?",
                (state, error, report_id, self.clock.now().isoformat() if state == SENT else None, client_uuid),
            )

    def items(self, state: str | None = None, *, scope: Scope | None = None) -> list[OutboxItem]:
        """Outbox items in submission order (``state`` and ``scope`` filter)."""
        where, args = [], []
        if state:
            where.append("state = ?")
            args.append(state)
        if scope is not None:
            where.append("mode = ? AND run_id = ?")
            args += [scope.mode, scope.run_id]
        sql = "SELECT * FROM outbox" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY seq"
        with self._local() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [_item(row) for row in rows]

    def item(self, client_uuid: str) -> OutboxItem:
        with self._local() as conn:
            return _item(conn.execute("SELECT * FROM outbox WHERE client_uuid = ?", (client_uuid,)).fetchone())

    def pending(self) -> list[OutboxItem]:
        return self.items(QUEUED)

    def find_duplicate(self, kind: str, ward: str | None, payload: dict[str, Any], *,
                       within: timedelta = DUPLICATE_WINDOW) -> OutboxItem | None:
        """The latest queued or sent report with the same kind, ward and values (the note aside), if recent.

        The ward form asks before sending it again: two rows for one road is what a
        second Ctrl+Enter used to give HQ.
        """
        since = self.clock.now() - within
        same = {k: v for k, v in payload.items() if k != "note"}
        for item in reversed(self.items(scope=self.scope)):  # a drill's report is no duplicate of a real one
            if item.created_at < since:
                break
            if item.state != REJECTED and item.kind == kind and item.ward == (ward or self.station_ward) and \
                    {k: v for k, v in item.data.items() if k != "note"} == same:
                return item
        return None

    def counts(self) -> dict[str, int]:
        with self._local() as conn:
            rows = conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall()
        return {QUEUED: 0, SENT: 0, REJECTED: 0, HELD: 0, **{r[0]: r[1] for r in rows}}

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None


class _Closing:
    """sqlite3 connection as a context manager that closes (the stdlib one only commits)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def _item(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        client_uuid=row["client_uuid"], kind=row["kind"], ward=row["ward"], data=json.loads(row["data"]),
        created_at=datetime.fromisoformat(row["created_at"]), state=row["state"], attempts=row["attempts"],
        last_error=row["last_error"], report_id=row["report_id"], scope=scope_for(row["mode"], row["run_id"]),
        target=row["target"], author=row["author"], author_login=row["author_login"], author_name=row["author_name"],
    )


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


#: (fragment of a driver's message, what the station is told) — first match wins.
_LINK_REASONS = (
    ("timeout", "応答がありません（タイムアウト）"),
    ("timed out", "応答がありません（タイムアウト）"),
    ("connection refused", "接続を拒否されました（サーバー停止中の可能性）"),
    ("could not translate host name", "サーバー名を解決できません（ネットワークまたはDNSの障害）"),
    ("name or service not known", "サーバー名を解決できません（ネットワークまたはDNSの障害）"),
    ("no route to host", "サーバーへの経路がありません（回線断）"),
    ("network is unreachable", "ネットワークに接続されていません（回線断）"),
    ("password authentication failed", "認証に失敗しました（設定を確認してください）"),
    ("permission denied", "書き込みが許可されていません（権限を確認してください）"),
    ("does not exist", "データベースが見つかりません（設定を確認してください）"),
    ("unable to open database file", "共有データベースのファイルを開けません（共有フォルダを確認してください）"),
)


def link_problem_ja(reason: str | None) -> str:
    """A Japanese sentence for a link failure (never the driver's raw, truncated message)."""
    text = (reason or "").lower()
    cause = next((ja for fragment, ja in _LINK_REASONS if fragment in text), "接続できません")
    return f"本部のデータベースに接続できません: {cause}。"
