-- Up Migration
-- The tamper-evident ledger (DESIGN.md, "Ledger"). Every hash over stored data is computed here,
-- in SQL, so that writing and verifying hash byte-identical input: values are read back
-- exactly as stored, and the text forms used do not depend on session settings.
--
--   entry hash = sha256(prev_hash || utf8(seq '|' time_in_epoch_µs '|' kind '|' payload::text))
--   genesis prev_hash = 32 zero bytes; jsonb's text form is canonical.
--
-- Appends are serialized by a transaction-scoped advisory lock, so the chain stays linear
-- with several connections or nodes; the lock is held until the appending transaction ends.

-- The seq of the position batch that stored the row (NULL: stored without the ledger).
ALTER TABLE positions ADD COLUMN batch bigint;
-- Batches grow with insertion order, so a BRIN index finds a range of them for almost nothing
-- on insert; the verifier reads positions a range of batches at a time through it.
CREATE INDEX positions_batch_brin ON positions USING brin (batch) WITH (autosummarize = on);

-- The few entries the verifier and the checkpointer look up by kind, and chained rows by table and id.
CREATE INDEX ledger_checkpoints ON ledger (seq) WHERE kind = 'checkpoint';
CREATE INDEX ledger_retention ON ledger (seq) WHERE kind IN ('retention', 'legacy');
CREATE INDEX ledger_rows ON ledger ((payload->>'table'), (payload->>'id'), seq) WHERE payload ?& array['table', 'id', 'digest'];

CREATE FUNCTION ledger_genesis() RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
$$;

CREATE FUNCTION ledger_entry_hash(p_prev bytea, p_seq bigint, p_time timestamptz, p_kind text, p_payload jsonb)
RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sha256(p_prev || convert_to(
    p_seq::text || '|' || (extract(epoch FROM p_time) * 1000000)::bigint::text || '|' || p_kind || '|' || p_payload::text,
    'UTF8'))
$$;

-- Takes the ledger lock (until the transaction ends). Under REPEATABLE READ or SERIALIZABLE the
-- transaction's snapshot predates the lock and could miss the newest entry, so those are refused.
CREATE FUNCTION ledger_lock() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'ledger appends need READ COMMITTED isolation, not %', current_setting('transaction_isolation');
  END IF;
  PERFORM pg_advisory_xact_lock(8392295613360203122); -- 'twledger'
END $$;

-- Takes the lock and the next seq, for a position batch that stores its rows under that seq
-- before appending its entry with ledger_append(…, seq) in the same transaction.
CREATE FUNCTION ledger_next_seq() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_lock();
  RETURN nextval(pg_get_serial_sequence('ledger', 'seq'));
END $$;

-- Appends one entry in the caller's transaction. Each statement in a VOLATILE function takes
-- a fresh snapshot, so the newest committed entry is seen once the lock is held.
CREATE FUNCTION ledger_append(p_kind text, p_payload jsonb, p_seq bigint DEFAULT NULL)
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

