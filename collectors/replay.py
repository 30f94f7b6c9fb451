"""Replaying a JSONL or CSV file of posts through the real ingest path (drills, reviews).

Each record is ``{"id", "text", "created_at", "author"?, "source"?}`` (CSV:
the same column names). A bad record is reported with its line number and
skipped; the others are stored. The checkpoint holds the next line to read,
so a replay killed half-way resumes where its last stored batch ended, and
replaying the same file again stores nothing twice (the ingest is idempotent
either way). ``rate`` paces the replay at N posts/s on the pipeline's clock.

Times without a zone are taken as JST: the files come from Japanese
sources and exports that write local time.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from collectors.base import Collector, RunContext
from disaster_desk.core.clock import JST
from disaster_desk.core.ingest import SOURCES, RawPost
from disaster_desk.errors import UserError, ValidationError

log = logging.getLogger(__name__)

BATCH = 500
#: With --rate, a batch holds at most rate/5 posts (0.2 s worth); it is stored early before a longer wait.
FLUSH_BEFORE_WAIT_S = 0.2


@dataclass
class ReplayProblem:
    line: int
    message: str


@dataclass
class ReplayReport:
    stored: int = 0
    duplicates: int = 0
    problems: list[ReplayProblem] = field(default_factory=list)
    resumed_at_line: int = 1


def parse_time(value: Any, field_name: str = "created_at") -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValidationError(f"expected an ISO 8601 time, got {type(value).__name__}", field=field_name)
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"not an ISO 8601 time: {value!r}", field=field_name) from None
    return when.replace(tzinfo=JST) if when.tzinfo is None else when


def record_to_post(record: Any, line: int) -> RawPost:
    """One replay record → :class:`RawPost`; raises :class:`ValidationError` naming the line and field."""
    if not isinstance(record, dict):
        raise ValidationError("expected a JSON object", line=line)
    try:
        post_id = record.get("id")
        if isinstance(post_id, int) and not isinstance(post_id, bool):
            post_id = str(post_id)
        source = record.get("source") or "replay"
        if source not in SOURCES:
            raise ValidationError(f"unknown source {source!r}", field="source")
        author = record.get("author")
        if author is not None and not isinstance(author, str):
            raise ValidationError("author must be a string", field="author")
        post = RawPost(
            source=source,
            external_id=post_id if isinstance(post_id, str) else "",
            text=record.get("text") if isinstance(record.get("text"), str) else "",
            author=author or None,
            created_at=parse_time(record.get("created_at")),
            raw={"replay": record},
        )
        post.validate()
    except ValidationError as exc:
        raise ValidationError(exc.message, field=exc.field, line=line) from None
    return post


def read_records(path: Path, start_line: int = 1) -> Iterator[tuple[int, Any]]:
    """(line number, record or exception) from ``start_line`` on; JSON errors are yielded, not raised."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            for row in reader:
                line = reader.line_num
                if line >= start_line:
                    yield line, {k: v for k, v in row.items() if k is not None}
        return
    with path.open(encoding="utf-8-sig") as fh:
        for line, text in enumerate(fh, start=1):
            if line < start_line or not text.strip():
                continue
            try:
                yield line, json.loads(text)
            except json.JSONDecodeError as exc:
                yield line, ValidationError(f"not valid JSON: {exc.msg} (column {exc.colno})", line=line)


def file_key(path: Path) -> str:
    """Checkpoint key for a file: its absolute path, hashed to fit the key column."""
    return "replay:" + hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:24]


def fingerprint(path: Path) -> str:
    """Hash of the file's first 4 KiB: a different file at the same path starts from line 1."""
    with path.open("rb") as fh:
        return hashlib.sha1(fh.read(4096)).hexdigest()


class ReplayCollector(Collector):
    def __init__(self, path: str | Path, *, rate: float | None = None, batch: int = BATCH) -> None:
        self.path = Path(path)
        if rate is not None and rate <= 0:
            raise UserError(f"--rate must be positive, not {rate}")
        self.rate = rate
        self.batch = max(1, min(batch, int(rate / 5) or 1)) if rate else batch
        self.name = "replay"
        self.interval_s = 60.0
        self.report = ReplayReport()
        self._lines: dict[tuple[str, str], int] = {}  # (source, id) -> line, for the batch being stored

    def run(self, ctx: RunContext) -> None:
        if not self.path.is_file():
            raise UserError(f"replay file not found: {self.path}")
        key = file_key(self.path)
        fp = fingerprint(self.path)
        cursor = ctx.checkpoint(key) or {}
        start = int(cursor.get("next_line", 1)) if cursor.get("fingerprint") == fp else 1
        report = self.report = ReplayReport(resumed_at_line=start)
        if start > 1:
            log.info("resuming replay of %s at line %d", self.path, start)
        t0 = ctx.clock.now()
        sent = 0
        batch: list[RawPost] = []
        self._lines = {}
        resume = start
        for line, record in read_records(self.path, start):
            if ctx.stopped:
                break
            try:
                if isinstance(record, Exception):
                    raise record
                post = record_to_post(record, line)
            except ValidationError as exc:
                report.problems.append(ReplayProblem(line, str(exc)))
                log.info("%s: %s (skipped)", self.path, exc)
                resume = line + 1
                continue
            if self.rate:
                due = sent / self.rate - (ctx.clock.now() - t0).total_seconds()
                if due > FLUSH_BEFORE_WAIT_S and batch:  # a long wait: store what is read first
                    self._flush(ctx, key, batch, line, fp)
                    batch = []
                if not ctx.sleep(due):
                    break
            batch.append(post)
            self._lines[(post.source, post.external_id)] = line
            sent += 1
            resume = line + 1
            if len(batch) >= self.batch:
                self._flush(ctx, key, batch, resume, fp)
                batch = []
        # The checkpoint names the first line not yet handled: after a stop, the next run starts there.
        self._flush(ctx, key, batch, resume, fp)

    def _flush(self, ctx: RunContext, key: str, batch: list[RawPost], next_line: int, fp: str) -> None:
        before_items, before_dups, before_refused = ctx.items, ctx.duplicates, len(ctx.refusals)
        ctx.store(batch, checkpoint=(key, {"path": str(self.path), "next_line": next_line, "fingerprint": fp}))
        self.report.stored += ctx.items - before_items
        self.report.duplicates += ctx.duplicates - before_dups
        for refusal in ctx.refusals[before_refused:]:
            line = self._lines.get((refusal.source, refusal.external_id), 0)
            self.report.problems.append(ReplayProblem(line, f"line {line}: post {refusal.external_id!r} refused: "
                                                            f"{refusal.reason}"))
        self._lines.clear()

