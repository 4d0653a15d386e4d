-- Up Migration
-- Alert episodes: when the condition ended (cleared_at) is a fact apart from the people's
-- lifecycle (open → acknowledged → resolved). `episode` makes raising idempotent across restarts.
ALTER TABLE alerts ADD COLUMN episode text;
ALTER TABLE alerts ADD COLUMN cleared_at timestamptz;
ALTER TABLE alerts ADD COLUMN districts text[] NOT NULL DEFAULT '{}';
CREATE UNIQUE INDEX alerts_episode ON alerts (episode) WHERE episode IS NOT NULL;
CREATE INDEX alerts_consignment ON alerts (consignment_id);
CREATE INDEX alerts_districts_gin ON alerts USING gin (districts);

-- Restricted zones (ZONE_ENTRY).
CREATE TABLE zones (
  id         serial PRIMARY KEY,
  code       text NOT NULL UNIQUE,
  name_zh    text NOT NULL,
  name_en    text NOT NULL,
  district   text REFERENCES districts (code),
  area       geometry(Polygon, 4326) NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX zones_area_gist ON zones USING gist (area);

-- The rules engine's state, so that a restart neither repeats nor loses an episode.
CREATE TABLE rules_state (
  id         integer PRIMARY KEY CHECK (id = 1),
  state      jsonb NOT NULL,
  saved_at   timestamptz NOT NULL DEFAULT now()
);

-- Alerts a user may see: those of movements they may see, or touching their districts.
CREATE FUNCTION visible_alerts(user_district text) RETURNS SETOF alerts
LANGUAGE sql STABLE AS $$
  SELECT al.* FROM alerts al
  WHERE is_hq(user_district) OR al.districts && visible_districts(user_district)
$$;

-- Down Migration
DROP FUNCTION IF EXISTS visible_alerts(text);
DROP TABLE IF EXISTS rules_state, zones;
DROP INDEX IF EXISTS alerts_districts_gin, alerts_consignment, alerts_episode;
ALTER TABLE alerts DROP COLUMN IF EXISTS districts, DROP COLUMN IF EXISTS cleared_at, DROP COLUMN IF EXISTS episode;
