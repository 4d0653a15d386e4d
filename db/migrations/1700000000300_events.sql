-- Up Migration
-- Events from gates (卡口), warehouses and seals, attached to an asset and its movement.
CREATE TABLE events (
  id             bigserial PRIMARY KEY,
  time           timestamptz NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('gate_in', 'gate_out', 'goods_in', 'goods_out', 'seal_applied', 'seal_opened', 'seal_cut', 'seal_checked')),
  site_id        integer REFERENCES sites (id),
  asset_id       integer REFERENCES assets (id),
  consignment_id integer REFERENCES consignments (id),
  plate          text,
  seal_id        text,
  detail         jsonb NOT NULL DEFAULT '{}',
  source         text NOT NULL,               -- who sent it: a gate system, a WMS, a user
  received_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_asset_time ON events (asset_id, time);
CREATE INDEX events_consignment ON events (consignment_id);

-- Down Migration
DROP TABLE IF EXISTS events;
