"""The one change contract: what a service changed, told to every station.

Every service that stores or changes an item calls :func:`emit` inside its own
transaction with a :class:`Change` — a kind, the item keys, the scope and the
time. The change is delivered only if that transaction commits:

- a row of the ``changes`` table (both engines), read by id by other
  processes: on SQLite this is how stations learn of changes; on PostgreSQL it
  is the catch-up after a lost connection;
- on PostgreSQL also ``NOTIFY dd_changes`` with the keys, chunked so that no
  payload reaches the server's 8,000-byte limit.

Subscribers use one API on both engines: :class:`ChangeFeed` reads the changes
after the last id it saw (pull), :class:`ChangeSubscriber` is a daemon thread
that hands batches of changes to a callback (LISTEN on PostgreSQL, a cheap
indexed read by id on SQLite) and catches up by id after it fell behind or lost
its connection. Qt-free; the UI wraps the callback in a signal.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from disaster_desk.core.db import CHANGES_CHANNEL, Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.models import ChangeEntry
from disaster_desk.core.modes import Scope
from disaster_desk.errors import UserError

log = logging.getLogger(__name__)

STORED = "stored"  # new items (ingested posts, submitted reports, official alerts)
ANALYSED = "analysed"  # posts (re-)analysed: labels, place, urgency
TRIAGED = "triaged"  # state changed by a person (acknowledge, verify, dismiss, close)
SHARED = "shared"  # shared with targets, or a share was read
EDITED = "edited"  # a report edited, a place corrected (or the correction undone)
GROUPED = "grouped"  # duplicates collapsed, incidents formed, merged or split
KINDS = (STORED, ANALYSED, TRIAGED, SHARED, EDITED, GROUPED)

#: PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more; stay well under.
PAYLOAD_LIMIT = 7_500
#: Rows kept in the changes table; older ones are pruned by the writers now and then.
KEEP_ROWS = 50_000
PRUNE_EVERY = 1_000
#: A PostgreSQL id can commit after a higher one; catch-up re-reads this many ids below the last seen.
OVERLAP = 200


@dataclass(frozen=True)
class Change:
    kind: str
    keys: tuple[ItemKey, ...]
    scope: Scope
    at: datetime
    #: The id of its row in the changes table (0 before it is stored).
    id: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown change kind {self.kind!r} ({', '.join(KINDS)})")

    def visible_in(self, scope: Scope) -> bool:
        """Whether a view of ``scope`` should hear this change (real never hears drill)."""
        if scope.is_any_drill:
            return self.scope.is_drill
        return self.scope == scope


def emit(session: Session, kind: str, keys: Iterable[ItemKey], scope: Scope, at: datetime) -> Change | None:
    """Record a change in ``session``'s transaction; nothing when ``keys`` is empty."""
    keys = tuple(dict.fromkeys(keys))
    if not keys:
        return None
    entry = ChangeEntry(at=at, kind=kind, mode=scope.mode, run_id=scope.run_id, keys=[str(k) for k in keys])
    session.add(entry)
    session.flush()
    change = Change(kind, keys, scope, at, entry.id)
    if session.get_bind().dialect.name == "postgresql":
        for payload in payloads(change):
            session.execute(text("SELECT pg_notify(:channel, :payload)"),
                            {"channel": CHANGES_CHANNEL, "payload": payload})
    if entry.id % PRUNE_EVERY == 0:
        session.execute(delete(ChangeEntry).where(ChangeEntry.id <= entry.id - KEEP_ROWS))
    return change


# -- PostgreSQL payloads ----------------------------------------------------------


def payloads(change: Change, limit: int = PAYLOAD_LIMIT) -> list[str]:
    """The NOTIFY payloads of a change: JSON with its keys split so that each stays under ``limit`` bytes."""
    head = {"id": change.id, "kind": change.kind, "mode": change.scope.mode, "run_id": change.scope.run_id,
            "at": change.at.isoformat()}
    base = len(_dumps({**head, "part": 999_999, "of": 999_999, "keys": []}).encode())
    chunks: list[list[str]] = [[]]
    size = base
    for key in map(str, change.keys):
        cost = len(key.encode()) + 3  # quotes and a comma
        if chunks[-1] and size + cost > limit:
            chunks.append([])
            size = base
        chunks[-1].append(key)
        size += cost
    return [_dumps({**head, "part": n, "of": len(chunks), "keys": chunk}) for n, chunk in enumerate(chunks)]


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class Assembler:
    """Joins the chunked NOTIFY payloads of one change back into a :class:`Change`."""

    def __init__(self) -> None:
        self._parts: dict[int, dict[int, list[str]]] = {}

    def add(self, payload: dict) -> Change | None:
        try:
            ident, part, of = int(payload["id"]), int(payload["part"]), int(payload["of"])
            parts = self._parts.setdefault(ident, {})
            parts[part] = list(payload["keys"])
            if len(parts) < of:
                return None
            del self._parts[ident]
            keys = tuple(ItemKey.parse(k) for n in range(of) for k in parts[n])
            return Change(payload["kind"], keys, Scope(payload["mode"], payload["run_id"]),
                          datetime.fromisoformat(payload["at"]), ident)
        except (KeyError, TypeError, ValueError, UserError) as exc:
            log.warning("ignoring a change notification that does not follow the contract (%s): %r", exc,
                        str(payload)[:200])
            return None


