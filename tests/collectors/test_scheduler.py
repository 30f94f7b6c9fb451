"""Scheduling: isolation between collectors, backoff and recovery, no overlapping runs."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import responses
from sqlalchemy import func, select

from collectors.base import Collector
from collectors.mastodon import MastodonCollector
from collectors.scheduler import CollectorScheduler
from collectors.status import StatusStore
from collectors.x import XCollector
from disaster_desk.core.ingest import RawPost
from disaster_desk.core.models import Post

from .conftest import TopOfRange
from .test_mastodon import INSTANCE, INSTANCE_V2, TAG_URL, status
from .x_payloads import SEARCH_URL, UNAVAILABLE, page, tweet


def test_a_source_down_for_an_hour_does_not_stop_the_others_and_recovers(pipeline, db, clock, sleep, no_jitter, monkeypatch):
    monkeypatch.setenv("DD_X_BEARER_TOKEN", "t")
    x = XCollector(["火事"], areas=["大阪"], backoff=no_jitter, interval_s=60)
    m = MastodonCollector(INSTANCE, ["大阪地震"], backoff=no_jitter, access_token="t", interval_s=60)
    scheduler = CollectorScheduler([x, m], pipeline, sleep=sleep, rng=TopOfRange())
    outage_end = clock.now() + timedelta(hours=1)
    counter = {"x": 1000, "m": 5000, "x_calls": 0}

    def x_search(request):
        if clock.now() < outage_end:
            counter["x_calls"] += 1
            return 503, {}, UNAVAILABLE
        counter["x"] += 1
        return 200, {"content-type": "application/json"}, page([tweet(counter["x"], "火事です")])

    def mastodon_tag(request):
        counter["m"] += 1
        import json

        return 200, {"content-type": "application/json"}, json.dumps([status(counter["m"], "<p>地震</p>")])

    x_status_seen = set()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback(responses.GET, SEARCH_URL, callback=x_search)
        rsps.add_callback(responses.GET, TAG_URL, callback=mastodon_tag)
        rsps.get(INSTANCE + "/api/v2/instance/", json=INSTANCE_V2)
        start = clock.now()
        recovered_at = None
        while clock.now() < start + timedelta(minutes=90):
            for name in ("x", "mastodon"):
                st = scheduler.run_once(name)
                if name == "x":
                    x_status_seen.add(st.state)
                    if st.state == "ok" and recovered_at is None:
                        recovered_at = clock.now()
                else:
                    assert st.state == "ok", st.last_error  # Mastodon keeps collecting all along
            clock.advance(60)

    assert {"error", "waiting", "ok"} <= x_status_seen
    assert recovered_at is not None and recovered_at - outage_end <= timedelta(minutes=10)
    # Backoff at the top of its jitter: about 10 attempts in the hour instead of 60 (each is 3 tries).
    assert counter["x_calls"] <= 3 * 12
    saved = {s.name: s for s in StatusStore(db, clock).load_all()}
    assert saved["x"].state == "ok" and saved["x"].failures == 0 and saved["x"].last_error is None
    assert saved["mastodon"].state == "ok"
    with db.session() as s:
        by_source = dict(s.execute(select(Post.source, func.count(Post.id)).group_by(Post.source)).all())
    assert by_source["mastodon"] >= 85
    assert by_source["x"] >= 1


class Slow(Collector):
    """Takes longer than its interval; counts how many runs overlap."""

    name = "slow"
    interval_s = 1.0

    def __init__(self) -> None:
        self.active = 0
        self.max_active = 0
        self.runs = 0
        self.lock = threading.Lock()

    def run(self, ctx) -> None:
        with self.lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        ctx.sleep(1.6)
        with self.lock:
            self.active -= 1
            self.runs += 1
        ctx.store([RawPost(source="other", external_id=f"slow-{self.runs}", text="t")])


class Broken(Collector):
    name = "broken"
    interval_s = 1.0

    def run(self, ctx) -> None:
        raise RuntimeError("source exploded")


@pytest.mark.timeout(60)
def test_background_scheduler_runs_each_on_its_own_without_overlap(lite_db):
    from collectors.pipeline import Pipeline
    from disaster_desk.core.clock import SystemClock

    db = lite_db
    pipeline = Pipeline(db, SystemClock())
    slow, broken = Slow(), Broken()
    scheduler = CollectorScheduler([slow, broken], pipeline, max_backoff_s=1)
    scheduler.start()
    try:
        deadline = time.monotonic() + 20
        while slow.runs < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        scheduler.shutdown(wait=True)
    assert slow.runs >= 2 and slow.max_active == 1
    st = {s.name: s for s in scheduler.status()}
    assert st["broken"].last_error == "RuntimeError: source exploded" and st["broken"].failures >= 1
    assert st["slow"].state == "stopped"
    saved = {s.name: s for s in StatusStore(db, pipeline.clock).load_all()}
    assert saved["broken"].last_error == "RuntimeError: source exploded"


def test_run_now_while_a_run_is_going_on_does_not_overlap(lite_db, clock):
    from collectors.pipeline import Pipeline

    release = threading.Event()

    class Blocking(Collector):
        name = "blocking"
        runs = 0

        def run(self, ctx) -> None:
            Blocking.runs += 1
            release.wait(10)

    scheduler = CollectorScheduler([Blocking()], Pipeline(lite_db, clock))
    worker = threading.Thread(target=scheduler.run_once, args=["blocking"])
    worker.start()
    deadline = time.monotonic() + 10
    while scheduler.status()[0].state != "running" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert scheduler.run_once("blocking").state == "running"  # returned at once, no second run
    release.set()
    worker.join(10)
    assert Blocking.runs == 1 and scheduler.status()[0].state == "ok"