-- One stored position as canonical bytes, every column as stored: asset int4, time int8
-- (microseconds since 2000-01-01 UTC, PostgreSQL's binary timestamptz), then speed, course,
-- heading (float4) and alarm (int4) each as 0x00 for NULL or 0x01 and the value (big-endian),
-- then the point as WKB and the source as UTF-8, each after its length (int4). Self-delimiting,
-- so lines can be concatenated without separators; binary, so no session setting changes it.
CREATE FUNCTION ledger_position_line(p_asset integer, p_time timestamptz, p_geom geometry, p_speed real, p_course real,
                                     p_heading real, p_source text, p_alarm integer)
RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT int4send(p_asset) || timestamptz_send(p_time)
      || coalesce('\x01'::bytea || float4send(p_speed), '\x00'::bytea)
      || coalesce('\x01'::bytea || float4send(p_course), '\x00'::bytea)
      || coalesce('\x01'::bytea || float4send(p_heading), '\x00'::bytea)
      || coalesce('\x01'::bytea || int4send(p_alarm), '\x00'::bytea)
      || int4send(octet_length(ST_AsBinary(p_geom))) || ST_AsBinary(p_geom)
      || int4send(octet_length(convert_to(p_source, 'UTF8'))) || convert_to(p_source, 'UTF8')
$$;

-- The digest of a batch: SHA-256 over its lines sorted bytewise and concatenated. It takes
-- the lines in any order (array_agg), so the writer and the verifier group however is fastest.
CREATE FUNCTION ledger_lines_digest(p_lines bytea[]) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT sha256(coalesce(string_agg(l, ''::bytea ORDER BY l), ''::bytea)) FROM unnest(p_lines) l
$$;

CREATE FUNCTION ledger_iso(p_time timestamptz) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT to_char(p_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- SHA-256 of rows of `p_table` (which has an `id` column) as canonical JSON:
-- jsonb_strip_nulls(to_jsonb(row))::text, with the settings that shape that text pinned.
-- NULLs are stripped so that adding a nullable column to a chained table leaves old digests valid.
CREATE FUNCTION ledger_row_digests(p_table text, p_ids text[]) RETURNS TABLE (id text, digest bytea)
LANGUAGE plpgsql STABLE
SET "TimeZone" = 'UTC' SET extra_float_digits = 1 SET "IntervalStyle" = 'postgres' SET bytea_output = 'hex'
AS $$
DECLARE
  rel regclass := to_regclass(p_table);
  idtype text;
BEGIN
  IF rel IS NULL THEN
    RAISE EXCEPTION 'ledger: there is no table %', p_table;
  END IF;
  SELECT format_type(a.atttypid, a.atttypmod) INTO idtype
  FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = 'id' AND NOT a.attisdropped;
  IF idtype IS NULL THEN
    RAISE EXCEPTION 'ledger: table % has no id column', p_table;
  END IF;
  RETURN QUERY EXECUTE format(
    'SELECT t.id::text, sha256(convert_to(jsonb_strip_nulls(to_jsonb(t))::text, ''UTF8'')) FROM %s t WHERE t.id = ANY ($1::%s[])',
    rel, idtype) USING p_ids;
END $$;

-- Retention now records what it dropped: a 'retention' entry whose `before` (a UTC date) says
-- that every position before it is gone, so the verifier expects those batches to be missing.
CREATE OR REPLACE FUNCTION drop_old_positions_partitions(keep_days integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  part record;
  cutoff date := (now() AT TIME ZONE 'UTC')::date - keep_days;
  names text[] := '{}';
BEGIN
  FOR part IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'positions'::regclass
      AND c.relname ~ '^positions_[0-9]{8}$'
      AND to_date(substr(c.relname, 11), 'YYYYMMDD') < cutoff
    ORDER BY c.relname
  LOOP
    EXECUTE format('DROP TABLE %I', part.relname);
    names := names || part.relname::text;
  END LOOP;
  IF cardinality(names) > 0 THEN
    PERFORM ledger_append('retention', jsonb_build_object('before', to_char(cutoff, 'YYYY-MM-DD'), 'partitions', to_jsonb(names)));
  END IF;
  RETURN cardinality(names);
END $$;

-- Positions stored before the ledger existed cannot be checked; record how many there were so
-- that the verifier accepts that many rows without a batch (and no more).
DO $$
DECLARE
  n bigint;
  last timestamptz;
BEGIN
  SELECT count(*), max(time) INTO n, last FROM positions;
  IF n > 0 THEN
    PERFORM ledger_append('legacy', jsonb_build_object('rows', n, 'to', ledger_iso(last)));
  END IF;
END $$;

-- Down Migration
CREATE OR REPLACE FUNCTION drop_old_positions_partitions(keep_days integer) RETURNS integer LANGUAGE plpgsql AS $$
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
DROP FUNCTION IF EXISTS ledger_row_digests(text, text[]);
DROP FUNCTION IF EXISTS ledger_iso(timestamptz);
DROP FUNCTION IF EXISTS ledger_lines_digest(bytea[]);
DROP FUNCTION IF EXISTS ledger_position_line(integer, timestamptz, geometry, real, real, real, text, integer);
DROP FUNCTION IF EXISTS ledger_append(text, jsonb, bigint);
DROP FUNCTION IF EXISTS ledger_next_seq();
DROP FUNCTION IF EXISTS ledger_lock();
DROP FUNCTION IF EXISTS ledger_entry_hash(bytea, bigint, timestamptz, text, jsonb);
DROP FUNCTION IF EXISTS ledger_genesis();
DROP INDEX IF EXISTS ledger_rows, ledger_retention, ledger_checkpoints, positions_batch_brin;
ALTER TABLE positions DROP COLUMN IF EXISTS batch;
