"""PostgreSQL security objects: audit triggers, the hash chain, row-level security, group roles.

``SCHEMA_SQL`` is installed by migration 0017 (it needs no role names: the
policies key on the login's ``stations`` row through :func:`dd_station_role`
and :func:`dd_station_ward`, SECURITY DEFINER functions so a login need not
read the table itself). :func:`grant_statements` is what ``disaster-desk
admin init`` runs for the group roles (their names may carry a prefix,
``DD_ROLE_PREFIX``, so tests in a shared cluster do not collide).

Station roles in the policies: ``owner`` (a login with no stations row: the
database owner running migrations and admin commands), ``hq``, ``ward``,
``collector``, ``drill``, ``viewer``, ``revoked``. What each may do is the
GRANTs (which tables, which columns) AND the policies (which rows).
"""

from __future__ import annotations

from disaster_desk.core.audit_chain import LOCK_KEY

_CANON = (
    "coalesce(NEW.seq::text, ''), "
    "to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), "
    "coalesce(NEW.actor, ''), coalesce(NEW.display_name, ''), coalesce(NEW.action, ''), "
    "coalesce(NEW.item_type, ''), coalesce(NEW.item_id, ''), coalesce(NEW.mode, ''), "
    "coalesce(NEW.run_id, ''), coalesce(NEW.before::text, ''), coalesce(NEW.after::text, ''), "
    "coalesce(NEW.prev_hash, '')"
)

#: Tables under row-level security.
RLS_TABLES = ("reports", "share_events", "posts", "analyses", "incidents", "official_alerts", "audit_log")

_R = "(SELECT dd_station_role(current_user::text))"
_W = "(SELECT dd_station_ward())"
_DRILL = f"({_R} = 'drill' AND mode = 'drill')"


def _shared(item_type: str, table: str) -> str:
    return (f"EXISTS (SELECT 1 FROM share_events e WHERE e.item_type = '{item_type}' "
            f"AND e.item_id = {table}.id AND e.target = {_W})")


#: (table, USING, WITH CHECK)
POLICIES: tuple[tuple[str, str, str], ...] = (
    ("reports",
     f"{_R} IN ('owner', 'hq', 'viewer') OR {_DRILL} OR ({_R} = 'ward' AND (ward = {_W} OR {_shared('report', 'reports')}))",
     f"{_R} IN ('owner', 'hq') OR {_DRILL} OR ({_R} = 'ward' AND ward = {_W})"),
    ("share_events",
     f"{_R} IN ('owner', 'hq', 'viewer') OR {_DRILL} OR ({_R} = 'ward' AND target = {_W})",
     f"{_R} IN ('owner', 'hq') OR {_DRILL} OR ({_R} = 'ward' AND target = {_W})"),
    ("posts",
     f"{_R} IN ('owner', 'hq', 'viewer', 'collector') OR {_DRILL} OR ({_R} = 'ward' AND {_shared('post', 'posts')})",
     f"{_R} IN ('owner', 'hq', 'collector') OR {_DRILL}"),
    ("analyses",
     f"{_R} IN ('owner', 'hq', 'viewer', 'collector') OR EXISTS (SELECT 1 FROM posts p WHERE p.id = analyses.post_id)",
     f"{_R} IN ('owner', 'hq', 'collector') OR ({_R} = 'drill' AND "
     "EXISTS (SELECT 1 FROM posts p WHERE p.id = analyses.post_id))"),
    ("incidents",
     f"{_R} IN ('owner', 'hq', 'viewer', 'collector') OR {_DRILL} OR ({_R} = 'ward' AND {_shared('incident', 'incidents')})",
     f"{_R} IN ('owner', 'hq', 'collector') OR {_DRILL}"),
    ("official_alerts",
     f"{_R} IN ('owner', 'hq', 'viewer', 'collector', 'ward') OR {_DRILL}",
     f"{_R} IN ('owner', 'hq', 'collector') OR {_DRILL}"),
    ("audit_log",
     f"{_R} IN ('owner', 'hq', 'viewer') OR {_DRILL} OR ({_R} IN ('ward', 'collector') AND actor = session_user)",
     f"{_R} IN ('owner', 'hq', 'ward', 'collector') OR {_DRILL}"),
)

_POLICY_SQL = "\n".join(
    f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;\n"
    f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY;\n"
    f"DROP POLICY IF EXISTS dd_station ON {table};\n"
    f"CREATE POLICY dd_station ON {table} USING ({using}) WITH CHECK ({check});"
    for table, using, check in POLICIES
)

