"""X (Twitter) API v2 recent search through tweepy's ``Client.search_recent_tweets``.

One run asks each query first for the tweets newer than the newest one stored
(``since_id``), then backfills older gaps with what is left of the page budget
(``max_pages`` requests per query and cycle): see :mod:`collectors.x_cursor`.
A backlog deeper than the budget is filled over the next cycles, and each
cycle still starts with the newest tweets. The checkpoint is saved with each
stored page, so a restart goes on where the last page ended.

Author (``author_id``) and place (``geo.place_id``) expansions are requested
and kept in ``raw``. A retweet keeps its own "RT @…" text, is marked in
``raw["retweet_of"]`` and collapsed onto the original (``Post.duplicate_of``),
which is stored too when the API includes it.

Failures: 429 → :class:`RateLimited` until ``x-rate-limit-reset``; 5xx,
timeouts, dropped connections, truncated or malformed JSON → retried with
backoff and jitter, then :class:`TransientError`; 401/403/400 → :class:`PermanentError`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import requests
import tweepy

from collectors.base import Collector, RunContext
from collectors.errors import PermanentError, RateLimited, TransientError
from collectors.http import DEFAULT_TIMEOUT_S, TimeoutSession
from collectors.x_cursor import XCursor, max_id, min_id
from collectors.x_parse import parse_page
from collectors.x_query import build_queries
from disaster_desk.core.clock import Clock
from disaster_desk.core.retry import Backoff, call_with_retry
from disaster_desk.core.secrets import get_secret

log = logging.getLogger(__name__)

TWEET_FIELDS = ["author_id", "created_at", "geo", "lang", "referenced_tweets", "conversation_id", "entities"]
USER_FIELDS = ["username", "name", "location", "verified"]
PLACE_FIELDS = ["full_name", "country_code", "geo", "place_type", "name"]
EXPANSIONS = ["author_id", "geo.place_id", "referenced_tweets.id"]


def rate_limit_reset(exc: tweepy.TooManyRequests, clock: Clock) -> datetime:
    """When X says the window resets (``x-rate-limit-reset``, epoch seconds), as the source states it.

    The scheduler caps the wait (:data:`collectors.scheduler.MAX_RATE_LIMIT_WAIT_S`);
    a missing or unreadable header means one minute, a time past the calendar's
    end the calendar's end (and so the cap).
    """
    reset = getattr(exc, "reset_time", None)
    if reset is None:
        header = exc.response.headers.get("x-rate-limit-reset") if exc.response is not None else None
        header = header.strip() if isinstance(header, str) else None
        reset = int(header) if header and header.isdigit() else None
    if reset is None:
        return clock.now() + timedelta(seconds=60)
    try:
        return datetime.fromtimestamp(int(reset), timezone.utc)
    except (OverflowError, OSError, ValueError):
        return datetime.max.replace(tzinfo=timezone.utc)


class _StaleCursor(PermanentError):
    """400 on a request carrying since_id: the checkpoint is older than the 7-day search window."""


class XCollector(Collector):
    def __init__(
        self,
        keywords: Sequence[str],
        *,
        name: str = "x",
        areas: Sequence[str] | None = None,
        interval_s: float = 60.0,
        bearer_token: str | None = None,
        include_retweets: bool = True,
        page_size: int = 100,
        max_pages: int = 10,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        backoff: Backoff | None = None,
        client_factory: Callable[[str], tweepy.Client] | None = None,
    ) -> None:
        self.name = name
        self.interval_s = interval_s
        self.queries = build_queries(keywords, areas, include_retweets=include_retweets)
        self._token = bearer_token
        self.page_size = max(10, min(100, page_size))
        self.max_pages = max_pages
        self.timeout_s = timeout_s
        self.backoff = backoff or Backoff()
        self._client_factory = client_factory or self._make_client
        self._client: tweepy.Client | None = None

    def _make_client(self, token: str) -> tweepy.Client:
        client = tweepy.Client(bearer_token=token, return_type=dict, wait_on_rate_limit=False)
        client.session = TimeoutSession(self.timeout_s)
        return client

    def client(self) -> tweepy.Client:
        if self._client is None:
            token = self._token or get_secret("x_bearer_token")
            if not token:
                raise PermanentError("no X bearer token: set DD_X_BEARER_TOKEN or the keyring entry x_bearer_token")
            self._client = self._client_factory(token)
        return self._client

    def checkpoint_key(self, query: str) -> str:
        return f"{self.name}:" + hashlib.sha1(query.encode()).hexdigest()[:16]

    def run(self, ctx: RunContext) -> None:
        for query in self.queries:
            if ctx.stopped:
                return
            self._run_query(ctx, query)

    def _run_query(self, ctx: RunContext, query: str) -> None:
        """Newest first, then backfill: at most ``max_pages`` requests for this query in one cycle."""
        key = self.checkpoint_key(query)
        cursor = XCursor.from_json(ctx.checkpoint(key))
        budget = self.max_pages
        if ctx.stopped or budget <= 0:
            return
        # 1. What is new since the newest tweet stored (one page; a deeper backlog becomes a gap).
        body = self._page(ctx, query, since_id=cursor.since_id, until_id=None, stale="since_id")
        budget -= 1
        if body is None:  # since_id out of the search window: start from the newest tweets
            cursor.since_id = None
            body = self._page(ctx, query, since_id=None, until_id=None, stale=None)
        posts, links, newest, oldest, more = self._read(body, query)
        cursor.after_head(newest, oldest, more)
        ctx.store(posts, checkpoint=(key, cursor.to_json()), duplicates=links)
        # 2. Backfill the gaps, newest first, with what is left of the budget.
        while budget > 0 and cursor.gaps and not ctx.stopped:
            gap = cursor.gaps[0]
            body = self._page(ctx, query, since_id=gap.since_id, until_id=gap.until_id, stale="since_id")
            budget -= 1
            if body is None:  # the gap reaches below the search window: fetch what is still in it
                log.warning("%s: tweets older than the search window are out of reach; backfilling the rest", self.name)
                gap.since_id = None
                continue
            posts, links, _newest, oldest, more = self._read(body, query)
            if not cursor.after_gap_page(gap, oldest, more):
                log.warning("%s: the API repeated a page while backfilling; gap below %s given up", self.name, gap.until_id)
            ctx.store(posts, checkpoint=(key, cursor.to_json()), duplicates=links)
        if cursor.gaps:
            log.info("%s: %d backfill gap(s) left for the next cycle", self.name, len(cursor.gaps))

    def _page(self, ctx: RunContext, query: str, *, since_id: str | None, until_id: str | None,
              stale: str | None) -> dict[str, Any] | None:
        """One search page; None when the API refused ``since_id`` as out of its reach."""
        try:
            return self._search(ctx, query, since_id, until_id)
        except _StaleCursor as exc:
            if stale is None or since_id is None:
                raise
            log.warning("%s: since_id %s refused by the API (%s)", self.name, since_id, exc)
            return None

    @staticmethod
    def _read(body: dict[str, Any], query: str) -> tuple[list, list, str | None, str | None, bool]:
        """Posts, retweet links, newest and oldest tweet id of the page, and whether older ones follow."""
        meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
        posts, links = parse_page(body, query)
        newest, oldest = max_id(None, meta.get("newest_id")), min_id(None, meta.get("oldest_id"))
        data = body.get("data") if isinstance(body.get("data"), list) else []
        for tweet in data:
            if isinstance(tweet, dict):
                newest, oldest = max_id(newest, tweet.get("id")), min_id(oldest, tweet.get("id"))
        return posts, links, newest, oldest, bool(meta.get("next_token"))

    def _search(self, ctx: RunContext, query: str, since_id: str | None, until_id: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "max_results": self.page_size,
            "tweet_fields": TWEET_FIELDS,
            "user_fields": USER_FIELDS,
            "place_fields": PLACE_FIELDS,
            "expansions": EXPANSIONS,
        }
        if since_id:
            params["since_id"] = since_id
        if until_id:
            params["until_id"] = until_id
        client = self.client()

        def attempt() -> dict[str, Any]:
            try:
                body = client.search_recent_tweets(query, **params)
            except tweepy.TooManyRequests as exc:
                raise RateLimited("X search rate limit (429)", rate_limit_reset(exc, ctx.clock)) from exc
            except tweepy.TwitterServerError as exc:
                raise TransientError(f"X server error {exc.response.status_code}") from exc
            except tweepy.BadRequest as exc:
                if since_id:
                    raise _StaleCursor(f"X API refused the search: {exc}") from exc
                raise PermanentError(f"X API refused the search: {exc}") from exc
            except (tweepy.Unauthorized, tweepy.Forbidden, tweepy.NotFound) as exc:
                raise PermanentError(f"X API refused the search: {exc}") from exc
            except tweepy.HTTPException as exc:
                raise TransientError(f"X HTTP error: {exc}") from exc
            except requests.exceptions.JSONDecodeError as exc:
                raise TransientError(f"X returned malformed JSON: {exc}") from exc
            except (requests.Timeout, requests.ConnectionError) as exc:
                raise TransientError(f"X request failed: {type(exc).__name__}") from exc
            except ValueError as exc:  # other JSON decoders
                raise TransientError(f"X returned malformed JSON: {exc}") from exc
            if not isinstance(body, dict):
                raise TransientError("X returned JSON that is not an object")
            return body

        return call_with_retry(attempt, backoff=self.backoff, sleep=ctx.sleep, retry_on=TransientError, what="X search")
