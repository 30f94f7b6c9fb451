"""What the common operating picture draws: one :class:`MapItem` per marker.

Qt-free. Texts here are plain (they come from posts and reports, i.e. from
outside): the map view renders them with ``textContent``, never as HTML.
Keys name the item a click opens: ``post:12``, ``report:5``, ``shelter:3``
(a registry shelter without a report), ``muster:北区``, ``alert:3:北区``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import case, func, or_, select, text

from disaster_desk.core.aggregates import BCP_MUSTER_TARGET, latest_shelters, muster_summary
from disaster_desk.core.clock import JST
from disaster_desk.core.db import Database
from disaster_desk.core.items import POST, REPORT, ItemKey
from disaster_desk.core.models import Analysis, MapCount, OfficialAlert, Post, Report, ShareEvent, Shelter
from disaster_desk.core.modes import REAL_SCOPE, Scope, mode_filter
from disaster_desk.core.shelter_registry import lookup, registry_index
from disaster_desk.core.taxonomy import LABEL_COLOURS
from disaster_desk.core.vocabulary import (
    DAMAGE_SEVERITY,
    DAMAGE_STATUS,
    DAMAGE_TYPE,
    LABEL,
    NEED,
    SHELTER_STATUS,
    TRIAGE_STATE,
    Term,
)

LAYERS = ("post", "shelter", "damage", "muster", "intensity")

#: Representative point of each ward (mean of its towns in the Geolonia address data, CC BY 4.0).
WARD_CENTROIDS: dict[str, tuple[float, float]] = {
    "北区": (34.7044, 135.5039), "都島区": (34.7098, 135.5289), "福島区": (34.6935, 135.4768),
    "此花区": (34.6778, 135.4422), "中央区": (34.6807, 135.5101), "西区": (34.6790, 135.4841),
    "港区": (34.6620, 135.4527), "大正区": (34.6482, 135.4698), "天王寺区": (34.6607, 135.5208),
    "浪速区": (34.6597, 135.4957), "西淀川区": (34.7085, 135.4490), "淀川区": (34.7287, 135.4828),
    "東淀川区": (34.7449, 135.5306), "東成区": (34.6731, 135.5465), "生野区": (34.6534, 135.5431),
    "旭区": (34.7236, 135.5476), "城東区": (34.6964, 135.5486), "鶴見区": (34.7025, 135.5765),
    "阿倍野区": (34.6337, 135.5136), "住之江区": (34.6154, 135.4634), "住吉区": (34.6073, 135.5041),
    "東住吉区": (34.6205, 135.5325), "平野区": (34.6169, 135.5593), "西成区": (34.6405, 135.4927),
}

SHELTER_STYLE = {  # status: (colour, filled); words from core.vocabulary.SHELTER_STATUS
    "unopened": ("#9e9e9e", False), "open": ("#2ca25f", True),
    "full": ("#d7191c", True), "closed": ("#424242", True),
}
#: Popup row labels (the values' words come from core.vocabulary).
WORDS = {t.id: t for t in (
    Term("text", "本文", "Text"), Term("author", "投稿者", "Author"), Term("place", "場所", "Place"),
    Term("received", "受信", "Received"), Term("state", "状態", "State"), Term("shared", "共有先", "Shared with"),
    Term("ward", "区", "Ward"), Term("evacuees", "避難者", "Evacuees"), Term("capacity", "収容可能", "Capacity"),
    Term("needs", "必要物資", "Needs"), Term("note", "備考", "Note"), Term("reported", "報告", "Reported"),
    Term("address", "住所", "Address"), Term("no_report", "報告なし", "No report"),
    Term("ward_point", "区の代表点", "ward centre"), Term("status", "状況", "Status"),
    Term("muster", "参集", "Muster"), Term("rate", "参集率", "Muster rate"), Term("target", "目標", "Target"),
    Term("updated", "更新", "Updated"), Term("issued", "発表", "Issued"), Term("headline", "見出し", "Headline"),
    Term("intensity", "震度", "Intensity "), Term("operator_place", "本部で訂正", "corrected by HQ"),
)}


def _w(word: str, language: str) -> str:
    return WORDS[word].label(language)
DAMAGE_COLOURS = {"minor": "#f6d32d", "major": "#f57c00", "critical": "#d7191c"}
DAMAGE_FADED = {"restored", "closed"}
#: Triage states of a post drawn faded: handled, kept on the map for the picture.
POST_FADED = {"closed"}
INTENSITY_COLOURS = {"1": "#f2f2ff", "2": "#00aaff", "3": "#0041ff", "4": "#fae696", "5-": "#ffe600",
                     "5+": "#ff9900", "6-": "#ff2800", "6+": "#a50021", "7": "#b40068"}


@dataclass
class MapItem:
    key: str
    layer: str
    lat: float
    lon: float
    colour: str
    title: str
    #: Popup rows (label, value), plain text.
    fields: list[tuple[str, str]] = field(default_factory=list)
    label: str = ""  # short text drawn on the marker (muster "12/80", intensity "5+")
    radius: float = 8.0
    filled: bool = True
    opacity: float = 0.9
    category: str | None = None  # post label id (the layer filter)
    #: Posts: when the post reached the system (ISO, UTC) — the time window is on this.
    at: str = ""
    #: Posts: (unhandled, urgency, at) — the most relevant markers are kept under the bound.
    relevance: tuple[int, int, str] = (0, 0, "")

    def to_json(self) -> dict[str, Any]:
        """The page's marker object (a flat dict: ``dataclasses.asdict`` deep-copies, 8× slower)."""
        return {"key": self.key, "layer": self.layer, "lat": self.lat, "lon": self.lon, "colour": self.colour,
                "title": self.title, "fields": [list(f) for f in self.fields], "label": self.label,
                "radius": self.radius, "filled": self.filled, "opacity": self.opacity, "category": self.category,
                "at": self.at, "relevance": list(self.relevance)}


