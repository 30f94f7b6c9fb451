"""SQLAlchemy 2 ORM models: the whole stored state of the desk.

Every record that can come from a drill carries ``mode`` (``real``/``drill``)
and ``run_id`` (``""`` for real data, the drill run id otherwise), so drill
data can be kept out of real views and exports with one filter
(:func:`disaster_desk.core.modes.mode_filter`). ``run_id`` is a plain string,
not a nullable foreign key, so that uniqueness constraints hold for real data
too (NULLs are distinct in SQL unique indexes).

Schema changes go through Alembic (``core/migrations``); a test checks the
migrations and these models agree.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy import text as sql_text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship

from disaster_desk.core.taxonomy import LABELS

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

REAL = "real"
DRILL = "drill"


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every engine (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use core.clock")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class ModeMixin:
    mode: Mapped[str] = mapped_column(String(8), default=REAL, index=True)
    run_id: Mapped[str] = mapped_column(String(64), default="", index=True)


class DrillRun(Base):
    __tablename__ = "drill_runs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    scenario: Mapped[str] = mapped_column(String(200))
    scenario_path: Mapped[str | None] = mapped_column(Text)
    speed: Mapped[str] = mapped_column(String(16), default="1")
    #: Scenario clock at t=0.
    scenario_start: Mapped[datetime]
    started_at: Mapped[datetime]  # wall clock
    ended_at: Mapped[datetime | None]
    #: running | finished | stopped | failed | interrupted (its process died: drills.runs)
    status: Mapped[str] = mapped_column(String(16), default="running")
    metrics: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The process playing the run (migration 0015): judged alive by pid on its host, by heartbeat elsewhere.
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None]
    heartbeat_at: Mapped[datetime | None]


class Post(ModeMixin, Base):
    """A collected SNS post, stored before analysis (ARCHITECTURE rule 6).

    On SQLite, triggers on this table keep ``queue_counts`` (migration 0004)
    and the free-text index ``posts_fts`` (migrations 0007, 0008): a migration
    that rebuilds the table (Alembic batch "move and copy") must recreate them;
    tests/core/test_queue.py and test_queue_text.py fail if counts drift.
    """

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("run_id", "source", "external_id", name="uq_posts_identity"),
        Index("ix_posts_mode_received", "mode", "run_id", "collected_at"),
        # The operator queue (core/queue.py): scope, then sort keys, then the
        # filter columns, so sorting, paging and counting read only this index.
        Index(
            "ix_posts_queue", "mode", "run_id", "urgency", "collected_at", "id",
            "duplicate_of", "label_mask", "ward", "state", "source",
        ),
        # The same for one ward (a ward station's view, the ward filter).
        Index(
            "ix_posts_queue_ward", "mode", "run_id", "ward", "urgency", "collected_at", "id",
            "duplicate_of", "label_mask", "state", "source",
        ),
        # The map's time window (core.map_items, migration 0021): the mapped posts by time, with
        # every column the window's top-N reads.
        Index(
            "ix_posts_map_window", "mode", "run_id", "collected_at", "state", "urgency", "id", "ward", "geo_lat",
            sqlite_where=sql_text("duplicate_of IS NULL AND urgency IS NOT NULL"),
            postgresql_where=sql_text("duplicate_of IS NULL AND urgency IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # x | mastodon | bluesky | jma | replay | other
    external_id: Mapped[str] = mapped_column(String(128))
    author: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime | None]  # the post's own time
    collected_at: Mapped[datetime]  # when it reached the system
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Token of the ingest call that stored the row (tells new rows from duplicates).
    ingest_batch: Mapped[str | None] = mapped_column(String(32))
    geo_lat: Mapped[float | None] = mapped_column(Float)
    geo_lon: Mapped[float | None] = mapped_column(Float)
    #: Retweet / near-duplicate collapse: the first post of the group.
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("posts.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    #: Triage state: new → acknowledged → verified | dismissed → shared → closed.
    state: Mapped[str] = mapped_column(String(16), default="new", index=True)
    #: Optimistic-locking counter for triage.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: Queue keys copied from the post's Analysis (see ``_copy_queue_keys``) so
    #: the queue filters and sorts one indexed table. NULL urgency: not analysed.
    urgency: Mapped[int | None] = mapped_column(Integer)
    label_mask: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ward: Mapped[str | None] = mapped_column(String(16))
    __mapper_args__ = {"version_id_col": version}

    analysis: Mapped[Analysis | None] = relationship(back_populates="post", uselist=False)


class Analysis(Base):
    """The NLP result for a post; one per post, replaced on re-analysis."""

    __tablename__ = "analyses"
    #: The map's counts per town (core.map_items.map_picture), migration 0015.
    __table_args__ = (Index("ix_analyses_town", "precision", "ward", "place", "lat", "lon", "post_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    labels: Mapped[list[Any]] = mapped_column(JSON)
    urgency: Mapped[int] = mapped_column(Integer, default=0, index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    ward: Mapped[str | None] = mapped_column(String(16), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    precision: Mapped[str | None] = mapped_column(String(16))
    #: Event status: ongoing | resolved | elsewhere | advice | hypothetical (NULL: analysed before 0009).
    status: Mapped[str | None] = mapped_column(String(16))
    #: The learned model's probability per label, e.g. {"rescue": 0.42}.
    confidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Labels to confirm (要確認): ["rescue"] is a possible rescue, shown below the rescue requests.
    review: Mapped[list[Any] | None] = mapped_column(JSON)
    analyser_version: Mapped[str] = mapped_column(String(64))
    analysed_at: Mapped[datetime]
    #: The normalised text's UTF-8 size when analysis cut it to the tokenizer's limit (None: not cut).
    truncated_bytes: Mapped[int | None] = mapped_column(Integer)
    #: Why the analysis failed (None: it did not). Such a post is queued as 未解析 and retried.
    error: Mapped[str | None] = mapped_column(Text)

    post: Mapped[Post] = relationship(back_populates="analysis")


class Report(ModeMixin, Base):
    """A ward-office report: shelter, damage, muster or system status."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_kind_ward", "kind", "ward"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_uuid: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # shelter | damage | muster | system
    ward: Mapped[str | None] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime | None]  # at the ward station
    received_at: Mapped[datetime]  # by the system
    updated_at: Mapped[datetime | None]
    author: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), default="new", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Incident(ModeMixin, Base):
    """Posts about the same category and place within a time window."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(16))
    ward: Mapped[str | None] = mapped_column(String(16))
    place: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    first_at: Mapped[datetime]
    last_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="new")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class ShareEvent(ModeMixin, Base):
    """One item shared with one target (ward office or department)."""

    __tablename__ = "share_events"
    __table_args__ = (Index("ix_share_item", "item_type", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_type: Mapped[str] = mapped_column(String(16))  # post | report | incident
    item_id: Mapped[int] = mapped_column(Integer)
    target: Mapped[str] = mapped_column(String(32), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    shared_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)
    read_at: Mapped[datetime | None]
    #: The sender's database login beside the person in ``actor`` (set by the database on PostgreSQL).
    shared_login: Mapped[str | None] = mapped_column(String(200))
    #: The receipt (受領) sent back by the target: when, the receiver's login (the person on SQLite), the person.
    received_at: Mapped[datetime | None]
    received_by: Mapped[str | None] = mapped_column(String(200))
    received_name: Mapped[str | None] = mapped_column(String(200))
    #: Seconds from the item reaching the system / from the post's own time.
    time_to_share_s: Mapped[float | None] = mapped_column(Float)
    time_to_share_from_post_s: Mapped[float | None] = mapped_column(Float)


class AuditEntry(ModeMixin, Base):
    """Append-only log of every change made by a person (ARCHITECTURE rule 7)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    item_type: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[str] = mapped_column(String(64))
    #: None is stored as SQL NULL, not JSON null, so the hash chain reads one form.
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    #: The person (e.g. 北区役所 田中) beside the login in ``actor`` (PostgreSQL); None on SQLite.
    display_name: Mapped[str | None] = mapped_column(String(200))
    #: Hash chain (core.audit_chain): position, the previous row's hash, this row's hash.
    seq: Mapped[int | None] = mapped_column(Integer, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))
    #: PostgreSQL transaction id of the row (set by the trigger): tells an app-written row
    #: from a change the database must audit itself.
    txid: Mapped[int | None] = mapped_column(BigInteger, index=True)

    @hybrid_property
    def who(self) -> str:
        """The person who acted: the display name when the database recorded a login as actor."""
        return self.display_name or self.actor

    @who.inplace.expression
    @classmethod
    def _who_expression(cls) -> Any:
        return func.coalesce(cls.display_name, cls.actor)


