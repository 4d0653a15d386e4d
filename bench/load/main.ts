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
import { exec } from 'node:child_process';
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
import { outageProxy, type OutageProxy } from '../../db/outageProxy';
import { startNodes, type Nodes } from './layout';
import { loadOptions, type Layout, type LoadOptions } from './options';
import { clusterPrefix, dropClusterNames } from '../../server/cluster/redis';
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

/** Rows stored twice (same asset, time, place and source) and alert episodes raised twice (same type, subject and start). */
async function duplicates(pool: pg.Pool): Promise<{ positions: number; alerts: number; alertCount: number; seals: number }> {
  const { rows } = await pool.query<{ p: number; a: number; n: number; s: number }>(`
    SELECT (SELECT count(*) FROM (SELECT 1 FROM positions GROUP BY asset_id, time, source, ST_X(geom), ST_Y(geom) HAVING count(*) > 1) d)::int AS p,
           (SELECT count(*) FROM (SELECT 1 FROM alerts GROUP BY type, asset_id, consignment_id, time HAVING count(*) > 1) d)::int AS a,
           (SELECT count(*) FROM alerts)::int AS n,
           (SELECT count(DISTINCT consignment_id) FROM alerts WHERE type = 'SEAL_ALARM')::int AS s`);
  return { positions: rows[0]!.p, alerts: rows[0]!.a, alertCount: rows[0]!.n, seals: rows[0]!.s };
}

interface World {
  opts: LoadOptions;
  pool: pg.Pool;
  nodes: Nodes;
  proxy: OutageProxy;
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
    if (Date.now() - movedAt > 5000 && w.nodes.rules().stats.pending === 0) break;
    await sleep(500);
    const now = await storedCounts(w.pool);
    if (now.jt808 !== last.jt808 || now.ais !== last.ais) movedAt = Date.now();
    last = now;
    if (Date.now() > sayAt) {
      sayAt += 5000;
      say(`${label}: draining, ${expect.jt808 + expect.ais - last.jt808 - last.ais} fixes not stored yet, node store backlog ${w.nodes.rules().stats.pending}`);
    }
  }
  return { stored: last, s: (Date.now() - t0) / 1000 };
}

