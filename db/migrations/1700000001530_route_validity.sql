-- Up Migration
-- An approved route is approved for a period (有效期): a movement may be registered on it only for a
-- departure inside [valid_from, valid_until). NULL at either end: open at that end.
ALTER TABLE routes ADD COLUMN valid_from timestamptz, ADD COLUMN valid_until timestamptz;
ALTER TABLE routes ADD CONSTRAINT routes_validity_order CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_until > valid_from);
-- "Who changed it, when" on the admin lists: the newest audit record of an object (server/queries/lastChange.ts).
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id DESC);

-- Down Migration
DROP INDEX IF EXISTS audit_log_entity;
ALTER TABLE routes DROP CONSTRAINT IF EXISTS routes_validity_order;
ALTER TABLE routes DROP COLUMN IF EXISTS valid_from, DROP COLUMN IF EXISTS valid_until;