SCHEMA_SQL = f"""
-- ``caller`` is the policy's current_user: the owner inside the SECURITY DEFINER triggers
-- below (which must see the whole audit chain), else the station's login.
-- plpgsql, not sql: a SECURITY DEFINER sql function is never inlined and re-plans its query on
-- every call, and the policies call it once per statement — per row under executemany (bench
-- stations: a collector's bare insert 0.5k rows/s with the sql version, 2k with this one).
-- Inside a SECURITY DEFINER function current_user is its owner: caller = current_user is the owner.
CREATE OR REPLACE FUNCTION dd_station_role(caller text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  station_role text;
  revoked timestamptz;
BEGIN
  IF caller = current_user THEN
    RETURN 'owner';
  END IF;
  SELECT s.role, s.revoked_at INTO station_role, revoked FROM public.stations s WHERE s.name = session_user;
  IF NOT FOUND THEN
    RETURN 'owner';
  ELSIF revoked IS NOT NULL THEN
    RETURN 'revoked';
  END IF;
  RETURN station_role;
END
$$;

CREATE OR REPLACE FUNCTION dd_station_ward() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  RETURN (SELECT s.ward FROM public.stations s WHERE s.name = session_user AND s.revoked_at IS NULL);
END
$$;

CREATE OR REPLACE FUNCTION dd_audit_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  last_seq integer;
  last_hash text;
BEGIN
  -- One chain for every station: appends are serialised until commit.
  PERFORM pg_advisory_xact_lock({LOCK_KEY});
  IF NEW.actor IS DISTINCT FROM session_user::text THEN
    IF NEW.display_name IS NULL AND coalesce(NEW.actor, '') <> '' THEN
      NEW.display_name := NEW.actor;
    END IF;
    NEW.actor := session_user;
  END IF;
  IF NEW.display_name IS NULL THEN
    NEW.display_name := nullif(current_setting('dd.display_name', true), '');
  END IF;
  IF NEW.at IS NULL THEN
    NEW.at := now();
  END IF;
  NEW.txid := txid_current();
  SELECT seq, hash INTO last_seq, last_hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
  NEW.seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := last_hash;
  NEW.hash := encode(sha256(convert_to(concat_ws(chr(31), {_CANON}), 'UTF8')), 'hex');
  RETURN NEW;
END
$$;

-- The chain head for every login (a ward or drill login sees only some audit rows, the
-- after-action report and verify-audit name the head of the whole chain).
CREATE OR REPLACE FUNCTION dd_audit_head(OUT seq integer, OUT hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT l.seq, l.hash FROM audit_log l WHERE l.seq IS NOT NULL ORDER BY l.seq DESC LIMIT 1
$$;

CREATE OR REPLACE FUNCTION dd_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

-- A change of triage state, report, share or incident assignment not audited by the
-- same transaction (raw SQL, another client) is audited here, at commit.
CREATE OR REPLACE FUNCTION dd_audit_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  r record;
  itype text;
  iid text;
  alt_type text;
  alt_id text;
  alt_id2 text;
  b json;
  a json;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF TG_TABLE_NAME = 'posts' THEN
    itype := 'post'; iid := r.id::text;
    alt_type := 'incident'; alt_id := r.incident_id::text;
    IF TG_OP = 'UPDATE' THEN alt_id2 := OLD.incident_id::text; END IF;
    IF TG_OP <> 'INSERT' THEN
      b := json_build_object('state', OLD.state, 'version', OLD.version, 'incident_id', OLD.incident_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
      a := json_build_object('state', NEW.state, 'version', NEW.version, 'incident_id', NEW.incident_id);
    END IF;
  ELSIF TG_TABLE_NAME = 'incidents' THEN
    itype := 'incident'; iid := r.id::text;
    IF TG_OP <> 'INSERT' THEN b := json_build_object('state', OLD.state, 'version', OLD.version); END IF;
    IF TG_OP <> 'DELETE' THEN a := json_build_object('state', NEW.state, 'version', NEW.version); END IF;
  ELSIF TG_TABLE_NAME = 'reports' THEN
    itype := 'report'; iid := r.id::text;
    IF TG_OP <> 'INSERT' THEN b := to_json(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN a := to_json(NEW); END IF;
  ELSE  -- share_events
    itype := 'share'; iid := r.id::text;
    alt_type := r.item_type; alt_id := r.item_id::text;
    IF TG_OP <> 'INSERT' THEN b := to_json(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN a := to_json(NEW); END IF;
  END IF;
  IF EXISTS (SELECT 1 FROM audit_log l WHERE l.txid = txid_current()
             AND ((l.item_type = itype AND l.item_id = iid) OR (l.item_type = alt_type AND l.item_id IN (alt_id, alt_id2)))) THEN
    RETURN NULL;
  END IF;
  INSERT INTO audit_log (at, actor, action, item_type, item_id, mode, run_id, "before", "after")
  VALUES (now(), session_user, 'db.' || TG_TABLE_NAME || '.' || lower(TG_OP), itype, iid, r.mode, r.run_id, b, a);
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS audit_log_chain ON audit_log;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION dd_audit_chain();
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION dd_audit_refuse();
DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION dd_audit_refuse();

DROP TRIGGER IF EXISTS posts_audit ON posts;
CREATE CONSTRAINT TRIGGER posts_audit AFTER UPDATE ON posts DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.state IS DISTINCT FROM NEW.state
        OR (OLD.incident_id IS NOT NULL AND OLD.incident_id IS DISTINCT FROM NEW.incident_id))
  EXECUTE FUNCTION dd_audit_change();
DROP TRIGGER IF EXISTS posts_audit_delete ON posts;
CREATE CONSTRAINT TRIGGER posts_audit_delete AFTER DELETE ON posts DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION dd_audit_change();
DROP TRIGGER IF EXISTS incidents_audit ON incidents;
CREATE CONSTRAINT TRIGGER incidents_audit AFTER UPDATE ON incidents DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION dd_audit_change();
DROP TRIGGER IF EXISTS reports_audit ON reports;
CREATE CONSTRAINT TRIGGER reports_audit AFTER INSERT OR UPDATE OR DELETE ON reports
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dd_audit_change();
DROP TRIGGER IF EXISTS share_events_audit ON share_events;
CREATE CONSTRAINT TRIGGER share_events_audit AFTER INSERT OR UPDATE OR DELETE ON share_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dd_audit_change();

{_POLICY_SQL}
DROP FUNCTION IF EXISTS dd_station_role();
"""

