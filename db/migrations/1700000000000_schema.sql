-- Up Migration
-- The domain of DESIGN.md. Geometry in EPSG:4326; distances in metres via geography.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE districts (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]{4}$'),
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  level       text NOT NULL CHECK (level IN ('hq', 'direct', 'office')),
  parent      text REFERENCES districts (code),
  area        geometry(MultiPolygon, 4326) NOT NULL,
  approximate boolean NOT NULL DEFAULT true,
  CHECK ((level = 'hq') = (parent IS NULL))
);
CREATE INDEX districts_area_gist ON districts USING gist (area);

CREATE TABLE sites (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('port_terminal', 'bonded_zone', 'warehouse', 'inspection', 'border')),
  district    text NOT NULL REFERENCES districts (code),
  area        geometry(Polygon, 4326) NOT NULL,
  approximate boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sites_area_gist ON sites USING gist (area);

CREATE TABLE assets (
  id          serial PRIMARY KEY,
  key         text NOT NULL UNIQUE,          -- source identity: tel:…, mmsi:…, plate:…
  kind        text NOT NULL CHECK (kind IN ('vehicle', 'vessel')),
  label       text,                          -- plate or vessel name, for display
  plate       text,
  terminal    text,                          -- JT/T 808 terminal phone number
  mmsi        text,
  imo         text,
  call_sign   text,
  ais_class   text CHECK (ais_class IN ('A', 'B')),
  ship_type   text,
  district    text REFERENCES districts (code), -- home district, for assets with no consignment
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assets_plate ON assets (plate) WHERE plate IS NOT NULL;
CREATE INDEX assets_mmsi ON assets (mmsi) WHERE mmsi IS NOT NULL;

CREATE TABLE routes (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  from_site   integer NOT NULL REFERENCES sites (id),
  to_site     integer NOT NULL REFERENCES sites (id),
  corridor_m  real NOT NULL CHECK (corridor_m > 0),
  path        geometry(LineString, 4326) NOT NULL CHECK (ST_IsValid(path) AND ST_NPoints(path) >= 2),
  -- The corridor polygon, derived from path and corridor_m when the route is saved.
  corridor    geometry(Geometry, 4326) NOT NULL,
  approximate boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX routes_path_gist ON routes USING gist (path);
CREATE INDEX routes_corridor_gist ON routes USING gist (corridor);

CREATE TABLE consignments (
  id          serial PRIMARY KEY,
  reference   text NOT NULL UNIQUE,          -- manifest / declaration number
  seal_id     text,
  asset_id    integer NOT NULL REFERENCES assets (id),
  origin_site integer NOT NULL REFERENCES sites (id),
  dest_site   integer NOT NULL REFERENCES sites (id),
  route_id    integer REFERENCES routes (id),
  departure   timestamptz NOT NULL,
  deadline    timestamptz NOT NULL CHECK (deadline > departure),
  status      text NOT NULL DEFAULT 'planned'
              CHECK (status IN ('planned', 'in_transit', 'arrived', 'diverted', 'overdue', 'closed')),
  goods       text,
  carrier     text,
  -- District codes this movement touches (origin, destination, every district the route crosses),
  -- computed when it is saved; authorization filters on it.
  districts   text[] NOT NULL,
  arrived_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consignments_districts_gin ON consignments USING gin (districts);
CREATE INDEX consignments_asset_active ON consignments (asset_id) WHERE status IN ('planned', 'in_transit', 'overdue', 'diverted');
CREATE INDEX consignments_seal ON consignments (seal_id);

-- The districts a movement touches: those containing its origin or destination site, and
-- every district its route crosses. Stored on the consignment when it is saved.
CREATE FUNCTION touched_districts(origin integer, dest integer, route integer) RETURNS text[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(d.code ORDER BY d.code), '{}')
  FROM districts d
  WHERE EXISTS (SELECT 1 FROM sites s WHERE s.id IN (origin, dest) AND (s.district = d.code OR ST_Intersects(d.area, s.area)))
     OR EXISTS (SELECT 1 FROM routes r WHERE r.id = route AND ST_Intersects(d.area, r.path))
$$;

-- Positions: partitioned by day (see ensure_positions_partition); old partitions dropped by retention.
CREATE TABLE positions (
  asset_id integer NOT NULL,
  time     timestamptz NOT NULL,
  geom     geometry(Point, 4326) NOT NULL,
  speed    real,                            -- km/h
  course   real,                            -- degrees true
  heading  real,
  source   text NOT NULL,
  alarm    integer
) PARTITION BY RANGE (time);
CREATE INDEX positions_asset_time ON positions (asset_id, time);
CREATE INDEX positions_geom_gist ON positions USING gist (geom);

-- Creates the partition holding `day` (UTC) if it does not exist yet. Idempotent.
CREATE FUNCTION ensure_positions_partition(day date) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  name text := 'positions_' || to_char(day, 'YYYYMMDD');
BEGIN
  IF to_regclass(name) IS NULL THEN
    EXECUTE format(
      'CREATE TABLE IF NOT EXISTS %I PARTITION OF positions FOR VALUES FROM (%L) TO (%L)',
      name, (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
  END IF;
  RETURN name;
END $$;

-- Drops daily partitions wholly older than `keep_days`. Returns how many were dropped.
CREATE FUNCTION drop_old_positions_partitions(keep_days integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  part record;
  dropped integer := 0;
BEGIN
  FOR part IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'positions'::regclass
      AND c.relname ~ '^positions_[0-9]{8}$'
      AND to_date(substr(c.relname, 11), 'YYYYMMDD') < (now() AT TIME ZONE 'UTC')::date - keep_days
  LOOP
    EXECUTE format('DROP TABLE %I', part.relname);
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END $$;

CREATE TABLE alerts (
  id             bigserial PRIMARY KEY,
  type           text NOT NULL,
  severity       text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  asset_id       integer REFERENCES assets (id),
  consignment_id integer REFERENCES consignments (id),
  time           timestamptz NOT NULL,
  geom           geometry(Point, 4326),
  detail         jsonb NOT NULL DEFAULT '{}',
  state          text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'resolved')),
  acked_by       text,
  acked_at       timestamptz,
  resolved_by    text,
  resolved_at    timestamptz,
  note           text
);
CREATE INDEX alerts_time ON alerts (time DESC);
CREATE INDEX alerts_open ON alerts (state) WHERE state <> 'resolved';

CREATE TABLE ledger (
  seq       bigserial PRIMARY KEY,
  time      timestamptz NOT NULL DEFAULT now(),
  kind      text NOT NULL,
  payload   jsonb NOT NULL,
  prev_hash bytea NOT NULL,
  hash      bytea NOT NULL UNIQUE
);

CREATE TABLE users (
  id            serial PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  display_name  text,
  role          text NOT NULL CHECK (role IN ('viewer', 'officer', 'supervisor')),
  district      text NOT NULL REFERENCES districts (code),
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE IF EXISTS users, ledger, alerts, positions, consignments, routes, assets, sites, districts CASCADE;
DROP FUNCTION IF EXISTS ensure_positions_partition(date);
DROP FUNCTION IF EXISTS touched_districts(integer, integer, integer);
DROP FUNCTION IF EXISTS drop_old_positions_partitions(integer);
