-- Up Migration
-- The movement lifecycle (server/movements/movementService.ts): a movement handed over to another
-- vehicle (trans-shipment, 换车转运) keeps one row, whose asset_id is always its carrier now. Each
-- hand-over also leaves a row here, so that the track of the movement can be split: the earlier
-- carrier's fixes from the start of its leg (leg_start) to the hand-over (time), the next one's
-- after it. consignments.handed_over_at is the start of the current carrier's leg (null: the
-- first carrier, whose leg starts at departure). Who did it and why is in the audit log.
ALTER TABLE consignments ADD COLUMN handed_over_at timestamptz;

CREATE TABLE consignment_handovers (
  id             bigserial PRIMARY KEY,
  consignment_id integer NOT NULL REFERENCES consignments (id) ON DELETE CASCADE,
  from_asset     integer NOT NULL REFERENCES assets (id),
  to_asset       integer NOT NULL REFERENCES assets (id),
  leg_start      timestamptz NOT NULL,                -- when from_asset's leg began (departure, or the hand-over before)
  time           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consignment_handovers_consignment ON consignment_handovers (consignment_id, id);
CREATE INDEX consignment_handovers_from ON consignment_handovers (from_asset);

-- The audit log view (GET /api/audit) filters by object (audit_log_entity, migration 1530) and action, newest first by id.
CREATE INDEX audit_log_action ON audit_log (action, id DESC);

-- Down Migration
DROP INDEX IF EXISTS audit_log_action;
DROP TABLE IF EXISTS consignment_handovers;
ALTER TABLE consignments DROP COLUMN IF EXISTS handed_over_at;
