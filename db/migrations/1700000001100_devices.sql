-- Up Migration
-- Provisioned devices (DESIGN.md, "Ownership and trust"): a terminal is trusted only once a
-- supervisor has registered it to an asset. One row per terminal: a JT/T 808 phone number
-- (leading zeros dropped, so the 2013 and 2019 header widths name the same terminal) or an
-- OsmAnd / Traccar Client device id. Only the SHA-256 of its credential is stored: for JT/T 808
-- the authentication code issued once at 0x0100 (null until then, or after a reset); for OsmAnd
-- the per-device secret shown once at registration. Revoked rows stay for the audit trail; at
-- most one live row names a terminal.
ALTER TABLE assets ADD COLUMN plate_color smallint CHECK (plate_color IN (1, 2, 3, 4, 5, 9)); -- JT/T 808 / JT/T 697.7 plate colour

CREATE TABLE devices (
  id           serial PRIMARY KEY,
  protocol     text NOT NULL CHECK (protocol IN ('jt808', 'osmand')),
  ident        text NOT NULL CHECK (length(ident) BETWEEN 1 AND 64),
  asset_id     integer NOT NULL REFERENCES assets (id),
  secret_hash  bytea CHECK (secret_hash IS NULL OR length(secret_hash) = 32),
  -- never: nothing heard yet; registered: 0x0100 issued a code; authenticated: the last attempt
  -- succeeded; refused: the last attempt failed (wrong code or secret, plate mismatch).
  state        text NOT NULL DEFAULT 'never' CHECK (state IN ('never', 'registered', 'authenticated', 'refused')),
  state_at     timestamptz,
  last_contact timestamptz,
  last_address text,
  created_by   integer REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  revoked_by   integer REFERENCES users (id),
  CHECK (protocol <> 'osmand' OR secret_hash IS NOT NULL)
);
CREATE UNIQUE INDEX devices_live_ident ON devices (protocol, ident) WHERE revoked_at IS NULL;
CREATE INDEX devices_asset ON devices (asset_id);

-- Down Migration
DROP TABLE IF EXISTS devices;
ALTER TABLE assets DROP COLUMN IF EXISTS plate_color;
