-- Up Migration
-- Inspection tasks (查验): a movement flagged for inspection at a site (by an inspection-system
-- message or by an officer in the console, which goes through the same link), and the result that
-- closes the task. At most one open task per movement. The inspection link (server/links/inspection/)
-- writes these; a seal replaced at inspection is recorded here (new_seal), not on the movement:
-- movements change only through MovementService.
CREATE TABLE inspections (
  id             serial PRIMARY KEY,
  consignment_id integer NOT NULL REFERENCES consignments (id),
  site_id        integer NOT NULL REFERENCES sites (id),     -- where it is inspected (the destination by default)
  flagged_at     timestamptz NOT NULL,
  flagged_by     text NOT NULL,                              -- the sender's source: http:<token>, user:<name>, inbox:inspection
  reason         text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  result         text CHECK (result IN ('passed', 'issue', 'seal_replaced')),
  new_seal       text CHECK ((result = 'seal_replaced') = (new_seal IS NOT NULL) OR result IS NULL),
  result_at      timestamptz,
  result_by      text,
  note           text CHECK (length(note) <= 1000),
  message        bigint NOT NULL REFERENCES link_messages (id), -- the flag's message
  result_message bigint REFERENCES link_messages (id),
  CHECK ((result IS NULL) = (result_at IS NULL))
);
CREATE UNIQUE INDEX inspections_one_open ON inspections (consignment_id) WHERE result IS NULL;
CREATE INDEX inspections_site ON inspections (site_id, flagged_at DESC);

-- Down Migration
DROP TABLE IF EXISTS inspections;
