-- Up Migration
-- Every deployment seeds the real customs district tree (db/seed/customs-districts.json), and a
-- supervisor may add an office at run time: neither comes with a drawn polygon. Jurisdiction works on
-- the tree codes (visible_districts, is_hq); a district without an area simply touches no movement by
-- geometry (ST_Intersects with NULL is not true), only by the sites placed in it.
ALTER TABLE districts ALTER COLUMN area DROP NOT NULL;

-- Down Migration
DELETE FROM districts WHERE area IS NULL;
ALTER TABLE districts ALTER COLUMN area SET NOT NULL;
