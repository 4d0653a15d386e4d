// `npm run load`: a load generator against a real TransitWatch node on PostgreSQL + PostGIS, and the
// figures. See README.md (Benchmarks) and options.ts for the flags.
//
// A fresh database on DATABASE_URL (dropped after) is provisioned like production (provision.ts);
// then the node starts as its own process (nodeProcess.ts: the app's own startApp, SIM=0, ingest
// listeners on free ports). N JT/T 808 terminals log in over TCP and M AIS vessels feed over TCP,
// K Socket.IO clients of mixed jurisdiction watch the live map. Each step sends at a target rate
// (or "max": as fast as the terminals' send windows are acknowledged) for --duration seconds, waits
// for the node to store what it was sent, and counts the rows in `positions` against fixes sent.
// Progress goes to stderr; the result is ONE JSON line on stdout, with the raw insert ceiling of
// the same rows on the same database (baseline.ts) measured in the same run.
import { cpus, loadavg } from 'node:os';
import type pg from 'pg';
import { freshDatabase } from '../../db/testing';
import { SESSION_COOKIE } from '../../server/auth/cookies';
import { Sessions } from '../../server/auth/sessions';
import { AisFeed } from './aisFeed';
import { insertCeiling } from './baseline';
import { ownCpuS, procCpuS } from './cpu';
import { Fleet } from './fleet';
import { LiveClients } from './liveClients';
import { startLoadNode, type LoadNode } from './nodeProcess';
import { loadOptions, type LoadOptions } from './options';
import { summariseProfile } from './profile';
import { provision } from './provision';

