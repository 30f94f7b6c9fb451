"""Mastodon timelines: Mastodon.py's real client against API-shaped responses served by ``responses``."""

from __future__ import annotations

import json
from datetime import timedelta
from email.utils import format_datetime
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import responses
from sqlalchemy import select

from collectors.errors import TransientError
from collectors.mastodon import MastodonCollector, html_to_text
from collectors.scheduler import CollectorScheduler
from disaster_desk.core.models import Post

INSTANCE = "https://mstdn.example"
TAG_URL = INSTANCE + "/api/v1/timelines/tag/大阪地震"
PUBLIC_URL = INSTANCE + "/api/v1/timelines/public"

ACCOUNT = {
    "id": "1001", "username": "taro", "acct": "taro", "display_name": "太郎", "locked": False, "bot": False,
    "created_at": "2023-04-01T00:00:00.000Z", "url": INSTANCE + "/@taro", "avatar": "", "header": "",
    "followers_count": 3, "following_count": 5, "statuses_count": 40, "note": "", "emojis": [], "fields": [],
}


def status(sid: int, content: str, **extra) -> dict:
    return {
        "id": str(sid),
        "created_at": "2026-01-16T20:47:10.000Z",
        "in_reply_to_id": None, "in_reply_to_account_id": None, "sensitive": False, "spoiler_text": "",
        "visibility": "public", "language": "ja",
        "uri": f"{INSTANCE}/users/taro/statuses/{sid}", "url": f"{INSTANCE}/@taro/{sid}",
        "replies_count": 0, "reblogs_count": 0, "favourites_count": 0,
        "content": content, "reblog": None, "account": ACCOUNT,
        "media_attachments": [], "mentions": [], "tags": [{"name": "大阪地震", "url": INSTANCE + "/tags/大阪地震"}],
        "emojis": [], "card": None, "poll": None,
        **extra,
    }


INSTANCE_V2 = {
    "domain": "mstdn.example", "title": "テスト", "version": "4.3.0", "source_url": "", "description": "",
    "configuration": {
        "urls": {"streaming": "wss://mstdn.example"},
        "timelines_access": {
            "live_feeds": {"local": "public", "remote": "public"},
            "hashtag_feeds": {"local": "public", "remote": "public"},
            "trending_link_feeds": {"local": "public", "remote": "public"},
        },
    },
}


class Mock(responses.RequestsMock):
    """``responses`` plus the instance description Mastodon.py reads (once) before a timeline."""

    def __enter__(self):
        super().__enter__()
        self.get(INSTANCE + "/api/v2/instance/", json=INSTANCE_V2)
        return self

    def timeline_calls(self):
        return [c for c in self.calls if "/timelines/" in c.request.url]


def make(no_jitter, **kw) -> MastodonCollector:
    return MastodonCollector(INSTANCE, ["#大阪地震"], backoff=no_jitter, access_token="tok", **kw)


def query(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(call.request.url).query).items()}


def stored(db) -> dict[str, Post]:
    with db.session() as s:
        return {p.external_id: p for p in s.scalars(select(Post))}


def test_html_content_becomes_text():
    html = '<p>北区で火事<br>煙が見えます <a href="x" class="hashtag">#<span>大阪地震</span></a></p><p>2段落目 &amp; 終わり</p>'
    assert html_to_text(html) == "北区で火事\n煙が見えます #大阪地震\n\n2段落目 & 終わり"


def test_hashtag_timeline_pages_forward_from_the_checkpoint(ctx, db, no_jitter):
    m = make(no_jitter)
    with Mock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(TAG_URL, json=[status(105, "<p>北区で火事</p>"), status(104, "<p>梅田で停電</p>")])
        m.run(ctx)
        assert "min_id" not in query(rsps.timeline_calls()[0])
    assert sorted(stored(db)) == ["mstdn.example:104", "mstdn.example:105"]
    p = stored(db)["mstdn.example:105"]
    assert (p.text, p.author, p.source) == ("北区で火事", "taro", "mastodon")
    assert p.raw["account"]["display_name"] == "太郎"

    full = [status(200 - i, f"<p>投稿{i}</p>") for i in range(40)]  # a full page: there may be more
    with Mock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(TAG_URL, json=full)
        rsps.get(TAG_URL, json=[status(201, "<p>最新</p>")])
        m.run(ctx)
        assert query(rsps.timeline_calls()[0])["min_id"] == "105"
        assert query(rsps.timeline_calls()[1])["min_id"] == "200"
    assert len(stored(db)) == 43


def test_boosts_are_collapsed_onto_the_original(ctx, db, no_jitter):
    original = status(300, "<p>淀川区で浸水</p>")
    boost = status(301, "", reblog=original)
    with Mock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(TAG_URL, json=[boost])
        make(no_jitter).run(ctx)
    posts = stored(db)
    dup, orig = posts["mstdn.example:301"], posts["mstdn.example:300"]
    assert dup.text == "淀川区で浸水" and dup.raw["reblog_of"] == "mstdn.example:300"
    assert dup.duplicate_of == orig.id


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 503, "body": "Service Unavailable"},
        {"status": 502, "body": "<html>Bad Gateway</html>"},
        {"body": requests.exceptions.ReadTimeout("timed out")},
        {"body": '[{"id": "1", "content": "途中', "content_type": "application/json"},
    ],
    ids=["503", "502", "timeout", "truncated-json"],
)
def test_transient_failures_are_retried(lite_ctx, lite_db, no_jitter, sleep, failure):
    with Mock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(TAG_URL, **failure)
        rsps.get(TAG_URL, json=[status(400, "<p>火事</p>")])
        make(no_jitter).run(lite_ctx)
    assert sleep.calls == [1.0]
    assert list(stored(lite_db)) == ["mstdn.example:400"]


def test_persistent_failure_raises_after_the_retries(ctx, no_jitter, sleep):
    with Mock(assert_all_requests_are_fired=False) as rsps:
        for _ in range(3):
            rsps.get(TAG_URL, status=503, body="down")
        with pytest.raises(TransientError):
            make(no_jitter).run(ctx)
    assert sleep.calls == [1.0, 2.0]


def test_rate_limit_is_waited_out_on_our_clock(pipeline, clock, no_jitter, sleep):
    m = make(no_jitter)
    scheduler = CollectorScheduler([m], pipeline, sleep=sleep)
    server_now = clock.now()
    headers = {
        "X-RateLimit-Limit": "300",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": (server_now + timedelta(minutes=5)).isoformat().replace("+00:00", "Z"),
        "Date": format_datetime(server_now, usegmt=True),
    }
    with Mock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(TAG_URL, status=429, body=json.dumps({"error": "Too many requests"}), headers=headers)
        st = scheduler.run_once("mastodon")
    assert st.state == "waiting"
    assert st.waiting_until == server_now + timedelta(minutes=5)
    clock.advance(minutes=6)
    with Mock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(TAG_URL, json=[status(500, "<p>復旧</p>")])
        assert scheduler.run_once("mastodon").state == "ok"
