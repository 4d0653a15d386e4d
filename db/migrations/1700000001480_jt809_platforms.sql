-- Up Migration
-- JT/T 809 lower platforms (下级平台) provisioned to report to us (server/ingest/jt809). One live
-- row per access code (MSG_GNSSCENTERID). The 0x1001 login carries the password in clear (8
-- bytes), so only its argon2id hash is kept, as for users. The cipher keys M1/IA1/IC1 must be kept
-- as they are (both sides compute the same stream from them). A platform reports the vehicles in
-- allowed_plates (plate_key form) when set, else the vehicles whose home district is its district
-- or below it. Revoked rows stay for the audit trail.
CREATE TABLE jt809_platforms (
  id              serial PRIMARY KEY,
  access_code     bigint NOT NULL CHECK (access_code BETWEEN 0 AND 4294967295),
  user_id         bigint NOT NULL CHECK (user_id BETWEEN 0 AND 4294967295),
  password_hash   text NOT NULL,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  district        text NOT NULL REFERENCES districts (code),
  allowed_plates  text[],
  m1              bigint CHECK (m1 BETWEEN 0 AND 4294967295),
  ia1             bigint CHECK (ia1 BETWEEN 0 AND 4294967295),
  ic1             bigint CHECK (ic1 BETWEEN 0 AND 4294967295),
  -- the address the main link must come from (null: any); the down-link connects only to it, or
  -- without one to the main link's own address
  allowed_address text,
  state           text NOT NULL DEFAULT 'never' CHECK (state IN ('never', 'logged_in', 'refused')),
  state_at        timestamptz,
  last_login      timestamptz,
  last_contact    timestamptz,
  last_address    text,
  created_by      integer REFERENCES users (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  revoked_by      integer REFERENCES users (id),
  CHECK ((m1 IS NULL) = (ia1 IS NULL) AND (m1 IS NULL) = (ic1 IS NULL))
);
CREATE UNIQUE INDEX jt809_platforms_live_code ON jt809_platforms (access_code) WHERE revoked_at IS NULL;

-- Which platform reported which vehicle last: where a request for its positions goes.
CREATE TABLE jt809_vehicles (
  platform_id integer NOT NULL REFERENCES jt809_platforms (id),
  asset_id    integer NOT NULL REFERENCES assets (id),
  last_seen   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform_id, asset_id)
);
CREATE INDEX jt809_vehicles_asset ON jt809_vehicles (asset_id, last_seen DESC);

-- An officer's request for one vehicle's positions (0x9205 … 0x9206).
CREATE TABLE jt809_requests (
  id           serial PRIMARY KEY,
  asset_id     integer NOT NULL REFERENCES assets (id),
  platform_id  integer NOT NULL REFERENCES jt809_platforms (id),
  plate        text NOT NULL,
  requested_by integer REFERENCES users (id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  ends_at      timestamptz NOT NULL,
  state        text NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'acknowledged', 'ended')),
  state_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jt809_requests_asset ON jt809_requests (asset_id, requested_at DESC);

-- Down Migration
DROP TABLE IF EXISTS jt809_requests;
DROP TABLE IF EXISTS jt809_vehicles;
DROP TABLE IF EXISTS jt809_platforms;
