"""Public bulletins: a notice composed from verified items, published as static files.

The operator picks verified (or already shared) items and writes a title and a
text; :meth:`BulletinService.publish` writes into a folder a web server
publishes::

    index.html          the newest bulletin in full + the list of earlier ones
    b/<id>.html         one page per bulletin (the URL counted by ``bulletin stats``)
    feed.atom           Atom feed (RFC 4287), newest first
    bulletins.json      every bulletin as JSON (the folder's history)

All text is escaped (HTML, XML) and passes the public privacy rules (no author
handles, no house numbers). Drill bulletins are marked 【訓練】/EXERCISE on
every page and in the feed, and a folder holds either real or drill
bulletins, never both. Text passes :func:`disaster_desk.core.text.xml_safe`
(what XML forbids is dropped). A publication is one step: the files are built
in a folder next to the target, renamed into place inside the transaction
that writes the audit entry, and taken back out if that transaction fails
(:class:`disaster_desk.core.staged_files.StagedFiles`) — all files and the
audit entry, or none of them. Each file is replaced by a rename, so the web
server never serves half a page. Pages end with the area data's attributions
(ward names come from the area pack), the feed carries them as ``<rights>``.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import select

from disaster_desk.core import audit
from disaster_desk.core.area_pack import export_attributions
from disaster_desk.core.clock import JST, Clock
from disaster_desk.core.db import Database
from disaster_desk.core.exports.privacy import PUBLIC
from disaster_desk.core.items import POST, REPORT, ItemKey
from disaster_desk.core.models import Post, Report
from disaster_desk.core.modes import REAL_SCOPE, Scope, mode_filter
from disaster_desk.core.report_rows import report_text
from disaster_desk.core.staged_files import StagedFiles
from disaster_desk.core.text import clean_text, xml_safe, xml_safe_value
from disaster_desk.errors import UserError, ValidationError

log = logging.getLogger(__name__)

PUBLISHABLE = frozenset({"verified", "shared"})
ATOM = "http://www.w3.org/2005/Atom"
PUBLISHER = "大阪市災害対策本部"
FEED_SIZE = 50


@dataclass
class Bulletin:
    id: str
    title: str
    body: str
    published_at: str  # ISO 8601, JST
    mode: str
    run_id: str
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def drill(self) -> bool:
        return self.mode == "drill"

    @property
    def display_title(self) -> str:
        return f"【訓練 EXERCISE】{self.title}" if self.drill else self.title


def parse_item_key(key: str) -> tuple[str, int]:
    """``"post:12"`` → ``("post", 12)``: a bulletin holds posts and reports."""
    item = ItemKey.parse(key, types=(POST, REPORT), field="items")
    return item.type, item.id


class BulletinService:
    def __init__(self, db: Database, clock: Clock, scope: Scope = REAL_SCOPE) -> None:
        scope.one_run("a drill bulletin belongs to one run")
        self.db = db
        self.clock = clock
        self.scope = scope

    def publish(self, title: str, body: str, items: Sequence[str | tuple[str, int]], *, actor: str,
                out_dir: str | Path) -> Bulletin:
        title, body = clean_text(title).strip(), clean_text(body).strip()  # the text boundary
        if not title:
            raise ValidationError("a bulletin needs a title", field="title")
        keys = [parse_item_key(k) if isinstance(k, str) else k for k in items]
        if not keys and not body:
            raise ValidationError("a bulletin needs a text or at least one item", field="body")
        out = Path(out_dir)
        history = load_history(out)
        if any(b.mode != self.scope.mode for b in history):
            raise UserError(f"{out} holds {history[0].mode} bulletins; publish {self.scope.mode} ones elsewhere")
        now = self.clock.now()
        with StagedFiles(out) as files:
            with self.db.session() as session:
                entries = [self._item(session, kind, item_id) for kind, item_id in keys]
                stamp = now.astimezone(JST)
                prefix = f"drill-{self.scope.run_id}-" if self.scope.is_drill else ""
                bulletin = Bulletin(
                    id=f"{prefix}{stamp:%Y%m%d-%H%M%S}-{len(history) + 1}", title=xml_safe(title),
                    body=xml_safe(body), published_at=stamp.isoformat(timespec="seconds"), mode=self.scope.mode,
                    run_id=self.scope.run_id, items=xml_safe_value(entries),
                )
                write_site(files.root, [bulletin, *history])
                audit.record(session, at=now, actor=actor, action="bulletin.publish", item_type="bulletin",
                             item_id=bulletin.id, scope=self.scope,
                             after={"title": title, "items": [str(ItemKey(k, i)) for k, i in keys],
                                    "folder": str(out)})
                session.flush()  # the audit entry is accepted before the files go in
                files.install()
            # leaving the session commits; if that fails, leaving StagedFiles takes the files back out
        log.info("published bulletin %s to %s", bulletin.id, out)
        return bulletin

    def _item(self, session: Any, kind: str, item_id: int) -> dict[str, Any]:
        model = Post if kind == "post" else Report
        row = session.scalar(select(model).where(model.id == item_id, mode_filter(model, self.scope)))
        if row is None:
            raise UserError(f"{kind} {item_id} not found")
        if row.state not in PUBLISHABLE:
            raise ValidationError(f"{kind} {item_id} is {row.state}; only verified items go into a bulletin",
                                  field="items")
        if kind == "post":
            analysis = row.analysis
            return {"key": str(ItemKey.post(row.id)), "text": PUBLIC.text(row.text), "ward": row.ward,
                    "labels": list(analysis.labels) if analysis else [], "at": row.collected_at.isoformat()}
        return {"key": str(ItemKey.report(row.id)), "text": PUBLIC.text(report_text(row.kind, row.ward, row.payload or {})),
                "ward": row.ward, "labels": [], "at": row.received_at.isoformat()}


# -- files ----------------------------------------------------------------------


def load_history(out: Path) -> list[Bulletin]:
    path = out / "bulletins.json"
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Bulletin(**b) for b in data["bulletins"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise UserError(f"{path} is not a bulletin history: {exc}") from None


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def write_site(out: Path, bulletins: list[Bulletin]) -> None:
    """Write the folder's changed files from the bulletins, newest first, into ``out`` (the staging folder)."""
    for b in bulletins[:1]:
        _write(out / "b" / f"{b.id}.html", page_html(b, bulletins))
    _write(out / "index.html", page_html(bulletins[0], bulletins, index=True))
    _write(out / "feed.atom", atom_feed(bulletins))
    _write(out / "bulletins.json", json.dumps({"publisher": PUBLISHER, "bulletins": xml_safe_value([asdict(b) for b in bulletins])},
                                              ensure_ascii=False, indent=1))


