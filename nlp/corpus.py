"""The labelled corpus written for the project (nlp/data): source TSV → JSONL with gold coordinates.

Source lines are ``labels<TAB>ward<TAB>place<TAB>text``; ``-`` means none and
ward ``OUT`` marks a post about another city. The gold place is a name
annotated by hand; its coordinates are looked up in the gazetteer (shipped
files + the shared towns/shelters imported), restricted to the gold ward, so
the JSONL carries ``lat``/``lon`` and ``precision`` like the acceptance set.

Rebuild with ``python -m nlp.corpus GAZETTEER_DIR`` (see tests/nlp/test_corpus.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from nlp.gazetteer import Gazetteer, Place, key

DATA = Path(__file__).parent / "data"
SPLITS = ("train", "dev")
_KIND_PRECISION = {"facility": "facility", "shelter": "facility", "landmark": "landmark", "station": "station",
                   "ward": "ward"}


def gold_place(gaz: Gazetteer, name: str, ward: str) -> tuple[Place, str]:
    candidates = [p for p in gaz.index.get(key(name), []) + gaz.index.get(key(name) + "駅", []) if p.ward == ward]
    if not candidates:
        raise KeyError(f"gold place {name!r} in {ward} not in the gazetteer")
    order = ("town", "facility", "shelter", "landmark", "station", "ward")
    best = min(candidates, key=lambda p: order.index(p.kind))
    if best.kind == "town":
        return best, "address" if best.is_chome else "town"
    return best, _KIND_PRECISION[best.kind]


def build_split(gaz: Gazetteer, split: str) -> list[dict]:
    return build_tsv(gaz, DATA / f"{split}.tsv", split)


def build_tsv(gaz: Gazetteer, src: Path, prefix: str) -> list[dict]:
    """The gold records of one source TSV (a split, or a fresh batch before it joins one)."""
    records = []
    for n, line in enumerate(src.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        labels, ward, place, text = line.split("\t", 3)
        rec: dict = {"id": f"{prefix}-{n:04d}", "text": text, "labels": labels.split(","), "ward": None,
                     "lat": None, "lon": None, "place": None, "precision": None}
        if ward == "OUT":
            rec["out_of_area"] = True
        elif ward != "-":
            rec["ward"] = ward
            try:
                p, precision = gold_place(gaz, place, ward) if place != "-" else gold_place(gaz, ward, ward)
            except KeyError as exc:
                print(f"{src.name}:{n}: {exc}", file=sys.stderr)
                continue
            rec.update(lat=p.lat, lon=p.lon, place=p.name, precision=precision)
        records.append(rec)
    return records


def main(argv: list[str]) -> int:
    if argv[:1] == ["--batch"]:  # python -m nlp.corpus --batch fresh.tsv → fresh.jsonl beside it
        gaz = Gazetteer.load(None)
        for name in argv[1:]:
            src = Path(name)
            records = build_tsv(gaz, src, src.stem)
            with src.with_suffix(".jsonl").open("w", encoding="utf-8") as fh:
                for rec in records:
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            print(f"{src}: {len(records)} posts")
        return 0
    gaz = Gazetteer.load(argv[0] if argv else None)
    for split in SPLITS:
        records = build_split(gaz, split)
        with (DATA / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(f"{split}: {len(records)} posts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
