"""Accesses per bulletin from a web server's Common / Combined Log Format file.

The drill KPI 訓練時の発信情報へのアクセス数: how often each published
bulletin page (``…/b/<id>.html``) was fetched successfully (2xx or 304), and
by how many distinct clients; feed and JSON fetches are counted apart. A line
that is not CLF is reported with its number and skipped.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

CLF = re.compile(
    r'^(?P<host>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<request>[^"]*)" (?P<status>\d{3}) (?P<size>\d+|-)'
    r'(?: "(?P<referer>[^"]*)" "(?P<agent>[^"]*)")?\s*$'
)
PAGE = re.compile(r"(?:^|/)b/(?P<id>[A-Za-z0-9._-]+)\.html$")


@dataclass
class AccessStats:
    lines: int = 0
    counted: int = 0
    bulletins: dict[str, int] = field(default_factory=dict)
    visitors: dict[str, int] = field(default_factory=dict)
    feed: int = 0
    json: int = 0
    index: int = 0
    malformed: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "bulletins": {b: {"hits": n, "visitors": self.visitors[b]} for b, n in sorted(self.bulletins.items())},
            "feed": self.feed, "json": self.json, "index": self.index,
            "lines": self.lines, "counted": self.counted, "malformed": len(self.malformed),
        }


def parse_access_log(path: str | Path) -> AccessStats:
    stats = AccessStats()
    hosts: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    try:
        handle = Path(path).open(encoding="utf-8", errors="replace")
    except OSError as exc:
        from disaster_desk.errors import UserError

        raise UserError(f"cannot read access log {path}: {exc.strerror}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            stats.lines += 1
            match = CLF.match(line.rstrip("\n"))
            parts = match["request"].split() if match else []
            if match is None or len(parts) not in (2, 3):
                stats.malformed.append((number, "not Common/Combined Log Format"))
                continue
            method, target = parts[0], parts[1]
            status = int(match["status"])
            if method not in ("GET", "HEAD") or not (200 <= status < 300 or status == 304):
                continue
            page = unquote(urlsplit(target).path)
            found = PAGE.search(page)
            if found:
                counts[found["id"]] += 1
                hosts[found["id"]].add(match["host"])
            elif page.endswith("/feed.atom") or page == "feed.atom":
                stats.feed += 1
            elif page.endswith("/bulletins.json"):
                stats.json += 1
            elif page.endswith("/index.html") or page.endswith("/"):
                stats.index += 1
            else:
                continue
            stats.counted += 1
    stats.bulletins = dict(counts)
    stats.visitors = {b: len(h) for b, h in hosts.items()}
    return stats