def _jst(dt: Any) -> str:
    return dt.astimezone(JST).strftime("%m/%d %H:%M") if dt else ""


def _post_item(post: Any, analysis: Any, shared: list[str] | None = None,
               language: str = "ja") -> MapItem | None:
    if post.state == "dismissed" or post.duplicate_of is not None:
        return None  # a dismissed post or a collapsed duplicate leaves the map
    lat = analysis.lat if analysis and analysis.lat is not None else post.geo_lat
    lon = analysis.lon if analysis and analysis.lon is not None else post.geo_lon
    if lat is None or lon is None:
        return None
    labels = list(analysis.labels) if analysis else ["none"]
    category = labels[0] if labels else "none"
    place = (analysis.place or "") if analysis else ""
    if analysis is not None and analysis.precision == "operator":
        place = f"{place}（{_w('operator_place', language)}）"
    state = TRIAGE_STATE.label(post.state, language)
    if shared:
        state = f"{state}→{'・'.join(shared)}"
    at = post.collected_at.isoformat() if post.collected_at else ""
    return MapItem(
        key=str(ItemKey.post(post.id)), layer="post", lat=lat, lon=lon, colour=LABEL_COLOURS.get(category, "#9e9e9e"),
        title=" / ".join(LABEL.label(label, language) for label in labels), category=category, radius=7,
        at=at, relevance=(int(post.state == "new"), post.urgency or 0, at),
        opacity=0.3 if post.state in POST_FADED else 0.9,  # a closed post stays, faded (as restored damage)
        fields=[(_w("text", language), post.text), (_w("author", language), post.author or ""),
                (_w("place", language), place), (_w("received", language), _jst(post.collected_at)),
                (_w("state", language), state)],
    )


def _shelter_item(report: Report, registry: dict[tuple[str | None, str], Shelter],
                  language: str = "ja") -> MapItem | None:
    p = report.payload
    shelter = lookup(registry, p["name"], report.ward)
    if shelter is None or shelter.lat is None:
        return None
    colour, filled = SHELTER_STYLE[p["status"]]
    status = SHELTER_STATUS.label(p["status"], language)
    capacity = p.get("capacity") or shelter.capacity
    occupancy = min(p.get("evacuees", 0) / capacity, 1.0) if capacity else 0.0
    return MapItem(
        key=str(ItemKey.report(report.id)), layer="shelter", lat=shelter.lat, lon=shelter.lon, colour=colour, filled=filled,
        title=f"{p['name']}（{status}）", radius=6 + 14 * occupancy,
        fields=[(_w("ward", language), report.ward or ""), (_w("state", language), status),
                (_w("evacuees", language), str(p.get("evacuees", ""))),
                (_w("capacity", language), str(capacity or "")),
                (_w("needs", language), "・".join(NEED.label(n, language) for n in p.get("needs", []))),
                (_w("note", language), p.get("note", "")), (_w("reported", language), _jst(report.received_at))],
    )


