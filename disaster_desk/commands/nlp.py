"""``disaster-desk nlp analyze|eval|prepare|reanalyze`` (docs/cli.md).

Loading the analyser says its steps on stderr (on a terminal; a first start fitting the
model always): stdout stays the commands' output.

spaCy and the gazetteer are imported inside the commands, so ``disaster-desk --help``
and the other subcommands start fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from disaster_desk.commands import add_common_options
from disaster_desk.errors import UserError

BATCH = 512


def register(sub) -> None:
    parser = sub.add_parser("nlp", help="classify and geolocate posts")
    nsub = parser.add_subparsers(dest="nlp_command", metavar="ACTION", required=True)

    analyze = nsub.add_parser("analyze", help="analyse a JSONL file of posts")
    analyze.add_argument("input", help='JSONL: one {"id", "text"} a line')
    analyze.add_argument("-o", "--output", default=None, help="output JSONL (default: stdout)")
    analyze.add_argument("--gazetteer-dir", default=None, help="imported gazetteer data to add")
    add_common_options(analyze)
    analyze.set_defaults(func=run_analyze)

    ev = nsub.add_parser("eval", help="evaluate on a labelled JSONL file")
    ev.add_argument("file")
    ev.add_argument("--gazetteer-dir", default=None)
    ev.add_argument("--json", action="store_true", help="print the metrics as JSON")
    add_common_options(ev)
    ev.set_defaults(func=run_eval)

    prep = nsub.add_parser("prepare", help="fit the learned model into the install (make venv does this)")
    prep.add_argument("--quiet", action="store_true", help="print nothing when the model is already there")
    add_common_options(prep)
    prep.set_defaults(func=run_prepare)

    re_ = nsub.add_parser("reanalyze", help="re-run stored posts analysed by another analyser version")
    re_.add_argument("--gazetteer-dir", default=None)
    add_common_options(re_)
    re_.set_defaults(func=run_reanalyze)


def read_posts(path: Path, errors: TextIO) -> Iterator[tuple[str, str]]:
    """``(id, text)`` per good line; bad lines are reported with their number and skipped."""
    try:
        fh = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UserError(f"{path}: {exc.strerror}") from None
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{path}:{n}: skipped: not valid JSON ({exc.msg})", file=errors)
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                print(f"{path}:{n}: skipped: no 'text' string", file=errors)
                continue
            yield str(record.get("id", n)), record["text"]


def _batches(items: Iterator[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    batch: list[tuple[str, str]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_analyze(args: argparse.Namespace) -> int:
    from disaster_desk.core.text import clean_text
    from nlp.analyser import get_analyser
    from nlp.progress import stderr_reporter

    path = Path(args.input)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    analyser = get_analyser(args.gazetteer_dir, progress=stderr_reporter())
    try:
        out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    except OSError as exc:
        raise UserError(f"{args.output}: {exc.strerror}") from None
    try:
        for batch in _batches(read_posts(path, sys.stderr), BATCH):
            for post_id, a in _analyse(analyser, batch, path):
                record = {"id": clean_text(post_id), "labels": a.labels, "ward": a.ward, "lat": a.lat,
                          "lon": a.lon, "place": a.place, "precision": a.precision, "status": a.status,
                          "confidence": a.confidence, "review": a.review}
                if a.truncated_bytes is not None:
                    record["truncated_bytes"] = a.truncated_bytes
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def _analyse(analyser, batch: list[tuple[str, str]], path: Path) -> Iterator[tuple[str, object]]:
    """(id, result) for a batch; if the batch fails, post by post, reporting the ones that fail and going on."""
    try:
        yield from zip([i for i, _ in batch], analyser.analyse([t for _, t in batch]), strict=True)
        return
    except Exception:  # noqa: BLE001 - one bad post must not stop the file; it is named below
        pass
    for post_id, text in batch:
        try:
            (result,) = analyser.analyse([text])
        except Exception as exc:  # noqa: BLE001
            print(f"{path}: id {post_id!r}: skipped: analysis failed ({type(exc).__name__}: {exc})", file=sys.stderr)
            continue
        yield post_id, result


def run_eval(args: argparse.Namespace) -> int:
    from nlp.analyser import get_analyser
    from nlp.evaluate import evaluate, format_report, read_gold
    from nlp.progress import stderr_reporter

    gold = read_gold(args.file)
    analyser = get_analyser(args.gazetteer_dir, progress=stderr_reporter())
    metrics = evaluate(gold, analyser.analyse([g.text for g in gold]))
    metrics["analyser_version"] = analyser.version
    print(json.dumps(metrics, ensure_ascii=False, indent=1) if args.json else format_report(metrics))
    return 0


def run_prepare(args: argparse.Namespace) -> int:
    """The install's learned model for the current corpus: kept, copied from the cache, or fitted."""
    import time

    from nlp.model_store import prepare
    from nlp.progress import stderr_reporter

    t0 = time.perf_counter()
    path, done = prepare(stderr_reporter(interactive=True))
    if not (args.quiet and done == "present"):
        print(json.dumps({"model": str(path), "done": done, "seconds": round(time.perf_counter() - t0, 1)}))
    return 0


def run_reanalyze(args: argparse.Namespace) -> int:
    from disaster_desk.commands import open_database
    from disaster_desk.core.analysis import AnalysisService
    from disaster_desk.core.clock import SystemClock
    from nlp.analyser import get_analyser
    from nlp.progress import stderr_reporter

    settings, db = open_database(args)
    try:
        analyser = get_analyser(args.gazetteer_dir or settings.gazetteer_dir, progress=stderr_reporter())
        done = AnalysisService(db, analyser, SystemClock()).reanalyse()
    finally:
        db.dispose()
    print(json.dumps({"reanalysed": done, "analyser_version": analyser.version}))
    return 0
