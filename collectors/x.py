"""X (Twitter) API v2 recent search through tweepy's ``Client.search_recent_tweets``.

One run walks each query from its checkpoint: the first page of a cycle asks
for tweets newer than ``since_id``; pages follow ``next_token`` (older
tweets) until the end, and only then ``since_id`` moves to the cycle's
``newest_id``. The checkpoint after each stored page holds the pending
``next_token``, so a restart in the middle of pagination continues there and
nothing between the old since_id and the new one is skipped.

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
    """400 on a request carrying since_id or next_token: the checkpoint is out of the API's reach."""


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
        key = self.checkpoint_key(query)
        cursor = ctx.checkpoint(key) or {}
        since_id = cursor.get("since_id")
        next_token = cursor.get("next_token")
        newest = cursor.get("newest_id")
        seen_tokens: set[str] = set()
        reset_done = False
        for _page in range(self.max_pages):
            if ctx.stopped:
                return
            try:
                body = self._search(ctx, query, since_id, next_token)
            except _StaleCursor as exc:
                if reset_done:
                    raise
                # since_id older than the 7-day search window, or an expired next_token:
                # start a fresh cycle from the newest tweets (the older ones are out of reach).
                log.warning("%s: checkpoint refused by the API (%s); starting from the newest tweets", self.name, exc)
                since_id = next_token = newest = None
                reset_done = True
                continue
            meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
            if next_token is None:  # first page of a cycle: the newest tweet of the cycle
                newest = _max_id(newest, meta.get("newest_id"))
            posts, links = parse_page(body, query)
            for post in posts:
                newest = _max_id(newest, post.external_id) if next_token is None else newest
            token = meta.get("next_token")
            if token and (token in seen_tokens or token == next_token):
                log.warning("%s: the API repeated a pagination token; ending this cycle", self.name)
                token = None
            if token:
                seen_tokens.add(token)
                cursor = {"since_id": since_id, "next_token": token, "newest_id": newest}
            else:
                cursor = {"since_id": _max_id(since_id, newest)}
            ctx.store(posts, checkpoint=(key, cursor), duplicates=links)
            if not token:
                return
            next_token = token

    def _search(self, ctx: RunContext, query: str, since_id: str | None, next_token: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "max_results": self.page_size,
            "tweet_fields": TWEET_FIELDS,
            "user_fields": USER_FIELDS,
            "place_fields": PLACE_FIELDS,
            "expansions": EXPANSIONS,
        }
        if since_id:
            params["since_id"] = since_id
        if next_token:
            params["next_token"] = next_token
        client = self.client()

        def attempt() -> dict[str, Any]:
            try:
                body = client.search_recent_tweets(query, **params)
            except tweepy.TooManyRequests as exc:
                raise RateLimited("X search rate limit (429)", rate_limit_reset(exc, ctx.clock)) from exc
            except tweepy.TwitterServerError as exc:
                raise TransientError(f"X server error {exc.response.status_code}") from exc
            except tweepy.BadRequest as exc:
                if since_id or next_token:
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


def _max_id(a: str | None, b: Any) -> str | None:
    """The larger of two tweet ids (decimal strings; compared as integers)."""
    if not isinstance(b, (str, int)) or not str(b).isdigit():
        return a
    if a is None or int(b) > int(a):
        return str(b)
    return a
