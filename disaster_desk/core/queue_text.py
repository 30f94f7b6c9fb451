"""Free-text search of the queue on SQLite: FTS5 queries over ``posts_fts``.

``posts_fts`` (migration 0007) is a contentless FTS5 table, trigram
tokenizer, kept by triggers on ``posts``:

* column ``t``: the post text, ASCII-lowered (the same case rule as SQLite's
  LIKE, so FTS and a LIKE scan always agree) plus two padding characters;
* column ``k``: the post's queue keys as codes (``§q1`` a real post with
  urgency >= 1, ``§lc`` label bit 2, ``§w北区§`` a ward, the UTC hour it
  was received (migration 0008), ...), empty when the post is not in the
  queue (not analysed, or a collapsed duplicate).

A term of 3+ characters is a trigram phrase (an exact substring match). A
1-2 character term (common in Japanese: 火災, 停電) has no trigram of its own;
thanks to the padding every occurrence starts some trigram, so the term is
the OR of the vocabulary's trigrams that begin with it (a range read of
``posts_fts_vocab``). The queue filters are ANDed in as ``k`` codes, so
``count(*) ... MATCH`` is the exact queue count without touching ``posts``.
A time window is the OR of the hours inside it; the two hours cut by its
ends are checked on ``posts`` (:func:`window_hours`).

The codes must equal those the migration's triggers write
(tests/core/test_queue_text.py checks every known state and source).
"""

from __future__ import annotations

import logging
import math
from datetime import datetime
from typing import Any

from sqlalchemy import text

from disaster_desk.core.modes import Scope

log = logging.getLogger(__name__)

PAD = "\ue000"
#: A 1-2 character term expanding to more vocabulary trigrams than this is searched with LIKE.
MAX_EXPANSION = 2000
STATES = {"new": "n", "acknowledged": "a", "verified": "v", "dismissed": "x", "shared": "s", "closed": "c"}
SOURCES = {"x": "x", "mastodon": "m", "bluesky": "b", "jma": "j", "replay": "r", "other": "o"}
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
#: A window of more whole hours than this is checked on ``posts`` instead.
MAX_HOURS = 24 * 62
_HOUR_BASE = 0xF0000  # supplementary private use area: never in a value


def hour_code(hour: int) -> str:
    """The ``k`` code of hour ``hour`` (hours since 1970-01-01 UTC): one trigram."""
    return "§" + chr(_HOUR_BASE + hour // 4096) + chr(_HOUR_BASE + hour % 4096)


def window_hours(since: datetime | None, until: datetime | None, first: datetime | None,
                 last: datetime | None) -> tuple[list[int], list[int]] | None:
    """(whole hours inside the window, hours cut by its ends); None when too many whole hours.

    ``first``/``last``: the scope's oldest and newest post, bounding an open
    end. A post of a whole hour is in the window; one of a cut hour may be.
    """
    if first is None or last is None:
        return [], []
    if since is not None and since <= first:
        since = None  # nothing older than the first post: no cut
    if until is not None and until > last:
        until = None
    start = since.timestamp() if since is not None else first.timestamp()
    end = until.timestamp() if until is not None else last.timestamp() + 1
    if end <= start:
        return [], []
    lo, hi = math.floor(start / 3600), math.floor(end / 3600)  # hours holding the first / the end instant
    cut = []
    if since is not None and start > lo * 3600:
        cut.append(lo)
        lo += 1
    if until is not None and end > hi * 3600 and hi not in cut:
        cut.append(hi)
    whole_end = hi if until is not None else math.floor(last.timestamp() / 3600) + 1
    whole = list(range(lo, whole_end))
    if len(whole) > MAX_HOURS:
        return None
    return whole, cut


def ascii_lower(term: str) -> str:
    """Lower-case ASCII letters only (SQLite's ``lower()`` and LIKE rule)."""
    return term.translate(_ASCII_LOWER)


def phrase(value: str) -> str:
    """An FTS5 string literal (a phrase): double quotes, inner quotes doubled."""
    return '"' + value.replace('"', '""') + '"'


def _any(column: str, codes: list[str]) -> str:
    return "(" + " OR ".join(f"{column}:{phrase(c)}" for c in codes) + ")"


def hours_condition(hours: list[int]) -> str:
    """Column ``k`` is one of ``hours`` (an empty list matches nothing)."""
    return _any("k", [hour_code(h) for h in hours]) if hours else f"k:{phrase('§none§')}"


def key_codes(scope: Scope, *, include_none: bool, mask: int | None, wards: list[str], states: list[str],
              sources: list[str]) -> list[str]:
    """FTS5 conditions on column ``k`` for the queue filters (ANDed by the caller)."""
    kind = "d" if scope.is_drill else "q"
    levels = [f"§{kind}1", f"§{kind}0"] if include_none else [f"§{kind}1"]
    parts = [_any("k", levels)]
    if scope.is_drill and scope.run_id:
        parts.append(_any("k", [f"§r{scope.run_id}§"]))
    if mask == 0:  # labels asked for, none of them known
        parts.append(f"k:{phrase('§none§')}")
    elif mask:
        parts.append(_any("k", [f"§l{chr(97 + i)}" for i in range(mask.bit_length()) if mask >> i & 1]))
    if wards:
        parts.append(_any("k", [f"§w{w}§" for w in wards]))
    if states:
        parts.append(_any("k", [f"§s{STATES[s]}" if s in STATES else f"§t{s}§" for s in states]))
    if sources:
        parts.append(_any("k", [f"§o{SOURCES[s]}" if s in SOURCES else f"§p{s}§" for s in sources]))
    return parts


def text_condition(session: Any, term: str) -> str | None:
    """The FTS5 condition on column ``t`` for ``term``; None when FTS cannot serve it (use LIKE).

    A short term with no trigram in the vocabulary yields a phrase that matches nothing.
    """
    folded = ascii_lower(term)
    if len(folded) >= 3:
        return f"t:{phrase(folded)}"
    if not folded or PAD in folded:
        return None
    grams = session.execute(
        text("SELECT term FROM posts_fts_vocab WHERE term >= :lo AND term < :hi LIMIT :n"),
        {"lo": folded, "hi": folded + "\U0010ffff", "n": MAX_EXPANSION + 1},
    ).scalars().all()
    if len(grams) > MAX_EXPANSION:
        log.debug("search term %r expands to over %d trigrams: LIKE", term, MAX_EXPANSION)
        return None
    if not grams:
        return f"t:{phrase(PAD * 3)}"  # matches no post (the padding is two characters long)
    return _any("t", list(grams))


def has_fts(session: Any) -> bool:
    """True when ``posts_fts`` exists (SQLite with FTS5, migration 0007 applied)."""
    return session.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'posts_fts_vocab'")).first() is not None


def is_search_object(name: str | None) -> bool:
    """Tables and indexes of migration 0007 that the models do not declare.

    ``posts_fts`` (FTS5, with its shadow tables ``posts_fts_data``, ...) and
    ``posts_fts_vocab`` on SQLite; ``ix_posts_text_trgm`` on PostgreSQL.
    """
    return bool(name) and (name.startswith("posts_fts") or name == "ix_posts_text_trgm")
