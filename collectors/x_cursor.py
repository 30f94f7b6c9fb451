"""Where an X search query got to: the newest tweet stored, and the gaps still to backfill.

Every cycle first asks for what is newer than ``since_id`` (the newest tweet
stored), so a deep backlog never delays the newest posts. When that first page
says there is more (a ``next_token``), the tweets between the old ``since_id``
and the oldest tweet of the page are a :class:`Gap`; gaps are filled newest
first, one page at a time, with ``since_id``/``until_id`` (no pagination token
kept across cycles: tokens expire, ids do not). A page moves its gap's
``until_id`` down to the page's oldest tweet; the last page of a gap closes it.

The cursor is saved with each stored page (a checkpoint), so a restart goes on
where the last page ended and nothing between two cursors is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: More gaps than this (a flood lasting longer than the page budget can follow) are merged,
#: the two oldest into one: some stored tweets are asked for again, none is skipped.
MAX_GAPS = 20


@dataclass
class Gap:
    """Tweets with ``since_id`` < id < ``until_id`` not fetched yet; ``since_id`` None: down to the search window."""

    since_id: str | None
    until_id: str

    def to_json(self) -> dict[str, Any]:
        return {"since_id": self.since_id, "until_id": self.until_id}


@dataclass
class XCursor:
    since_id: str | None = None
    #: Newest first.
    gaps: list[Gap] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> XCursor:
        """Read a saved checkpoint, including the older form (``next_token`` + ``newest_id``)."""
        data = data or {}
        gaps = []
        for g in data.get("gaps") or []:
            if isinstance(g, dict) and _is_id(g.get("until_id")):
                gaps.append(Gap(str(g["since_id"]) if _is_id(g.get("since_id")) else None, str(g["until_id"])))
        since = str(data["since_id"]) if _is_id(data.get("since_id")) else None
        newest = data.get("newest_id")
        if data.get("next_token") and _is_id(newest):
            # The older collector was paging down from newest_id to since_id: that range is the gap.
            gaps.insert(0, Gap(since, str(newest)))
            since = max_id(since, newest)
        return cls(since, gaps)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"since_id": self.since_id}
        if self.gaps:
            out["gaps"] = [g.to_json() for g in self.gaps]
        return out

    def after_head(self, newest: str | None, oldest: str | None, more: bool) -> None:
        """The first page of a cycle (tweets newer than ``since_id``) was stored."""
        old_since = self.since_id
        self.since_id = max_id(self.since_id, newest)
        if more and oldest is not None:
            self.gaps.insert(0, Gap(old_since, oldest))
            self._merge()

    def after_gap_page(self, gap: Gap, oldest: str | None, more: bool) -> bool:
        """A page of ``gap`` was stored; False when the page made no progress (the gap is given up)."""
        if not more:
            self.gaps.remove(gap)
            return True
        if oldest is None or int(oldest) >= int(gap.until_id):
            self.gaps.remove(gap)
            return False
        gap.until_id = oldest
        return True

    def _merge(self) -> None:
        while len(self.gaps) > MAX_GAPS:
            older, oldest = self.gaps[-2], self.gaps[-1]
            self.gaps[-2:] = [Gap(oldest.since_id, older.until_id)]


def _is_id(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).isdigit()


def max_id(a: str | None, b: Any) -> str | None:
    """The larger of two tweet ids (decimal strings; compared as integers)."""
    if not _is_id(b):
        return a
    if a is None or int(b) > int(a):
        return str(b)
    return a


def min_id(a: str | None, b: Any) -> str | None:
    if not _is_id(b):
        return a
    if a is None or int(b) < int(a):
        return str(b)
    return a
