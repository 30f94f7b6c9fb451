"""X filtered stream: tweepy's real StreamingClient against an API-shaped stream served by ``responses``."""

from __future__ import annotations

import json

import pytest
import responses
from sqlalchemy import select

from collectors.errors import RateLimited, TransientError
from collectors.x_stream import XStreamCollector
from disaster_desk.core.models import Post

from .x_payloads import USERS, tweet

RULES = "https://api.twitter.com/2/tweets/search/stream/rules"
STREAM = "https://api.twitter.com/2/tweets/search/stream"


@pytest.fixture(autouse=True)
def token(monkeypatch):
    monkeypatch.setenv("DD_X_BEARER_TOKEN", "test-bearer")


def line(t: dict, rule_tag: str) -> str:
    body = {"data": t, "includes": {"users": [USERS[t["author_id"]]]}, "matching_rules": [{"id": "1", "tag": rule_tag}]}
    return json.dumps(body, ensure_ascii=False)


@pytest.mark.timeout(60)
def test_stream_stores_tweets_syncs_rules_and_skips_bad_lines(ctx, db):
    collector = XStreamCollector(["火事"], areas=["大阪"], flush_s=60)
    [(tag, value)] = collector.rules().items()
    stream_body = "\r\n".join(
        [line(tweet(1, "北区で火事"), tag), "", "{truncated", line(tweet(2, "梅田で火事", author="9002"), tag), ""]
    )
    with responses.RequestsMock() as rsps:
        rsps.get(RULES, json={"data": [{"id": "7", "value": "old", "tag": "dd:stale"}, {"id": "8", "value": "x", "tag": "other"}], "meta": {}})
        rsps.post(RULES, json={"meta": {"summary": {"deleted": 1}}})
        rsps.post(RULES, json={"data": [{"id": "9", "value": value, "tag": tag}], "meta": {}})
        rsps.get(STREAM, body=stream_body)
        with pytest.raises(TransientError, match="closed"):  # the server ended the stream: the scheduler reconnects
            collector.run(ctx)
        deleted, added = (json.loads(c.request.body) for c in rsps.calls[1:3])
    assert deleted == {"delete": {"ids": ["7"]}}  # only our own stale rule
    assert added == {"add": [{"value": "火事 大阪 lang:ja", "tag": tag}]}
    with db.session() as s:
        rows = {p.external_id: p for p in s.scalars(select(Post))}
    assert sorted(rows) == ["1", "2"]
    assert rows["2"].author == "namba_hanako"
    assert rows["1"].raw["matching_rules"][0]["tag"] == tag


@pytest.mark.timeout(60)
def test_stream_rate_limit_is_reported_not_slept(lite_ctx):
    collector = XStreamCollector(["火事"], areas=["大阪"])
    [(tag, value)] = collector.rules().items()
    with responses.RequestsMock() as rsps:
        rsps.get(RULES, json={"data": [{"id": "9", "value": value, "tag": tag}], "meta": {}})
        rsps.get(STREAM, status=429, json={"title": "ConnectionException", "status": 429})
        with pytest.raises(RateLimited):
            collector.run(lite_ctx)


@pytest.mark.timeout(60)
def test_a_session_that_ends_on_time_is_not_an_error(lite_ctx, lite_db):
    collector = XStreamCollector(["火事"], areas=["大阪"], session_s=0)
    [(tag, value)] = collector.rules().items()
    with responses.RequestsMock() as rsps:
        rsps.get(RULES, json={"data": [{"id": "9", "value": value, "tag": tag}], "meta": {}})
        rsps.get(STREAM, body="\r\n".join([line(tweet(5, "火事"), tag), line(tweet(6, "火事"), tag)]))
        collector.run(lite_ctx)  # returns normally: the scheduler opens the next session
    assert lite_ctx.items == 1  # disconnected right after the first tweet, which was stored
