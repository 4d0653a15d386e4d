-- Up Migration
-- The links look a movement up among the live ones: the gate by the plate's vehicle (an arrival the
-- rules saw first is still the gate's to confirm), the site ledger by the site the goods came in at
-- or left from. Without these, each message scanned every movement ever declared (bench/links.ts:
-- with 20,000 closed movements, ~40 ms a gate pass and ~20 ms a goods-in lookup, growing with the
-- history). Partial on the live statuses, so the history stays out of them.
CREATE INDEX consignments_asset_live ON consignments (asset_id) WHERE status IN ('planned', 'in_transit', 'overdue', 'diverted', 'arrived');
CREATE INDEX consignments_dest_live ON consignments (dest_site) WHERE status IN ('planned', 'in_transit', 'overdue', 'diverted', 'arrived');
CREATE INDEX consignments_origin_live ON consignments (origin_site) WHERE status IN ('planned', 'in_transit', 'overdue', 'diverted', 'arrived');

-- Down Migration
DROP INDEX IF EXISTS consignments_origin_live, consignments_dest_live, consignments_asset_live;
