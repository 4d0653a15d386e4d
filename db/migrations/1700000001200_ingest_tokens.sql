-- Up Migration
-- Ingest tokens: one per source system (a gate, a warehouse system, a partner platform) that
-- posts to /api/ingest/*. Only the token's SHA-256 is stored. Each names the system (its stored
-- `source` is `http:<name>`), the district whose movements and assets it may report on (that
-- district and those below it; HQ: all), and what it may post. Names are never reused, even after
-- revocation, so a stored source names one system for good.
CREATE TABLE ingest_tokens (
  id           text PRIMARY KEY,                -- SHA-256 (hex) of the token
  name         text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,39}$' AND name <> 'env'),
  district     text NOT NULL REFERENCES districts (code),
  kind         text NOT NULL CHECK (kind IN ('positions', 'events', 'both')),
  created_by   integer REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  last_used_at timestamptz
);

-- Down Migration
DROP TABLE IF EXISTS ingest_tokens;
