-- db/roles.sql: the PostgreSQL role TransitWatch runs as with a PostGIS server (DATABASE_URL).
--
-- Run once as a superuser, connected to the app's (new, empty) database:
--   createdb transitwatch && psql -d transitwatch -v ON_ERROR_STOP=1 -f db/roles.sql
--   psql -d transitwatch -c '\password transitwatch'
--   DATABASE_URL=postgres://transitwatch:PASSWORD@HOST/transitwatch npm start
--
-- The role `transitwatch`:
--  - is no superuser: it cannot create roles or databases, replicate, bypass row security, or
--    turn triggers off for a session (session_replication_role);
--  - owns what the migrations create (the server applies them at start), so it may create in
--    schema public; PostGIS is no trusted extension, so the extensions are created here;
--  - cannot UPDATE, DELETE or TRUNCATE ledger entries or checkpoints: migration 1700000001000
--    revokes those privileges from the ledger's owner, and its trigger refuses them for every role.
--    Undoing either takes DCL or DDL (GRANT, ALTER TABLE … DISABLE TRIGGER), which a server logs
--    with log_statement = 'ddl'; and whatever was anchored is still checked against the signed
--    anchor log outside the database (npx transitwatch verify-ledger).

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'transitwatch') THEN
    CREATE ROLE transitwatch LOGIN;
  END IF;
END $$;
ALTER ROLE transitwatch NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

DO $$
BEGIN
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO transitwatch', current_database());
END $$;
GRANT USAGE, CREATE ON SCHEMA public TO transitwatch;