def _registry_item(shelter: Shelter, language: str = "ja") -> MapItem:
    colour, filled = SHELTER_STYLE["unopened"]
    status = SHELTER_STATUS.label("unopened", language)
    return MapItem(
        key=f"shelter:{shelter.id}", layer="shelter", lat=shelter.lat, lon=shelter.lon, colour=colour, filled=filled,
        title=f"{shelter.name}（{status}）", radius=5,
        fields=[(_w("ward", language), shelter.ward or ""), (_w("address", language), shelter.address or ""),
                (_w("state", language), _w("no_report", language))],
    )


def _damage_item(report: Report, language: str = "ja") -> MapItem | None:
    p = report.payload
    lat, lon, where = p.get("lat"), p.get("lon"), p.get("place", "")
    if lat is None or lon is None:
        if report.ward not in WARD_CENTROIDS:
            return None
        (lat, lon), where = WARD_CENTROIDS[report.ward], f"{where}（{_w('ward_point', language)}）"
    status = p.get("status", "reported")
    return MapItem(
        key=str(ItemKey.report(report.id)), layer="damage", lat=lat, lon=lon, colour=DAMAGE_COLOURS[p["severity"]],
        title=f"{DAMAGE_TYPE.label(p['type'], language)} / {DAMAGE_SEVERITY.label(p['severity'], language)}",
        radius=9, opacity=0.3 if status in DAMAGE_FADED else 0.9,
        fields=[(_w("ward", language), report.ward or ""), (_w("place", language), where),
                (_w("status", language), DAMAGE_STATUS.label(status, language)),
                (_w("note", language), p.get("note", "")), (_w("reported", language), _jst(report.received_at))],
    )


def _muster_items(db: Database, scope: Scope, language: str = "ja") -> list[MapItem]:
    items = []
    for ward, point in muster_summary(db, scope).wards.items():
        if ward not in WARD_CENTROIDS:
            continue
        rate = point.rate or 0.0
        colour = "#2ca25f" if rate >= BCP_MUSTER_TARGET else "#f57c00" if rate >= BCP_MUSTER_TARGET / 2 else "#d7191c"
        lat, lon = WARD_CENTROIDS[ward]
        items.append(MapItem(
            key=f"muster:{ward}", layer="muster", lat=lat, lon=lon, colour=colour, radius=14,
            title=f"{ward} {_w('muster', language)} {point.arrived}/{point.expected}",
            label=f"{point.arrived}/{point.expected}",
            fields=[(_w("rate", language), f"{rate:.0%}"), (_w("target", language), f"{BCP_MUSTER_TARGET:.0%}"),
                    (_w("updated", language), _jst(point.at))],
        ))
    return items


def _intensity_items(db: Database, scope: Scope, language: str = "ja") -> list[MapItem]:
    with db.session() as session:
        alert = session.scalars(
            select(OfficialAlert).where(OfficialAlert.kind == "intensity", mode_filter(OfficialAlert, scope))
            .order_by(OfficialAlert.issued_at.desc(), OfficialAlert.id.desc()).limit(1)
        ).first()
    if alert is None:
        return []
    items = []
    for ward, value in ((alert.data or {}).get("ward_intensity") or {}).items():
        if ward in WARD_CENTROIDS:
            lat, lon = WARD_CENTROIDS[ward]
            items.append(MapItem(
                key=f"{ItemKey.alert(alert.id)}:{ward}", layer="intensity", lat=lat, lon=lon,
                colour=INTENSITY_COLOURS.get(str(value), "#888888"), label=str(value), radius=22, opacity=0.45,
                title=f"{ward} {_w('intensity', language)}{value}",
                fields=[(_w("issued", language), _jst(alert.issued_at)),
                        (_w("headline", language), alert.headline or "")],
            ))
    return items


