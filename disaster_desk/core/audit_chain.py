"""Tamper evidence for the audit log: each row's hash covers its content and the previous row's hash.

``hash = sha256(canonical(row) + prev_hash)`` where :func:`canonical` joins
the row's fields with U+001F in one fixed order (timestamps as UTC
``YYYY-MM-DDTHH:MM:SS.ffffff``, the JSON columns as the text stored). On
PostgreSQL the ``BEFORE INSERT`` trigger of migration 0017 computes the same
string and hash in SQL (``sha256()``), under an advisory transaction lock so
two stations never fork the chain; on SQLite :func:`_chain_on_insert`
computes it in Python when a row is flushed. :func:`verify` recomputes every
hash from the stored columns, so a row changed afterwards — even by the
superuser with triggers disabled — no longer matches.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from disaster_desk.errors import ValidationError

#: The canonical fields, in order (the PostgreSQL trigger joins the same).
FIELDS = ("seq", "at", "actor", "display_name", "action", "item_type", "item_id", "mode", "run_id",
          "before", "after")
SEP = "\x1f"
#: Advisory lock key serialising chain appends on PostgreSQL (the trigger uses the same).
LOCK_KEY = 0x6464_6175  # "ddau"


def at_text(at: datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(timezone.utc).replace(tzinfo=None)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")


def canonical(values: dict[str, Any]) -> str:
    """The string hashed for a row: ``values`` holds FIELDS as text (None for NULL) with ``at`` a datetime."""
    parts = []
    for name in FIELDS:
        value = values.get(name)
        if name == "at":
            value = at_text(value)
        parts.append("" if value is None else str(value))
    return SEP.join(parts)


def row_hash(values: dict[str, Any], prev_hash: str | None) -> str:
    data = canonical(values) + SEP + (prev_hash or "")
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Head:
    """The newest row of the chain: its seq and hash (0, None for an empty log)."""

    seq: int
    hash: str | None

    def __str__(self) -> str:
        return f"seq {self.seq} {self.hash}" if self.hash else "empty"

    def as_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash}


@dataclass(frozen=True)
class Result:
    """What :func:`verify` found: the head, rows checked, and the first bad row (None when intact)."""

    head: Head
    rows: int
    bad_id: int | None = None
    bad_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


_ROWS = text(
    "SELECT id, seq, at, actor, display_name, action, item_type, item_id, mode, run_id, "
    "CAST(\"before\" AS TEXT) AS \"before\", CAST(\"after\" AS TEXT) AS \"after\", prev_hash, hash "
    "FROM audit_log ORDER BY seq, id"
)


def _values(row: Any) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in FIELDS}
    at = values["at"]
    if isinstance(at, str):  # SQLite returns the stored text to a textual query
        at = datetime.fromisoformat(at)
    values["at"] = at
    return values


def check_rows(rows: Iterable[Any]) -> Result:
    """Check rows in chain order (``seq`` 1, 2, … each hash over its content and the previous hash)."""
    prev: str | None = None
    expected_seq = 1
    count = 0
    for row in rows:
        count += 1
        where = f"audit row id {row.id} (seq {row.seq})"
        if row.seq != expected_seq:
            missing = "missing" if row.seq is None or row.seq > expected_seq else "repeated"
            return Result(Head(expected_seq - 1, prev), count, row.id, row.seq,
                          f"{where}: expected seq {expected_seq} ({missing} rows)")
        if row.prev_hash != prev:
            return Result(Head(expected_seq - 1, prev), count, row.id, row.seq,
                          f"{where}: prev_hash does not match the row before it")
        if row.hash != row_hash(_values(row), prev):
            return Result(Head(expected_seq - 1, prev), count, row.id, row.seq,
                          f"{where}: hash does not match its content (changed after it was written)")
        prev = row.hash
        expected_seq += 1
    return Result(Head(expected_seq - 1, prev), count)


def verify(conn: Connection | Session) -> Result:
    """Check the whole audit chain of a database (read only)."""
    return check_rows(conn.execute(_ROWS))


_HEAD_TEXT = re.compile(r"(\d+):([0-9a-f]{64})")


def parse_head(value: str) -> Head:
    """``SEQ:HASH`` as an after-action report or metrics.json ``audit_chain_head`` gives it."""
    match = _HEAD_TEXT.fullmatch(value.strip().lower())
    if match is None or int(match.group(1)) < 1:
        raise ValidationError(f"not SEQ:HASH (a seq from 1 and a 64-digit sha256 hex hash): {value[:80]!r}",
                              field="--expect-head")
    return Head(int(match.group(1)), match.group(2))


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def check_expected_head(conn: Connection | Session, result: Result, expected: Head) -> Result:
    """``result`` (an intact chain) checked against a head recorded earlier (an after-action report's).

    The chain alone cannot show that its newest rows were deleted: what is left is
    still a valid chain. A head written down before can: the chain must reach
    ``expected.seq`` and hold ``expected.hash`` there (rows after it are later
    work). A chain that stops short is missing its tail; another hash at that seq
    means the rows up to it were rewritten (or deleted and written again).
    """
    if not result.ok:
        return result
    if result.head.seq < expected.seq:
        first = result.head.seq + 1
        rows = f"seq {first}" if first == expected.seq else f"seq {first}–{expected.seq}"
        return replace(result, bad_seq=first, problem=(
            f"head is seq {result.head.seq} but seq {expected.seq} {expected.hash} was expected: "
            f"{_rows(expected.seq - result.head.seq)} missing at the end ({rows}, deleted)"))
    row = conn.execute(text("SELECT id, hash FROM audit_log WHERE seq = :seq ORDER BY id LIMIT 1"),
                       {"seq": expected.seq}).first()
    if row is None or row.hash != expected.hash:
        return replace(result, bad_id=row.id if row else None, bad_seq=expected.seq, problem=(
            f"audit row{f' id {row.id}' if row else ''} (seq {expected.seq}) has hash "
            f"{row.hash if row else 'none'}, not the expected {expected.hash}: the chain was rewritten "
            f"up to it (rows deleted and others written in their place)"))
    return result


def head(conn: Connection | Session) -> Head:
    """The chain head (newest seq and hash), for after-action reports and ``admin verify-audit``.

    On PostgreSQL through ``dd_audit_head()`` (SECURITY DEFINER, core.pg_security): a
    ward or drill login sees only some audit rows, the head is that of the whole chain.
    """
    dialect = conn.dialect if isinstance(conn, Connection) else conn.get_bind().dialect
    if dialect.name == "postgresql":
        row = conn.execute(text("SELECT seq, hash FROM dd_audit_head()")).first()
    else:
        row = conn.execute(text("SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL "
                                "ORDER BY seq DESC LIMIT 1")).first()
    return Head(0, None) if row is None or row.seq is None else Head(int(row.seq), row.hash)


def json_text(value: Any, serializer: Any) -> str | None:
    return None if value is None else serializer(value)


def append_sqlite(conn: Connection, rows: Sequence[Any]) -> None:
    """Give new AuditEntry objects seq, prev_hash and hash (SQLite; PostgreSQL does it in the trigger).

    Called before their INSERT in the flushing transaction, which on SQLite
    holds the database's write lock once it has written (or reads the head and
    is then refused a stale write), so the chain cannot fork.
    """
    serializer = conn.dialect._json_serializer or __import__("json").dumps
    current = head(conn)
    seq, prev = current.seq, current.hash
    for entry in rows:
        seq += 1
        entry.seq = seq
        entry.prev_hash = prev
        values = {name: getattr(entry, name) for name in FIELDS}
        values["seq"] = seq
        values["before"] = json_text(entry.before, serializer)
        values["after"] = json_text(entry.after, serializer)
        entry.hash = prev = row_hash(values, prev)
