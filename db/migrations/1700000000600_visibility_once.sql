-- Up Migration
-- The jurisdiction functions, unchanged in meaning, with the user's district set computed once per
-- query (an uncorrelated sub-select is an InitPlan) instead of once per row: visible_districts()
-- is a recursive query the planner cannot inline.
CREATE OR REPLACE FUNCTION visible_consignments(user_district text) RETURNS SETOF consignments
LANGUAGE sql STABLE AS $$
  SELECT c.* FROM consignments c
  WHERE (SELECT is_hq(user_district)) OR c.districts && (SELECT visible_districts(user_district))
$$;

CREATE OR REPLACE FUNCTION visible_assets(user_district text) RETURNS SETOF assets
LANGUAGE sql STABLE AS $$
  SELECT a.* FROM assets a
  WHERE (SELECT is_hq(user_district))
     OR a.district IN (SELECT unnest(visible_districts(user_district)))
     OR EXISTS (SELECT 1 FROM consignments c
                WHERE c.asset_id = a.id AND c.status IN ('planned', 'in_transit', 'overdue', 'diverted')
                  AND c.districts && (SELECT visible_districts(user_district)))
$$;

CREATE OR REPLACE FUNCTION visible_alerts(user_district text) RETURNS SETOF alerts
LANGUAGE sql STABLE AS $$
  SELECT al.* FROM alerts al
  WHERE (SELECT is_hq(user_district)) OR al.districts && (SELECT visible_districts(user_district))
$$;

-- Down Migration
-- The earlier definitions (1700000000100_auth, 1700000000400_alerts) are equivalent in meaning.
