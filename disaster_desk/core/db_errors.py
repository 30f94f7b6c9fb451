"""What a database refusal means, for the people who read it (one classification, both engines).

The driver's text is English and technical (``new row violates row-level
security policy for table "reports"``). Callers keep it as the detail — the log,
a dialog's details, the CLI's one line — and show the operator what it means:
the ``kind`` below, which the GUI turns into a translated sentence
(disaster_desk/ui/error_text.py). Qt-free: the CLI and the core use it too.

Kinds:

``permission``
    SQLSTATE 42501: the login's role may not do this (a ward login writing another
    ward's row, row-level security, a drill login writing real data).
``timeout``
    57014 (statement timeout), 55P03 (lock not available), 25P03 (idle in
    transaction timeout); SQLite's ``database is locked``; the pool's timeout.
``conflict``
    40001 / 40P01: a concurrent change (serialization failure, deadlock); trying again works.
``constraint``
    class 23: the row contradicts a rule of the schema (unique, check, foreign key).
``unreachable``
    class 08 or a lost connection: the database cannot be reached.
``other``
    anything else the database said.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

KINDS = ("permission", "timeout", "conflict", "constraint", "unreachable", "other")

_TIMEOUT_STATES = {"57014", "55P03", "25P03"}
_CONFLICT_STATES = {"40001", "40P01"}


@dataclass(frozen=True)
class DatabaseProblem:
    kind: str
    #: PostgreSQL's SQLSTATE when the driver gave one (None on SQLite).
    sqlstate: str | None
    #: The driver's first line, as it said it (English): the technical detail.
    detail: str


def first_line(exc: BaseException) -> str:
    """The driver's first line of ``exc`` (the DBAPI error inside SQLAlchemy's wrapper)."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def database_problem(exc: BaseException) -> DatabaseProblem | None:
    """The problem ``exc`` stands for when the database (or the way to it) refused; None for other errors."""
    if isinstance(exc, PoolTimeout):
        return DatabaseProblem("timeout", None, first_line(exc))
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(exc, "sqlstate", None)
    if not isinstance(exc, DBAPIError) and sqlstate is None:
        return None
    detail = first_line(exc)
    if sqlstate == "42501":
        kind = "permission"
    elif sqlstate in _TIMEOUT_STATES or "database is locked" in detail.lower():
        kind = "timeout"
    elif sqlstate in _CONFLICT_STATES:
        kind = "conflict"
    elif (sqlstate is not None and sqlstate.startswith("23")) or isinstance(exc, IntegrityError):
        kind = "constraint"
    elif (sqlstate is not None and sqlstate.startswith("08")) or getattr(exc, "connection_invalidated", False) \
            or (sqlstate is None and isinstance(exc, OperationalError | InterfaceError)):
        kind = "unreachable"
    else:
        kind = "other"
    return DatabaseProblem(kind, sqlstate, detail)