def _shared_targets(session: Any, scope: Scope, post_ids: list[int] | None = None) -> dict[int, list[str]]:
    """Share targets of posts (in the order they were shared)."""
    query = select(ShareEvent.item_id, ShareEvent.target).where(
        ShareEvent.item_type == "post", mode_filter(ShareEvent, scope))
    if post_ids is not None:
        query = query.where(ShareEvent.item_id.in_(post_ids))
    targets: dict[int, list[str]] = {}
    for item_id, target in session.execute(query.order_by(ShareEvent.id)):
        targets.setdefault(item_id, []).append(target)
    return targets


def map_items(db: Database, scope: Scope = REAL_SCOPE, *, registry: bool = True, language: str = "ja",
              posts: bool = True) -> list[MapItem]:
    """Every marker of the picture for ``scope`` (registry shelters without a report as 未開設).

    ``language`` (ja/en) words the popups; values are the vocabulary's labels. This reads every
    post of the scope (exports, small databases): the window uses :func:`map_picture` instead.
    ``posts=False``: only the report, shelter, muster and intensity markers.
    """
    with db.session() as session:
        rows = session.execute(
            select(Post, Analysis).outerjoin(Analysis, Analysis.post_id == Post.id)
            .where(mode_filter(Post, scope), Post.duplicate_of.is_(None)).order_by(Post.id)
        ).all() if posts else []
        shelters = list(session.scalars(select(Shelter)))
        damage = list(session.scalars(
            select(Report).where(Report.kind == "damage", mode_filter(Report, scope)).order_by(Report.id)))
    items = [item for post, analysis in rows if (item := _post_item(post, analysis))]
    by_name = registry_index(shelters)
    reported = set()
    for key, report in latest_shelters(db, scope).items():
        if item := _shelter_item(report, by_name, language):
            items.append(item)
            reported.add(key)
    if registry:
        items += [_registry_item(s, language) for s in shelters
                  if (s.ward, s.name) not in reported and s.lat is not None and "shelter" in (s.kinds or [])]
    items += [item for report in damage if (item := _damage_item(report, language))]
    return items + _muster_items(db, scope, language) + _intensity_items(db, scope, language)


def map_item_for(db: Database, key: str, scope: Scope = REAL_SCOPE, *, language: str = "ja",
                 since: datetime | None = None) -> MapItem | None:
    """The current marker of one item (after a change notification), or None.

    A post received before ``since`` (outside the map's time window) has no marker.
    """
    item = ItemKey.try_parse(key)
    if item is not None and item.type == POST:
        with db.session() as session:
            query = (select(Post, Analysis).outerjoin(Analysis, Analysis.post_id == Post.id)
                     .where(Post.id == item.id, mode_filter(Post, scope)))
            if since is not None:
                query = query.where(Post.collected_at >= since)
            row = session.execute(query).first()
            shared = _shared_targets(session, scope, [item.id]) if row else {}
        return _post_item(row[0], row[1], shared.get(item.id), language) if row else None
    if item is not None and item.type == REPORT:
        with db.session() as session:
            report = session.scalar(select(Report).where(Report.id == item.id, mode_filter(Report, scope)))
            shelters = list(session.scalars(select(Shelter))) if report and report.kind == "shelter" else []
        if report is None:
            return None
        if report.kind == "damage":
            return _damage_item(report, language)
        if report.kind == "shelter":
            return _shelter_item(report, registry_index(shelters), language)
        return None
    if key.startswith("muster:"):
        return next((i for i in _muster_items(db, scope, language) if i.key == key), None)
    return next((i for i in map_items(db, scope, language=language)
                 if i.key == key or i.key.startswith(key + ":")), None)


def map_items_for(db: Database, keys: list[str], scope: Scope = REAL_SCOPE, *, language: str = "ja",
                  since: datetime | None = None) -> dict[str, MapItem | None]:
    """The current markers of many items at once (a batch of changes): ``{key: item or None}``.

    Posts are read in one query (per 900 ids) with their share targets, not one query each;
    other keys go through :func:`map_item_for`.
    """
    out: dict[str, MapItem | None] = {}
    post_ids: dict[int, str] = {}
    for key in keys:
        item = ItemKey.try_parse(key)
        if item is not None and item.type == POST:
            post_ids[item.id] = key
        else:
            out[key] = map_item_for(db, key, scope, language=language, since=since)
    if post_ids:
        ids = sorted(post_ids)
        rows: list[Any] = []
        with db.session() as session:
            for start in range(0, len(ids), 900):
                query = (select(Post, Analysis).outerjoin(Analysis, Analysis.post_id == Post.id)
                         .where(Post.id.in_(ids[start:start + 900]), mode_filter(Post, scope)))
                if since is not None:
                    query = query.where(Post.collected_at >= since)
                rows += session.execute(query).all()
            shared = _shared_targets(session, scope, [post.id for post, _a in rows]) if rows else {}
        found = {post.id: _post_item(post, analysis, shared.get(post.id), language) for post, analysis in rows}
        out.update({key: found.get(pid) for pid, key in post_ids.items()})
    return out


