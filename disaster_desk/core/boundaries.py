"""Ward boundaries: read N03 administrative areas, simplify them without gaps, find a label point.

Input is 国土数値情報 行政区域 (N03) GeoJSON as published per city or ward
(properties ``N03_004`` ward name, ``N03_007`` code) or already in the area-pack
form (``ward``, ``code``). Output is the area pack's ``wards.geojson``: one
feature per ward with ``ward``, ``code`` and ``centroid`` (``[lat, lon]``, a point
inside the ward for its label), MultiPolygon geometry, coordinates rounded to
5 decimals (about 1 m).

Simplification is topological: every ring is cut into arcs at the vertices where
the set of wards sharing the vertex changes, each arc is simplified once
(Douglas–Peucker) and used by every ward it bounds, so neighbouring wards keep
one common edge and no slivers open between them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from disaster_desk.errors import UserError

Point = tuple[float, float]  # (lon, lat), as in GeoJSON
Ring = list[Point]

#: Default tolerance in degrees (~10 m at Osaka's latitude).
TOLERANCE = 0.0001


@dataclass
class Ward:
    name: str
    code: str
    polygons: list[list[Ring]]  # MultiPolygon: polygons of rings (first is the outer ring)


def read_wards(paths: Iterable[Path], city: str | None = None,
               outside: list[str] | None = None) -> tuple[list[Ward], list[str]]:
    """Wards from N03 GeoJSON files (FeatureCollections); returns ``(wards, problems)``.

    With ``city`` (``大阪市``), only features of that city are kept (``N03_003``, or
    ``city`` in the pack form); the names of the others go to ``outside``. A national
    or prefecture N03 file can so be read for one city's pack.
    """
    wards: dict[str, Ward] = {}
    problems: list[str] = []
    for path in paths:
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(f"{path.name}: not readable GeoJSON ({exc})")
            continue
        features = doc.get("features") if isinstance(doc, dict) else None
        if not isinstance(features, list):
            problems.append(f"{path.name}: not a GeoJSON FeatureCollection")
            continue
        for i, feature in enumerate(features):
            where = f"{path.name} feature {i}"
            props = (feature or {}).get("properties") or {}
            feature_city = props.get("N03_003", props.get("city"))
            if city and feature_city is not None and feature_city != city:
                if outside is not None:
                    outside.append(str(props.get("N03_004") or feature_city or f"feature {i}"))
                continue
            name = props.get("ward") or props.get("N03_004")
            code = str(props.get("code") or props.get("N03_007") or "")
            geom = (feature or {}).get("geometry") or {}
            if not name:
                problems.append(f"{where}: no ward name (property 'N03_004')")
                continue
            try:
                polygons = _polygons(geom)
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
                continue
            ward = wards.setdefault(name, Ward(name, code, []))
            ward.polygons.extend(polygons)
    return list(wards.values()), problems


def _polygons(geom: dict) -> list[list[Ring]]:
    kind, coords = geom.get("type"), geom.get("coordinates")
    if kind == "Polygon":
        coords = [coords]
    elif kind != "MultiPolygon":
        raise ValueError(f"geometry must be a Polygon or MultiPolygon, not {kind!r}")
    out = []
    for poly in coords or []:
        rings = []
        for ring in poly:
            pts = [(round(float(x), 7), round(float(y), 7)) for x, y, *_ in ring]
            if len(pts) < 4 or pts[0] != pts[-1]:
                raise ValueError("a ring is not closed or has fewer than 4 points")
            rings.append(pts[:-1])
        out.append(rings)
    return out


def simplify(wards: list[Ward], tolerance: float = TOLERANCE) -> list[Ward]:
    """The wards with every ring simplified along shared arcs (see the module docstring)."""
    owners: dict[Point, set[str]] = {}
    for ward in wards:
        for poly in ward.polygons:
            for ring in poly:
                for p in ring:
                    owners.setdefault(p, set()).add(ward.name)
    cache: dict[tuple[Point, ...], list[Point]] = {}

    def arc(points: list[Point]) -> list[Point]:
        key = tuple(points)
        rev = tuple(reversed(points))
        if key in cache:
            return cache[key]
        if rev in cache:
            return list(reversed(cache[rev]))
        cache[key] = _douglas_peucker(points, tolerance)
        return cache[key]

    out = []
    for ward in wards:
        polys = []
        for poly in ward.polygons:
            rings = [r for r in (_simplify_ring(ring, owners, arc) for ring in poly) if len(r) >= 3]
            if rings:
                polys.append(rings)
        out.append(Ward(ward.name, ward.code, polys))
    return out


def _simplify_ring(ring: Ring, owners: dict[Point, set[str]], arc) -> Ring:
    n = len(ring)
    cuts = [i for i in range(n)
            if owners[ring[i]] != owners[ring[i - 1]] or owners[ring[i]] != owners[ring[(i + 1) % n]]
            or len(owners[ring[i]]) > 2]
    if not cuts:  # a ring nobody shares (an island): keep its first and middle point fixed
        cuts = [0, n // 2]
    out: Ring = []
    for a, b in zip(cuts, cuts[1:] + [cuts[0] + n], strict=True):
        piece = [ring[i % n] for i in range(a, b + 1)]
        out.extend(arc(piece)[:-1])
    return out


def _douglas_peucker(points: list[Point], tol: float) -> list[Point]:
    if len(points) <= 2:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        best, index = 0.0, -1
        for i in range(a + 1, b):
            d = _segment_distance(points[i], points[a], points[b])
            if d > best:
                best, index = d, i
        if best > tol:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    scale = math.cos(math.radians(a[1]))  # lon degrees are shorter: measure in lat-degree units
    px, ax, bx = p[0] * scale, a[0] * scale, b[0] * scale
    dx, dy = bx - ax, b[1] - a[1]
    if dx == dy == 0:
        return math.hypot(px - ax, p[1] - a[1])
    t = max(0.0, min(1.0, ((px - ax) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, p[1] - a[1] - t * dy)


def ring_area(ring: Ring) -> float:
    """Signed area in square degrees (positive: counter-clockwise)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


