-- Up Migration
-- A movement can be cancelled (its declaration withdrawn) as well as closed. Both end it: it leaves
-- the live scopes and the rules at once (server/movements).
ALTER TABLE consignments DROP CONSTRAINT consignments_status_check;
ALTER TABLE consignments ADD CONSTRAINT consignments_status_check
  CHECK (status IN ('planned', 'in_transit', 'arrived', 'diverted', 'overdue', 'closed', 'cancelled'));

-- Down Migration
UPDATE consignments SET status = 'closed' WHERE status = 'cancelled';
ALTER TABLE consignments DROP CONSTRAINT consignments_status_check;
ALTER TABLE consignments ADD CONSTRAINT consignments_status_check
  CHECK (status IN ('planned', 'in_transit', 'arrived', 'diverted', 'overdue', 'closed'));
