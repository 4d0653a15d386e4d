-- Up Migration
-- Warehouse systems (WMS) that post goods-in/out events to POST /api/links/wms, each signed with
-- HMAC-SHA256 under its own secret (server/links/wms/). HMAC needs the raw secret on the server, so
-- it is kept sealed (AES-256-GCM under a key file outside the database, server/secrets/sealed.ts),
-- shown once at issue and never returned. A system reports on its listed sites only, all within its
-- district. Issue and revocation are audited.
CREATE TABLE wms_systems (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_-]{1,39}$'), -- X-TW-System
  district    text NOT NULL REFERENCES districts (code),
  sites       text[] NOT NULL CHECK (cardinality(sites) BETWEEN 1 AND 200),       -- site codes it may report on
  secret      text NOT NULL,                                                       -- sealed (v1:…), never returned
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  last_used_at timestamptz
);

-- Nonces seen inside the timestamp window: a second use of one by the same system is a replay (409).
-- Rows older than twice the window are pruned (their timestamps are stale by then anyway).
CREATE TABLE wms_nonces (
  system_id bigint NOT NULL REFERENCES wms_systems (id) ON DELETE CASCADE,
  nonce     text NOT NULL,
  seen_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (system_id, nonce)
);
CREATE INDEX wms_nonces_seen ON wms_nonces (seen_at);

-- Down Migration
DROP TABLE IF EXISTS wms_nonces;
DROP TABLE IF EXISTS wms_systems;
