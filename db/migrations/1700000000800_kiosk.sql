-- Up Migration
-- Kiosk tokens: a supervisor issues one for a read-only (viewer) account so that a video wall
-- signs in from its URL (/wall?kiosk=…) with nobody typing a password. Like sessions, only the
-- token's SHA-256 is stored. A session made from a kiosk token names it, so revoking the token
-- ends those sessions too.
CREATE TABLE kiosk_tokens (
  id           text PRIMARY KEY,                 -- SHA-256 (hex) of the token
  user_id      integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  label        text,
  created_by   integer REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,                      -- null: until revoked
  revoked_at   timestamptz,
  last_used_at timestamptz
);
CREATE INDEX kiosk_tokens_user ON kiosk_tokens (user_id);

ALTER TABLE sessions ADD COLUMN kiosk_token text REFERENCES kiosk_tokens (id) ON DELETE CASCADE;

-- Down Migration
ALTER TABLE sessions DROP COLUMN IF EXISTS kiosk_token;
DROP TABLE IF EXISTS kiosk_tokens;
