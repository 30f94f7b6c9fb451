"""Small inline-SVG charts for the after-action report (no JS, prints well).

Every function returns an ``<svg>`` string; all text passed in is escaped here.
Colours are given by the caller (label colours from core.taxonomy).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

W, H = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 36


def _svg(body: str, width: int = W, height: int = H, title: str = "") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>{body}</svg>'
    )


def nice_max(value: float) -> int:
    """The y-axis top for counts: a multiple of 4 (so the 5 grid lines fall on whole numbers), at least 4."""
    top = max(int(math.ceil(value)), 1)
    return 4 * math.ceil(top / 4)


def _axes(ymax: float, xlabels: Sequence[tuple[float, str]], y_suffix: str = "") -> str:
    """Axes with 5 horizontal grid lines; callers pass a ``ymax`` whose quarters are whole numbers."""
    parts = [
        f'<line x1="{LEFT}" y1="{H - BOTTOM}" x2="{W - RIGHT}" y2="{H - BOTTOM}" stroke="#333"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{H - BOTTOM}" stroke="#333"/>',
    ]
    for i in range(5):
        value = ymax * i / 4
        y = _y(value, ymax)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>')
        label = f"{value:.0f}" if float(value).is_integer() else f"{value:g}"
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{label}{y_suffix}</text>')
    for x, label in xlabels:
        parts.append(
            f'<text x="{x:.1f}" y="{H - BOTTOM + 16}" text-anchor="middle" font-size="11">{escape(label)}</text>'
        )
    return "".join(parts)


def _y(value: float, ymax: float) -> float:
    return H - BOTTOM - (value / ymax if ymax else 0) * (H - TOP - BOTTOM)


def stacked_bars(
    buckets: Sequence[str], series: dict[str, Sequence[int]], colours: dict[str, str], names: dict[str, str], title: str
) -> str:
    """One bar per bucket, stacked by series (e.g. posts per 5 min by label)."""
    n = max(len(buckets), 1)
    totals = [sum(values[i] for values in series.values()) for i in range(len(buckets))]
    ymax = nice_max(max(totals, default=0))
    slot = (W - LEFT - RIGHT) / n
    bar = slot * 0.8
    parts = [_axes(ymax, [(LEFT + slot * (i + 0.5), b) for i, b in enumerate(buckets) if i % max(1, n // 12) == 0])]
    for i in range(len(buckets)):
        base = 0.0
        for key, values in series.items():
            v = values[i]
            if not v:
                continue
            y0, y1 = _y(base, ymax), _y(base + v, ymax)
            parts.append(
                f'<rect x="{LEFT + slot * i + (slot - bar) / 2:.1f}" y="{y1:.1f}" width="{bar:.1f}" '
                f'height="{y0 - y1:.1f}" fill="{escape(colours.get(key, "#888"))}">'
                f"<title>{escape(buckets[i])} {escape(names.get(key, key))}: {v}</title></rect>"
            )
            base += v
    return _svg("".join(parts), title=title)


def bars(labels: Sequence[str], values: Sequence[float], title: str, colour: str = "#2c7bb6", suffix: str = "") -> str:
    """Simple vertical bars (e.g. a histogram)."""
    n = max(len(labels), 1)
    ymax = nice_max(max(values, default=0))
    slot = (W - LEFT - RIGHT) / n
    bar = slot * 0.7
    parts = [_axes(ymax, [(LEFT + slot * (i + 0.5), label) for i, label in enumerate(labels)])]
    for i, v in enumerate(values):
        y = _y(v, ymax)
        x = LEFT + slot * i + (slot - bar) / 2
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{H - BOTTOM - y:.1f}" fill="{colour}"/>')
        if v:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="11">{v:g}{suffix}</text>')
    return _svg("".join(parts), title=title)


def muster_curve(points: Sequence[tuple[float, float]], end_s: float, target_rate: float, target_at_s: float,
                 title: str) -> str:
    """Muster rate (%) over minutes as a step line, with the BCP target marked."""
    xmax = max(end_s, target_at_s, max((t for t, _ in points), default=0), 60.0)

    def x(t: float) -> float:
        return LEFT + t / xmax * (W - LEFT - RIGHT)

    step = max(10, int(xmax / 60 / 6 // 10 * 10) or 10)
    ticks = [(x(m * 60), f"{m}分") for m in range(0, int(xmax / 60) + 1, step)]
    parts = [_axes(100, ticks, "%")]
    ty = _y(target_rate * 100, 100)
    parts.append(f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{W - RIGHT}" y2="{ty:.1f}" stroke="#d7191c" stroke-dasharray="6 4"/>')
    parts.append(f'<line x1="{x(target_at_s):.1f}" y1="{TOP}" x2="{x(target_at_s):.1f}" y2="{H - BOTTOM}" '
                 f'stroke="#d7191c" stroke-dasharray="6 4"/>')
    parts.append(f'<circle cx="{x(target_at_s):.1f}" cy="{ty:.1f}" r="5" fill="none" stroke="#d7191c" stroke-width="2"/>')
    parts.append(f'<text x="{x(target_at_s) + 6:.1f}" y="{ty - 6:.1f}" font-size="11" fill="#d7191c">'
                 f"BCP目標 {target_rate * 100:g}% / {target_at_s / 60:g}分</text>")
    if points:
        path = [f"M{x(0):.1f},{_y(0, 100):.1f}"]
        for t, rate in points:
            path.append(f"H{x(t):.1f}V{_y(rate * 100, 100):.1f}")
        path.append(f"H{x(end_s):.1f}")
        parts.append(f'<path d="{"".join(path)}" fill="none" stroke="#1a9641" stroke-width="2.5"/>')
    return _svg("".join(parts), title=title)


def timeline(marks: Sequence[tuple[float, str, str]], end_s: float, colours: dict[str, str], title: str) -> str:
    """One row per kind of event, a tick at each event's scenario second."""
    kinds = list(dict.fromkeys(kind for _, kind, _ in marks))
    height = TOP + BOTTOM + 22 * max(len(kinds), 1)
    xmax = max(end_s, 60.0)

    def x(t: float) -> float:
        return 110 + t / xmax * (W - 110 - RIGHT)

    parts = []
    for row, kind in enumerate(kinds):
        y = TOP + 22 * row + 11
        parts.append(f'<text x="104" y="{y + 4}" text-anchor="end" font-size="11">{escape(kind)}</text>')
        parts.append(f'<line x1="110" y1="{y}" x2="{W - RIGHT}" y2="{y}" stroke="#eee"/>')
    for t, kind, label in marks:
        y = TOP + 22 * kinds.index(kind) + 11
        parts.append(f'<rect x="{x(t) - 1.5:.1f}" y="{y - 8}" width="3" height="16" fill="{colours.get(kind, "#555")}">'
                     f"<title>{escape(label)}</title></rect>")
    step = max(10, int(xmax / 60 / 6 // 10 * 10) or 10)
    for m in range(0, int(xmax / 60) + 1, step):
        parts.append(f'<text x="{x(m * 60):.1f}" y="{height - BOTTOM + 16}" text-anchor="middle" font-size="11">{m}分</text>')
    return _svg("".join(parts), height=height, title=title)
