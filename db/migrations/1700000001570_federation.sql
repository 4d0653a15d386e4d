-- Up Migration
-- Federation, the national side (server/federation/README.md): the regional deployments that forward
-- their ledger to this node, and what they forwarded, kept apart from this node's own tables.
-- Federated records go into federated_* tables keyed by (region, source seq or id), not into
-- consignments / alerts / positions: those carry this node's ledger entries, rules, live scopes and
-- jurisdiction, and a region's rows must neither be chained into the national ledger as if they
-- were its own nor raise its rules; and a region's ids collide with this node's.

-- A region is trusted once provisioned (HQ only, audited): its code (X-TW-System) and an HMAC
-- secret, sealed like the WMS systems' (server/secrets/sealed.ts). The national node owns the
-- cursor: last_seq is the last ledger seq of that region stored here.
CREATE TABLE federation_regions (
  id            bigserial PRIMARY KEY,
  code          text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9_-]{1,39}$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  secret        text NOT NULL,                  -- sealed (v1:…), never returned
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  last_seq      bigint NOT NULL DEFAULT 0,      -- the cursor
  head_seq      bigint NOT NULL DEFAULT 0,      -- the region's newest seq when it last sent (lag = head_seq - last_seq)
  last_batch_at timestamptz
);

CREATE TABLE federation_nonces (
  region_id bigint NOT NULL REFERENCES federation_regions (id) ON DELETE CASCADE,
  nonce     text NOT NULL,
  seen_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_id, nonce)
);
CREATE INDEX federation_nonces_seen ON federation_nonces (seen_at);

-- The region's ledger entries as stored there (payload and time exactly: the hash is recomputed from them).
CREATE TABLE federated_ledger (
  region_id   bigint NOT NULL REFERENCES federation_regions (id),
  seq         bigint NOT NULL,
  time        timestamptz NOT NULL,
  kind        text NOT NULL,
  payload     jsonb NOT NULL,
  prev_hash   bytea NOT NULL,
  hash        bytea NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_id, seq)
);
CREATE INDEX federated_ledger_rows ON federated_ledger (region_id, (payload->>'table'), (payload->>'id'), seq) WHERE payload ?& array['table', 'id', 'digest'];

-- The rows of the region's 'positions' entries (batch = that entry's seq), every column as stored there.
CREATE TABLE federated_positions (
  region_id bigint NOT NULL REFERENCES federation_regions (id),
  batch     bigint NOT NULL,
  asset_id  integer NOT NULL,
  time      timestamptz NOT NULL,
  geom      geometry(Point, 4326) NOT NULL,
  speed     real,
  course    real,
  heading   real,
  source    text NOT NULL,
  alarm     integer
);
CREATE INDEX federated_positions_batch ON federated_positions (region_id, batch);

-- The region's movements and alerts: the latest state of each row forwarded, as the canonical JSON
-- the region chained (jsonb_strip_nulls(to_jsonb(row))), and the seq of the entry that chained it.
CREATE TABLE federated_records (
  region_id bigint NOT NULL REFERENCES federation_regions (id),
  tbl       text NOT NULL CHECK (tbl IN ('consignments', 'alerts')),
  id        text NOT NULL,
  seq       bigint NOT NULL,
  doc       jsonb NOT NULL,
  PRIMARY KEY (region_id, tbl, id)
);

-- Down Migration
DROP TABLE IF EXISTS federated_records;
DROP TABLE IF EXISTS federated_positions;
DROP TABLE IF EXISTS federated_ledger;
DROP TABLE IF EXISTS federation_nonces;
DROP TABLE IF EXISTS federation_regions;
