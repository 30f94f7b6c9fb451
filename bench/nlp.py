"""bench nlp: whole-process ``disaster-desk nlp analyze`` vs a bare ja_ginza pipe, same posts, same run.

Both run as fresh processes (model/dictionary loading included) with
OMP_NUM_THREADS=1 over the same 3,000 posts (``DD_BENCH_NLP_POSTS`` to change; the labelled corpus texts cycled,
each made unique). Prints wall time, posts/s, the ratio, and each process's
peak RSS (from ``os.wait4``). Our side uses the shipped gazetteer and the area pack's
towns and shelters (resources/areas/osaka-city), as in production.

Our side runs twice: first with an empty user cache dir (a fresh install: the learned
model is read from the install, where ``make venv`` put it), then again (every later start).
``bench first_start`` compares a first start with and without that model.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
N_POSTS = int(os.environ.get("DD_BENCH_NLP_POSTS", "3000"))

BASELINE = """
import json, sys, spacy
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
nlp = spacy.load("ja_ginza")
n = sum(1 for _ in nlp.pipe(texts, batch_size=64))
print(n)
"""


def _posts() -> list[dict]:
    texts = []
    for split in ("train", "dev"):
        for line in (ROOT / "nlp" / "data" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["text"])
    return [{"id": str(i), "text": f"{texts[i % len(texts)]} ({i})"} for i in range(N_POSTS)]


def _run(cmd: list[str], **extra_env: str) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, return code) of one child process."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", **extra_env}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status:
        sys.stderr.write(proc.stderr.read().decode(errors="replace")[-2000:])
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        src = tmp_path / "posts.jsonl"
        src.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in _posts()), encoding="utf-8")
        gaz = tmp_path / "gazetteer"
        gaz.mkdir(exist_ok=True)
        ours = [sys.executable, "-m", "disaster_desk", "nlp", "analyze", str(src), "-o", str(tmp_path / "out.jsonl"),
                "--gazetteer-dir", str(gaz)]
        base = [sys.executable, "-c", BASELINE, str(src)]
        cache = str(tmp_path / "cache")
        c_wall, c_rss, c_rc = _run(ours, DD_CACHE_DIR=cache)
        o_wall, o_rss, o_rc = _run(ours, DD_CACHE_DIR=cache)
        b_wall, b_rss, b_rc = _run(base)
        if o_rc or b_rc or c_rc:
            raise SystemExit(f"bench nlp: a process failed (ours rc={c_rc}/{o_rc}, baseline rc={b_rc})")
        lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n")
        assert lines == N_POSTS, lines
    print(f"posts                         {N_POSTS}")
    print(f"bare ja_ginza pipe (bs=64)    {b_wall:7.2f} s  {N_POSTS / b_wall:8.0f} posts/s  peak RSS {b_rss:6.0f} MiB")
    print(f"nlp analyze, first start      {c_wall:7.2f} s  {N_POSTS / c_wall:8.0f} posts/s  peak RSS {c_rss:6.0f} MiB"
          "  (empty user cache)")
    print(f"disaster-desk nlp analyze     {o_wall:7.2f} s  {N_POSTS / o_wall:8.0f} posts/s  peak RSS {o_rss:6.0f} MiB")
    print(f"ratio (whole process)         {b_wall / o_wall:7.1f}x faster ({b_wall / c_wall:.1f}x on a first start)")
    cost = _sanitiser_cost()
    print(f"sanitiser (clean_text + NFKC byte cut) {cost * 1e6 / N_POSTS:.1f} µs/post, "
          f"{cost:.3f} s = {cost / o_wall:.2%} of nlp analyze")


def _sanitiser_cost() -> float:
    """Seconds the text boundary (clean_text, then the tokenizer's byte cut) takes over the same posts.

    The analyser normalises (NFKC) with or without it, so that is not counted.
    """
    from disaster_desk.core.text import clean_text, cut_utf8

    texts = [p["text"] for p in _posts()]
    start = time.perf_counter()
    for text in texts:
        cut_utf8(clean_text(text), 49_149)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
