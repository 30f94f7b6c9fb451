"""Which collectors the settings switch on."""

from __future__ import annotations

from collectors.config import build_collectors
from disaster_desk.core.settings import Settings


def test_nothing_is_enabled_by_default():
    assert build_collectors(Settings()) == []


def test_enabled_collectors_with_their_intervals():
    settings = Settings.model_validate(
        {
            "collectors": {
                "x": {"enabled": True, "keywords": ["地震"], "interval_s": 30, "use_stream": True},
                "mastodon": {"enabled": True, "instance": "https://mstdn.example", "hashtags": ["大阪"]},
                "jma": {"enabled": True, "interval_s": 120},
            }
        }
    )
    collectors = {c.name: c for c in build_collectors(settings)}
    assert set(collectors) == {"x", "x-stream", "mastodon", "jma"}
    assert collectors["x"].interval_s == 30 and collectors["jma"].interval_s == 120
    assert all(q.startswith("地震 ") for q in collectors["x"].queries)
    assert collectors["mastodon"].timelines == [("tag", "大阪")]
