"""bench first_start: the first ``disaster-desk nlp analyze`` on a fresh machine against a warm start.

Whole processes, ``OMP_NUM_THREADS=1``, the same posts (``--posts N`` of the labelled corpus,
default 200), a fresh empty user cache and data dir for each "first" run:

- ``fresh install`` — after ``make venv``: the learned model is in the install
  (``disaster-desk nlp prepare``), the user cache is empty. Goal: at most 2x a warm start.
- ``no make venv`` — the install's model dir empty too (``DD_MODEL_DIR``), so the first start
  fits the model from the corpus, as every first start did before issue 15.
- ``warm`` — the same command again (``--runs R`` times, the median reported).

Prints wall time and peak RSS of each, and the ratios to the warm median, from one run on one
machine (figures in bench/README.md). ``python -m bench first_start --posts 200 --runs 3``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _posts(n: int) -> list[dict]:
    lines = (ROOT / "nlp" / "data" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [{"id": str(i), "text": json.loads(lines[i % len(lines)])["text"]} for i in range(n)]


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall s, peak RSS MiB, stderr) of one child process; exits on failure."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
                            env={**os.environ, "OMP_NUM_THREADS": "1", **env})
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"bench first_start: {' '.join(cmd[-4:])} failed:\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, err


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench first_start")
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="warm runs (median reported)")
    args = parser.parse_args(argv or [])
    from nlp import model_store

    path, done = model_store.prepare()  # what make venv did
    print(f"install model   {path.name} ({done}), {path.stat().st_size / 2**20:.0f} MiB")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        src = tmp_path / "posts.jsonl"
        src.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in _posts(args.posts)), encoding="utf-8")
        cmd = [sys.executable, "-m", "disaster_desk", "nlp", "analyze", str(src), "-o", str(tmp_path / "out.jsonl")]

        def fresh(name: str, **extra: str) -> dict[str, str]:
            base = tmp_path / name
            return {"DD_CACHE_DIR": str(base / "cache"), "DD_DATA_DIR": str(base / "data"),
                    "DD_CONFIG_DIR": str(base / "config"), **extra}

        load = os.getloadavg()[0]
        first = _run(cmd, fresh("install"))
        warm_env = fresh("install")  # the same dirs again: now a later start
        warm = [_run(cmd, warm_env) for _ in range(args.runs)]
        unfitted = _run(cmd, fresh("none", DD_MODEL_DIR=str(tmp_path / "none" / "models")))
        load_after = os.getloadavg()[0]
    median = statistics.median(w for w, _rss, _err in warm)
    print(f"posts           {args.posts}   load avg (1 min) {load:.1f} before, {load_after:.1f} after")
    print(f"warm start      {median:7.2f} s (median of {args.runs}: "
          f"{', '.join(f'{w:.2f}' for w, _r, _e in warm)})  peak RSS {warm[0][1]:5.0f} MiB")
    print(f"fresh install   {first[0]:7.2f} s  = {first[0] / median:4.2f}x warm  peak RSS {first[1]:5.0f} MiB"
          "  (model from make venv, empty user cache)")
    print(f"no make venv    {unfitted[0]:7.2f} s  = {unfitted[0] / median:4.2f}x warm  peak RSS {unfitted[1]:5.0f} MiB"
          f"  (fits the model; stderr: {len(unfitted[2].splitlines())} progress lines)")


if __name__ == "__main__":
    main(sys.argv[1:])