# -- the map at incident scale: a time window of markers, counts for the rest ---------------

#: Time windows offered on the map, in hours (0: every post, still bounded).
WINDOWS_H = (1, 6, 24, 0)
#: Analyses placed this precisely name a town (丁目 or 町): they are counted per town.
TOWN_PRECISIONS = ("town", "address")
#: At most this many town badges (the largest counts) go to the page.
TOWN_BADGES = 400


@dataclass(frozen=True)
class MapWindow:
    """Which posts are drawn as markers: the last ``hours`` (0: all), at most ``bound`` of them."""

    hours: int = 6
    bound: int = 2000

    def since(self, now: datetime) -> datetime | None:
        return now - timedelta(hours=self.hours) if self.hours else None


@dataclass(frozen=True)
class AreaCount:
    """Posts of a ward or town that are not drawn as markers (a badge on the map)."""

    name: str
    ward: str
    lat: float
    lon: float
    n: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class MapPicture:
    """What the map draws for one window: markers, and counts of the posts left out."""

    items: list[MapItem]
    wards: list[AreaCount]
    towns: list[AreaCount]
    since: datetime | None
    bound: int
    #: Post markers drawn (at most ``bound``).
    drawn: int
    #: Posts in the window that were not drawn because of the bound.
    beyond: int

    def counts_json(self) -> dict[str, Any]:
        return {"wards": [c.to_json() for c in self.wards], "towns": [c.to_json() for c in self.towns],
                "drawn": self.drawn, "beyond": self.beyond, "bound": self.bound,
                "since": self.since.isoformat() if self.since else None}


def _mapped_posts(scope: Scope) -> list[Any]:
    """Posts that can have a marker: analysed, not collapsed, not dismissed, with a ward or coordinates
    (read in the queue's index order: ``+ 0`` keeps SQLite off the duplicate_of index)."""
    return [mode_filter(Post, scope), (Post.duplicate_of + 0).is_(None), Post.urgency >= 0,
            Post.state != "dismissed", or_(Post.ward.is_not(None), Post.geo_lat.is_not(None))]


def _window_ids(session: Any, db: Database, scope: Scope, since: datetime | None, bound: int, *,
                beyond: bool = True) -> tuple[list[int], int]:
    """Ids of the ``bound`` most relevant posts of the window (unhandled first, then by urgency, newest
    first), and how many more the window holds (counted up to 100,000; 0 unless ``beyond``).

    A time window is read from ``ix_posts_map_window`` (migration 0021: the mapped posts by time, with
    every column this query reads), so it scans only the window's entries of one index and sorts the
    top ``bound`` — at 1,000,000 posts, 36,000 entries for 6 hours. Without a window (全期間) the queue's
    index gives the order directly.
    """
    if since is None:
        where = _mapped_posts(scope)
        order = (Post.urgency.desc(), Post.collected_at.desc(), Post.id.desc())
        ids = list(session.scalars(select(Post.id).where(*where, Post.state == "new").order_by(*order).limit(bound)))
        if len(ids) < bound:
            ids += session.scalars(select(Post.id).where(*where, Post.state != "new").order_by(*order)
                                   .limit(bound - len(ids)))
    else:
        where = _window_posts(scope, since)
        query = (select(Post.id).where(*where)
                 .order_by(case((Post.state == "new", 0), else_=1), Post.urgency.desc(), Post.collected_at.desc(),
                           Post.id.desc()).limit(bound))
        if db.engine.dialect.name == "sqlite":
            query = query.with_hint(Post, "INDEXED BY ix_posts_map_window", "sqlite")
        ids = list(session.scalars(query))
    more = 0
    if beyond and len(ids) >= bound:
        inner = select(Post.id).where(*where).limit(bound + 100_000)
        more = max(0, (session.scalar(select(func.count()).select_from(inner.subquery())) or 0) - len(ids))
    return ids, more


