// A whole TransitWatch cluster for one end-to-end test, started by the test itself: a fresh database
// (dropped after), the real server as separate processes with their roles (server/cluster/README.md),
// the round-robin door of `npm run cluster` in front of the web nodes, and the Redis names of this
// deployment removed after. Needs a PostGIS server (DATABASE_URL names one) and Redis (REDIS_TEST_URL).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createClient } from 'redis';
import { startBalancer, type Balancer } from '../server/cluster/balancer';
import { clusterPrefix, dropClusterNames } from '../server/cluster/redis';
import { freePort } from '../scripts/freePort';

export const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_PASSWORD = 'e2e-admin-password';
export const INGEST_TOKEN = process.env.E2E_INGEST_TOKEN ?? 'e2e-ingest-token-0123456789';

export interface Node {
  id: string;
  port: number;
  url: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  log: string[];
  exited: Promise<number | string>;
  /** Resolves at the first line of its output that matches. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<string>;
  /** SIGKILL: no shutdown, as a crash or a pulled plug. */
  kill(): Promise<void>;
}

export class LocalCluster {
  readonly nodes: Node[] = [];
  private door: Balancer | undefined;
  private dataDir = mkdtempSync(join(tmpdir(), 'tw-cluster-'));
  private redis = createClient({ url: REDIS_URL });

  private constructor(
    readonly serverUrl: string,
    readonly dbName: string,
    readonly url: string,
  ) {}

  /** A fresh database with PostGIS on the server DATABASE_URL names; fails loudly without Redis. */
  static async create(): Promise<LocalCluster> {
    const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const base = new URL(serverUrl).pathname.slice(1) || 'tw_e2e';
    const name = `${base.slice(0, 40)}_cluster_${randomBytes(3).toString('hex')}`.replace(/[^a-z0-9_]/g, '_');
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    const cluster = new LocalCluster(serverUrl, name, u.toString());
    cluster.redis.on('error', () => {});
    try {
      await cluster.redis.connect();
    } catch (err) {
      throw new Error(`the cluster test needs Redis at ${REDIS_URL} (REDIS_TEST_URL): ${(err as Error).message}`);
    }
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
    await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
    await db.end();
    return cluster;
  }

  /** The Redis names of this deployment (the prefix the nodes derive from the database). */
  get prefix(): string {
    return clusterPrefix(this.url);
  }

  /** Which node holds the rules lease now (server/cluster/rulesLease.ts), if any. */
  rulesLeaseHolder(): Promise<string | null> {
    return this.redis.get(`${this.prefix}:rules-lease`);
  }

  /** Starts `node --import tsx server/index.ts` with these roles, as the production build; resolves once spawned. */
  async start(id: string, roles: string, env: Record<string, string> = {}): Promise<Node> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        DATABASE_URL: this.url,
        DATABASE_POOL_MAX: '5',
        REDIS_URL,
        TW_NODE_ID: id,
        TW_ROLES: roles,
        TW_ADMIN_PASSWORD: ADMIN_PASSWORD,
        INGEST_TOKEN,
        SIM: '0',
        AIS_PORT: '-1',
        JT808_PORT: '-1',
        JT809_PORT: '-1',
        OSMAND_PORT: '-1',
        WEBHOOKS: '0',
        LINKS_DIR: 'off',
        DATA_DIR: this.dataDir, // one for all: the nodes share the sealing key; removed after
        TW_TEST_HOOKS: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log: string[] = [];
    const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
    const take = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        log.push(line);
        for (const w of waiters.filter((x) => x.re.test(line))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'gone')));
    const node: Node = {
      id,
      port,
      url: `http://127.0.0.1:${port}`,
      child,
      log,
      exited,
      waitForLine: (re, timeoutMs) => {
        const seen = log.find((l) => re.test(l));
        if (seen) return Promise.resolve(seen);
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${id}: no line matching ${re} in ${timeoutMs} ms; its output ends:\n${tail(log)}`)), timeoutMs);
          waiters.push({
            re,
            resolve: (l) => {
              clearTimeout(timer);
              resolve(l);
            },
          });
          void exited.then((how) => {
            clearTimeout(timer);
            reject(new Error(`${id} exited (${how}) before a line matching ${re}; its output ends:\n${tail(log)}`));
          });
        });
      },
      kill: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      },
    };
    this.nodes.push(node);
    // Should the test's worker itself die, its nodes die with it instead of holding ports and the database.
    process.once('exit', () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
    return node;
  }

  /** Resolves when the node answers /healthz; fails at once when it exits first. */
  async healthy(node: Node, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let gone: number | string | undefined;
    void node.exited.then((how) => (gone = how));
    while (Date.now() < deadline) {
      if (gone !== undefined) throw new Error(`${node.id} exited (${gone}) while starting; its output ends:\n${tail(node.log)}`);
      const ok = await fetch(`${node.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${node.id} did not answer /healthz in ${timeoutMs} ms; its output ends:\n${tail(node.log)}`);
  }

  /** The round-robin door (server/cluster/balancer.ts) in front of these nodes; its URL. */
  async openDoor(backends: Node[]): Promise<string> {
    this.door = await startBalancer(
      0,
      '127.0.0.1',
      backends.map((n) => n.port),
    );
    return `http://127.0.0.1:${this.door.port}`;
  }

  /** A query on the cluster's database, on a connection of its own. */
  async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    const db = new pg.Client({ connectionString: this.url });
    await db.connect();
    try {
      return (await db.query<T>(sql, params)).rows;
    } finally {
      await db.end();
    }
  }

  /** Kills every node still running, closes the door, drops the database and the deployment's Redis names. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.kill()));
    await this.door?.close();
    const admin = new pg.Client({ connectionString: this.serverUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
    if (this.redis.isOpen) await this.redis.quit();
    await dropClusterNames(REDIS_URL, this.prefix);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** The last lines of every node, for a failed test's report. */
  logs(): string {
    return this.nodes.map((n) => `── ${n.id} ──\n${tail(n.log, 40)}`).join('\n');
  }
}

const tail = (log: string[], n = 25) => log.slice(-n).join('\n');
