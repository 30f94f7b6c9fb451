"""Settings, declared once with types and defaults (ARCHITECTURE rule 9).

Loaded from ``settings.yaml`` in the user config dir (platformdirs) or from
``--config FILE``; ``--db URL`` and ``DD_DATABASE_URL`` override the database.
Secrets (API tokens) are never stored here: see :mod:`disaster_desk.core.secrets`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import platformdirs
import yaml
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from disaster_desk.errors import UserError

APP_NAME = "disaster-desk"
SCHEMA_VERSION = 1


def config_dir() -> Path:
    return Path(os.environ.get("DD_CONFIG_DIR") or platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    return Path(os.environ.get("DD_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """Rebuildable files (the NLP model fitted from the corpus); safe to delete."""
    return Path(os.environ.get("DD_CACHE_DIR") or platformdirs.user_cache_dir(APP_NAME))


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'disaster-desk.sqlite'}"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class XSettings(_Section):
    enabled: bool = False
    keywords: list[str] = Field(default_factory=lambda: ["地震", "火事", "救助", "避難", "浸水", "停電", "断水"])
    interval_s: int = 60
    use_stream: bool = False


class MastodonSettings(_Section):
    enabled: bool = False
    instance: str = "https://mastodon.social"
    hashtags: list[str] = Field(default_factory=lambda: ["大阪地震", "大阪"])
    interval_s: int = 60


class JmaSettings(_Section):
    enabled: bool = False
    feeds: list[str] = Field(
        default_factory=lambda: [
            "https://www.data.jma.go.jp/developer/xml/feed/eqvol.xml",
            "https://www.data.jma.go.jp/developer/xml/feed/extra.xml",
        ]
    )
    interval_s: int = 60


class CollectorSettings(_Section):
    x: XSettings = Field(default_factory=XSettings)
    mastodon: MastodonSettings = Field(default_factory=MastodonSettings)
    jma: JmaSettings = Field(default_factory=JmaSettings)


class MapSettings(_Section):
    #: ``none`` draws ward outlines/labels only; ``gsi``/``osm`` need internet;
    #: ``local`` reads tiles from ``tile_dir``.
    base_layer: Literal["none", "gsi", "osm", "local"] = "none"
    tile_dir: str | None = None
    center: tuple[float, float] = (34.6937, 135.5023)
    zoom: int = 12
    #: Posts drawn as markers: those of the last ``window_hours`` (0: all), at most
    #: ``marker_bound`` of them (rescue and unhandled first); the rest are counted per ward and town.
    window_hours: int = 6
    marker_bound: int = 2000


class UiSettings(_Section):
    language: Literal["ja", "en"] = "ja"
    font_scale: float = 1.0
    rescue_sound: bool = False


class Settings(_Section):
    schema_version: int = SCHEMA_VERSION
    db_url: str = Field(default_factory=default_db_url)
    area: str = "osaka-city"
    role: Literal["hq", "ward", "drill"] = "hq"
    #: The ward a ward station reports for (role ``ward``).
    station_ward: str | None = None
    actor: str = Field(default_factory=lambda: os.environ.get("USER", "operator"))
    gazetteer_dir: str | None = None
    collectors: CollectorSettings = Field(default_factory=CollectorSettings)
    map: MapSettings = Field(default_factory=MapSettings)
    ui: UiSettings = Field(default_factory=UiSettings)


def settings_path() -> Path:
    return config_dir() / "settings.yaml"


def load_settings(path: str | Path | None = None, *, db_url: str | None = None) -> Settings:
    """Read settings; a missing default file gives the defaults."""
    file = Path(path) if path else settings_path()
    data: dict = {}
    if file.exists():
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise UserError(f"{file}: not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise UserError(f"{file}: expected a mapping at the top level")
    elif path:
        raise UserError(f"settings file not found: {file}")
    try:
        settings = Settings.model_validate(data)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise UserError(f"{file}: field '{field}': {first['msg']}") from None
    override = db_url or os.environ.get("DD_DATABASE_URL")
    if override:
        settings = settings.model_copy(update={"db_url": override})
    return settings


def save_settings(settings: Settings, path: str | Path | None = None) -> Path:
    file = Path(path) if path else settings_path()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(yaml.safe_dump(settings.model_dump(mode="json"), allow_unicode=True), encoding="utf-8")
    return file