def _window_posts(scope: Scope, since: datetime) -> list[Any]:
    """The mapped posts received since ``since``, in the terms of ``ix_posts_map_window``'s predicate."""
    return [mode_filter(Post, scope), Post.collected_at >= since, Post.duplicate_of.is_(None),
            Post.urgency.is_not(None), Post.state != "dismissed",
            or_(Post.ward.is_not(None), Post.geo_lat.is_not(None))]


class _AnalysisCols(NamedTuple):
    """The analysis columns a post marker reads (see :func:`_post_item`)."""

    post_id: int
    labels: list[Any]
    lat: float | None
    lon: float | None
    place: str | None
    precision: str | None
    ward: str | None


#: Only what a post marker and the drawn counts read (not raw, not the analysis' confidence...).
_POST_COLS = (Post.id, Post.text, Post.author, Post.collected_at, Post.state, Post.urgency, Post.geo_lat,
              Post.geo_lon, Post.duplicate_of, Post.ward)
_ANALYSIS_COLS = tuple(getattr(Analysis, name).label(f"a_{name}") for name in _AnalysisCols._fields)


def _marker_rows(session: Any, ids: list[int]) -> list[tuple[Any, _AnalysisCols | None]]:
    """(post columns, analysis columns or None) of ``ids``, in the order of ``ids``."""
    rank = {pid: i for i, pid in enumerate(ids)}
    rows: list[tuple[Any, _AnalysisCols | None]] = []
    for start in range(0, len(ids), 900):
        for row in session.execute(
                select(*_POST_COLS, *_ANALYSIS_COLS).outerjoin(Analysis, Analysis.post_id == Post.id)
                .where(Post.id.in_(ids[start:start + 900]))):
            analysis = _AnalysisCols(*row[len(_POST_COLS):]) if row.a_post_id is not None else None
            rows.append((row, analysis))
    rows.sort(key=lambda r: rank[r[0].id])
    return rows


#: PostgreSQL: map_counts is folded (``dd_map_counts_compact``) when it holds this many more delta
#: rows than keys (the triggers append ~2 rows per analysed post: about a minute at 50 posts/s).
COMPACT_SLACK = 5_000


def _reads_map_counts(session: Any, db: Database) -> bool:
    """Whether this login's totals come from ``map_counts``: always on SQLite; on PostgreSQL not for a ward
    login, which sees only the posts shared with it (map_counts' policy shows it no row)."""
    if db.engine.dialect.name != "postgresql":
        return True
    return bool(session.scalar(text("SELECT dd_station_role(current_user::text) <> 'ward'")))


def _area_totals(session: Any, db: Database, scope: Scope) -> tuple[
        dict[str, int], dict[tuple[str, str], tuple[int, float, float]]]:
    """Mapped posts per ward, and per (ward, town) with the mean point: the trigger-kept ``map_counts``
    (migration 0021; a few thousand rows), else (a ward login) the GROUP BY over the posts shared with
    it — named here too, so the planner starts from the shares, not from every post row-level security
    would test (1,000,000 posts: 3.2 s → see bench/README)."""
    if not _reads_map_counts(session, db):
        shared = select(ShareEvent.item_id).where(ShareEvent.item_type == "post",
                                                  ShareEvent.target == func.dd_station_ward())
        return _ward_totals(session, scope, shared), _town_totals(session, scope, shared)
    rows = session.execute(
        select(MapCount.ward, MapCount.town, func.sum(MapCount.n), func.sum(MapCount.lat_sum),
               func.sum(MapCount.lon_sum), func.count())
        .where(mode_filter(MapCount, scope)).group_by(MapCount.ward, MapCount.town)).all()
    wards: dict[str, int] = {}
    towns: dict[tuple[str, str], tuple[int, float, float]] = {}
    deltas = 0
    for ward, town, n, lat_sum, lon_sum, k in rows:
        deltas += k
        n = int(n or 0)
        if n <= 0:
            continue
        if town:
            towns[(ward, town)] = (n, float(lat_sum) / n, float(lon_sum) / n)
        elif ward:
            wards[ward] = n
    if db.engine.dialect.name == "postgresql" and deltas > len(rows) + COMPACT_SLACK:
        compact_map_counts(session)
    return wards, towns


