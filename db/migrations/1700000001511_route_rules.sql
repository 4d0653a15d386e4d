-- Up Migration
-- Per-route rules thresholds set by supervisors at run time (PUT /api/routes/{code}/rules): a subset
-- of the per-route settings (server/rules/routeRules.ts), used in place of the RULES_CONFIG_FILE's
-- entry for that route. Validated by the application; the column only insists on an object.
CREATE TABLE route_rules (
  route_id   integer PRIMARY KEY REFERENCES routes (id) ON DELETE CASCADE,
  rules      jsonb NOT NULL CHECK (jsonb_typeof(rules) = 'object'),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

-- Down Migration
DROP TABLE IF EXISTS route_rules;
