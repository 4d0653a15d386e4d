// The embedded PostGIS's own thread (started by db/embedded.ts): PGlite with PostGIS and
// pg_trgm, served on a Unix socket. PGlite runs each query synchronously in WebAssembly, so in
// the app's thread a heavy query (ST_Buffer of a long route) would stall every request; here
// it stalls only this thread. Plain JavaScript, so that it loads without a TypeScript loader
// (the CLI registers tsx in-process, and a worker does not inherit that).
import { chmodSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** @type {{ dataDir: string; socketPath: string; maxConnections: number }} */
const { dataDir, socketPath, maxConnections } = workerData;

let db;
let server;
try {
  db = await PGlite.create({ dataDir, extensions: { postgis, pg_trgm } });
  // The socket server queues the queries of its connections for PGlite's one session.
  // `path` and no host/port: it listens on the Unix socket only, never on TCP.
  server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
  await server.start();
  chmodSync(socketPath, 0o600); // the directory (0700) already keeps others out; the socket too
  parentPort.postMessage({ type: 'ready' });
} catch (err) {
  parentPort.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  await db?.close().catch(() => {});
  process.exit(1);
}

parentPort.on('message', async (msg) => {
  if (msg?.type !== 'stop') return;
  try {
    await server.stop();
    await db.close();
  } finally {
    parentPort.postMessage({ type: 'stopped' });
    parentPort.close();
  }
});
