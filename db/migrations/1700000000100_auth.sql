-- Up Migration
-- Sign-in sessions, the audit log, and jurisdiction (三级授权) enforced in SQL.

CREATE TABLE sessions (
  id          text PRIMARY KEY,                 -- SHA-256 (hex) of the cookie token; the token itself is never stored
  user_id     integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,             -- absolute expiry
  ip          text,
  user_agent  text
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit_log (
  id        bigserial PRIMARY KEY,
  time      timestamptz NOT NULL DEFAULT now(),
  user_id   integer REFERENCES users (id),
  username  text,
  action    text NOT NULL,                      -- e.g. sign_in, sign_in_failed, sign_out, alert_ack
  entity    text,
  entity_id text,
  before    jsonb,
  after     jsonb,
  ip        text
);
CREATE INDEX audit_log_time ON audit_log (time DESC);

-- The district codes a user of `user_district` may see: HQ all, a district itself and every
-- district below it. "Touching" one of them makes a consignment visible (DESIGN.md).
CREATE FUNCTION visible_districts(user_district text) RETURNS text[]
LANGUAGE sql STABLE AS $$
  WITH RECURSIVE below(code) AS (
    SELECT code FROM districts WHERE code = user_district
    UNION
    SELECT d.code FROM districts d JOIN below b ON d.parent = b.code
  )
  SELECT coalesce(array_agg(code ORDER BY code), '{}') FROM below
$$;

CREATE FUNCTION is_hq(user_district text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM districts WHERE code = user_district AND level = 'hq')
$$;

-- Every query for consignments or assets on behalf of a user goes through these two.
-- HQ sees everything, even a movement whose route touches no district polygon.
CREATE FUNCTION visible_consignments(user_district text) RETURNS SETOF consignments
LANGUAGE sql STABLE AS $$
  SELECT c.* FROM consignments c WHERE is_hq(user_district) OR c.districts && visible_districts(user_district)
$$;

-- Assets: those whose home district is visible, and those carrying a visible open movement.
CREATE FUNCTION visible_assets(user_district text) RETURNS SETOF assets
LANGUAGE sql STABLE AS $$
  WITH v AS (SELECT visible_districts(user_district) AS codes)
  SELECT a.* FROM assets a, v
  WHERE is_hq(user_district)
     OR a.district = ANY (v.codes)
     OR EXISTS (SELECT 1 FROM consignments c
                WHERE c.asset_id = a.id AND c.status IN ('planned', 'in_transit', 'overdue', 'diverted')
                  AND c.districts && v.codes)
$$;

-- Down Migration
DROP FUNCTION IF EXISTS visible_assets(text);
DROP FUNCTION IF EXISTS visible_consignments(text);
DROP FUNCTION IF EXISTS is_hq(text);
DROP FUNCTION IF EXISTS visible_districts(text);
DROP TABLE IF EXISTS audit_log, sessions;
