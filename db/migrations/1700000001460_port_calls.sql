-- Up Migration
-- Port calls (水空运运输工具): a vessel's arrival at and departure from a port terminal (a site of
-- kind port_terminal) or an anchorage (a zone), detected from its AIS fixes by
-- server/links/portcalls/ (dwell, speed and a margin against GPS noise). An arrival at a port
-- terminal marks the vessel's declared manifest for that port arrived (manifest_id).
CREATE TABLE port_calls (
  id          serial PRIMARY KEY,
  asset_id    integer NOT NULL REFERENCES assets (id),
  place       text NOT NULL,                    -- the site's or the zone's code
  kind        text NOT NULL CHECK (kind IN ('port', 'anchorage')),
  site_id     integer REFERENCES sites (id),    -- a port call
  zone_id     integer,                          -- an anchorage call (no key: zones are redrawn and removed; place keeps the code)
  arrived_at  timestamptz NOT NULL,
  departed_at timestamptz CHECK (departed_at IS NULL OR departed_at >= arrived_at),
  lon         double precision,                 -- where the arrival was decided
  lat         double precision,
  manifest_id integer REFERENCES manifests (id),
  CHECK ((kind = 'port') = (site_id IS NOT NULL))
);
-- A vessel is in one place at a time: one open call each (a second arrival while one is open is a no-op).
CREATE UNIQUE INDEX port_calls_open ON port_calls (asset_id) WHERE departed_at IS NULL;
CREATE INDEX port_calls_asset_time ON port_calls (asset_id, arrived_at DESC);
CREATE INDEX port_calls_arrived ON port_calls (arrived_at DESC);
CREATE INDEX port_calls_site ON port_calls (site_id) WHERE site_id IS NOT NULL;

-- Down Migration
DROP TABLE IF EXISTS port_calls;