def contains(polygons: list[list[Ring]], lat: float, lon: float) -> bool:
    """Even-odd point-in-polygon test over all rings of a MultiPolygon."""
    inside = False
    for poly in polygons:
        for ring in poly:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
    return inside


def label_point(ward: Ward) -> tuple[float, float]:
    """``(lat, lon)`` inside the ward's largest part: its centroid, or the inner point farthest from the edge."""
    outer = max((poly[0] for poly in ward.polygons), key=lambda r: abs(ring_area(r)))
    a = ring_area(outer)
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(outer, outer[1:] + outer[:1], strict=True))
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(outer, outer[1:] + outer[:1], strict=True))
    lon, lat = cx / (6 * a), cy / (6 * a)
    if contains([[outer]], lat, lon) and _edge_distance(outer, lat, lon) > 0.002:
        return round(lat, 5), round(lon, 5)
    xs, ys = [p[0] for p in outer], [p[1] for p in outer]
    best, point = -1.0, (lat, lon)
    steps = 40
    for i in range(1, steps):
        for j in range(1, steps):
            x = min(xs) + (max(xs) - min(xs)) * i / steps
            y = min(ys) + (max(ys) - min(ys)) * j / steps
            if contains([[outer]], y, x):
                d = _edge_distance(outer, y, x)
                if d > best:
                    best, point = d, (y, x)
    return round(point[0], 5), round(point[1], 5)


def _edge_distance(ring: Ring, lat: float, lon: float) -> float:
    return min(_segment_distance((lon, lat), a, b) for a, b in zip(ring, ring[1:] + ring[:1], strict=True))


def to_geojson(wards: list[Ward]) -> dict:
    """The area pack's ``wards.geojson`` document (outer rings counter-clockwise, RFC 7946)."""
    features = []
    for ward in sorted(wards, key=lambda w: w.code or w.name):
        polys = []
        for poly in ward.polygons:
            rings = []
            for k, ring in enumerate(poly):
                ccw = ring_area(ring) > 0
                r = ring if ccw == (k == 0) else list(reversed(ring))
                pts = [[round(x, 5), round(y, 5)] for x, y in r]
                rings.append(pts + [pts[0]])
            polys.append(rings)
        lat, lon = label_point(ward)
        features.append({
            "type": "Feature",
            "properties": {"ward": ward.name, "code": ward.code, "centroid": [lat, lon]},
            "geometry": {"type": "MultiPolygon", "coordinates": polys},
        })
    return {"type": "FeatureCollection", "features": features}


def write_wards(paths: Iterable[Path], out: Path, tolerance: float = TOLERANCE, city: str | None = None,
                outside: list[str] | None = None) -> tuple[int, list[str]]:
    """Read, simplify and write ``wards.geojson``; returns ``(wards written, problems)``.

    Nothing is written when no ward is found (the previous file stays).
    """
    wards, problems = read_wards(paths, city, outside)
    if not wards:
        where = f" of {city}" if city else ""
        raise UserError(f"no ward boundaries{where} found" + (f": {problems[0]}" if problems else ""))
    doc = to_geojson(simplify(wards, tolerance))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return len(doc["features"]), problems
