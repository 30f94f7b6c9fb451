"""X API v2 recent-search responses in the API's own JSON shape (written for these tests)."""

from __future__ import annotations

import json
from typing import Any

SEARCH_URL = "https://api.twitter.com/2/tweets/search/recent"

USERS = {
    "9001": {"id": "9001", "name": "梅田 太郎", "username": "umeda_taro", "location": "大阪市北区"},
    "9002": {"id": "9002", "name": "難波 花子", "username": "namba_hanako"},
}
PLACE = {
    "id": "5a110d312052166f",
    "full_name": "大阪市 北区",
    "name": "北区",
    "country_code": "JP",
    "place_type": "city",
    "geo": {"type": "Feature", "bbox": [135.47, 34.68, 135.53, 34.72], "properties": {}},
}


def tweet(tid: int, text: str, author: str = "9001", **extra: Any) -> dict[str, Any]:
    return {
        "id": str(tid),
        "text": text,
        "author_id": author,
        "created_at": "2026-01-16T20:47:10.000Z",
        "lang": "ja",
        "edit_history_tweet_ids": [str(tid)],
        **extra,
    }


def page(tweets: list[dict[str, Any]], next_token: str | None = None, included: list | None = None) -> str:
    users = sorted({t["author_id"] for t in tweets + (included or []) if "author_id" in t})
    body: dict[str, Any] = {
        "data": tweets,
        "includes": {"users": [USERS[u] for u in users]},
        "meta": {"result_count": len(tweets)},
    }
    if any((t.get("geo") or {}).get("place_id") for t in tweets):
        body["includes"]["places"] = [PLACE]
    if included:
        body["includes"]["tweets"] = included
    if tweets:
        ids = [int(t["id"]) for t in tweets if "id" in t]
        body["meta"].update(newest_id=str(max(ids)), oldest_id=str(min(ids)))
    if next_token:
        body["meta"]["next_token"] = next_token
    if not tweets:
        del body["data"], body["includes"]
    return json.dumps(body, ensure_ascii=False)


RATE_LIMITED = json.dumps({"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429})
UNAVAILABLE = json.dumps({"title": "Service Unavailable", "detail": "Service Unavailable", "type": "about:blank", "status": 503})


class RecentSearch:
    """The recent-search endpoint over a list of tweet ids, as the API pages it (a ``responses`` callback).

    Newest first; ``since_id`` and ``until_id`` exclusive; ``max_results`` per page; ``next_token``
    continues a query. Tweets with an id at or below ``window_start`` are outside the 7-day window:
    a ``since_id`` below it is refused with 400, as X does. ``requests`` records each call's params.
    """

    def __init__(self, ids=(), window_start: int = 0) -> None:
        self.ids: set[int] = set(ids)
        self.window_start = window_start
        self.requests: list[dict[str, str]] = []
        self._tokens: dict[str, tuple[tuple, int]] = {}

    def add(self, ids) -> None:
        self.ids.update(ids)

    def __call__(self, request):
        from urllib.parse import parse_qs, urlparse

        q = {k: v[0] for k, v in parse_qs(urlparse(request.url).query).items()}
        self.requests.append(q)
        since, until = q.get("since_id"), q.get("until_id")
        if since is not None and int(since) < self.window_start:
            return 400, {"content-type": "application/json"}, json.dumps({
                "errors": [{"parameters": {"since_id": [since]}, "message": f"Invalid 'since_id':'{since}'."}],
                "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            })
        key = (q["query"], since, until)
        offset = 0
        if "next_token" in q:
            key, offset = self._tokens[q["next_token"]]
        size = int(q.get("max_results", 10))
        match = sorted((i for i in self.ids if i > self.window_start
                        and (since is None or i > int(since)) and (until is None or i < int(until))), reverse=True)
        chunk = match[offset:offset + size]
        token = None
        if offset + size < len(match):
            token = f"tok{len(self._tokens)}"
            self._tokens[token] = (key, offset + size)
        return 200, {"content-type": "application/json"}, page([tweet(i, f"火事 {i}") for i in chunk], token)
