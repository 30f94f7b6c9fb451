"""気象庁 防災情報XML: polling the Atom feeds (feedparser) and parsing each new report.

The feed is fetched with the checkpoint's ETag / Last-Modified, so an
unchanged feed costs one 304. Entries are chosen by the type code in the
report's file name (…_VXSE53_….xml); 気象警報・注意報 entries only from the
configured offices (大阪管区気象台), so the other prefectures' reports are
never downloaded. Reports already stored, or already seen and found
irrelevant, are not fetched again (checkpoint ``seen``, the last 2,000 ids).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from typing import Any

import feedparser
import requests

from collectors.base import Collector, RunContext
from collectors.errors import PermanentError, TransientError
from collectors.http import DEFAULT_TIMEOUT_S, TimeoutSession
from collectors.jma_xml import OSAKA, JmaArea, JmaParseError, parse_report
from disaster_desk.core.retry import Backoff, call_with_retry

log = logging.getLogger(__name__)

WANTED_CODES = frozenset({"VXSE51", "VXSE52", "VXSE53", "VTSE41", "VPWW53", "VPWW54"})
WARNING_CODES = frozenset({"VPWW53", "VPWW54"})
TITLE_CODES = {
    "震度速報": "VXSE51",
    "震源に関する情報": "VXSE52",
    "震源・震度に関する情報": "VXSE53",
    "津波警報・注意報・予報a": "VTSE41",
    "気象特別警報・警報・注意報": "VPWW53",
    "気象警報・注意報（Ｈ２７）": "VPWW54",
}
SEEN_MAX = 2000
_CODE = re.compile(r"_(V[A-Z]{3}\d{2})_")


def entry_code(entry: Any) -> str | None:
    m = _CODE.search(entry.get("link") or entry.get("id") or "")
    return m.group(1) if m else TITLE_CODES.get((entry.get("title") or "").strip())


class JmaCollector(Collector):
    def __init__(
        self,
        feeds: Sequence[str],
        *,
        name: str = "jma",
        interval_s: float = 60.0,
        area: JmaArea = OSAKA,
        offices: Sequence[str] = ("大阪管区気象台",),
        session: requests.Session | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        backoff: Backoff | None = None,
    ) -> None:
        self.name = name
        self.feeds = list(feeds)
        self.interval_s = interval_s
        self.area = area
        self.offices = set(offices)
        self.session = session or TimeoutSession(timeout_s)
        self.backoff = backoff or Backoff()

    def run(self, ctx: RunContext) -> None:
        for feed in self.feeds:
            if ctx.stopped:
                return
            self._run_feed(ctx, feed)

    def checkpoint_key(self, feed: str) -> str:
        return f"{self.name}:" + hashlib.sha1(feed.encode()).hexdigest()[:16]

    def _run_feed(self, ctx: RunContext, feed: str) -> None:
        key = self.checkpoint_key(feed)
        cursor = ctx.checkpoint(key) or {}
        headers = {}
        if cursor.get("etag"):
            headers["If-None-Match"] = cursor["etag"]
        if cursor.get("modified"):
            headers["If-Modified-Since"] = cursor["modified"]
        response = self._get(ctx, feed, headers)
        if response.status_code == 304:
            return
        parsed = feedparser.parse(response.content)
        if parsed.bozo and not parsed.entries:
            raise TransientError(f"JMA feed {feed} is not a readable Atom feed: {parsed.get('bozo_exception')}")
        entries = [e for e in parsed.entries if self._wanted(e)]
        urls = [e.get("link") or e.get("id") for e in entries]
        seen = list(cursor.get("seen") or [])
        skip = set(seen) | ctx.pipeline.alert_service.known([u for u in urls if u])
        alerts = []
        for url in urls:
            if not url or url in skip or ctx.stopped:
                continue
            try:
                alert = parse_report(self._get(ctx, url, {}).content, url, self.area)
            except (JmaParseError, PermanentError) as exc:
                log.error("JMA report skipped: %s", exc)
                alert = None
            if alert is None:
                seen.append(url)
            else:
                alerts.append(alert)
        new_cursor = {
            "etag": response.headers.get("ETag"),
            "modified": response.headers.get("Last-Modified"),
            "seen": seen[-SEEN_MAX:],
        }
        if ctx.stopped and any(u not in skip for u in urls if u):
            new_cursor.pop("etag")  # not every entry handled: fetch the whole feed next time
            new_cursor.pop("modified")
        ctx.store_alerts(alerts, checkpoint=(key, new_cursor))

    def _wanted(self, entry: Any) -> bool:
        code = entry_code(entry)
        if code not in WANTED_CODES:
            return False
        if code in WARNING_CODES:
            author = (entry.get("author") or "").strip()
            return author in self.offices
        return True

    def _get(self, ctx: RunContext, url: str, headers: dict[str, str]) -> requests.Response:
        def attempt() -> requests.Response:
            try:
                response = self.session.get(url, headers=headers)
            except (requests.Timeout, requests.ConnectionError) as exc:
                raise TransientError(f"JMA {url}: {type(exc).__name__}") from exc
            except requests.RequestException as exc:
                raise TransientError(f"JMA {url}: {exc}") from exc
            if response.status_code >= 500 or response.status_code == 429:
                raise TransientError(f"JMA {url}: HTTP {response.status_code}")
            if response.status_code >= 400:
                raise PermanentError(f"JMA {url}: HTTP {response.status_code}")
            return response

        return call_with_retry(attempt, backoff=self.backoff, sleep=ctx.sleep, retry_on=TransientError, what=f"JMA {url}")
