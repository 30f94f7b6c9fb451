"""What this station may do: its role and ward, from its database login or from settings.

On PostgreSQL every station connects with its own login and the ``stations``
row of that login (:func:`disaster_desk.core.stations.current_station`) gives
its role and ward — the same row the database's row-level security reads, so
the client shows what the database enforces. On SQLite (one station, no
logins) settings (``role``, ``station_ward``) give them. Saved window state
never does.

A PostgreSQL login with no stations row is accepted only when it is a
superuser or owns the database (the installer's own login, a one-station
server before ``admin init``): settings then give the role, as on SQLite. Any
other login without a row, and a revoked one, is refused with
:class:`LoginRefused` (a Japanese message for the dialog, an English one for logs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from disaster_desk.core.db import Database
from disaster_desk.core.db_errors import first_line
from disaster_desk.core.stations import current_station
from disaster_desk.errors import UserError

#: The window layouts (GUI roles) each station role may use, the first one by default.
#: An HQ login may also run drills (the drill layout; drill rows are kept apart by mode);
#: a ward login is a ward station only; a viewer sees the HQ layout without triage.
ROLE_LAYOUTS: dict[str, tuple[str, ...]] = {
    "hq": ("hq", "drill"),
    "ward": ("ward",),
    "drill": ("drill",),
    "viewer": ("hq",),
}
#: Station roles allowed to change triage state (the database refuses the others too).
TRIAGE_ROLES = frozenset({"hq", "drill"})


class LoginRefused(UserError):
    """This login may not open the desk (revoked, unknown, or a collector's login)."""

    def __init__(self, message: str, message_ja: str, *, login: str | None = None) -> None:
        super().__init__(message)
        self.message_ja = message_ja
        self.login = login


@dataclass(frozen=True)
class Access:
    """Who this station is. ``source`` is ``login`` (stations row), ``owner`` or ``settings``."""

    role: str
    ward: str | None = None
    login: str | None = None
    display_name: str | None = None
    source: str = "settings"

    @property
    def layouts(self) -> tuple[str, ...]:
        return ROLE_LAYOUTS.get(self.role, ())

    @property
    def may_triage(self) -> bool:
        return self.role in TRIAGE_ROLES

    def layout(self, wanted: str | None = None) -> str:
        """``wanted`` when this station may use it, else its default layout."""
        return wanted if wanted in self.layouts else self.layouts[0]


def access_from_settings(settings: Any) -> Access:
    """SQLite: the role and ward written in settings.yaml."""
    ward = settings.station_ward if settings.role == "ward" else None
    return Access(role=settings.role, ward=ward, source="settings")


def resolve_access(db: Database, settings: Any) -> Access:
    """The station's access; a blocking database read (call it off the GUI thread)."""
    if not db.is_postgres:
        return access_from_settings(settings)
    try:
        with db.session() as session:
            station = current_station(session)
            if station is not None:
                if station.role not in ROLE_LAYOUTS:
                    raise LoginRefused(
                        f"login {station.name} is a {station.role} station; it cannot open the desk",
                        f"ログイン {station.name} は「{station.role}」用です。この画面は開けません。"
                        "本部の管理者に、この端末用のログインを確認してください。",
                        login=station.name,
                    )
                return Access(role=station.role, ward=station.ward, login=station.name,
                              display_name=station.display_name, source="login")
            return _without_station(session, settings)
    except DBAPIError as exc:
        reason = first_line(exc)
        raise LoginRefused(
            f"cannot read this login's station: {reason}",
            f"この端末のログインの役割を読み取れません ({reason})。本部の管理者に連絡してください。",
        ) from None


def _without_station(session: Any, settings: Any) -> Access:
    login, revoked, privileged = session.execute(text(
        "SELECT session_user, "
        "EXISTS (SELECT 1 FROM stations WHERE name = session_user AND revoked_at IS NOT NULL), "
        "(SELECT rolsuper FROM pg_roles WHERE rolname = session_user) "
        "OR (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()) = session_user"
    )).one()
    if revoked:
        raise LoginRefused(
            f"login {login} was revoked",
            f"この端末のログイン {login} は失効しています。本部の管理者に新しいログインを発行してもらってください。",
            login=login,
        )
    if privileged:
        base = access_from_settings(settings)
        return Access(role=base.role, ward=base.ward, login=login, source="owner")
    raise LoginRefused(
        f"login {login} is not a registered station",
        f"ログイン {login} は端末として登録されていません (admin add-station)。本部の管理者に連絡してください。",
        login=login,
    )


#: How PostgreSQL words a refused login (libpq gives no SQLSTATE before the session exists).
_AUTH_REFUSALS = ("password authentication failed", "is not permitted to log in", "role \"",
                  "no pg_hba.conf entry", "certificate")


def open_station(settings: Any) -> tuple[Database, Access]:
    """Open the database and read this station's access (blocking: off the GUI thread).

    A login the server refuses (wrong or rotated password, revoked login) is a
    :class:`LoginRefused`; an unreachable server stays a plain
    :class:`UserError` (a ward station then works offline through its outbox).
    """
    try:
        db = Database.open(settings.db_url, timeout_s=settings.database.timeout_s)
    except LoginRefused:
        raise
    except UserError as exc:
        message = str(exc)
        if any(p in message for p in _AUTH_REFUSALS):
            raise LoginRefused(
                message,
                "データベースがこの端末のログインを受け付けません。パスワードが変更されたか、"
                f"ログインが失効しています。本部の管理者に連絡してください。\n\n({message})",
            ) from None
        raise
    try:
        return db, resolve_access(db, settings)
    except BaseException:
        db.dispose()
        raise
