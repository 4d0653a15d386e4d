-- Up Migration
-- A site's area must be a valid polygon (OGC: simple rings, holes inside the shell and apart)
-- with some area. The REST edge checks the same and says why (server/http/geojson.ts); this is
-- the backstop for every other way in, answered as a 400 (server/http/databaseRefusal.ts).
-- NOT VALID: rows stored before are not re-checked (a database in the field may hold some);
-- list them with SELECT code, ST_IsValidReason(area) FROM sites WHERE NOT ST_IsValid(area) OR ST_Area(area) = 0.
ALTER TABLE sites ADD CONSTRAINT sites_area_valid CHECK (ST_IsValid(area) AND ST_Area(area) > 0) NOT VALID;

-- Down Migration
ALTER TABLE sites DROP CONSTRAINT sites_area_valid;
