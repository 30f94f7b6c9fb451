"""Mastodon hashtag and public timelines through Mastodon.py, paged forward from the checkpoint.

Each timeline (``tag:<name>`` or ``public``) keeps its own ``since_id``. The
request uses ``min_id=since_id``: Mastodon then returns the page *right
after* the checkpoint (``since_id`` would return the newest page and leave a
gap when more than one page arrived), and the run pages forward until a short
page. The first run of a timeline starts from the newest page.

Boosts keep the booster's status (empty content is replaced by the boosted
text), are marked ``raw["reblog_of"]`` and collapsed onto the original, which
is stored too. HTML content is reduced to text here; it is escaped again
wherever it is shown.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlparse

import lxml.html
from mastodon import Mastodon
from mastodon.errors import (
    MastodonAPIError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from collectors.base import Collector, RunContext
from collectors.errors import PermanentError, RateLimited, TransientError
from collectors.http import DEFAULT_TIMEOUT_S, TimeoutSession
from disaster_desk.core.ingest import RawPost
from disaster_desk.core.retry import Backoff, call_with_retry
from disaster_desk.core.secrets import get_secret

log = logging.getLogger(__name__)

PAGE = 40


def html_to_text(content: str) -> str:
    """Mastodon's HTML content as plain text (paragraphs and <br> become newlines)."""
    if not content or not content.strip():
        return ""
    root = lxml.html.fragment_fromstring(content, create_parent="div")
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for p in root.iter("p"):
        p.tail = "\n\n" + (p.tail or "")
    return root.text_content().strip()


