// Starts the node under load as a child process, so that its CPU is its own (read from /proc),
// its event loop is not the generator's, and its CPU profile holds its work alone.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NodeStats {
  /** Rows the position writer holds, not yet stored. */
  pending: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

export interface LoadNode {
  pid: number;
  port: number;
  /** The device ports, on a node with the ingest role. */
  jt808?: number;
  ais?: number;
  /** The latest report of the node (every second). */
  stats: NodeStats;
  /** Kills it at once (SIGKILL): a crash, nothing saved or acknowledged. */
  kill(): Promise<void>;
  /** Profiles the node's CPU from now until stopProfile (the V8 sampling profiler, 1 ms). */
  startProfile(): void;
  /** Writes the profile (a .cpuprofile, as node --cpu-prof writes) and returns its path. */
  stopProfile(): Promise<string>;
  stop(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./node.ts', import.meta.url));

export async function startLoadNode(databaseUrl: string, opts: { env?: Record<string, string> } = {}): Promise<LoadNode> {
  // Its own data folder (ledger anchor key, link inboxes, secrets key), removed when it stops.
  const dataDir = mkdtempSync(join(tmpdir(), 'tw-load-data-'));
  const child: ChildProcess = fork(ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      SIM: '0',
      PORT: '0',
      HOST: '127.0.0.1',
      JT808_PORT: '0',
      AIS_PORT: '0',
      JT809_PORT: '-1',
      OSMAND_PORT: '-1',
      ...opts.env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<{ port: number; jt808?: number; ais?: number }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the node exited (${code}) before it was ready`)));
    child.on('message', (m: { ready?: boolean; port: number; jt808?: number; ais?: number }) => {
      if (m.ready) resolve(m);
    });
  });
  const node: LoadNode = {
    pid: child.pid!,
    ...ready,
    stats: { pending: 0, lagP99Ms: 0, lagMaxMs: 0 },
    startProfile() {
      child.send({ profile: 'start' });
    },
    stopProfile() {
      const file = join(mkdtempSync(join(tmpdir(), 'tw-load-prof-')), 'node.cpuprofile');
      return new Promise<string>((resolve) => {
        const done = (m: { profiled?: string }) => {
          if (m.profiled !== file) return;
          child.off('message', done);
          resolve(file);
        };
        child.on('message', done);
        child.send({ profile: 'stop', file });
      });
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ stop: true });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  child.on('message', (m: { stats?: boolean } & NodeStats) => {
    if (m.stats) node.stats = { pending: m.pending, lagP99Ms: m.lagP99Ms, lagMaxMs: m.lagMaxMs };
  });
  return node;
}
