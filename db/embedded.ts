// Embedded PostGIS: PGlite with its PostGIS extension, in a worker thread of its own
// (db/embeddedWorker.mjs), served over the Postgres wire protocol so that the same `pg` code
// runs against it and a real server.
//
// Who may connect. PGlite has no authentication: whoever reaches its wire server is the
// superuser, and @electric-sql/pglite-socket passes the startup message straight to PGlite
// (no hook to check a password). So it is served on a Unix socket, never on TCP: the socket lives
// in DATA_DIR/pglite-socket, a directory of mode 0700 owned by the app's user, next to the
// database files (DATA_DIR/pglite, also 0700). The kernel refuses every other user at connect();
// there is no port for another local process (or a request forged from inside the app) to reach,
// and no password to leak through a URL, an environment or `ps`. Processes of the app's own user
// can connect, as they could read and write the database files directly; a password file readable
// by that user would stop none of them either. The CLI (verify-ledger, kiosk-token) runs as that
// user and connects through the same socket while the server runs.
//
// The worker thread: PGlite runs each query synchronously in WebAssembly; on the app's thread a
// heavy query (ST_Buffer of a 20,000-vertex route) stalled every request. In its own thread it
// stalls only the database's queue.
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface EmbeddedPostgis {
  /** A `pg` connection string for the Unix socket. */
  url: string;
  /** The socket's directory (pg's `host`). */
  socketDir: string;
  stop(): Promise<void>;
}

// pg connects to `${host}/.s.PGSQL.${port}` (port 5432 by default), as libpq does.
const SOCKET_NAME = '.s.PGSQL.5432';
// sun_path holds 108 bytes with its NUL; a longer path would be cut short or refused.
const MAX_SOCKET_PATH = 107;

export function embeddedSocketDir(dataDir: string): string {
  return resolve(dataDir, 'pglite-socket');
}

export function embeddedUrl(socketDir: string): string {
  return `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}&sslmode=disable`;
}

/**
 * A directory only this user may enter: created 0700, or an existing one checked to be a real
 * directory (no symbolic link) owned by this user and set back to 0700. Someone else's
 * directory here could hold a socket of theirs that the app would take for its database.
 */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new Error(`${dir} belongs to user ${st.uid}, not to this user (${uid}): remove it or fix its owner`);
  chmodSync(dir, 0o700);
}

/** Whether a server answers on the socket (false when there is no socket or nobody listens). */
export function socketAnswers(path: string): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });
}

/** The embedded server of this data directory when one is running (e.g. the app's), for the CLI. */
export async function runningEmbedded(dataDir: string): Promise<{ url: string; socketDir: string } | undefined> {
  const socketDir = embeddedSocketDir(dataDir);
  return (await socketAnswers(join(socketDir, SOCKET_NAME))) ? { url: embeddedUrl(socketDir), socketDir } : undefined;
}

/**
 * Starts PGlite on `DATA_DIR/pglite` and serves it on `DATA_DIR/pglite-socket/.s.PGSQL.5432`.
 * Refuses when another process already serves this data directory (two PGlite instances on one
 * directory would corrupt it). `_port` is ignored: there is no TCP port (kept for old callers).
 */
export async function startEmbeddedPostgis(dataDir: string, _port = 0, say: (msg: string) => void = () => {}): Promise<EmbeddedPostgis> {
  const dir = resolve(dataDir, 'pglite');
  const socketDir = embeddedSocketDir(dataDir);
  const socketPath = join(socketDir, SOCKET_NAME);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new Error(`the embedded database's socket path ${socketPath} is longer than ${MAX_SOCKET_PATH} bytes: use a shorter DATA_DIR`);
  }
  privateDir(dir);
  privateDir(socketDir);
  if (await socketAnswers(socketPath)) {
    throw new Error(`another process serves the embedded database in ${dir} (socket ${socketPath}): stop it first`);
  }
  try {
    unlinkSync(socketPath); // left behind by a process that ended without closing it
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }

  say(`Starting embedded PostGIS in ${dir} (the first start creates it: 10–40 s; later ones take a few seconds)…`);
  const started = Date.now();
  // PGlite runs one query at a time; the socket server queues queries from its connections.
  // Callers should still use a pool of one connection, because transactions from different
  // connections would interleave in one session.
  const worker = new Worker(new URL('./embeddedWorker.mjs', import.meta.url), {
    workerData: { dataDir: dir, socketPath, maxConnections: 8 },
  });
  let stopped: (() => void) | undefined;
  await new Promise<void>((ready, fail) => {
    worker.on('message', (msg: { type: string; message?: string }) => {
      if (msg.type === 'ready') ready();
      else if (msg.type === 'failed') fail(new Error(`embedded PostGIS did not start: ${msg.message}`));
      else if (msg.type === 'stopped') stopped?.();
    });
    worker.on('error', (err) => {
      say(`embedded PostGIS failed: ${err.message}`);
      fail(err);
    });
    worker.on('exit', (code) => {
      if (!stopped) say(`embedded PostGIS stopped unexpectedly (worker exit ${code})`);
      fail(new Error(`embedded PostGIS worker exited (${code})`));
      stopped?.();
    });
  });
  say(`Embedded PostGIS ready on ${socketPath} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let stopping: Promise<void> | undefined;
  return {
    url: embeddedUrl(socketDir),
    socketDir,
    stop() {
      stopping ??= new Promise<void>((done) => {
        stopped = done;
        worker.postMessage({ type: 'stop' });
      })
        .then(() => worker.terminate())
        .then(() => {});
      return stopping;
    },
  };
}