def compact_map_counts(session: Any) -> int:
    """PostgreSQL: fold map_counts' delta rows into one row per key (0 when another station is folding)."""
    return int(session.scalar(text("SELECT dd_map_counts_compact()")) or 0)


def _ward_totals(session: Any, scope: Scope, only: Any = None) -> dict[str, int]:
    """Mapped posts per ward counted over the posts (``only``: a select of the post ids to count)."""
    query = (select(Post.ward, func.count())
             .where(mode_filter(Post, scope), Post.duplicate_of.is_(None), Post.urgency.is_not(None),
                    Post.state != "dismissed", Post.ward.is_not(None)))
    if only is not None:
        query = query.where(Post.id.in_(only))
    rows = session.execute(query.group_by(Post.ward)).all()
    return {ward: int(n or 0) for ward, n in rows}


def _town_totals(session: Any, scope: Scope, only: Any = None) -> dict[tuple[str, str], tuple[int, float, float]]:
    """Mapped posts per (ward, town) with the mean point, counted over the analyses (``only`` as above)."""
    query = (select(Analysis.ward, Analysis.place, func.count(), func.avg(Analysis.lat), func.avg(Analysis.lon))
             .join(Post, Post.id == Analysis.post_id)
             .where(Analysis.precision.in_(TOWN_PRECISIONS), Analysis.place.is_not(None),
                    Analysis.lat.is_not(None), Analysis.lon.is_not(None), mode_filter(Post, scope),
                    Post.duplicate_of.is_(None), Post.state != "dismissed"))
    if only is not None:
        query = query.where(Post.id.in_(only), Analysis.post_id.in_(only))
    rows = session.execute(query.group_by(Analysis.ward, Analysis.place)).all()
    return {(ward or "", place): (int(n), float(lat), float(lon)) for ward, place, n, lat, lon in rows}


def map_picture(db: Database, scope: Scope = REAL_SCOPE, *, window: MapWindow | None = None,
                now: datetime | None = None, registry: bool = True, language: str = "ja",
                counts: bool = True) -> MapPicture:
    """The markers of ``window`` (and every report, shelter, muster and intensity marker), and per ward and
    town the number of posts not drawn — counted in SQL, never by loading the rows.

    ``now`` is the clock's time (the window ends there). ``counts=False`` leaves the badges out
    (they are the slow part on a large database; the window reads them afterwards).
    """
    window = window or MapWindow()
    since = window.since(now) if now is not None else None
    with db.session() as session:
        ids, beyond = _window_ids(session, db, scope, since, window.bound, beyond=counts)
        rows = _marker_rows(session, ids)
        shared = _shared_targets(session, scope, ids) if ids else {}
        wards, towns = _area_totals(session, db, scope) if counts else ({}, {})
    items = [item for post, analysis in rows if (item := _post_item(post, analysis, shared.get(post.id), language))]
    drawn_wards: dict[str, int] = {}
    drawn_towns: dict[tuple[str, str], int] = {}
    for post, analysis in rows:
        if post.ward:
            drawn_wards[post.ward] = drawn_wards.get(post.ward, 0) + 1
        if analysis is not None and analysis.precision in TOWN_PRECISIONS and analysis.place:
            town = (analysis.ward or "", analysis.place)
            drawn_towns[town] = drawn_towns.get(town, 0) + 1
    ward_counts = [AreaCount(ward, ward, *WARD_CENTROIDS[ward], n - drawn_wards.get(ward, 0))
                   for ward, n in sorted(wards.items()) if ward in WARD_CENTROIDS and n > drawn_wards.get(ward, 0)]
    town_counts = sorted((AreaCount(place, ward, lat, lon, n - drawn_towns.get((ward, place), 0))
                          for (ward, place), (n, lat, lon) in towns.items() if n > drawn_towns.get((ward, place), 0)),
                         key=lambda c: (-c.n, c.ward, c.name))[:TOWN_BADGES]
    others = map_items(db, scope, registry=registry, language=language, posts=False)
    return MapPicture(items + others, ward_counts, town_counts, since, window.bound, len(items), beyond)