@event.listens_for(AuditEntry, "before_insert")
def _chain_sqlite(_mapper: Mapper[Any], connection: Connection, target: AuditEntry) -> None:
    """On SQLite the chain is computed here; on PostgreSQL by the trigger of migration 0017."""
    if connection.dialect.name == "sqlite":
        from disaster_desk.core.audit_chain import append_sqlite

        append_sqlite(connection, [target])


class DrillEvent(Base):
    """Timestamped drill facts: checklist ticks, findings, inject log."""

    __tablename__ = "drill_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("drill_runs.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # inject | checklist | finding
    at: Mapped[datetime]  # scenario clock
    t_s: Mapped[float] = mapped_column(Float)  # scenario seconds since t=0
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class OfficialAlert(ModeMixin, Base):
    """An official feed entry (JMA 防災情報XML): shown apart from SNS posts."""

    __tablename__ = "official_alerts"
    __table_args__ = (UniqueConstraint("run_id", "source", "external_id", name="uq_alerts_identity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(16), default="jma")
    external_id: Mapped[str] = mapped_column(String(256))
    kind: Mapped[str] = mapped_column(String(32))  # intensity | hypocenter | tsunami | warning
    title: Mapped[str] = mapped_column(Text)
    headline: Mapped[str | None] = mapped_column(Text)
    issued_at: Mapped[datetime]
    received_at: Mapped[datetime]
    #: e.g. {"ward_intensity": {"北区": "5+"}, "max_intensity": "6-"}.
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Shelter(Base):
    """The shelter registry (GSI 指定避難所 / 指定緊急避難場所 import)."""

    __tablename__ = "shelters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    common_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str | None] = mapped_column(Text)
    ward: Mapped[str | None] = mapped_column(String(16), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    kinds: Mapped[list[Any] | None] = mapped_column(JSON)  # designated shelter / emergency site, hazards
    capacity: Mapped[int | None] = mapped_column(Integer)


class CollectorCheckpoint(Base):
    """Where each collector got to (since_id, cursor, last entry)."""

    __tablename__ = "collector_checkpoints"

    collector: Mapped[str] = mapped_column(String(64), primary_key=True)
    cursor: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class CollectorStatusRow(Base):
    """Each collector's last known state, so another process (UI, ``collect --status``) can read it."""

    __tablename__ = "collector_status"

    collector: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))  # idle | running | ok | error | waiting | stopped
    last_run: Mapped[datetime | None]
    items: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_run: Mapped[datetime | None]
    waiting_until: Mapped[datetime | None]
    failures: Mapped[int] = mapped_column(Integer, default=0)
    #: Posts the last run refused (invalid or refused by the database); the last as "source/id: reason".
    refused: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_refused: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class QueueCount(Base):
    """How many queue rows (analysed, not collapsed posts) have each combination of filter keys.

    Kept by SQLite triggers on ``posts`` (migration 0004), so counting the
    queue for a filter sums a few thousand rows instead of scanning a million
    index entries. ``ward`` is ``""`` for posts without one.
    """

    __tablename__ = "queue_counts"
    __table_args__ = {"sqlite_with_rowid": False}

    mode: Mapped[str] = mapped_column(String(8), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    urgency: Mapped[int] = mapped_column(Integer, primary_key=True)
    label_mask: Mapped[int] = mapped_column(Integer, primary_key=True)
    ward: Mapped[str] = mapped_column(String(16), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class MapCount(Base):
    """The map's mapped posts per ward (``town = ""``) and per town, kept by triggers (migration 0021).

    SQLite keeps one row per key; PostgreSQL appends delta rows (folded by
    ``dd_map_counts_compact()``): read it summed per key (core.map_items).
    ``lat_sum``/``lon_sum``: the sum of the town posts' points (the badge is at their mean).
    """

    __tablename__ = "map_counts"
    __table_args__ = (Index("ux_map_counts_key", "mode", "run_id", "ward", "town", "single", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mode: Mapped[str] = mapped_column(String(8))
    run_id: Mapped[str] = mapped_column(String(64))
    ward: Mapped[str] = mapped_column(String(16))
    town: Mapped[str] = mapped_column(String(200))
    n: Mapped[int] = mapped_column(Integer)
    lat_sum: Mapped[float] = mapped_column(Float)
    lon_sum: Mapped[float] = mapped_column(Float)
    #: 1: the key's one row (SQLite upserts into it); NULL: a PostgreSQL delta row (a unique index
    #: lets NULLs repeat, so the same index is the upsert's target on SQLite and no conflict on PostgreSQL).
    single: Mapped[int | None] = mapped_column(Integer)


def label_mask(labels: list[Any] | tuple[Any, ...] | None) -> int:
    """Labels as a bit mask (bit i = ``taxonomy.LABELS[i]``) for indexed label filters."""
    mask = 0
    for label in labels or ():
        if label in LABELS:
            mask |= 1 << LABELS.index(label)
    return mask


@event.listens_for(Analysis, "after_insert")
@event.listens_for(Analysis, "after_update")
def _copy_queue_keys(_mapper: Mapper[Any], connection: Connection, target: Analysis) -> None:
    """Keep the post's queue keys equal to its analysis, in the same transaction."""
    posts = Post.__table__
    connection.execute(
        posts.update()
        .where(posts.c.id == target.post_id)
        .values(urgency=target.urgency, label_mask=label_mask(target.labels), ward=target.ward)
    )


#: Station roles (``stations.role``), each a PostgreSQL group role ``dd_<role>``.
STATION_ROLES = ("hq", "ward", "collector", "drill", "viewer")


class StationRow(Base):
    """One station: a PostgreSQL login with its role and (for a ward station) its ward.

    ``name`` is the login name (``session_user``). Row-level security reads the
    ward from here; the client reads role and ward from here
    (:mod:`disaster_desk.core.stations`). Unused on SQLite.
    """

    __tablename__ = "stations"
    __table_args__ = (
        CheckConstraint("role IN ('hq', 'ward', 'collector', 'drill', 'viewer')", name="role"),
    )

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    role: Mapped[str] = mapped_column(Text)
    ward: Mapped[str | None] = mapped_column(Text)
    display_name: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ChangeEntry(Base):
    """One change a service made (``core.changes``), written in the same transaction.

    Other processes read these rows by id to learn what changed (on SQLite the
    only way; on PostgreSQL the catch-up after a lost LISTEN connection).
    ``keys`` is the list of item keys (``"post:12"``). Old rows are pruned.
    """

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(8), default=REAL)
    run_id: Mapped[str] = mapped_column(String(64), default="")
    keys: Mapped[list[Any]] = mapped_column(JSON)
