-- Up Migration
-- Golden Customs II (金关二期) bonded zones: zones get a kind (restricted: ZONE_ENTRY; anchorage:
-- no RENDEZVOUS; bonded: a vehicle crossing its boundary needs a valid 核放单 passport, else
-- ZONE_UNAUTHORISED) and the zone's area code (区域代码) that passports name. Passports (SAS121)
-- and their pass receipts (SAS223) come through server/links/zone/.
ALTER TABLE zones ADD COLUMN kind text NOT NULL DEFAULT 'restricted' CHECK (kind IN ('restricted', 'anchorage', 'bonded'));
ALTER TABLE zones ADD COLUMN area_code text CHECK (area_code ~ '^[A-Za-z0-9]{1,20}$');
CREATE UNIQUE INDEX zones_area_code ON zones (area_code) WHERE area_code IS NOT NULL;
-- As sites (1700000001300): a zone's area must be a valid polygon with some area. The REST edge
-- checks the same and says why; NOT VALID: rows stored before are not re-checked.
ALTER TABLE zones ADD CONSTRAINT zones_area_valid CHECK (ST_IsValid(area) AND ST_Area(area) > 0) NOT VALID;

-- One 核放单 (passport) per PassportNo: the vehicle and goods one zone's gate may let in (I) or
-- out (E), once. `status`: valid until the gate's pass receipt (passed) or a cancellation
-- (dclTypecd 3 作废, stucd 5/6). `used_at`: the boundary crossing (GPS) it authorised.
CREATE TABLE zone_passports (
  id             bigserial PRIMARY KEY,
  passport_no    text NOT NULL UNIQUE CHECK (length(passport_no) BETWEEN 1 AND 64),
  type           smallint NOT NULL CHECK (type BETWEEN 1 AND 6),  -- passportTypecd
  bind_type      smallint CHECK (bind_type BETWEEN 1 AND 3),      -- bindTypecd
  related_type   smallint CHECK (related_type BETWEEN 1 AND 3),   -- rltTbTypecd
  related_no     text,                                            -- rltNo (关联单证编号)
  io             text NOT NULL CHECK (io IN ('in', 'out')),       -- ioTypecd I / E
  plate          text NOT NULL,                                   -- vehicleNo
  asset_id       integer REFERENCES assets (id),                  -- the vehicle we track, by plate
  containers     text[] NOT NULL DEFAULT '{}',                    -- containerNo
  vehicle_wt     numeric,                                         -- vehicleWt (kg)
  gross_wt       numeric,                                         -- totalGrossWt (kg)
  total_wt       numeric,                                         -- totalWt (kg, vehicle included)
  zone_id        integer REFERENCES zones (id) ON DELETE SET NULL,
  zone_code      text NOT NULL,                                   -- the zone as it was named (kept if the zone goes)
  master_customs text,                                            -- masterCuscd
  status         text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'passed', 'cancelled')),
  declared_at    timestamptz,                                     -- dclTime
  created_at     timestamptz NOT NULL DEFAULT now(),
  passed_at      timestamptz,                                     -- SAS223 passTime
  pass_weight    numeric,                                         -- SAS223 passCollectWt (kg, at the gate)
  used_at        timestamptz,                                     -- the GPS crossing it authorised
  district       text NOT NULL REFERENCES districts (code),       -- the sender's scope
  message        bigint NOT NULL REFERENCES link_messages (id),   -- the SAS121 that last set it
  pass_message   bigint REFERENCES link_messages (id)             -- the SAS223
);
CREATE INDEX zone_passports_lookup ON zone_passports (zone_id, plate, io, created_at DESC);

-- Down Migration
DROP TABLE IF EXISTS zone_passports;
ALTER TABLE zones DROP CONSTRAINT IF EXISTS zones_area_valid;
DROP INDEX IF EXISTS zones_area_code;
ALTER TABLE zones DROP COLUMN IF EXISTS area_code, DROP COLUMN IF EXISTS kind;
