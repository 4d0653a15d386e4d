-- Up Migration
-- The reports (server/queries/reports.ts) take a day's or a month's movements by departure time;
-- without this, every report reads the whole consignments table (bench/reports.ts: a day as a
-- direct customs over 100,000 movements, a sequential scan → an index range). Alerts are already
-- taken by time through alerts_time.
CREATE INDEX consignments_departure ON consignments (departure);

-- Down Migration
DROP INDEX IF EXISTS consignments_departure;
