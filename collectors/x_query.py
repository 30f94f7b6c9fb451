"""X (Twitter) recent-search queries: configured keywords × area terms, Japanese only.

A query is ``(kw1 OR kw2 …) (area1 OR area2 …) lang:ja``; the API's query
length limit (512 characters on the basic tiers) splits the area terms over
several queries when needed, each with its own since_id checkpoint.

Ward names that other cities also have (北区, 中央区, 西区, 港区, 旭区, 鶴見区 …)
are written ``大阪市北区`` so that a post about Tokyo's 北区 is not collected.
"""

from __future__ import annotations

from collections.abc import Sequence

from disaster_desk.core.area import OSAKA_WARDS

MAX_QUERY = 512

#: Wards whose bare name is shared with wards of other cities.
AMBIGUOUS_WARDS = frozenset({"北区", "中央区", "西区", "港区", "旭区", "鶴見区", "東区", "南区", "城東区"})

#: Major stations and hubs of Osaka City people name in posts.
OSAKA_STATIONS: tuple[str, ...] = (
    "梅田", "大阪駅", "新大阪", "難波", "なんば", "天王寺", "京橋", "本町", "心斎橋", "淀屋橋",
    "鶴橋", "弁天町", "十三", "上本町", "阿倍野", "天満", "西九条", "住之江公園",
)


def area_terms(wards: Sequence[str] = OSAKA_WARDS, stations: Sequence[str] = OSAKA_STATIONS) -> list[str]:
    terms = ["大阪"]
    terms += [f"大阪市{w}" if w in AMBIGUOUS_WARDS else w for w in wards]
    terms += list(stations)
    return list(dict.fromkeys(terms))


def _quote(term: str) -> str:
    term = term.replace('"', "")
    return f'"{term}"' if any(c.isspace() for c in term) else term


def _group(terms: Sequence[str]) -> str:
    quoted = [_quote(t) for t in terms]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


def build_queries(
    keywords: Sequence[str],
    areas: Sequence[str] | None = None,
    *,
    include_retweets: bool = True,
    max_len: int = MAX_QUERY,
) -> list[str]:
    """Queries covering every keyword × area term pair, each within ``max_len`` characters."""
    keywords = [k.strip() for k in keywords if k and k.strip()]
    if not keywords:
        raise ValueError("no X keywords configured (collectors.x.keywords)")
    areas = [a.strip() for a in (areas if areas is not None else area_terms()) if a and a.strip()]
    suffix = " lang:ja" + ("" if include_retweets else " -is:retweet")
    head = _group(keywords) + " "
    queries: list[str] = []
    chunk: list[str] = []
    for term in areas:
        trial = head + _group([*chunk, term]) + suffix
        if len(trial) > max_len and chunk:
            queries.append(head + _group(chunk) + suffix)
            chunk = [term]
        else:
            chunk.append(term)
    if chunk:
        queries.append(head + _group(chunk) + suffix)
    elif not areas:
        queries.append(head.strip() + suffix)
    for query in queries:
        if len(query) > max_len:
            raise ValueError(f"X query longer than {max_len} characters even with one area term: {query!r}")
    return queries
