// Embedded PostGIS: PGlite with its PostGIS extension, served over the Postgres wire
// protocol on a local port so that the same `pg` code runs against it and a real server.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgis {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgis(dataDir: string, port = 0, say: (msg: string) => void = () => {}): Promise<EmbeddedPostgis> {
  const dir = resolve(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  say(`Starting embedded PostGIS in ${dir} (the first start creates it: 10–40 s; later ones take a few seconds)…`);
  const started = Date.now();
  const db = await PGlite.create({ dataDir: dir, extensions: { postgis, pg_trgm } });
  // PGlite runs one query at a time; the socket server queues queries from its
  // connections. Callers should still use a pool of one connection, because
  // transactions from different connections would interleave in one session.
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 8 });
  await server.start();
  const addr = server.getServerConn();
  say(`Embedded PostGIS ready on ${addr} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    url: `postgres://postgres@${addr}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
