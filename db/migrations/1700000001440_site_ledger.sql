-- Up Migration
-- The site ledger (监管场所底账) of supervised places (server/links/site-ledger/): goods in and goods
-- out per site by container, bill and movement. A site's balance is the containers whose latest
-- entry is an "in". Entries are written once and chained in the ledger; never updated.
CREATE TABLE site_ledger (
  id             bigserial PRIMARY KEY,
  message        bigint NOT NULL REFERENCES link_messages (id),
  site_id        integer NOT NULL REFERENCES sites (id),
  direction      text NOT NULL CHECK (direction IN ('in', 'out')),
  container_no   text,                           -- ContaNo (ISO 6346)
  bill_no        text,                           -- BillNo (B/L)
  reference      text,                           -- TrnPreId or the movement's reference, as the site gave it
  packages       integer CHECK (packages >= 0),  -- PackNo
  weight_kg      numeric CHECK (weight_kg >= 0), -- GrossWt
  time           timestamptz NOT NULL,           -- IOTime
  consignment_id integer REFERENCES consignments (id), -- the movement it was tied to
  district       text NOT NULL REFERENCES districts (code), -- the sender's scope
  CHECK (container_no IS NOT NULL OR bill_no IS NOT NULL)
);
CREATE INDEX site_ledger_site ON site_ledger (site_id, id DESC);
CREATE INDEX site_ledger_container ON site_ledger (site_id, container_no, time DESC) WHERE container_no IS NOT NULL;
CREATE INDEX site_ledger_consignment ON site_ledger (consignment_id) WHERE consignment_id IS NOT NULL;
-- The reconciliation (NOT_RECEIVED) reads the recent arrivals through a gate or a declaration.
CREATE INDEX events_arrivals ON events (time) WHERE kind IN ('gate_in', 'trn_arrived');

-- Down Migration
DROP INDEX IF EXISTS events_arrivals;
DROP TABLE IF EXISTS site_ledger;
