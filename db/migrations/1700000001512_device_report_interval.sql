-- Up Migration
-- The expected reporting interval of a device (PATCH /api/devices/{id} {reportIntervalS}): SIGNAL_LOST
-- waits max(factor × this, signalLostMinS) for its asset instead of the route's or the global interval.
-- NULL: not set, the rules' threshold applies.
ALTER TABLE devices ADD COLUMN report_interval_s integer CHECK (report_interval_s BETWEEN 1 AND 86400);

-- Down Migration
ALTER TABLE devices DROP COLUMN IF EXISTS report_interval_s;