def json_safe(value: Any) -> Any:
    """Mastodon.py's objects (dict subclasses holding datetimes) as plain JSON values."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _parse_when(value: str | None) -> datetime | None:
    """An HTTP date, an ISO 8601 time or epoch seconds, as an aware datetime."""
    if not value:
        return None
    value = value.strip()
    try:
        if value.isdigit():
            return datetime.fromtimestamp(int(value), timezone.utc)
        if value[:4].isdigit():
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsedate_to_datetime(value)
    except (ValueError, TypeError):
        return None


class MastodonCollector(Collector):
    def __init__(
        self,
        instance: str,
        hashtags: Sequence[str],
        *,
        name: str = "mastodon",
        public: bool = False,
        interval_s: float = 60.0,
        access_token: str | None = None,
        max_pages: int = 10,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        backoff: Backoff | None = None,
        api_factory: Callable[[], Mastodon] | None = None,
    ) -> None:
        self.name = name
        self.instance = instance.rstrip("/")
        self.host = urlparse(self.instance).netloc or self.instance
        self.timelines = [("tag", h.lstrip("#")) for h in hashtags if h.strip("# ")]
        if public:
            self.timelines.append(("public", ""))
        if not self.timelines:
            raise ValueError("no Mastodon hashtag configured and the public timeline is off")
        self.interval_s = interval_s
        self._token = access_token
        self.max_pages = max_pages
        self.timeout_s = timeout_s
        self.backoff = backoff or Backoff()
        self._api_factory = api_factory or self._make_api
        self._api: Mastodon | None = None

    def _make_api(self) -> Mastodon:
        session = TimeoutSession(self.timeout_s)
        session.hooks["response"].append(self._remember_headers)
        return Mastodon(
            api_base_url=self.instance,
            access_token=self._token or get_secret("mastodon_access_token"),
            ratelimit_method="throw",
            request_timeout=self.timeout_s,
            version_check_mode="none",
            session=session,
        )

    def _remember_headers(self, response: Any, *args: Any, **kwargs: Any) -> None:
        self._last_headers = dict(response.headers)

    def _reset_at(self, now: datetime) -> datetime:
        """When a 429 ends: X-RateLimit-Reset relative to the server's Date, moved onto our clock."""
        headers = {k.lower(): v for k, v in (getattr(self, "_last_headers", None) or {}).items()}
        reset = _parse_when(headers.get("x-ratelimit-reset"))
        server_now = _parse_when(headers.get("date"))
        if reset is not None and server_now is not None:
            return now + max(timedelta(seconds=1), reset - server_now)
        if reset is not None and reset > now:
            return reset
        return now + timedelta(seconds=300)

    def api(self) -> Mastodon:
        if self._api is None:
            self._api = self._api_factory()
        return self._api

    def checkpoint_key(self, kind: str, tag: str) -> str:
        digest = hashlib.sha1(f"{self.host}/{kind}/{tag}".encode()).hexdigest()[:16]
        return f"{self.name}:{digest}"

    def run(self, ctx: RunContext) -> None:
        for kind, tag in self.timelines:
            if ctx.stopped:
                return
            self._run_timeline(ctx, kind, tag)

    def _run_timeline(self, ctx: RunContext, kind: str, tag: str) -> None:
        key = self.checkpoint_key(kind, tag)
        since_id = (ctx.checkpoint(key) or {}).get("since_id")
        for _ in range(self.max_pages):
            if ctx.stopped:
                return
            page = self._fetch(ctx, kind, tag, since_id)
            if not page:
                return
            posts, links = [], []
            newest = since_id
            for index, status in enumerate(page):
                post, original = self.to_post(status)
                if post is None:
                    log.error("Mastodon %s page: status at index %d has no id; skipped", kind, index)
                    continue
                if original is not None:
                    posts.append(original)
                    links.append(("mastodon", post.external_id, original.external_id))
                posts.append(post)
                sid = str(status.get("id"))
                if sid.isdigit() and (newest is None or int(sid) > int(newest)):
                    newest = sid
            ctx.store(posts, checkpoint=(key, {"since_id": newest, "timeline": f"{kind}:{tag}"}), duplicates=links)
            if newest == since_id or since_id is None or len(page) < PAGE:
                # First run (newest page only), no progress, or a short page: caught up.
                return
            since_id = newest

    def _fetch(self, ctx: RunContext, kind: str, tag: str, since_id: str | None) -> list[Any]:
        api = self.api()

        def attempt() -> list[Any]:
            try:
                if kind == "tag":
                    page = api.timeline_hashtag(tag, min_id=since_id, limit=PAGE)
                else:
                    page = api.timeline_public(min_id=since_id, limit=PAGE)
            except MastodonRatelimitError as exc:
                raise RateLimited("Mastodon rate limit (429)", self._reset_at(ctx.clock.now())) from exc
            except (MastodonServerError, MastodonNetworkError) as exc:
                raise TransientError(f"Mastodon {type(exc).__name__}: {exc}") from exc
            except (MastodonUnauthorizedError, MastodonNotFoundError) as exc:
                raise PermanentError(f"Mastodon refused {kind} {tag}: {exc}") from exc
            except MastodonAPIError as exc:
                if "parse response as JSON" in str(exc):
                    raise TransientError("Mastodon returned malformed JSON") from exc
                raise PermanentError(f"Mastodon API error: {exc}") from exc
            if not isinstance(page, list):
                raise TransientError("Mastodon returned JSON that is not a list")
            return page

        return call_with_retry(attempt, backoff=self.backoff, sleep=ctx.sleep, retry_on=TransientError, what=f"Mastodon {kind} {tag}")

    def to_post(self, status: Any) -> tuple[RawPost | None, RawPost | None]:
        """(post, original of a boost or None) for one status."""
        if not isinstance(status, dict) or not status.get("id"):
            return None, None
        original = None
        text = self._text(status)
        reblog = status.get("reblog")
        raw = json_safe(status)
        if isinstance(reblog, dict) and reblog.get("id"):
            original, _ = self.to_post(reblog)
            raw["reblog_of"] = f"{self.host}:{reblog['id']}"
            if not text and original is not None:
                text = original.text
        account = status.get("account") if isinstance(status.get("account"), dict) else {}
        created = status.get("created_at")
        if isinstance(created, str):
            try:
                created = datetime.fromisoformat(created.replace("Z", "+00:00"))
            except ValueError:
                created = None
        post = RawPost(
            source="mastodon",
            external_id=f"{self.host}:{status['id']}",
            text=text,
            author=account.get("acct") or account.get("username"),
            created_at=created if isinstance(created, datetime) else None,
            raw=raw,
        )
        return post, original

    @staticmethod
    def _text(status: dict[str, Any]) -> str:
        body = html_to_text(status.get("content") or "")
        spoiler = (status.get("spoiler_text") or "").strip()
        return f"{spoiler}\n{body}".strip() if spoiler else body
