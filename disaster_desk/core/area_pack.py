"""The area pack: what the desk knows about its city out of the box.

``resources/areas/<area>/manifest.json`` lists each file of the pack (wards and
their boundaries, towns, GSI shelters and evacuation sites, the sea for the base
map, stations and landmarks) with its source, licence, version and the
attribution to show. Nothing needs importing on a fresh install: the gazetteer
reads the towns and shelters from here, a new database is seeded with the
designated shelters, the map draws the wards and the sea. Imports into the
user's gazetteer dir add to the pack.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import resources
from disaster_desk.errors import UserError

DEFAULT_AREA = "osaka-city"
#: Where an imported boundary file goes in the user's gazetteer dir (it replaces the pack's).
USER_WARDS_FILE = "wards.geojson"


@dataclass(frozen=True)
class PackFile:
    role: str
    path: Path
    what: str
    source: str
    licence: str
    version: str
    attribution: str


@dataclass(frozen=True)
class AreaPack:
    area: str
    name: str
    version: str
    root: Path
    files: dict[str, PackFile]
    center: tuple[float, float]

    def path(self, role: str) -> Path:
        """The file of a role (``wards``, ``towns``, ``shelters``, ``evacuation_sites``, ``sea``…)."""
        if role not in self.files:
            raise UserError(f"area pack {self.area}: no {role!r} file in manifest.json")
        return self.files[role].path

    def attributions(self, roles: tuple[str, ...] | None = None) -> list[str]:
        """Distinct attribution lines of the files (all, or those of ``roles``), in manifest order."""
        out: list[str] = []
        for role, f in self.files.items():
            if (roles is None or role in roles) and f.attribution and f.attribution not in out:
                out.append(f.attribution)
        return out

    def wards_geojson(self, user_dir: Path | None = None) -> dict[str, Any]:
        """The ward boundaries: the user's imported ``wards.geojson`` when there is one, else the pack's."""
        path = self.path("wards")
        if user_dir is not None and (Path(user_dir) / USER_WARDS_FILE).is_file():
            path = Path(user_dir) / USER_WARDS_FILE
        return json.loads(path.read_text(encoding="utf-8"))

    def ward_centroids(self) -> dict[str, tuple[float, float]]:
        """``{ward: (lat, lon)}`` label points inside each ward."""
        return {f["properties"]["ward"]: tuple(f["properties"]["centroid"])
                for f in self.wards_geojson()["features"]}


def pack_dir(area: str = DEFAULT_AREA) -> Path:
    return resources.path("areas", area)


@lru_cache(maxsize=4)
def load_pack(area: str = DEFAULT_AREA) -> AreaPack:
    """The area pack named ``area`` (a folder of ``resources/areas``), checked against its manifest."""
    root = pack_dir(area)
    manifest = root / "manifest.json"
    if not manifest.is_file():
        raise UserError(f"no area pack {area!r} (expected {manifest})")
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    files = {}
    for role, entry in doc["files"].items():
        path = (root / entry["path"]).resolve()
        if not path.is_file():
            raise UserError(f"area pack {area}: {entry['path']} ({role}) is missing")
        files[role] = PackFile(role, path, entry.get("what", ""), entry["source"], entry["licence"],
                               entry["version"], entry.get("attribution", ""))
    return AreaPack(doc["area"], doc["name"], doc["version"], root, files, tuple(doc["center"]))


#: The pack files whose data ends up in exports: ward names and boundaries, town and station
#: positions (the geoparser's places), and the designated shelters (positions, addresses).
EXPORT_ROLES = ("wards", "towns", "stations", "shelters", "evacuation_sites")


def export_attributions(area: str = DEFAULT_AREA) -> list[str]:
    """The attribution lines every export that uses the area data carries (from the manifest)."""
    return load_pack(area).attributions(EXPORT_ROLES)


def shelter_notice(area: str = DEFAULT_AREA) -> str:
    """GSI's ご利用上の注意 (points 1-3: may be out of date, 避難場所 ≠ 避難所, updated at any time),
    which must go with information derived from the shelter data; "" when the pack has no notice."""
    pack = load_pack(area)
    if "gsi_notice" not in pack.files:
        return ""
    text = pack.path("gsi_notice").read_text(encoding="utf-8")
    points: list[str] = []
    for line in text.split("【ご利用上の注意】", 1)[-1].splitlines():
        if line.strip().startswith("4."):  # "pass 1-3 on": what this is
            break
        if line.strip():
            points.append(line.strip())
    return "国土地理院 指定緊急避難場所・指定避難所データ ご利用上の注意: " + " ".join(points) if points else ""