# -- reading -------------------------------------------------------------------------


def _change(entry: ChangeEntry) -> Change | None:
    try:
        return Change(entry.kind, tuple(ItemKey.parse(k) for k in entry.keys), Scope(entry.mode, entry.run_id),
                      entry.at, entry.id)
    except (TypeError, ValueError, UserError) as exc:
        log.warning("skipping change %s that does not follow the contract: %s", entry.id, exc)
        return None


class ChangeFeed:
    """Changes after the last one read, by id: the pull side of the contract on both engines.

    Starts after the newest change (``after=None``) or after a given id. Ids
    already delivered are remembered for a while, so re-reading an overlap
    below the last id (a PostgreSQL id may commit after a higher one) never
    delivers a change twice.
    """

    def __init__(self, db: Database, after: int | None = None) -> None:
        self.db = db
        self.last_id = latest_id(db) if after is None else after
        self._start = self.last_id  # what lies at or below it was never ours to deliver
        self._seen: deque[int] = deque(maxlen=4 * OVERLAP)
        self._seen_set: set[int] = set()
        self._full = False

    def mark(self, change: Change) -> bool:
        """Note a change delivered another way (NOTIFY); False if it was delivered already."""
        return self._remember(change.id)

    def _remember(self, ident: int) -> bool:
        if ident in self._seen_set:
            return False
        if len(self._seen) == self._seen.maxlen:
            self._seen_set.discard(self._seen[0])
        self._seen.append(ident)
        self._seen_set.add(ident)
        self.last_id = max(self.last_id, ident)
        return True

    def read(self, limit: int = 500) -> list[Change]:
        """The changes stored since the last call (at most ``limit`` past the last id; call again while full)."""
        with self.db.session() as session:
            late: list[ChangeEntry] = []
            if self.db.is_postgres:  # ids below the last one that committed after it
                floor = max(self._start, self.last_id - OVERLAP)
                late = [row for row in session.scalars(
                    select(ChangeEntry).where(ChangeEntry.id > floor, ChangeEntry.id <= self.last_id)
                    .order_by(ChangeEntry.id)) if row.id not in self._seen_set]
            rows = list(session.scalars(select(ChangeEntry).where(ChangeEntry.id > self.last_id)
                                        .order_by(ChangeEntry.id).limit(limit)))
        self._full = len(rows) == limit
        return [change for row in late + rows if self._remember(row.id) and (change := _change(row)) is not None]

    def catch_up(self, batch: int = 500) -> list[Change]:
        """Everything since the last id, however far behind."""
        out = self.read(batch)
        while self._full:
            out += self.read(batch)
        return out


def latest_id(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.max(ChangeEntry.id))) or 0


class ChangeSubscriber:
    """A daemon thread calling ``callback(changes)`` with each batch of changes, on both engines.

    PostgreSQL: LISTEN (reconnecting with backoff; after each connect it catches
    up by id from the changes table). SQLite: reads the changes table by id every
    ``poll_s`` seconds (an index range scan; nothing when nothing changed).
    The callback runs in this thread: it must only hand the changes on.
    """

    def __init__(self, db: Database, callback: Callable[[Sequence[Change]], None], *, poll_s: float = 0.2,
                 retry_s: float = 2.0, after: int | None = None) -> None:
        self.db = db
        self.callback = callback
        self.poll_s = poll_s
        self.retry_s = retry_s
        self._after = after
        self.feed: ChangeFeed | None = None  # made in the thread: reading the newest id is a query
        self.listening = threading.Event()
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dd-changes", daemon=True)

    def start(self) -> ChangeSubscriber:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _deliver(self, changes: Sequence[Change]) -> None:
        if changes:
            try:
                self.callback(changes)
            except Exception:  # a bad consumer must not kill the subscriber
                log.exception("change callback failed for %d changes", len(changes))

    def _run(self) -> None:
        try:
            self.feed = ChangeFeed(self.db, self._after)
        except Exception as exc:  # the database is unreachable now: start from the beginning of what is kept
            log.warning("change subscriber cannot read the newest change id (%s); catching up from id 0", exc)
            self.feed = ChangeFeed(self.db, 0)
        if self.db.is_postgres:
            self._listen()
            return
        self.listening.set()
        while not self._stop.is_set():
            try:
                self._deliver(self.feed.catch_up())
                self.last_error = None
            except Exception as exc:  # a locked or vanished file: keep trying
                self.last_error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                log.warning("reading changes failed: %s", self.last_error)
            self._stop.wait(self.poll_s)

    def _listen(self) -> None:
        from disaster_desk.core.listener import first_line, notifications, reconnect_policy

        url = self.db.engine.url.render_as_string(hide_password=False)
        policy = reconnect_policy(self.retry_s)
        while not self._stop.is_set():
            assembler = Assembler()
            try:
                def connected() -> None:
                    self.listening.set()
                    self._deliver(self.feed.catch_up())
                    policy.connected()

                for payload in notifications(url, stop=self._stop, on_listening=connected):
                    change = assembler.add(payload)
                    if change is not None and self.feed.mark(change):
                        self._deliver([change])
            except Exception as exc:  # lost link, or the catch-up read failed (server going away)
                self.listening.clear()
                self.last_error = first_line(exc)
                delay = policy.failed()
                log.warning("change subscriber: %s; retrying in %.1f s", self.last_error, delay)
                self._stop.wait(delay)
