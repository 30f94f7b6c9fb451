"""X API v2 tweet objects (with their ``includes``) → :class:`RawPost`, retweets linked to originals."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from disaster_desk.core.ingest import RawPost

log = logging.getLogger(__name__)


def _index(items: Any, key: str = "id") -> dict[str, dict[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {str(i[key]): i for i in items if isinstance(i, dict) and key in i}


def parse_page(body: dict[str, Any], query: str | None = None) -> tuple[list[RawPost], list[tuple[str, str, str]]]:
    """Posts of one search page (plus included originals of retweets) and the retweet → original links.

    A tweet object without ``id`` or ``text`` is logged (with its index) and skipped.
    """
    includes = body.get("includes") if isinstance(body.get("includes"), dict) else {}
    users = _index(includes.get("users"))
    places = _index(includes.get("places"))
    included = _index(includes.get("tweets"))
    data = body.get("data") or []
    if not isinstance(data, list):
        log.error("X page: 'data' is not a list; page skipped")
        return [], []
    posts: list[RawPost] = []
    links: list[tuple[str, str, str]] = []
    for index, tweet in enumerate(data):
        post = _tweet_post(tweet, users, places, query)
        if post is None:
            log.error("X page: tweet at index %d has no id or text; skipped", index)
            continue
        rt = _retweeted_id(tweet)
        if rt is not None:
            post.raw["retweet_of"] = rt
            links.append(("x", post.external_id, rt))
            original = _tweet_post(included.get(rt), users, places, query)
            if original is not None:
                posts.append(original)
        posts.append(post)
    return posts, links


def _retweeted_id(tweet: dict[str, Any]) -> str | None:
    for ref in tweet.get("referenced_tweets") or []:
        if isinstance(ref, dict) and ref.get("type") == "retweeted" and ref.get("id"):
            return str(ref["id"])
    return None


def _tweet_post(
    tweet: Any, users: dict[str, dict[str, Any]], places: dict[str, dict[str, Any]], query: str | None
) -> RawPost | None:
    if not isinstance(tweet, dict) or not tweet.get("id") or not isinstance(tweet.get("text"), str):
        return None
    user = users.get(str(tweet.get("author_id")))
    geo = tweet.get("geo") if isinstance(tweet.get("geo"), dict) else {}
    place = places.get(str(geo.get("place_id"))) if geo.get("place_id") else None
    lat = lon = None
    coords = geo.get("coordinates")
    if isinstance(coords, dict) and coords.get("type") == "Point":
        try:
            lon, lat = (float(v) for v in coords["coordinates"])
        except (TypeError, ValueError, KeyError):
            lat = lon = None
    created = None
    if isinstance(tweet.get("created_at"), str):
        try:
            created = datetime.fromisoformat(tweet["created_at"].replace("Z", "+00:00"))
        except ValueError:
            created = None
    raw: dict[str, Any] = {"tweet": tweet}
    if user:
        raw["user"] = user
    if place:
        raw["place"] = place
    if query:
        raw["query"] = query
    return RawPost(
        source="x",
        external_id=str(tweet["id"]),
        text=tweet["text"],
        author=(user or {}).get("username") or (str(tweet["author_id"]) if tweet.get("author_id") else None),
        created_at=created,
        raw=raw,
        geo_lat=lat,
        geo_lon=lon,
    )