const say = (m: string) => console.error(`[load ${new Date().toISOString().slice(11, 19)}] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number | null, digits = 0) => (n === null ? null : Number(n.toFixed(digits)));
const PLATE_COLOR = 2;
const STORE_BATCH_ROWS = Number(process.env.STORE_BATCH_ROWS ?? 2000); // the node's default unless set

interface Stored {
  jt808: number;
  ais: number;
}

async function storedCounts(pool: pg.Pool): Promise<Stored> {
  const { rows } = await pool.query<{ source: string; n: number }>(`SELECT source, count(*)::int AS n FROM positions WHERE source IN ('jt808', 'ais') GROUP BY source`);
  const get = (s: string) => rows.find((r) => r.source === s)?.n ?? 0;
  return { jt808: get('jt808'), ais: get('ais') };
}

/** CPU seconds of PostgreSQL's backends serving this database, by pid. */
async function pgCpu(pool: pg.Pool): Promise<Map<number, number>> {
  const { rows } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  return new Map(rows.map((r) => [r.pid, procCpuS(r.pid)]));
}
const pgCpuDelta = (a: Map<number, number>, b: Map<number, number>) => [...b].reduce((s, [pid, cpu]) => s + cpu - (a.get(pid) ?? 0), 0);

interface World {
  opts: LoadOptions;
  pool: pg.Pool;
  node: LoadNode;
  fleet: Fleet;
  feed: AisFeed;
  clients: LiveClients;
}

/** Waits until the rows stored reach `expect` (per source), or nothing moves for 5 s with no backlog, or `maxS`. */
async function drain(w: World, expect: Stored, maxS: number, label: string): Promise<{ stored: Stored; s: number }> {
  const t0 = Date.now();
  let last = await storedCounts(w.pool);
  let movedAt = Date.now();
  let sayAt = t0 + 5000;
  while (last.jt808 < expect.jt808 || last.ais < expect.ais) {
    if (Date.now() - t0 > maxS * 1000) break;
    if (Date.now() - movedAt > 5000 && w.node.stats.pending === 0) break;
    await sleep(500);
    const now = await storedCounts(w.pool);
    if (now.jt808 !== last.jt808 || now.ais !== last.ais) movedAt = Date.now();
    last = now;
    if (Date.now() > sayAt) {
      sayAt += 5000;
      say(`${label}: draining, ${expect.jt808 + expect.ais - last.jt808 - last.ais} fixes not stored yet, node store backlog ${w.node.stats.pending}`);
    }
  }
  return { stored: last, s: (Date.now() - t0) / 1000 };
}

async function step(w: World, rate: number) {
  const { opts, fleet, feed, clients, node, pool } = w;
  const label = `step ${rate === Infinity ? 'max' : rate}/s`;
  const n = fleet.terminals.length;
  const m = opts.vessels;
  const jtRate = (rate * n) / (n + m);
  const aisRate = (rate * m) / (n + m);
  const stored0 = await storedCounts(pool);
  const sent0 = { jt808: fleet.sent, ais: feed.sent };
  const pg0 = await pgCpu(pool);
  const node0 = procCpuS(node.pid);
  const own0 = ownCpuS();
  const start = Date.now();
  clients.latency.reset();
  clients.since = start;
  clients.until = Infinity;
  const deadline = start + opts.durationS * 1000;
  let sayAt = start + 5000;
  let cursor = 0;
  let lagMax = 0;
  let windowFull = 0;
  const touched = new Set<(typeof fleet.terminals)[number]>();
  while (Date.now() < deadline) {
    const now = Date.now();
    const jtSent = fleet.sent - sent0.jt808;
    let jtDue = rate === Infinity ? Infinity : Math.floor((jtRate * (now - start)) / 1000) - jtSent;
    // Terminals in turn; one whose window is full waits for its acknowledgements.
    let idle = 0;
    while (jtDue > 0 && idle < n) {
      const t = fleet.terminals[cursor]!;
      cursor = (cursor + 1) % n;
      if (t.inFlight >= opts.window || t.socket.destroyed) {
        idle++;
        windowFull++;
        continue;
      }
      idle = 0;
      t.fix(now, start);
      touched.add(t);
      jtDue--;
      if (rate === Infinity && touched.size === n) break; // one fix each per pass; the next pass fills again
    }
    for (const t of touched) t.flush();
    touched.clear();
    // Vessels keep their share: at a target rate their own; at max, in proportion to what the terminals got through.
    const aisSent = feed.sent - sent0.ais;
    const aisDue = rate === Infinity ? Math.floor(((fleet.sent - sent0.jt808) * m) / Math.max(1, n)) - aisSent : Math.floor((aisRate * (now - start)) / 1000) - aisSent;
    if (aisDue > 0) feed.fixes(aisDue, now);
    feed.flush();
    lagMax = Math.max(lagMax, node.stats.lagMaxMs);
    if (now >= sayAt) {
      sayAt += 5000;
      const s = (now - start) / 1000;
      const sent = fleet.sent - sent0.jt808 + feed.sent - sent0.ais;
      say(
        `${label}: ${s.toFixed(0)} s, sent ${Math.round(sent / s)}/s (jt808 ${fleet.sent - sent0.jt808}, ais ${feed.sent - sent0.ais}), ` +
          `unacknowledged ${fleet.sent - fleet.acked}, node store backlog ${node.stats.pending}, node loop p99 ${node.stats.lagP99Ms.toFixed(0)} ms, ` +
          `latency p50 ${clients.latency.percentile(50) ?? '-'} ms (${clients.latency.count} shown)`,
      );
    }
    await sleep(rate === Infinity ? 1 : 10);
  }
  const end = Date.now();
  clients.until = end;
  const durS = (end - start) / 1000;
  const nodeCpu = procCpuS(node.pid) - node0;
  const ownCpu = ownCpuS() - own0;
  const pgDelta = pgCpuDelta(pg0, await pgCpu(pool));
  const stored1 = await storedCounts(pool);
  const sent = { jt808: fleet.sent - sent0.jt808, ais: feed.sent - sent0.ais };
  const expect = { jt808: stored0.jt808 + sent.jt808, ais: stored0.ais + sent.ais };
  const drained = await drain(w, expect, opts.drainS, label);
  await sleep(2000); // the last frames reach the clients
  const sentAll = sent.jt808 + sent.ais;
  const storedAll = drained.stored.jt808 - stored0.jt808 + drained.stored.ais - stored0.ais;
  const result = {
    target_fixes_per_s: rate === Infinity ? 'max' : rate,
    duration_s: round(durS, 1),
    sent: sentAll,
    sent_per_s: Math.round(sentAll / durS),
    sent_jt808: sent.jt808,
    sent_ais: sent.ais,
    stored_per_s: Math.round((stored1.jt808 - stored0.jt808 + stored1.ais - stored0.ais) / durS),
    stored: storedAll,
    catch_up_s: round(drained.s, 1),
    stored_per_s_incl_catch_up: Math.round(storedAll / (durS + drained.s)),
    lost: Math.max(0, sentAll - storedAll),
    lost_jt808: Math.max(0, sent.jt808 - (drained.stored.jt808 - stored0.jt808)),
    lost_ais: Math.max(0, sent.ais - (drained.stored.ais - stored0.ais)),
    latency_p50_ms: clients.latency.percentile(50),
    latency_p99_ms: clients.latency.percentile(99),
    latency_samples: clients.latency.count,
    node_cpu_pct: Math.round((100 * nodeCpu) / durS),
    postgres_cpu_pct: Math.round((100 * pgDelta) / durS),
    generator_cpu_pct: Math.round((100 * ownCpu) / durS),
    node_loop_delay_max_ms: Math.round(lagMax),
    // At a target rate: how often a terminal had to wait for acknowledgements (the node fell behind).
    terminal_window_full_waits: rate === Infinity ? null : windowFull,
    terminals_closed: fleet.closed,
    clients_connected: clients.connected,
  };
  say(`${label}: ${JSON.stringify(result)}`);
  return result;
}

async function main(): Promise<void> {
  const opts = loadOptions(process.argv.slice(2));
  if (!process.env.DATABASE_URL) throw new Error('npm run load needs DATABASE_URL: a PostgreSQL + PostGIS server (a fresh database is made on it and dropped after)');
  const load1 = loadavg()[0]!; // other work on the machine when the run began
  const db = await freshDatabase();
  let node: LoadNode | undefined;
  const closers: (() => void)[] = [];
  try {
    say(`database ${new URL(db.url).pathname.slice(1)}: provisioning ${opts.terminals} trucks, ${opts.vessels} vessels`);
    let t = Date.now();
    const world = await provision(db.pool, opts, say);
    const provisionS = (Date.now() - t) / 1000;
    let baseline: { rowsPerS: number; rows: number } | null = null;
    if (opts.baselineS > 0) {
      say(`baseline: raw INSERT … SELECT FROM unnest of position rows, ${STORE_BATCH_ROWS} a batch, ${opts.baselineS} s`);
      baseline = await insertCeiling(db.pool, { seconds: opts.baselineS, batchRows: STORE_BATCH_ROWS, assets: opts.terminals + opts.vessels });
      say(`baseline: ${baseline.rowsPerS} rows/s`);
    }
    const sessions = new Sessions(db.pool, { idleMs: 12 * 3_600_000, absoluteMs: 12 * 3_600_000 });
    const cookies: string[] = [];
    for (const id of world.viewerIds) cookies.push(`${SESSION_COOKIE}=${(await sessions.create(id, '127.0.0.1', 'load generator')).token}`);

    say('starting the node');
    node = await startLoadNode(db.url);
    say(`node pid ${node.pid}: http ${node.port}, jt808 ${node.jt808}, ais ${node.ais}`);
    t = Date.now();
    const fleet = await Fleet.connect(node.jt808, world.terminals, PLATE_COLOR, say);
    closers.push(() => fleet.close());
    const loginS = (Date.now() - t) / 1000;
    const feed = await AisFeed.connect(node.ais, world.vessels);
    closers.push(() => feed.close());
    const clients = new LiveClients(fleet.logs);
    await clients.connect(node.port, cookies, opts.clients);
    closers.push(() => clients.close());
    say(
      `${fleet.terminals.length} terminals logged in (${loginS.toFixed(1)} s), ${world.vessels.length} vessels on ${Math.min(4, world.vessels.length)} AIS connections, ${opts.clients} live clients`,
    );
    const w: World = { opts, pool: db.pool, node, fleet, feed, clients };

    // Warm-up: a first fix per truck, two agreeing fixes per vessel (AIS draws a new vessel once a second fix confirms it).
    const before = await storedCounts(db.pool);
    let now = Date.now();
    for (const term of fleet.terminals) {
      term.fix(now, now);
      term.flush();
    }
    feed.fixes(world.vessels.length, now);
    feed.flush();
    await sleep(1200);
    now = Date.now();
    feed.fixes(world.vessels.length, now);
    feed.flush();
    await drain(w, { jt808: before.jt808 + fleet.sent, ais: before.ais + feed.sent }, 60, 'warm-up');
    await sleep(2000);

    const steps = [];
    if (opts.profile) node.startProfile();
    for (const rate of opts.rates) steps.push(await step(w, rate));
    let profile = null;
    if (opts.profile) {
      const file = await node.stopProfile();
      say(`the node's CPU profile over the steps: ${file} (open in Chrome DevTools, Performance)`);
      profile = summariseProfile(file);
    }

    for (const close of closers.splice(0)) close();
    say('stopping the node');
    await node.stop();
    node = undefined;
    const best = Math.max(...steps.map((s) => s.stored_per_s));
    // Sustained: the fastest step the node kept up with (nothing lost, all stored within 2 s of the end).
    const kept = steps.filter((s) => s.lost === 0 && s.catch_up_s !== null && s.catch_up_s <= 2);
    const sustained = kept.length ? Math.max(...kept.map((s) => s.sent_per_s)) : null;
    console.log(
      JSON.stringify({
        bench: 'load',
        node: process.version,
        cores: cpus().length,
        loadavg_1m_at_start: round(load1, 2),
        database: 'PostGIS server',
        postgres: (await db.pool.query<{ v: string }>('SHOW server_version')).rows[0]!.v,
        terminals: opts.terminals,
        vessels: opts.vessels,
        clients: opts.clients,
        window: opts.window,
        live_tick_ms: Number(process.env.LIVE_TICK_MS ?? 1000),
        store_batch_rows: STORE_BATCH_ROWS,
        provision_s: round(provisionS, 1),
        login_s: round(loginS, 1),
        baseline_insert_rows_per_s: baseline?.rowsPerS ?? null,
        steps,
        sustained_fixes_per_s: sustained,
        best_stored_per_s: best,
        ratio_sustained_vs_baseline: baseline && sustained ? round(sustained / baseline.rowsPerS, 2) : null,
        ratio_best_stored_vs_baseline: baseline ? round(best / baseline.rowsPerS, 2) : null,
        ...(profile && { profile }),
      }),
    );
  } finally {
    for (const close of closers) close();
    await node?.stop().catch(() => {});
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
