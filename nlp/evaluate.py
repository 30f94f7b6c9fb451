"""Evaluation of the analyser on a labelled JSONL file (``disaster-desk nlp eval``).

Gold records: ``{"id", "text", "labels": [...], "ward": str|null, "lat": float|null,
"lon": float|null, "place"?: str, "precision"?: str, "out_of_area"?: bool}``.

Metrics: per-label precision/recall/F1 over the 11 labels and their macro mean;
rescue recall; ward accuracy (predicted ward equals gold ward, null included);
share of posts naming a station/landmark/facility/address placed within 1.5 km;
pins for posts about other cities (``out_of_area``) and pins for posts whose
gold has no place at all.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from disaster_desk.core.analysis import PostAnalysis
from disaster_desk.core.taxonomy import LABELS
from disaster_desk.errors import UserError
from nlp.geoparser import distance_km

#: Gold precisions that count as "naming a station/landmark/address".
POINT_PRECISIONS = frozenset({"address", "town", "facility", "landmark", "station"})
WITHIN_KM = 1.5


@dataclass
class Gold:
    id: str
    text: str
    labels: list[str]
    ward: str | None
    lat: float | None
    lon: float | None
    precision: str | None
    out_of_area: bool


def read_gold(path: str | Path) -> list[Gold]:
    records: list[Gold] = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            labels = list(r["labels"])
            unknown = [x for x in labels if x not in LABELS]
            if unknown:
                raise ValueError(f"unknown labels {unknown}")
            records.append(
                Gold(str(r.get("id", n)), r["text"], labels, r.get("ward"), r.get("lat"), r.get("lon"),
                     r.get("precision"), bool(r.get("out_of_area", False)))
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise UserError(f"{path}: line {n}: {exc}") from None
    return records


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def label_scores(pairs: Sequence[tuple[Collection[str], Collection[str]]]) -> dict[str, dict]:
    """Precision, recall, F1 and support per label of (gold labels, predicted labels) pairs."""
    per_label = {}
    for label in LABELS:
        tp = sum(1 for g, p in pairs if label in g and label in p)
        fp = sum(1 for g, p in pairs if label not in g and label in p)
        fn = sum(1 for g, p in pairs if label in g and label not in p)
        pr, rc, f1 = _prf(tp, fp, fn)
        per_label[label] = {"precision": pr, "recall": rc, "f1": f1, "support": tp + fn}
    return per_label


def evaluate(gold: Sequence[Gold], pred: Sequence[PostAnalysis]) -> dict:
    per_label = label_scores([(g.labels, p.labels) for g, p in zip(gold, pred, strict=True)])
    point = [(g, p) for g, p in zip(gold, pred, strict=True) if _names_point(g)]
    within = sum(
        1 for g, p in point if p.lat is not None and distance_km(g.lat, g.lon, p.lat, p.lon) <= WITHIN_KM
    )
    return {
        "posts": len(gold),
        "per_label": per_label,
        "macro_f1": sum(v["f1"] for v in per_label.values()) / len(LABELS),
        "rescue_recall": per_label["rescue"]["recall"],
        "ward_accuracy": sum(1 for g, p in zip(gold, pred, strict=True) if g.ward == p.ward) / max(1, len(gold)),
        "ward_accuracy_named": _ratio([(g.ward == p.ward) for g, p in zip(gold, pred, strict=True) if g.ward]),
        "point_posts": len(point),
        "within_1_5km": within / max(1, len(point)),
        "out_of_area_posts": sum(1 for g in gold if g.out_of_area),
        "out_of_area_pins": sum(1 for g, p in zip(gold, pred, strict=True) if g.out_of_area and p.lat is not None),
        "pins_without_place": sum(1 for g, p in zip(gold, pred, strict=True) if g.lat is None and p.lat is not None),
    }


def _names_point(g: Gold) -> bool:
    if g.lat is None or g.lon is None:
        return False
    return g.precision in POINT_PRECISIONS if g.precision else True


def _ratio(flags: Iterable[bool]) -> float:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else 1.0


def format_report(m: dict) -> str:
    lines = [f"{'label':<12}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}"]
    for label, v in m["per_label"].items():
        lines.append(f"{label:<12}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}{v['support']:>6}")
    lines += [
        f"posts               {m['posts']}",
        f"macro-F1 (11)       {m['macro_f1']:.3f}",
        f"rescue recall       {m['rescue_recall']:.3f}",
        f"ward accuracy       {m['ward_accuracy']:.3f}  (posts naming a ward: {m['ward_accuracy_named']:.3f})",
        f"within 1.5 km       {m['within_1_5km']:.3f}  of {m['point_posts']} posts naming a point",
        f"out-of-area pins    {m['out_of_area_pins']}  of {m['out_of_area_posts']} posts about other cities",
        f"pins without place  {m['pins_without_place']}",
    ]
    return "\n".join(lines)
