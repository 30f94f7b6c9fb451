"""HTTP plumbing shared by the collectors: a requests session with a default timeout."""

from __future__ import annotations

from typing import Any

import requests

DEFAULT_TIMEOUT_S = 20.0
USER_AGENT = "disaster-desk-collector (+https://github.com/) requests"


class TimeoutSession(requests.Session):
    """Every request gets ``timeout`` unless the caller passes one (tweepy passes none)."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        super().__init__()
        self.timeout = timeout

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)
