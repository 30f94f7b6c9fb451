"""受領 on a real PostgreSQL with station logins (issue 16 item 9): a ward login records a receipt only on
shares to its own ward.

The refusal is the database's: row-level security hides another ward's share
(an UPDATE of it changes no row, through the app it is "not found"), the
column GRANT refuses any other column, the receipt trigger records the login
and refuses a second receipt, and the audit triggers audit a receipt made by raw SQL.
"""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import select

from disaster_desk.core.models import AuditEntry, ShareEvent
from disaster_desk.core.modes import REAL_SCOPE
from disaster_desk.core.sharing import SharingService, share_history
from disaster_desk.core.triage import TriageService
from disaster_desk.errors import UserError
from tests.core.triage_items import add_post
from tests.station_logins import raw

pytestmark = pytest.mark.postgres

DENIED = (psycopg.errors.InsufficientPrivilege,)


def _shared(cluster, clock):
    owner = cluster.open(cluster.url)
    post_id = add_post(owner, clock, "中崎町で火災", ["fire"], ward="北区", place="中崎町")
    hq_url = cluster.station("hq1", "hq")
    hq = cluster.open(hq_url)
    TriageService(hq, clock).share("post", post_id, ["北区", "淀川区"], actor="本部 山田", acknowledge_new=True)
    with owner.session() as s:
        events = {e.target: e.id for e in s.scalars(select(ShareEvent))}
    return owner, post_id, events


def test_ward_login_receives_its_own_share_and_not_another_wards(cluster, clock):
    owner, post_id, events = _shared(cluster, clock)
    kita_url = cluster.station("kita", "ward", "北区")
    kita = cluster.open(kita_url)
    sharing = SharingService(kita, clock)
    [item] = sharing.inbox("北区")
    assert item.sender_login == f"{cluster.prefix}hq1" and item.actor == "本部 山田"  # the sender, as the db saw it
    assert (item.summary, item.place, item.labels) == ("中崎町で火災", "中崎町", ("fire",))
    assert sharing.inbox("淀川区") == []  # RLS: another ward's shares are not visible
    receipt = sharing.receive(events["北区"], "北区役所 田中")
    assert receipt.received_by == f"{cluster.prefix}kita" and receipt.received_name == "北区役所 田中"
    with pytest.raises(UserError, match="not found"):  # through the app: the database hides it
        sharing.receive(events["淀川区"], "北区役所 田中")
    # by raw SQL with the ward's login: no row of another ward changes, other columns are refused
    assert raw(kita_url, "UPDATE share_events SET received_at = now(), received_name = 'x' WHERE id = %s "
                         "RETURNING id", (events["淀川区"],)) == []
    with pytest.raises(DENIED):
        raw(kita_url, "UPDATE share_events SET note = '改ざん' WHERE id = %s", (events["北区"],))
    with pytest.raises(psycopg.errors.CheckViolation, match="received already"):  # a receipt is not changed
        raw(kita_url, "UPDATE share_events SET received_at = now(), received_name = '別人' WHERE id = %s",
            (events["北区"],))
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # nor moved to another ward (policy check)
        raw(kita_url, "UPDATE share_events SET target = '淀川区' WHERE id = %s", (events["北区"],))
    history = {r.target: r for r in share_history(owner, REAL_SCOPE, "post", post_id)}
    assert history["北区"].receiver == f"北区役所 田中 ({cluster.prefix}kita)"
    assert history["淀川区"].received_at is None
    with owner.session() as s:
        [entry] = s.scalars(select(AuditEntry).where(AuditEntry.action == "share.receive")).all()
    assert entry.actor == f"{cluster.prefix}kita" and entry.display_name == "北区役所 田中"


def test_a_receipt_by_raw_sql_is_audited_with_the_login(cluster, clock):
    owner, _post_id, events = _shared(cluster, clock)
    yodo_url = cluster.station("yodo", "ward", "淀川区")
    assert raw(yodo_url, "UPDATE share_events SET received_at = now(), received_by = 'someone_else', "
                         "received_name = '淀川区 鈴木' WHERE id = %s RETURNING received_by",
               (events["淀川区"],)) == [(f"{cluster.prefix}yodo",)]  # the login, whatever was written
    with owner.session() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.item_type == "share",
                                                  AuditEntry.item_id == str(events["淀川区"]))).all()
    [row] = [r for r in rows if r.action == "db.share_events.update"]
    assert row.actor == f"{cluster.prefix}yodo" and row.after["received_name"] == "淀川区 鈴木"
