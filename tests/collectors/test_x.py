"""X recent search: tweepy's real client against API-shaped responses served by ``responses``."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import responses
from sqlalchemy import func, select

from collectors.errors import PermanentError, TransientError
from collectors.scheduler import CollectorScheduler
from collectors.x import XCollector
from collectors.x_cursor import XCursor
from disaster_desk.core.models import Post

from .x_payloads import PLACE, RATE_LIMITED, SEARCH_URL, UNAVAILABLE, RecentSearch, page, tweet


@pytest.fixture(autouse=True)
def token(monkeypatch):
    monkeypatch.setenv("DD_X_BEARER_TOKEN", "test-bearer")


def make(no_jitter, **kw) -> XCollector:
    return XCollector(["火事"], areas=["大阪"], backoff=no_jitter, **kw)


def params(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(call.request.url).query).items()}


def posts(db) -> dict[str, Post]:
    with db.session() as s:
        return {p.external_id: p for p in s.scalars(select(Post))}


def test_pages_with_since_id_and_expansions(ctx, db, no_jitter):
    x = make(no_jitter)
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, body=page([tweet(110, "北区で火事"), tweet(108, "梅田で煙", geo={"place_id": PLACE["id"]})], "t1"))
        rsps.get(SEARCH_URL, body=page([tweet(105, "天満で火事", author="9002")]))
        x.run(ctx)
        first, second = (params(c) for c in rsps.calls)
        assert rsps.calls[0].request.headers["Authorization"] == "Bearer test-bearer"
    assert first["query"] == "火事 大阪 lang:ja"
    assert set(first["expansions"].split(",")) >= {"author_id", "geo.place_id"}
    assert "since_id" not in first and second["until_id"] == "108"  # the rest of the backlog, older than page 1
    stored = posts(db)
    assert sorted(stored) == ["105", "108", "110"]
    assert stored["105"].author == "namba_hanako"
    assert stored["108"].raw["place"]["full_name"] == "大阪市 北区"
    assert stored["110"].raw["user"]["location"] == "大阪市北区"

    # The next cycle asks only for tweets newer than the newest one seen.
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, body=page([tweet(120, "京橋で火事")]))
        x.run(ctx)
        assert params(rsps.calls[0])["since_id"] == "110"
        assert "next_token" not in params(rsps.calls[0])
    assert len(posts(db)) == 4


def test_restart_in_the_middle_of_a_backfill_resumes_at_the_gap(ctx, db, no_jitter, sleep):
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, body=page([tweet(210, "a 火事"), tweet(209, "b 火事")], "t1"))
        for _ in range(3):
            rsps.get(SEARCH_URL, status=503, body=UNAVAILABLE)
        with pytest.raises(TransientError):
            make(no_jitter).run(ctx)
    assert sleep.calls == [1.0, 2.0]  # backoff between the three attempts at page 2
    assert sorted(posts(db)) == ["209", "210"]

    # A new process: newest first (since 210), then the gap below 209 it had not finished.
    x = make(no_jitter)
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, body=page([tweet(211, "d 火事")]))
        rsps.get(SEARCH_URL, body=page([tweet(205, "c 火事")]))
        rsps.get(SEARCH_URL, body=page([]))
        x.run(ctx)
        x.run(ctx)
        head, gap, after = (params(c) for c in rsps.calls)
    assert head["since_id"] == "210" and "until_id" not in head
    assert gap["until_id"] == "209" and "since_id" not in gap  # the first cycle ever: down to the window
    assert after["since_id"] == "211" and "until_id" not in after
    with db.session() as s:
        assert s.scalar(select(func.count(Post.id))) == 4


def test_a_backlog_deeper_than_the_page_limit_never_starves_the_newest(ctx, db, no_jitter):
    """2,500 tweets waiting, 10 pages of 100 per cycle, 40 new tweets a cycle: the newest come first."""
    api = RecentSearch(range(1, 2501))
    x = make(no_jitter, page_size=100, max_pages=10)
    newest = 2500
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback(responses.GET, SEARCH_URL, callback=api)
        for cycle in range(4):
            if cycle:
                api.add(range(newest + 1, newest + 41))
                newest += 40
            before = len(api.requests)
            x.run(ctx)
            sent = api.requests[before:]
            assert len(sent) <= 10  # the page limit holds
            assert "until_id" not in sent[0] and "next_token" not in sent[0]  # every cycle asks for the newest first
            if cycle:
                assert sent[0]["since_id"] == str(newest - 40)
            stored = {int(i) for i in posts(db)}
            assert set(range(newest - 39, newest + 1)) <= stored  # this cycle's newest tweets are in
    stored = sorted(int(i) for i in posts(db))
    assert stored == list(range(1, newest + 1))  # the backlog filled within 4 cycles, each tweet once
    assert XCursor.from_json(ctx.checkpoint(x.checkpoint_key(x.queries[0]))).gaps == []


def test_a_gap_reaching_below_the_search_window_fetches_what_is_still_there(ctx, db, pipeline, no_jitter):
    x = make(no_jitter, page_size=10, max_pages=5)
    key = x.checkpoint_key(x.queries[0])
    pipeline.save_checkpoint(key, {"since_id": "300", "gaps": [{"since_id": "50", "until_id": "120"}]})
    api = RecentSearch([*range(100, 125), 301, 302], window_start=99)  # 50 is older than the window
    with responses.RequestsMock() as rsps:
        rsps.add_callback(responses.GET, SEARCH_URL, callback=api)
        x.run(ctx)
    assert [r.get("since_id") for r in api.requests] == ["300", "50", None, None]
    assert sorted(int(i) for i in posts(db)) == [*range(100, 120), 301, 302]
    assert pipeline.checkpoint(key) == {"since_id": "302"}


def test_a_checkpoint_of_the_older_collector_is_continued_without_a_gap(ctx, db, pipeline, no_jitter):
    """The older cursor was paging (next_token) from newest_id 500 down to since_id 100."""
    x = make(no_jitter, page_size=10)
    key = x.checkpoint_key(x.queries[0])
    pipeline.save_checkpoint(key, {"since_id": "100", "next_token": "old-token", "newest_id": "500"})
    api = RecentSearch([150, 160, 499, 500, 501])
    with responses.RequestsMock() as rsps:
        rsps.add_callback(responses.GET, SEARCH_URL, callback=api)
        x.run(ctx)
    assert api.requests[0]["since_id"] == "500"
    assert (api.requests[1]["since_id"], api.requests[1]["until_id"]) == ("100", "500")
    assert all("next_token" not in r for r in api.requests)
    assert sorted(posts(db)) == ["150", "160", "499", "501"]
    assert pipeline.checkpoint(key) == {"since_id": "501"}


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 503, "body": UNAVAILABLE},
        {"status": 500, "body": "<html>Internal Server Error</html>"},
        {"body": requests.exceptions.ConnectTimeout("connect timed out")},
        {"body": requests.exceptions.ReadTimeout("read timed out")},
        {"body": '{"data": [{"id": "1", "text": "途中で切れ'},  # truncated JSON
        {"body": "<html>gateway</html>", "content_type": "text/html"},  # not JSON at all
    ],
    ids=["503", "500", "connect-timeout", "read-timeout", "truncated-json", "html"],
)
def test_transient_failures_are_retried(lite_ctx, lite_db, no_jitter, sleep, failure):
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, **failure)
        rsps.get(SEARCH_URL, body=page([tweet(301, "火事です")]))
        make(no_jitter).run(lite_ctx)
    assert sleep.calls == [1.0]
    assert list(posts(lite_db)) == ["301"]


def test_a_malformed_tweet_is_skipped_and_the_rest_kept(ctx, db, no_jitter):
    body = page([tweet(401, "火事1"), {"id": "402"}, tweet(403, "火事3")])
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, body=body)
        make(no_jitter).run(ctx)
    assert sorted(posts(db)) == ["401", "403"]


def test_duplicate_pages_store_nothing_twice_and_end_the_cycle(ctx, db, no_jitter):
    same = page([tweet(501, "火事A"), tweet(500, "火事B")], "t1")
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, body=same)
        rsps.get(SEARCH_URL, body=same)  # the API hands the same page and token again
        make(no_jitter).run(ctx)
        assert len(rsps.calls) == 2
    assert sorted(posts(db)) == ["500", "501"]
    assert ctx.duplicates == 2


def test_retweets_are_marked_and_collapsed_onto_the_original(ctx, db, no_jitter):
    original = tweet(600, "淀川区で浸水しています", author="9002")
    rt = tweet(601, "RT @namba_hanako: 淀川区で浸水しています", referenced_tweets=[{"type": "retweeted", "id": "600"}])
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, body=page([rt], included=[original]))
        make(no_jitter).run(ctx)
    stored = posts(db)
    assert stored["601"].text.startswith("RT @namba_hanako")
    assert stored["601"].raw["retweet_of"] == "600"
    assert stored["601"].duplicate_of == stored["600"].id
    assert stored["600"].duplicate_of is None


def test_point_geotags_become_coordinates(ctx, db, no_jitter):
    geo = {"coordinates": {"type": "Point", "coordinates": [135.4959, 34.7025]}}
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, body=page([tweet(700, "梅田で火事", geo=geo)]))
        make(no_jitter).run(ctx)
    p = posts(db)["700"]
    assert (p.geo_lat, p.geo_lon) == (34.7025, 135.4959)


def test_rate_limit_waits_until_reset_and_shows_it(pipeline, db, clock, no_jitter, sleep):
    reset = clock.now() + timedelta(minutes=15)
    x = make(no_jitter)
    scheduler = CollectorScheduler([x], pipeline, sleep=sleep)
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, status=429, body=RATE_LIMITED, headers={"x-rate-limit-reset": str(int(reset.timestamp()))})
        status = scheduler.run_once("x")
    assert status.state == "waiting"
    assert status.waiting_until == reset.replace(microsecond=0)
    assert sleep.calls == []  # no blocking sleep inside the job; the wait is in the status

    clock.advance(minutes=5)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        assert scheduler.run_once("x").state == "waiting"
        assert len(rsps.calls) == 0  # no request before the reset

    clock.advance(minutes=11)
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, body=page([tweet(800, "火事")]))
        status = scheduler.run_once("x")
    assert (status.state, status.items, status.waiting_until) == ("ok", 1, None)

    from collectors.status import StatusStore

    [saved] = StatusStore(db, clock).load_all()
    assert saved.state == "ok" and saved.items == 1


@pytest.mark.parametrize("header", ["10413792000", "99999999999999999999"], ids=["year-2300", "past-the-calendar"])
def test_a_reset_far_in_the_future_waits_15_minutes_and_says_so(pipeline, db, clock, no_jitter, sleep, capsys, header):
    x = make(no_jitter)
    scheduler = CollectorScheduler([x], pipeline, sleep=sleep)
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, status=429, body=RATE_LIMITED, headers={"x-rate-limit-reset": header})
        status = scheduler.run_once("x")
    assert status.state == "waiting"
    assert status.waiting_until == clock.now() + timedelta(minutes=15)
    assert "waiting 15 min 00 s" in status.last_error and "capped at 15 min" in status.last_error

    # Another station reads the same through `collect --status`.
    from disaster_desk.cli import main

    url = db.engine.url.render_as_string(hide_password=False)
    assert main(["collect", "--db", url, "--status"]) == 0
    [shown] = json.loads(capsys.readouterr().out)
    assert shown["state"] == "waiting"
    assert shown["waiting_until"] == (clock.now() + timedelta(minutes=15)).isoformat()
    assert "capped at 15 min" in shown["last_error"]

    clock.advance(minutes=15)
    with responses.RequestsMock() as rsps:  # the window is over: the collector asks again
        rsps.get(SEARCH_URL, body=page([tweet(810, "火事")]))
        assert scheduler.run_once("x").state == "ok"


def test_a_reset_in_the_past_does_not_wait(pipeline, clock, no_jitter, sleep):
    scheduler = CollectorScheduler([make(no_jitter)], pipeline, sleep=sleep)
    past = str(int((clock.now() - timedelta(hours=1)).timestamp()))
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, status=429, body=RATE_LIMITED, headers={"x-rate-limit-reset": past})
        status = scheduler.run_once("x")
    assert status.waiting_until == clock.now() and "waiting 0 s" in status.last_error


def test_missing_or_refused_token_is_a_permanent_error(ctx, monkeypatch, no_jitter):
    monkeypatch.delenv("DD_X_BEARER_TOKEN")
    monkeypatch.setattr("disaster_desk.core.secrets.get_secret", lambda name: None)
    monkeypatch.setattr("collectors.x.get_secret", lambda name: None)
    with pytest.raises(PermanentError, match="DD_X_BEARER_TOKEN"):
        make(no_jitter).run(ctx)
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, status=401, json={"title": "Unauthorized", "status": 401})
        with pytest.raises(PermanentError):
            make(no_jitter, bearer_token="wrong").run(ctx)
        assert len(rsps.calls) == 1  # not retried


def test_a_since_id_out_of_the_search_window_restarts_from_the_newest(ctx, db, pipeline, no_jitter):
    x = make(no_jitter)
    pipeline.save_checkpoint(x.checkpoint_key(x.queries[0]), {"since_id": "5"})
    refused = {
        "errors": [{"parameters": {"since_id": ["5"]}, "message": "Invalid 'since_id':'5'. 'since_id' must be a tweet id created after 2026-01-09T20:47Z."}],
        "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, status=400, json=refused)
        rsps.get(SEARCH_URL, body=page([tweet(900, "火事")]))
        x.run(ctx)
        assert params(rsps.calls[0])["since_id"] == "5"
        assert "since_id" not in params(rsps.calls[1])
    assert list(posts(db)) == ["900"]
    assert pipeline.checkpoint(x.checkpoint_key(x.queries[0])) == {"since_id": "900"}
