-- Up Migration
-- The ledger becomes append-only and gapless (issue 14, "Anchor the ledger outside the database").
--
-- 1. UPDATE, DELETE and TRUNCATE on `ledger` (its entries and its checkpoints) raise, whoever runs
--    them, the table's owner included: rewriting history now takes DDL (ALTER TABLE … DISABLE
--    TRIGGER), which shows in a server's DDL log, and anchored entries are caught by the anchor log
--    (server/ledger/anchor*.ts) even then. db/roles.sql gives the app a role without superuser.
-- 2. seq has no gaps: an entry takes the last seq + 1 under the ledger lock instead of nextval(),
--    which a rolled-back transaction burns. So a missing seq is a removed entry, and the verifier
--    reports it. A ledger that already has gaps gets a 'ledger.gapless' entry: seqs after it are
--    checked.

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger: entries are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

-- And the privileges, from the table's owner (the app's role where it runs the migrations): giving
-- them back takes a GRANT. (A superuser has every privilege; the trigger still stops it.)
DO $$
BEGIN
  EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON ledger FROM %I',
    (SELECT tableowner FROM pg_tables WHERE tablename = 'ledger' AND schemaname = current_schema()));
END $$;

-- Takes the lock and the seq the next entry will have, for a position batch that stores its rows
-- under that seq before appending its entry with ledger_append(…, seq) in the same transaction.
CREATE OR REPLACE FUNCTION ledger_next_seq() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_lock();
  RETURN coalesce((SELECT max(seq) FROM ledger), 0) + 1;
END $$;

CREATE OR REPLACE FUNCTION ledger_append(p_kind text, p_payload jsonb, p_seq bigint DEFAULT NULL)
RETURNS TABLE (entry_seq bigint, entry_hash bytea) LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  prev bytea;
  s bigint;
  t timestamptz;
  h bytea;
BEGIN
  IF p_kind IS NULL OR p_kind !~ '^[a-z][a-z0-9_.:-]{0,63}$' THEN
    RAISE EXCEPTION 'ledger: bad entry kind %', coalesce(p_kind, 'NULL');
  END IF;
  IF jsonb_typeof(p_payload) IS DISTINCT FROM 'object' THEN
    RAISE EXCEPTION 'ledger: the payload must be a JSON object';
  END IF;
  PERFORM ledger_lock();
  SELECT l.seq, l.hash INTO last_seq, prev FROM ledger l ORDER BY l.seq DESC LIMIT 1;
  s := coalesce(p_seq, coalesce(last_seq, 0) + 1);
  IF s <> coalesce(last_seq, 0) + 1 THEN
    RAISE EXCEPTION 'ledger: seq % is not the one after the last entry %', s, coalesce(last_seq, 0);
  END IF;
  prev := coalesce(prev, ledger_genesis());
  t := clock_timestamp();
  h := ledger_entry_hash(prev, s, t, p_kind, p_payload);
  INSERT INTO ledger (seq, time, kind, payload, prev_hash, hash) VALUES (s, t, p_kind, p_payload, prev, h);
  RETURN QUERY SELECT s, h;
END $$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM ledger) AND (SELECT max(seq) <> count(*) FROM ledger) THEN
    PERFORM ledger_append('ledger.gapless', '{}'::jsonb);
  END IF;
END $$;

-- Down Migration
DO $$
BEGIN
  EXECUTE format('GRANT UPDATE, DELETE, TRUNCATE ON ledger TO %I',
    (SELECT tableowner FROM pg_tables WHERE tablename = 'ledger' AND schemaname = current_schema()));
END $$;
DROP TRIGGER IF EXISTS ledger_append_only ON ledger;
DROP FUNCTION IF EXISTS ledger_append_only();
SELECT setval(pg_get_serial_sequence('ledger', 'seq'), coalesce((SELECT max(seq) FROM ledger), 0) + 1, false);
CREATE OR REPLACE FUNCTION ledger_next_seq() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_lock();
  RETURN nextval(pg_get_serial_sequence('ledger', 'seq'));
END $$;
CREATE OR REPLACE FUNCTION ledger_append(p_kind text, p_payload jsonb, p_seq bigint DEFAULT NULL)
RETURNS TABLE (entry_seq bigint, entry_hash bytea) LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  prev bytea;
  s bigint;
  t timestamptz;
  h bytea;
BEGIN
  IF p_kind IS NULL OR p_kind !~ '^[a-z][a-z0-9_.:-]{0,63}$' THEN
    RAISE EXCEPTION 'ledger: bad entry kind %', coalesce(p_kind, 'NULL');
  END IF;
  IF jsonb_typeof(p_payload) IS DISTINCT FROM 'object' THEN
    RAISE EXCEPTION 'ledger: the payload must be a JSON object';
  END IF;
  PERFORM ledger_lock();
  SELECT l.seq, l.hash INTO last_seq, prev FROM ledger l ORDER BY l.seq DESC LIMIT 1;
  s := coalesce(p_seq, nextval(pg_get_serial_sequence('ledger', 'seq')));
  IF s <= last_seq THEN
    RAISE EXCEPTION 'ledger: seq % is not after the last entry %', s, last_seq;
  END IF;
  prev := coalesce(prev, ledger_genesis());
  t := clock_timestamp();
  h := ledger_entry_hash(prev, s, t, p_kind, p_payload);
  INSERT INTO ledger (seq, time, kind, payload, prev_hash, hash) VALUES (s, t, p_kind, p_payload, prev, h);
  RETURN QUERY SELECT s, h;
END $$;
