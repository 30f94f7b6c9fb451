"""Settings, declared once with types and defaults (ARCHITECTURE rule 9).

Loaded from ``settings.yaml`` in the user config dir (platformdirs) or from
``--config FILE``. The database URL is, in this order: ``--db URL``,
``DD_DATABASE_URL``, the station's URL in the OS keyring (``admin store-url``),
``db_url`` of the file, the SQLite file in the user data dir. Secrets (API
tokens, database passwords) are never stored here: a ``db_url`` with a
password in the file is refused (see :mod:`disaster_desk.core.secrets`).
``database.sslmode`` / ``database.sslrootcert`` are passed to libpq (psycopg)
for a PostgreSQL URL that does not set them itself.
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
    #: The base map shown first (the others stay in the map's layer control):
    #: ``area`` the area pack's vector map (sea, land, ward boundaries; offline, the default);
    #: ``local`` the XYZ tile folder or ``.mbtiles`` file of ``local_tiles`` (offline);
    #: ``gsi`` 地理院地図 / ``osm`` OpenStreetMap tiles (need a network).
    #: ``none`` is the older name of ``area``.
    base_layer: Literal["area", "local", "gsi", "osm", "none"] = "area"
    #: A folder of XYZ tiles (``{z}/{x}/{y}.png``, ``.jpg`` or ``.webp``) or an ``.mbtiles`` file.
    local_tiles: str | None = None
    #: The older name of ``local_tiles`` (still read).
    tile_dir: str | None = None
    center: tuple[float, float] = (34.6937, 135.5023)
    zoom: int = 12
    #: Posts drawn as markers: those of the last ``window_hours`` (0: all), at most
    #: ``marker_bound`` of them (rescue and unhandled first); the rest are counted per ward and town.
    window_hours: int = 6
    marker_bound: int = 2000

    @property
    def tiles_path(self) -> str | None:
        """The local tiles (``local_tiles``, or the older ``tile_dir``)."""
        return self.local_tiles or self.tile_dir

    @property
    def base(self) -> str:
        """``base_layer`` with the older ``none`` read as ``area``."""
        return "area" if self.base_layer == "none" else self.base_layer


class DatabaseSettings(_Section):
    #: libpq ``sslmode`` for PostgreSQL (a ``hostssl`` server wants ``verify-full``); None: libpq's default.
    sslmode: Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] | None = None
    #: The CA certificate that signed the server's certificate (``verify-ca`` / ``verify-full``).
    sslrootcert: str | None = None
    #: Connect, statement and lock timeout on PostgreSQL, seconds (a frozen server counts as down).
    timeout_s: float = Field(default=10.0, gt=0)


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
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
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
    if "db_url" in data and _has_password(str(data["db_url"])):
        raise UserError(
            f"{file}: field 'db_url': a database password must not be written in a settings file; "
            "store the station's URL in the keyring (disaster-desk admin store-url URL) or set DD_DATABASE_URL"
        )
    from disaster_desk.core.secrets import DATABASE_URL_SECRET, get_secret

    override = db_url or get_secret(DATABASE_URL_SECRET)
    if override:
        settings = settings.model_copy(update={"db_url": override})
    return settings.model_copy(update={"db_url": with_ssl(settings.db_url, settings.database, file)})


def _has_password(url: str) -> bool:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    return bool(parsed.password) or "password" in parsed.query


def with_ssl(url: str, database: DatabaseSettings, file: Path | None = None) -> str:
    """``url`` with ``sslmode``/``sslrootcert`` from settings added (PostgreSQL; the URL's own win)."""
    if not (database.sslmode or database.sslrootcert) or not url.startswith(("postgresql", "postgres:")):
        return url
    from sqlalchemy.engine import make_url

    if database.sslrootcert and not Path(database.sslrootcert).expanduser().is_file():
        raise UserError(f"{file or 'settings'}: field 'database.sslrootcert': no such file: {database.sslrootcert}")
    parsed = make_url(url)
    query = {"sslmode": database.sslmode,
             "sslrootcert": str(Path(database.sslrootcert).expanduser()) if database.sslrootcert else None}
    query = {k: v for k, v in query.items() if v and k not in parsed.query}
    return parsed.update_query_dict(query).render_as_string(hide_password=False) if query else url


def save_settings(settings: Settings, path: str | Path | None = None) -> Path:
    file = Path(path) if path else settings_path()
    if _has_password(settings.db_url):
        raise UserError(f"{file}: not writing a database password into a settings file (keyring: admin store-url)")
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(yaml.safe_dump(settings.model_dump(mode="json"), allow_unicode=True), encoding="utf-8")
    return file
