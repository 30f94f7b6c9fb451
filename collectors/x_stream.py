"""X filtered stream (optional, ``collectors.x.use_stream``) through tweepy's ``StreamingClient``.

The stream gives tweets within seconds, but it has no since_id: whatever is
posted while it is disconnected is only found by the recent-search collector,
so the stream always runs *alongside* :class:`collectors.x.XCollector`.

One run keeps the connection open for ``session_s`` (or until the collector
is stopped), storing tweets in small batches (every ``flush_every`` tweets or
``flush_s`` seconds). The stream rules are the same queries as the recent
search, tagged ``dd:…``; stale ``dd:`` rules are removed, other rules left
alone. tweepy's own reconnect loop is not used: an HTTP error or a dropped
connection ends the run with :class:`RateLimited` / :class:`TransientError`,
so the scheduler's backoff and status apply as for every other collector.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import tweepy

from collectors.base import Collector, RunContext
from collectors.errors import PermanentError, RateLimited, TransientError
from collectors.x import EXPANSIONS, PLACE_FIELDS, TWEET_FIELDS, USER_FIELDS
from collectors.x_parse import parse_page
from collectors.x_query import build_queries
from disaster_desk.core.ingest import RawPost
from disaster_desk.core.secrets import get_secret

log = logging.getLogger(__name__)

TAG = "dd:"


class _Stream(tweepy.StreamingClient):
    """Hands each line to the collector; ends the connection instead of retrying on errors."""

    def __init__(self, token: str, owner: XStreamCollector, ctx: RunContext) -> None:
        super().__init__(token, return_type=dict, wait_on_rate_limit=False, max_retries=0)
        self.owner = owner
        self.ctx = ctx
        self.error: Exception | None = None

    def on_data(self, raw_data: bytes) -> None:
        try:
            body = json.loads(raw_data)
        except ValueError as exc:
            log.error("X stream: malformed line skipped: %s", exc)
            return
        self.owner._add(self.ctx, body)
        self._check()

    def on_keep_alive(self) -> None:
        self._check()

    def _check(self) -> None:
        if self.owner._should_end(self.ctx):
            self.disconnect()

    def on_request_error(self, status_code: int) -> None:
        if status_code == 429:
            self.error = RateLimited("X stream rate limit (429)", self.ctx.clock.now() + timedelta(seconds=60))
        elif status_code in (400, 401, 403):
            self.error = PermanentError(f"X stream refused: HTTP {status_code}")
        else:
            self.error = TransientError(f"X stream HTTP {status_code}")
        self.disconnect()

    def on_connection_error(self) -> None:
        self.error = TransientError("X stream connection dropped or timed out")
        self.disconnect()

    def on_exception(self, exception: Exception) -> None:
        self.error = TransientError(f"X stream failed: {exception}")

    def on_closed(self, response: Any) -> None:
        if self.running:  # not ended by us
            self.error = TransientError("X stream closed by the server")
        self.disconnect()


class XStreamCollector(Collector):
    def __init__(
        self,
        keywords: Sequence[str],
        *,
        name: str = "x-stream",
        areas: Sequence[str] | None = None,
        bearer_token: str | None = None,
        interval_s: float = 5.0,
        session_s: float = 3600.0,
        flush_every: int = 50,
        flush_s: float = 2.0,
        stream_factory: Callable[[str, XStreamCollector, RunContext], _Stream] | None = None,
    ) -> None:
        self.name = name
        self.interval_s = interval_s
        self.queries = build_queries(keywords, areas)
        self._token = bearer_token
        self.session_s = session_s
        self.flush_every = flush_every
        self.flush_s = flush_s
        self._factory = stream_factory or _Stream
        self._buffer: list[RawPost] = []
        self._links: list[tuple[str, str, str]] = []
        self._last_flush = 0.0
        self._started = 0.0

    def rules(self) -> dict[str, str]:
        """Tag → rule value for each query."""
        return {TAG + hashlib.sha1(q.encode()).hexdigest()[:12]: q for q in self.queries}

    def run(self, ctx: RunContext) -> None:
        token = self._token or get_secret("x_bearer_token")
        if not token:
            raise PermanentError("no X bearer token: set DD_X_BEARER_TOKEN or the keyring entry x_bearer_token")
        stream = self._factory(token, self, ctx)
        self._sync_rules(stream)
        self._started = self._last_flush = time.monotonic()
        try:
            stream.filter(
                expansions=EXPANSIONS, tweet_fields=TWEET_FIELDS, user_fields=USER_FIELDS, place_fields=PLACE_FIELDS
            )
        finally:
            self._flush(ctx)
        if stream.error is not None and not ctx.stopped and not self._session_over():
            raise stream.error

    def _sync_rules(self, stream: _Stream) -> None:
        wanted = self.rules()
        try:
            current = stream.get_rules().get("data") or []
            stale = [r["id"] for r in current if str(r.get("tag", "")).startswith(TAG) and r.get("tag") not in wanted]
            have = {r.get("tag") for r in current}
            if stale:
                stream.delete_rules(stale)
            missing = [tweepy.StreamRule(value=v, tag=t) for t, v in wanted.items() if t not in have]
            if missing:
                stream.add_rules(missing)
        except tweepy.TooManyRequests as exc:
            raise RateLimited("X stream rules rate limit (429)", stream.ctx.clock.now() + timedelta(seconds=60)) from exc
        except (tweepy.Unauthorized, tweepy.Forbidden, tweepy.BadRequest) as exc:
            raise PermanentError(f"X stream rules refused: {exc}") from exc
        except (tweepy.TwitterServerError, ValueError, OSError) as exc:
            raise TransientError(f"X stream rules failed: {exc}") from exc

    def _add(self, ctx: RunContext, body: dict[str, Any]) -> None:
        if not isinstance(body, dict) or "data" not in body:
            return
        posts, links = parse_page({"data": [body["data"]], "includes": body.get("includes") or {}})
        for post in posts:
            post.raw["matching_rules"] = body.get("matching_rules")
        self._buffer += posts
        self._links += links
        if len(self._buffer) >= self.flush_every or time.monotonic() - self._last_flush >= self.flush_s:
            self._flush(ctx)

    def _flush(self, ctx: RunContext) -> None:
        self._last_flush = time.monotonic()
        if self._buffer:
            posts, links = self._buffer, self._links
            self._buffer, self._links = [], []
            ctx.store(posts, duplicates=links)

    def _session_over(self) -> bool:
        return time.monotonic() - self._started >= self.session_s

    def _should_end(self, ctx: RunContext) -> bool:
        if self._buffer and time.monotonic() - self._last_flush >= self.flush_s:
            self._flush(ctx)
        return ctx.stopped or self._session_over()
