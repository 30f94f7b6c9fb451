"""The collectors the settings ask for (``collectors.x/mastodon/jma`` in settings.yaml)."""

from __future__ import annotations

import logging

from collectors.base import Collector
from disaster_desk.core.settings import Settings

log = logging.getLogger(__name__)


def build_collectors(settings: Settings) -> list[Collector]:
    """Enabled collectors, each with its configured interval. Secrets are read when a run starts."""
    cfg = settings.collectors
    out: list[Collector] = []
    if cfg.x.enabled:
        from collectors.x import XCollector

        out.append(XCollector(cfg.x.keywords, interval_s=cfg.x.interval_s))
        if cfg.x.use_stream:
            # The stream has no since_id: the recent search above fills whatever it misses.
            from collectors.x_stream import XStreamCollector

            out.append(XStreamCollector(cfg.x.keywords))
    if cfg.mastodon.enabled:
        from collectors.mastodon import MastodonCollector

        out.append(MastodonCollector(cfg.mastodon.instance, cfg.mastodon.hashtags, interval_s=cfg.mastodon.interval_s))
    if cfg.jma.enabled:
        from collectors.jma import JmaCollector

        out.append(JmaCollector(cfg.jma.feeds, interval_s=cfg.jma.interval_s))
    return out