async function step(w: World, rate: number) {
  const { opts, fleet, feed, clients, nodes, pool, proxy } = w;
  const label = `${nodes.layout} ${rate === Infinity ? 'max' : rate}/s`;
  const n = fleet.terminals.length;
  const m = opts.vessels;
  const jtRate = (rate * n) / (n + m);
  const aisRate = (rate * m) / (n + m);
  const stored0 = await storedCounts(pool);
  const sent0 = { jt808: fleet.sent, ais: feed.sent };
  const pg0 = await pgCpu(pool);
  const nodesCpu = () => nodes.all().reduce((sum, n) => sum + procCpuS(n.pid), 0);
  const node0 = nodesCpu();
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
  let backlogMax = 0;
  // Halfway: the active rules node is killed (standby layout) and/or the database cut off (--outage).
  const midway = start + opts.durationS * 500;
  let eventDone = false;
  let takeoverS: Promise<number> | null = null;
  let outageEnded: number | null = null;
  let caughtUpAt: number | null = null;
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
      if (touched.size === n) break; // one fix each per pass (two at one instant would be one fix twice); the next pass fills again
    }
    for (const t of touched) t.flush();
    touched.clear();
    // Vessels keep their share: at a target rate their own; at max, in proportion to what the terminals got through.
    const aisSent = feed.sent - sent0.ais;
    const aisDue = rate === Infinity ? Math.floor(((fleet.sent - sent0.jt808) * m) / Math.max(1, n)) - aisSent : Math.floor((aisRate * (now - start)) / 1000) - aisSent;
    if (aisDue > 0) feed.fixes(aisDue, now);
    feed.flush();
    lagMax = Math.max(lagMax, nodes.rules().stats.lagMaxMs);
    backlogMax = Math.max(backlogMax, nodes.rules().stats.pending);
    if (outageEnded !== null && caughtUpAt === null && now > outageEnded + 1500 && nodes.rules().stats.pending < STORE_BATCH_ROWS * 2) caughtUpAt = now;
    if (!eventDone && now >= midway) {
      eventDone = true;
      if (nodes.failover) {
        say(`${label}: killing the active rules node (pid ${nodes.rules().pid}) with SIGKILL`);
        takeoverS = nodes.failover();
      }
      // Not together with a kill: a standby that takes over while the database is away cannot load (it exits, for its supervisor to restart it).
      if (opts.outageS > 0 && !nodes.failover) {
        const restart = process.env.LOAD_PG_RESTART_CMD;
        const back = () => {
          outageEnded = Date.now();
          say(`${label}: the database is back`);
        };
        if (restart) {
          // A real restart of the server (e.g. "pg_ctlcluster 15 main restart"): only where nothing else uses it.
          say(`${label}: restarting PostgreSQL: ${restart}`);
          exec(restart, (err) => (err ? say(`${label}: ${restart} failed: ${err.message}`) : back()));
        } else {
          say(`${label}: cutting the database off for ${opts.outageS} s`);
          proxy.cut();
          setTimeout(() => (proxy.restore(), back()), opts.outageS * 1000);
        }
      }
    }
    if (now >= sayAt) {
      sayAt += 5000;
      const s = (now - start) / 1000;
      const sent = fleet.sent - sent0.jt808 + feed.sent - sent0.ais;
      say(
        `${label}: ${s.toFixed(0)} s, sent ${Math.round(sent / s)}/s (jt808 ${fleet.sent - sent0.jt808}, ais ${feed.sent - sent0.ais}), ` +
          `unacknowledged ${fleet.sent - fleet.acked}, store backlog ${nodes.rules().stats.pending}, rules node loop p99 ${nodes.rules().stats.lagP99Ms.toFixed(0)} ms, ` +
          `latency p50 ${clients.latency.percentile(50) ?? '-'} ms (${clients.latency.count} shown)`,
      );
    }
    await sleep(rate === Infinity ? 1 : 10);
  }
  const end = Date.now();
  clients.until = end;
  const durS = (end - start) / 1000;
  const nodeCpu = nodesCpu() - node0;
  const ownCpu = ownCpuS() - own0;
  const pgDelta = pgCpuDelta(pg0, await pgCpu(pool));
  const stored1 = await storedCounts(pool);
  const sent = { jt808: fleet.sent - sent0.jt808, ais: feed.sent - sent0.ais };
  const expect = { jt808: stored0.jt808 + sent.jt808, ais: stored0.ais + sent.ais };
  const takeover = takeoverS ? await takeoverS : null;
  while (opts.outageS > 0 && !nodes.failover && outageEnded === null) await sleep(100);
  const drained = await drain(w, expect, opts.drainS, label);
  const drainedAt = Date.now();
  const dup = await duplicates(pool);
  await sleep(2000); // the last frames reach the clients
  const sentAll = sent.jt808 + sent.ais;
  const storedAll = drained.stored.jt808 - stored0.jt808 + drained.stored.ais - stored0.ais;
  const result = {
    layout: nodes.layout,
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
    takeover_s: takeover === null ? null : round(takeover, 1),
    outage_s: opts.outageS || null,
    // From the database's return to the last fix stored.
    outage_catch_up_s: outageEnded === null ? null : round(((caughtUpAt ?? drainedAt) - outageEnded) / 1000, 1),
    store_backlog_max: backlogMax,
    duplicated_positions: dup.positions,
    duplicated_alerts: dup.alerts,
    alerts_raised: dup.alertCount,
    // Every terminal that opened its seal by now has its one SEAL_ALARM episode (fleet.ts): none lost.
    seal_alarms: dup.seals,
    seal_alarms_expected: fleet.sealsOpenedBy(end - start),
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

/** One layout on its own fresh database: provision, start the nodes, log the fleet in, warm up, run the steps. */
async function runLayout(opts: LoadOptions, layout: Layout, withBaseline: boolean) {
  const db = await freshDatabase();
  // The nodes reach the database through a proxy the --outage steps cut (to them, a restart of PostgreSQL).
  const proxy = await outageProxy(db.url);
  const redisUrl = process.env.REDIS_URL ?? process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
  let nodes: Nodes | undefined;
  const closers: (() => void)[] = [];
  try {
    say(`${layout}: database ${new URL(db.url).pathname.slice(1)}: provisioning ${opts.terminals} trucks, ${opts.vessels} vessels`);
    let t = Date.now();
    const world = await provision(db.pool, opts, say);
    const provisionS = (Date.now() - t) / 1000;
    let baseline: { rowsPerS: number; rows: number } | null = null;
    if (withBaseline && opts.baselineS > 0) {
      say(`baseline: raw INSERT … SELECT FROM unnest of position rows, ${STORE_BATCH_ROWS} a batch, ${opts.baselineS} s`);
      baseline = await insertCeiling(db.pool, { seconds: opts.baselineS, batchRows: STORE_BATCH_ROWS, assets: opts.terminals + opts.vessels });
      say(`baseline: ${baseline.rowsPerS} rows/s`);
    }
    const sessions = new Sessions(db.pool, { idleMs: 12 * 3_600_000, absoluteMs: 12 * 3_600_000 });
    const cookies: string[] = [];
    for (const id of world.viewerIds) cookies.push(`${SESSION_COOKIE}=${(await sessions.create(id, '127.0.0.1', 'load generator')).token}`);

    say(`${layout}: starting the nodes`);
    nodes = await startNodes(layout, proxy.url, redisUrl, say);
    say(`${layout}: devices on ${nodes.devices.pid} (jt808 ${nodes.devices.jt808}, ais ${nodes.devices.ais}), clients on ${nodes.web.pid} (http ${nodes.web.port})`);
    t = Date.now();
    const fleet = await Fleet.connect(nodes.devices.jt808!, world.terminals, PLATE_COLOR, say);
    closers.push(() => fleet.close());
    const loginS = (Date.now() - t) / 1000;
    const feed = await AisFeed.connect(nodes.devices.ais!, world.vessels);
    closers.push(() => feed.close());
    const clients = new LiveClients(fleet.logs);
    await clients.connect(nodes.web.port, cookies, opts.clients);
    closers.push(() => clients.close());
    say(
      `${fleet.terminals.length} terminals logged in (${loginS.toFixed(1)} s), ${world.vessels.length} vessels on ${Math.min(4, world.vessels.length)} AIS connections, ${opts.clients} live clients`,
    );
    const w: World = { opts, pool: db.pool, nodes, proxy, fleet, feed, clients };

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
    const profiled = opts.profile ? nodes.rules() : undefined;
    profiled?.startProfile();
    for (const rate of opts.rates) steps.push(await step(w, rate));
    let profile = null;
    if (profiled) {
      const file = await profiled.stopProfile();
      say(`the rules node's CPU profile over the steps: ${file} (open in Chrome DevTools, Performance)`);
      profile = summariseProfile(file);
    }
    for (const close of closers.splice(0)) close();
    say(`${layout}: stopping the nodes`);
    await nodes.stop();
    nodes = undefined;
    const best = Math.max(...steps.map((s) => s.stored_per_s));
    // Sustained: the fastest step the nodes kept up with (nothing lost, all stored within 2 s of the end).
    const kept = steps.filter((s) => s.lost === 0 && s.catch_up_s !== null && s.catch_up_s <= 2);
    const sustained = kept.length ? Math.max(...kept.map((s) => s.sent_per_s)) : null;
    return {
      layout,
      provision_s: round(provisionS, 1),
      login_s: round(loginS, 1),
      baseline,
      postgres: (await db.pool.query<{ v: string }>('SHOW server_version')).rows[0]!.v,
      steps,
      sustained_fixes_per_s: sustained,
      best_stored_per_s: best,
      ...(profile && { profile }),
    };
  } finally {
    for (const close of closers) close();
    await nodes?.stop().catch(() => {});
    await proxy.close();
    if (process.env.LOAD_KEEP_DB === '1') say(`kept the database ${db.url} (LOAD_KEEP_DB=1)`);
    else await db.drop();
    await dropClusterNames(redisUrl, clusterPrefix(proxy.url)).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const opts = loadOptions(process.argv.slice(2));
  if (!process.env.DATABASE_URL) throw new Error('npm run load needs DATABASE_URL: a PostgreSQL + PostGIS server (a fresh database is made on it and dropped after)');
  const load1 = loadavg()[0]!; // other work on the machine when the run began
  const layouts = [];
  for (const layout of opts.layouts) layouts.push(await runLayout(opts, layout, layouts.length === 0));
  const baseline = layouts[0]!.baseline;
  console.log(
    JSON.stringify({
      bench: 'load',
      node: process.version,
      cores: cpus().length,
      loadavg_1m_at_start: round(load1, 2),
      database: 'PostGIS server',
      postgres: layouts[0]!.postgres,
      terminals: opts.terminals,
      vessels: opts.vessels,
      clients: opts.clients,
      window: opts.window,
      live_tick_ms: Number(process.env.LIVE_TICK_MS ?? 1000),
      store_batch_rows: STORE_BATCH_ROWS,
      baseline_insert_rows_per_s: baseline?.rowsPerS ?? null,
      layouts: layouts.map(({ baseline: _b, postgres: _p, ...l }) => ({
        ...l,
        ratio_sustained_vs_baseline: baseline && l.sustained_fixes_per_s ? round(l.sustained_fixes_per_s / baseline.rowsPerS, 2) : null,
        ratio_best_stored_vs_baseline: baseline ? round(l.best_stored_per_s / baseline.rowsPerS, 2) : null,
      })),
    }),
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
