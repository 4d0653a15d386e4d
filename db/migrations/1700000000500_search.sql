-- Up Migration
-- Search as you type (console): trigram indexes make "contains" searches on references, seals,
-- plates, terminal numbers, MMSI, IMO and vessel names use an index instead of a scan.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX consignments_reference_trgm ON consignments USING gin (reference gin_trgm_ops);
CREATE INDEX consignments_seal_trgm ON consignments USING gin (seal_id gin_trgm_ops);
CREATE INDEX assets_search_trgm ON assets USING gin (
  (coalesce(label, '') || ' ' || coalesce(plate, '') || ' ' || coalesce(terminal, '') || ' ' || coalesce(mmsi, '') || ' ' || coalesce(imo, '')) gin_trgm_ops);

-- Down Migration
DROP INDEX IF EXISTS assets_search_trgm, consignments_seal_trgm, consignments_reference_trgm;