def _e(text: Any) -> str:
    return html.escape(xml_safe("" if text is None else str(text)), quote=True)


def page_html(b: Bulletin, history: list[Bulletin], *, index: bool = False) -> str:
    href = "b/" if index else ""
    banner = ('<p class="exercise" role="alert">訓練 / EXERCISE — これは訓練用の情報です。'
              'This is a drill bulletin.</p>') if b.drill else ""
    items = "".join(
        f'<li><span class="ward">{_e(i.get("ward") or "")}</span> {_e(i["text"])}</li>' for i in b.items
    )
    earlier = "".join(f'<li><a href="{href}{_e(o.id)}.html">{_e(o.display_title)}</a> '
                      f'<time>{_e(o.published_at)}</time></li>' for o in history if o.id != b.id)
    body = "".join(f"<p>{_e(line)}</p>" for line in b.body.splitlines() if line.strip())
    return f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(b.display_title)} — {_e(PUBLISHER)}</title>
<link rel="alternate" type="application/atom+xml" href="{'' if index else '../'}feed.atom">
<style>body{{font-family:sans-serif;max-width:46em;margin:auto;padding:1em}}
.exercise{{background:#fdae61;font-weight:bold;padding:.5em}}.ward{{font-weight:bold}}</style>
</head><body>
{banner}<h1>{_e(b.display_title)}</h1>
<p><time datetime="{_e(b.published_at)}">{_e(b.published_at)}</time> {_e(PUBLISHER)}</p>
{body}<ul class="items">{items}</ul>
{f'<h2>過去のお知らせ</h2><ul>{earlier}</ul>' if earlier else ''}
<footer class="attribution"><small>{"<br>".join(_e(a) for a in export_attributions())}</small></footer>
</body></html>
"""


def atom_feed(bulletins: list[Bulletin]) -> bytes:
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    kind = "drill" if bulletins and bulletins[0].drill else "real"

    def sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
        el = etree.SubElement(parent, f"{{{ATOM}}}{tag}", **attrs)
        if text is not None:
            el.text = xml_safe(text)
        return el

    sub(feed, "title", f"{PUBLISHER} お知らせ" + ("（訓練 EXERCISE）" if kind == "drill" else ""))
    sub(feed, "id", f"urn:disaster-desk:bulletins:{kind}")
    sub(feed, "updated", bulletins[0].published_at)
    sub(sub(feed, "author"), "name", PUBLISHER)
    sub(feed, "link", rel="alternate", href="index.html")
    sub(feed, "rights", " / ".join(export_attributions()))
    for b in bulletins[:FEED_SIZE]:
        entry = sub(feed, "entry")
        sub(entry, "title", b.display_title)
        sub(entry, "id", f"urn:disaster-desk:bulletin:{b.id}")
        sub(entry, "updated", b.published_at)
        sub(entry, "link", rel="alternate", href=f"b/{b.id}.html")
        lines = [b.body] + [f"{i.get('ward') or ''} {i['text']}".strip() for i in b.items]
        sub(entry, "summary", "\n".join(x for x in lines if x), type="text")
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
