-- Up Migration
-- Customs and partner systems' messages (server/links/): each applied message is kept whole, once
-- per (system, sender, MessageID), with what it did (summary) and the movements it touched (the
-- console's documents panel reads these). Refused messages are not stored (they are counted, and
-- an inbox file goes to FailBox with its reason).
CREATE TABLE link_messages (
  id           bigserial PRIMARY KEY,
  system       text NOT NULL CHECK (system ~ '^[a-z][a-z-]{1,23}$'),
  message_id   text NOT NULL CHECK (length(message_id) BETWEEN 1 AND 64),
  message_type text NOT NULL,
  format       text NOT NULL CHECK (format IN ('xml', 'json')),
  via          text NOT NULL CHECK (via IN ('http', 'inbox', 'demo')),
  source       text NOT NULL,                   -- from the credential: http:<token>, user:<name>, inbox:<system>
  district     text NOT NULL REFERENCES districts (code), -- the sender's scope
  sent_at      timestamptz,                     -- the envelope's send time, when it has one
  received_at  timestamptz NOT NULL DEFAULT now(),
  raw          text NOT NULL,
  raw_sha256   bytea NOT NULL,
  summary      jsonb NOT NULL DEFAULT '{}',
  reply        jsonb,                           -- the reply the sender got beside the receipt (a gate's 82), given again to a retry
  UNIQUE (system, source, message_id)
);
CREATE INDEX link_messages_received ON link_messages (received_at DESC);

CREATE TABLE link_message_movements (
  message_id     bigint NOT NULL REFERENCES link_messages (id),
  consignment_id integer NOT NULL REFERENCES consignments (id),
  PRIMARY KEY (message_id, consignment_id)
);
CREATE INDEX link_message_movements_consignment ON link_message_movements (consignment_id);

-- Events now also come from link messages (declared, released, written off, inspections, zone
-- passes, port calls): the kinds outside systems may post are checked at the edge
-- (server/events/ingestEvents.ts); here only their form.
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind ~ '^[a-z][a-z_]{1,31}$');
ALTER TABLE events ADD COLUMN link_message bigint REFERENCES link_messages (id);

-- A plate as the systems compare it: plates are stored as printed (沪D·A1234) but gate cameras
-- and declarations write them bare (沪DA1234), spaced or dashed.
CREATE FUNCTION plate_key(plate text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT nullif(upper(regexp_replace(plate, '[[:space:]·•.-]', '', 'g')), '')
$$;
CREATE INDEX assets_plate_key ON assets (plate_key(plate)) WHERE plate IS NOT NULL;

-- Ingest tokens for the links: 'links' may post to every link system, 'link:<system>' to one.
ALTER TABLE ingest_tokens DROP CONSTRAINT IF EXISTS ingest_tokens_kind_check;
ALTER TABLE ingest_tokens ADD CONSTRAINT ingest_tokens_kind_check CHECK (kind IN ('positions', 'events', 'both', 'links') OR kind ~ '^link:[a-z][a-z-]{1,23}$');

-- Down Migration
ALTER TABLE ingest_tokens DROP CONSTRAINT IF EXISTS ingest_tokens_kind_check;
ALTER TABLE ingest_tokens ADD CONSTRAINT ingest_tokens_kind_check CHECK (kind IN ('positions', 'events', 'both'));
ALTER TABLE events DROP COLUMN IF EXISTS link_message;
DROP TABLE IF EXISTS link_message_movements, link_messages;
DROP INDEX IF EXISTS assets_plate_key;
DROP FUNCTION IF EXISTS plate_key(text);
