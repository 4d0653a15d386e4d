-- Up Migration
-- The two documents the other customs links refer to: the manifest (新舱单: vessel, voyage, bills,
-- containers) and the transit declaration (H2018 转关), which creates a movement and follows it to
-- write-off. Each row points at the link message that last set it. The links that fill them:
-- server/links/manifest/ and server/links/transit/.

-- A vessel's voyage as the manifest declares it (MT1101), arrived by MT3101 or a port call.
CREATE TABLE manifests (
  id             serial PRIMARY KEY,
  vessel_id      text NOT NULL,                 -- BorderTransportMeans/ID, e.g. UN9000001 (UN + IMO)
  journey_id     text NOT NULL,                 -- BorderTransportMeans/JourneyID (the voyage)
  vessel_imo     text,                          -- the IMO number, when the ID carries one
  vessel_name    text,
  vessel_asset   integer REFERENCES assets (id), -- the vessel we track, matched by IMO (or MMSI)
  unloading_port text,                          -- UnloadingLocation/ID (customs port code)
  district       text NOT NULL REFERENCES districts (code), -- the sender's scope
  status         text NOT NULL DEFAULT 'declared' CHECK (status IN ('declared', 'arrived')),
  arrived_at     timestamptz,
  arrived_by     text CHECK (arrived_by IN ('MT3101', 'port_call')),
  message        bigint NOT NULL REFERENCES link_messages (id),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (vessel_id, journey_id)
);
CREATE INDEX manifests_asset ON manifests (vessel_asset) WHERE vessel_asset IS NOT NULL;

CREATE TABLE manifest_bills (
  id           serial PRIMARY KEY,
  manifest_id  integer NOT NULL REFERENCES manifests (id),
  bill_no      text NOT NULL,                   -- TransportContractDocument/ID (B/L)
  house_no     text,                            -- AssociatedTransportDocument/ID
  gross_mass   numeric,                         -- kg
  goods        text,                            -- ConsignmentItem/CargoDescription (the first, and a count)
  hs_codes     text[] NOT NULL DEFAULT '{}',
  UNIQUE (manifest_id, bill_no)
);
CREATE INDEX manifest_bills_no ON manifest_bills (bill_no);

CREATE TABLE manifest_containers (
  id           serial PRIMARY KEY,
  manifest_id  integer NOT NULL REFERENCES manifests (id),
  bill_no      text NOT NULL,
  container_no text NOT NULL,                   -- ISO 6346
  size_type    text,                            -- CharacteristicCode: 22G1, 45G1, 20GP…
  fullness     text,                            -- FullnessCode
  seal_no      text,
  seal_agency  text,
  arrived      boolean NOT NULL DEFAULT false,  -- reported in by MT3101 (or the vessel's port call)
  UNIQUE (manifest_id, bill_no, container_no)
);
CREATE INDEX manifest_containers_no ON manifest_containers (container_no);

-- A transit declaration and the movement it created (one each way).
CREATE TABLE transit_declarations (
  id               serial PRIMARY KEY,
  pre_id           text NOT NULL UNIQUE,        -- TrnPreId
  turn_no          text,                        -- TurnNo (转关单号, once released)
  trans_no         text,                        -- TransNo (载货清单号)
  trans_flag       text,
  trn_type         text,
  traf_mode        text,                        -- NativeTrafMode
  traf_customs_no  text,                        -- TrafCustomsNo (customs vehicle number)
  contractor_code  text,
  contractor_name  text,
  e_seal           boolean NOT NULL DEFAULT false,
  origin_customs   text NOT NULL REFERENCES districts (code),
  dest_customs     text NOT NULL REFERENCES districts (code),
  valid_until      timestamptz NOT NULL,        -- ValidTime: the movement's deadline
  consignment_id   integer NOT NULL UNIQUE REFERENCES consignments (id),
  status           text NOT NULL CHECK (status IN ('declared', 'released', 'departed', 'arrived', 'written_off', 'cancelled')),
  district         text NOT NULL REFERENCES districts (code), -- the sender's scope
  message          bigint NOT NULL REFERENCES link_messages (id),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transit_declarations_status ON transit_declarations (status);

CREATE TABLE transit_bills (
  declaration_id integer NOT NULL REFERENCES transit_declarations (id),
  bill_no        text NOT NULL,
  ship_id        text,
  voyage_no      text,
  ie_date        date,
  manifest_id    integer REFERENCES manifests (id),
  PRIMARY KEY (declaration_id, bill_no)
);

CREATE TABLE transit_containers (
  declaration_id integer NOT NULL REFERENCES transit_declarations (id),
  container_no   text NOT NULL,
  model          text,                          -- ContaModel
  seal_no        text,                          -- the e-seal
  PRIMARY KEY (declaration_id, container_no)
);
CREATE INDEX transit_containers_no ON transit_containers (container_no);

-- Down Migration
DROP TABLE IF EXISTS transit_containers, transit_bills, transit_declarations, manifest_containers, manifest_bills, manifests;
