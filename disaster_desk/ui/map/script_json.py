"""Marker JSON for the map page, made where the markers are read (the worker pool), not on the GUI thread.

Pure Python (no Qt): a picture of 2,872 markers took 90 ms of ``to_json`` + ``json.dumps`` on the GUI
thread (bench live, 1,000,000 posts); the view now joins strings made on the pool.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from disaster_desk.core.map_items import MapItem


def script_json(data: Any) -> str:
    """JSON inside a script: "</script>" and U+2028/2029 cannot break out of it."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def item_json(item: MapItem) -> str:
    """One marker's JSON (script-safe: the escapes are per character, so joined items stay safe)."""
    return script_json(item.to_json())


def prepared(items: Iterable[MapItem | None]) -> dict[str, str]:
    """``{key: item_json}`` of ``items`` (None skipped): what a read on the pool hands to the view."""
    return {item.key: item_json(item) for item in items if item is not None}


def items_json(items: Iterable[MapItem], ready: Mapping[str, str] | None = None) -> str:
    """The JSON array of ``items``, from ``ready`` strings where there is one."""
    ready = ready or {}
    return "[" + ",".join(ready.get(i.key) or item_json(i) for i in items) + "]"
