"""How a source can fail, as the scheduler needs to tell it apart.

Source adapters translate their library's exceptions into these three, so the
retry helper and the scheduler stay independent of tweepy, Mastodon.py or
requests.
"""

from __future__ import annotations

from datetime import datetime


class CollectorError(Exception):
    """A source failed; the run ends, the scheduler records it and backs off."""


class TransientError(CollectorError):
    """Worth retrying soon: 5xx, timeout, dropped connection, truncated or malformed JSON."""


class PermanentError(CollectorError):
    """Retrying now will not help: bad credentials, forbidden, bad request."""


class RateLimited(CollectorError):
    """The source asked us to wait until ``reset_at`` (e.g. HTTP 429 + x-rate-limit-reset)."""

    def __init__(self, message: str, reset_at: datetime) -> None:
        super().__init__(message)
        self.reset_at = reset_at
