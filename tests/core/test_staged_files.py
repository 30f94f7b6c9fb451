"""Writers that never stop half-way: a failure mid-export or mid-publish leaves no half folder."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from disaster_desk.core import bulletin as bulletin_module
from disaster_desk.core.bulletin import BulletinService
from disaster_desk.core.exports import cap
from disaster_desk.core.exports.cap import export_cap
from disaster_desk.core.models import AuditEntry
from disaster_desk.core.modes import REAL_SCOPE
from disaster_desk.core.staged_files import StagedFiles
from disaster_desk.core.triage import TriageService
from tests.core.triage_items import add_post


def _tree(folder):
    """Every file under ``folder`` (hidden siblings included, via the parent) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _shared(db, clock, n=3):
    triage = TriageService(db, clock)
    ids = []
    for i in range(n):
        post_id = add_post(db, clock, f"北区で閉じ込め {i}", ["rescue"], ward="北区", external_id=f"staged-{i}")
        triage.acknowledge("post", post_id, actor="op")
        triage.verify("post", post_id, actor="op")
        triage.share("post", post_id, ["北区"], actor="op")
        ids.append(post_id)
    return ids


def _failing_on_second(real):
    calls = []

    def build(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full (simulated)")
        return real(*args, **kwargs)
    return build


def test_cap_export_failing_mid_way_writes_nothing(db, clock, tmp_path, monkeypatch):
    _shared(db, clock)
    out = tmp_path / "exports" / "cap"
    monkeypatch.setattr(cap, "build_alert", _failing_on_second(cap.build_alert))
    with pytest.raises(RuntimeError, match="simulated"):
        export_cap(db, REAL_SCOPE, out)
    assert list((tmp_path / "exports").iterdir()) == []  # no target, no staging folder left beside it


def test_cap_export_failing_into_an_existing_folder_leaves_it_as_it_was(db, clock, tmp_path, monkeypatch):
    _shared(db, clock)
    out = tmp_path / "exports" / "cap"
    export_cap(db, REAL_SCOPE, out)
    (out / "notes.txt").write_text("operator's file")
    before = _tree(out)
    clock.advance(60)
    monkeypatch.setattr(cap, "build_alert", _failing_on_second(cap.build_alert))
    with pytest.raises(RuntimeError):
        export_cap(db, REAL_SCOPE, out)
    assert _tree(out) == before
    assert [p.name for p in (tmp_path / "exports").iterdir()] == ["cap"]


def _audits(db):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "bulletin.publish"))


@pytest.mark.parametrize("where", ["feed", "audit", "after_install"])
def test_bulletin_publish_is_all_files_and_the_audit_entry_or_nothing(db, clock, tmp_path, monkeypatch, where):
    post_ids = _shared(db, clock, 1)
    out = tmp_path / "web" / "site"
    service = BulletinService(db, clock)
    first = service.publish("第1報", "北区で火災", [f"post:{post_ids[0]}"], actor="op", out_dir=out)
    before = _tree(out)
    assert _audits(db) == 1
    clock.advance(600)
    if where == "feed":
        def broken_feed(bulletins):
            raise RuntimeError("simulated feed failure")
        monkeypatch.setattr(bulletin_module, "atom_feed", broken_feed)
    elif where == "audit":
        def broken_audit(*args, **kwargs):
            raise RuntimeError("simulated audit failure")
        monkeypatch.setattr(bulletin_module.audit, "record", broken_audit)
    else:  # the files are in place, then the transaction fails (as a refused commit would)
        real_install = StagedFiles.install

        def install_then_fail(self):
            real_install(self)
            assert (out / "index.html").read_bytes() != before["index.html"]  # really installed
            raise RuntimeError("simulated commit failure")
        monkeypatch.setattr(StagedFiles, "install", install_then_fail)
    with pytest.raises(RuntimeError, match="simulated"):
        service.publish("第2報", "鎮火", [], actor="op", out_dir=out)
    assert _tree(out) == before  # the first bulletin's files, byte for byte; no page of the second
    assert _audits(db) == 1
    assert sorted(p.name for p in (tmp_path / "web").iterdir()) == ["site"]
    assert (out / "b" / f"{first.id}.html").exists()


def test_bulletin_failing_on_a_new_folder_leaves_no_folder(db, clock, tmp_path, monkeypatch):
    monkeypatch.setattr(bulletin_module.audit, "record", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("x")))
    with pytest.raises(RuntimeError):
        BulletinService(db, clock).publish("第1報", "本文", [], actor="op", out_dir=tmp_path / "new" / "site")
    assert list((tmp_path / "new").iterdir()) == []