#: Migration 0019 (and ``admin init``): the database fills in who sent and who received a share.
RECEIPT_SQL = """
CREATE OR REPLACE FUNCTION dd_share_receipt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.shared_login := session_user;
    IF NEW.received_at IS NOT NULL THEN NEW.received_by := session_user; END IF;
    RETURN NEW;
  END IF;
  NEW.shared_login := OLD.shared_login;
  IF NEW.received_at IS DISTINCT FROM OLD.received_at OR NEW.received_by IS DISTINCT FROM OLD.received_by
     OR NEW.received_name IS DISTINCT FROM OLD.received_name THEN
    IF OLD.received_at IS NOT NULL THEN
      RAISE EXCEPTION 'share % was received already (a receipt is not changed)', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.received_at IS NULL THEN
      RAISE EXCEPTION 'share %: a receipt needs received_at', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    NEW.received_by := session_user;
  END IF;
  RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS share_events_receipt ON share_events;
CREATE TRIGGER share_events_receipt BEFORE INSERT OR UPDATE ON share_events
  FOR EACH ROW EXECUTE FUNCTION dd_share_receipt();
"""

RECEIPT_DROP_SQL = ("DROP TRIGGER IF EXISTS share_events_receipt ON share_events; "
                    "DROP FUNCTION IF EXISTS dd_share_receipt();")

DROP_SQL = "\n".join(
    [f"DROP POLICY IF EXISTS dd_station ON {t}; ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY; "
     f"ALTER TABLE {t} DISABLE ROW LEVEL SECURITY;" for t in RLS_TABLES]
    + [
        "DROP TRIGGER IF EXISTS audit_log_chain ON audit_log;",
        "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;",
        "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;",
        "DROP TRIGGER IF EXISTS posts_audit ON posts;",
        "DROP TRIGGER IF EXISTS posts_audit_delete ON posts;",
        "DROP TRIGGER IF EXISTS incidents_audit ON incidents;",
        "DROP TRIGGER IF EXISTS reports_audit ON reports;",
        "DROP TRIGGER IF EXISTS share_events_audit ON share_events;",
        "DROP FUNCTION IF EXISTS dd_audit_head(), dd_audit_change(), dd_audit_refuse(), dd_audit_chain(), "
        "dd_station_ward(), dd_station_role(text);",
    ]
)
