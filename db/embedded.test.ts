// The embedded PostGIS is reachable by the app's user alone (issue 14): a Unix socket in a 0700
// directory, no TCP port; the CLI works through that socket while the server runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgis, type EmbeddedPostgis } from './embedded';
import { migrate } from './migrate';
import { createTestUser } from '../server/auth/testing';

let root: string;
let dataDir: string;
let emb: EmbeddedPostgis;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'tw-embedded-'));
  chmodSync(root, 0o755); // others may walk to DATA_DIR: only the app's own directories keep them out
  dataDir = join(root, 'data');
  emb = await startEmbeddedPostgis(dataDir);
});
after(async () => {
  await emb?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** TCP ports this process listens on: its socket fds matched against /proc/net/tcp{,6} LISTEN rows. */
function myTcpListeners(): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && inodes.has(f[9]!)) ports.push(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/** Connects to a Unix socket as user `nobody`; 'connected' or the error code. */
function connectAsNobody(path: string): string {
  const code = `const s=require('net').connect(${JSON.stringify(path)});s.on('connect',()=>{console.log('connected');s.destroy()});s.on('error',e=>console.log(e.code))`;
  const r = spawnSync(process.execPath, ['-e', code], { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 20_000, cwd: '/' });
  return (r.stdout || r.stderr).trim();
}

test('attack: the embedded PostGIS opens no TCP port (a plain client has nothing to connect to)', async () => {
  assert.deepEqual(myTcpListeners(), []);
  // The check sees a TCP listener when there is one.
  const probe: Server = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  assert.deepEqual(myTcpListeners(), [port]);
  await new Promise((r) => probe.close(r));
  // The app's user gets in through the socket.
  const pool = new pg.Pool({ connectionString: emb.url, max: 1 });
  assert.equal((await pool.query('SELECT 41 + 1 AS n')).rows[0].n, 42);
  await pool.end();
});

test('attack: another local user cannot reach the socket or the database files', { skip: process.getuid?.() !== 0 && 'needs root to act as another user' }, async () => {
  assert.equal(statSync(emb.socketDir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dataDir, 'pglite')).mode & 0o777, 0o700);
  assert.equal(statSync(join(emb.socketDir, '.s.PGSQL.5432')).mode & 0o777, 0o600);
  assert.equal(connectAsNobody(join(emb.socketDir, '.s.PGSQL.5432')), 'EACCES');
  // The same probe reaches a socket that is open to everyone: a refusal above is the directory's doing.
  const open = join(root, 'open');
  mkdirSync(open, { mode: 0o777 });
  chmodSync(open, 0o777);
  const srv = createServer((s) => s.destroy());
  await new Promise<void>((r) => srv.listen(join(open, 'sock'), r));
  chmodSync(join(open, 'sock'), 0o777);
  assert.equal(connectAsNobody(join(open, 'sock')), 'connected');
  await new Promise((r) => srv.close(r));
  const r = spawnSync('ls', [join(dataDir, 'pglite')], { uid: 65534, gid: 65534, encoding: 'utf8' });
  assert.notEqual(r.status, 0, 'nobody cannot list the database files');
});

test('a second start on the same data directory is refused while the first serves it', async () => {
  await assert.rejects(startEmbeddedPostgis(dataDir), /another process serves the embedded database/);
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/transitwatch.mjs', ...args], { env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test("the CLI (verify-ledger, kiosk-token) works through the running server's socket", async () => {
  const pool = new pg.Pool({ connectionString: emb.url, max: 1 });
  try {
    await migrate(pool);
    await createTestUser(pool, { username: 'wall', role: 'viewer' });
    await pool.query(`SELECT ledger_append('note', '{"n": 1}')`);
  } finally {
    await pool.end();
  }
  let r = await cli(['verify-ledger']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Using the running server's embedded PostGIS/);
  assert.equal(JSON.parse(r.stdout).entries, 1);
  r = await cli(['kiosk-token', '--user', 'wall', '--days', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).username, 'wall');
});
