-- Up Migration
-- Smart gate (智能卡口) passes, one per collection message (server/links/gate/): what the gate read
-- (site, channel, direction, OCR plate, vehicle tag, containers, e-seal, weights), the movement it
-- was matched to, and the decision sent back (82): release, hold (a mismatch) or manual (not read).
-- Written once and chained in the ledger; never updated.
CREATE TABLE gate_passes (
  id             bigserial PRIMARY KEY,
  message        bigint NOT NULL REFERENCES link_messages (id),
  site_id        integer NOT NULL REFERENCES sites (id),
  channel        text NOT NULL,                  -- CHNL_NO
  direction      text NOT NULL CHECK (direction IN ('in', 'out')), -- I_E_TYPE: I in, E (or O) out
  seq_no         text NOT NULL,                  -- SEQ_NO, the gate's own pass number
  time           timestamptz NOT NULL,           -- GATHER_TIME, or when the message came
  plate          text,                           -- OPTCAR/PCAR_NO: the plate the camera read (OCR)
  tag_plate      text,                           -- CAR/VE_NAME: the plate of the vehicle's electronic tag
  tag_no         text,                           -- CAR/CAR_EC_NO: the electronic tag
  ve_customs_no  text,                           -- CAR/VE_CUSTOMS_NO
  asset_id       integer REFERENCES assets (id),
  containers     text[] NOT NULL DEFAULT '{}',   -- CONTA/CONTA_ID_F, CONTA_ID_B (those read)
  eseal          text,                           -- SEAL/ESEAL_ID
  gross_kg       numeric,                        -- WEIGHT/GROSS_WT
  vehicle_kg     numeric,                        -- CAR/VE_WT
  consignment_id integer REFERENCES consignments (id),
  decision       text NOT NULL CHECK (decision IN ('release', 'hold', 'manual')),
  reasons        text[] NOT NULL DEFAULT '{}',   -- why held (the mismatches) or why manual
  district       text NOT NULL REFERENCES districts (code) -- the sender's scope
);
CREATE INDEX gate_passes_site_time ON gate_passes (site_id, time DESC);
CREATE INDEX gate_passes_consignment ON gate_passes (consignment_id) WHERE consignment_id IS NOT NULL;

-- Down Migration
DROP TABLE IF EXISTS gate_passes;
