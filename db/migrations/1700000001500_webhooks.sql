-- Up Migration
-- Webhooks out (server/webhooks/): supervisors subscribe a URL to alert types, districts and movement
-- event kinds. The outbox row of each matching subscription is written by a trigger in the SAME
-- transaction as the alert or event row (it commits or rolls back with it, whoever inserts it), and
-- the dispatcher delivers it at least once. One row per (subscription, event id): never two.
CREATE TABLE webhook_subscriptions (
  id              uuid PRIMARY KEY,
  url             text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
  secret          text NOT NULL,                           -- sealed (v1:…): signs deliveries, never returned after create
  alert_types     text[] NOT NULL DEFAULT '{}',
  districts       text[] NOT NULL CHECK (cardinality(districts) >= 1), -- within the owner's jurisdiction
  event_kinds     text[] NOT NULL DEFAULT '{}',            -- movement timeline events (gate_in, goods_in, …)
  owner_district  text NOT NULL REFERENCES districts (code),
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  enabled         boolean NOT NULL DEFAULT true,
  description     text,
  last_success_at timestamptz,
  last_error      text,
  last_error_at   timestamptz,
  delivered_count bigint NOT NULL DEFAULT 0,
  CHECK (cardinality(alert_types) + cardinality(event_kinds) >= 1)
);
-- The triggers look up enabled subscriptions by alert type / event kind.
CREATE INDEX webhook_subscriptions_types ON webhook_subscriptions USING gin (alert_types) WHERE enabled;
CREATE INDEX webhook_subscriptions_kinds ON webhook_subscriptions USING gin (event_kinds) WHERE enabled;

CREATE TABLE webhook_outbox (
  id              bigserial PRIMARY KEY,
  subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  event_id        uuid NOT NULL,                    -- the same for every subscription of one alert/event
  kind            text NOT NULL,                    -- alert.raised | movement.event
  payload         jsonb NOT NULL,                   -- the body's data
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until     timestamptz,                      -- a dispatcher is delivering it until then
  last_error      text,
  last_status     integer,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (subscription_id, next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX webhook_outbox_recent ON webhook_outbox (subscription_id, id DESC);

-- Whether a subscription's districts cover a row's districts (HQ covers all, even none).
CREATE FUNCTION webhook_covers(sub_districts text[], row_districts text[]) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM unnest(sub_districts) d WHERE is_hq(d) OR row_districts && visible_districts(d))
$$;

CREATE FUNCTION webhook_enqueue_alert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_outbox (subscription_id, event_id, kind, payload)
  SELECT s.id, md5('alert:' || NEW.id)::uuid, 'alert.raised',
         jsonb_build_object('id', NEW.id, 'type', NEW.type, 'severity', NEW.severity, 'episode', NEW.episode,
           'time', to_char(NEW.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'assetId', NEW.asset_id, 'asset', (SELECT a.label FROM assets a WHERE a.id = NEW.asset_id),
           'consignmentId', NEW.consignment_id, 'consignment', (SELECT c.reference FROM consignments c WHERE c.id = NEW.consignment_id),
           'lon', ST_X(NEW.geom), 'lat', ST_Y(NEW.geom), 'districts', to_jsonb(NEW.districts), 'detail', NEW.detail)
  FROM webhook_subscriptions s
  WHERE s.enabled AND s.alert_types @> ARRAY[NEW.type] AND webhook_covers(s.districts, NEW.districts)
  ON CONFLICT (subscription_id, event_id) DO NOTHING;
  IF FOUND THEN PERFORM pg_notify('webhook_outbox', ''); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER alerts_webhooks AFTER INSERT ON alerts FOR EACH ROW EXECUTE FUNCTION webhook_enqueue_alert();

-- Movement timeline events: those tied to a consignment, seen by the districts it touches.
CREATE FUNCTION webhook_enqueue_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_outbox (subscription_id, event_id, kind, payload)
  SELECT s.id, md5('event:' || NEW.id)::uuid, 'movement.event',
         jsonb_build_object('id', NEW.id, 'kind', NEW.kind,
           'time', to_char(NEW.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'consignmentId', NEW.consignment_id, 'consignment', c.reference, 'assetId', NEW.asset_id,
           'site', (SELECT si.code FROM sites si WHERE si.id = NEW.site_id), 'plate', NEW.plate, 'sealId', NEW.seal_id,
           'districts', to_jsonb(c.districts), 'detail', NEW.detail)
  FROM webhook_subscriptions s, consignments c
  WHERE c.id = NEW.consignment_id AND s.enabled AND s.event_kinds @> ARRAY[NEW.kind] AND webhook_covers(s.districts, c.districts)
  ON CONFLICT (subscription_id, event_id) DO NOTHING;
  IF FOUND THEN PERFORM pg_notify('webhook_outbox', ''); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER events_webhooks AFTER INSERT ON events FOR EACH ROW WHEN (NEW.consignment_id IS NOT NULL) EXECUTE FUNCTION webhook_enqueue_event();

-- Down Migration
DROP TRIGGER IF EXISTS events_webhooks ON events;
DROP TRIGGER IF EXISTS alerts_webhooks ON alerts;
DROP FUNCTION IF EXISTS webhook_enqueue_event();
DROP FUNCTION IF EXISTS webhook_enqueue_alert();
DROP FUNCTION IF EXISTS webhook_covers(text[], text[]);
DROP TABLE IF EXISTS webhook_outbox;
DROP TABLE IF EXISTS webhook_subscriptions;
