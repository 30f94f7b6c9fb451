"""The one key that names an item everywhere: queue rows, map markers, shares, bulletins, changes.

An :class:`ItemKey` is a type (``post``, ``report``, ``alert``, ``incident``)
and a row id. Its text form ``"post:12"`` is what crosses boundaries (the map
page, the change payloads, CSV/GeoJSON ids, bulletin item lists); build it with
``str(key)`` and read it back with :meth:`ItemKey.parse`, never by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from disaster_desk.errors import ValidationError

POST = "post"
REPORT = "report"
ALERT = "alert"
INCIDENT = "incident"
ITEM_TYPES = (POST, REPORT, ALERT, INCIDENT)


@dataclass(frozen=True, order=True)
class ItemKey:
    """``ItemKey("post", 12)``; ``str()`` gives ``"post:12"``."""

    type: str
    id: int

    def __post_init__(self) -> None:
        if self.type not in ITEM_TYPES:
            raise ValidationError(f"unknown item type {self.type!r} ({', '.join(ITEM_TYPES)})", field="item_type")
        if isinstance(self.id, bool) or not isinstance(self.id, int) or self.id < 0:
            raise ValidationError(f"an item id is a non-negative integer, not {self.id!r}", field="item_id")

    def __str__(self) -> str:
        return f"{self.type}:{self.id}"

    @classmethod
    def post(cls, item_id: int) -> ItemKey:
        return cls(POST, item_id)

    @classmethod
    def report(cls, item_id: int) -> ItemKey:
        return cls(REPORT, item_id)

    @classmethod
    def alert(cls, item_id: int) -> ItemKey:
        return cls(ALERT, item_id)

    @classmethod
    def incident(cls, item_id: int) -> ItemKey:
        return cls(INCIDENT, item_id)

    @classmethod
    def of(cls, row: Any) -> ItemKey:
        """The key of anything with ``item_type``/``item_id`` (queue rows, share events, export records)."""
        return cls(row.item_type, row.item_id)

    @classmethod
    def parse(cls, text: str, *, types: tuple[str, ...] = ITEM_TYPES, field: str = "key") -> ItemKey:
        """``"post:12"`` → ``ItemKey("post", 12)``; a ValidationError naming ``field`` otherwise."""
        kind, sep, number = str(text).partition(":")
        if not sep or kind not in types or not number.isascii() or not number.isdigit():
            wanted = " or ".join(f"{t}:ID" for t in types)
            raise ValidationError(f"not an item key {text!r} ({wanted})", field=field)
        return cls(kind, int(number))

    @classmethod
    def try_parse(cls, text: str) -> ItemKey | None:
        """The key, or None for text that is not an item key (e.g. a map marker ``muster:北区``)."""
        try:
            return cls.parse(text)
        except ValidationError:
            return None
