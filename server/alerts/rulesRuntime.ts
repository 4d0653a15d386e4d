// Runs the rules engine inside the server: loads the fences, restores the engine's saved state,
// watches the open movements the movement service holds (it alone decides what is open), feeds
// the engine every accepted fix (a pipeline sink), ticks its timers on the clock, hands what it
// decides to its listeners (map status, alert service) in order, and saves its state periodically.
import type pg from 'pg';
import { loadGeofences } from '../geofence/loader';
import type { GeofenceIndex } from '../geofence';
import { log } from '../log';
import type { Pipeline } from '../pipeline/pipeline';
import { RulesEngine, rulesSink } from '../rules';
import { loadRulesConfig } from '../rules/configFile';
import { RouteRulesOverrides } from '../rules/routeRules';
import type { AlertType, RuleEvent, WatchedConsignment } from '../rules/types';

const TICK_MS = 1000;

/**
 * Each asset's expected reporting interval: the longest set on its live devices (a slower second
 * device still keeps the signal alive when the faster one stops).
 */
export const REPORT_INTERVALS = `SELECT asset_id, max(report_interval_s)::int AS s FROM devices
  WHERE revoked_at IS NULL AND report_interval_s IS NOT NULL GROUP BY asset_id`;
const SAVE_EVERY_MS = 30_000;

/** Hears every batch of rule events, in the order the engine decided them. */
export interface RuleListener {
  onRuleEvents(events: RuleEvent[]): void;
  /** At start: the episodes still open from before a restart (stored already, not raised again). */
  restore?(episodes: OpenEpisode[]): void;
  /**
   * Episodes the engine stopped following while open, because their movement was closed or
   * cancelled (SEAL_ALARM, which ends only by acknowledgment): they stay open for people.
   */
  released?(episodes: OpenEpisode[]): void;
}

export interface OpenEpisode {
  episode: string;
  type: AlertType;
  assetId: number;
  consignmentId?: number;
}

export interface RulesOptions {
  /** The open movements, from the movement service: watched at start; anything else the saved state holds is dropped. */
  open: Iterable<WatchedConsignment>;
  listeners: RuleListener[];
  aisClassOf: (id: number) => 'A' | 'B' | undefined;
  configFile?: string;
  /** Where a warning about the config file goes (a route it names that does not exist). */
  warn?: (msg: string) => void;
  /**
   * Resolves once what the listeners were handed so far is stored (the alerts): a saved state never
   * holds an episode as raised that is not in the database, or a restart would never raise it.
   */
  settle?: () => Promise<void>;
}

export interface RulesRuntime {
  engine: RulesEngine;
  geo: GeofenceIndex;
  /** Starts (or restarts) watching a movement; safe to call again with a newer status. */
  watch(c: WatchedConsignment): void;
  /** Stops watching a movement (closed, cancelled); its open episodes end. */
  unwatch(consignmentId: number): void;
  /** Re-reads routes, sites and zones (after an edit). */
  reloadFences(): Promise<void>;
  /** A route's stored thresholds changed (null: removed, the config file's entry applies again). */
  setRouteRules(routeId: number, stored: RouteRulesOverrides | null): void;
  /** An asset's expected reporting interval changed (from its devices' setting; undefined: none). */
  setReportInterval(assetId: number, seconds: number | undefined): void;
  onEvent(e: { kind: string; time: number; assetId?: number | null; consignmentId?: number | null }): void;
  acknowledge(episode: string): void;
  /**
   * Saves the state as of now, once the listeners have stored what it led to; `beforeWrite` runs
   * just before the write (the fix stream's checkpoint waits there for the positions to be stored).
   */
  save(beforeWrite?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export async function startRules(pool: pg.Pool, pipeline: Pipeline, opts: RulesOptions): Promise<RulesRuntime> {
  const { index: geo } = await loadGeofences(pool);
  const routeIds = new Map((await pool.query<{ id: number; code: string }>('SELECT id, code FROM routes')).rows.map((r) => [r.code, r.id]));
  const fromFile = opts.configFile ? loadRulesConfig(opts.configFile, routeIds, opts.warn ?? ((m) => log.warn(m))) : {};
  const fileRoutes = { ...fromFile.routes };
  const engine = new RulesEngine(geo, fromFile);
  // Stored per-route thresholds replace the file's entry for their route; expected intervals per asset.
  for (const r of (await pool.query<{ route_id: number; rules: unknown }>('SELECT route_id, rules FROM route_rules')).rows) {
    const parsed = RouteRulesOverrides.safeParse(r.rules);
    if (parsed.success) engine.setRouteRules(r.route_id, parsed.data);
    else log.warn({ routeId: r.route_id }, 'stored route rules no longer valid; the defaults apply');
  }
  for (const r of (await pool.query<{ asset_id: number; s: number }>(REPORT_INTERVALS)).rows) engine.setReportInterval(r.asset_id, r.s);
  const saved = (await pool.query('SELECT state FROM rules_state WHERE id = 1')).rows[0]?.state;
  if (saved) engine.importState(saved);

  const apply = (events: RuleEvent[]) => {
    if (events.length === 0) return;
    for (const l of opts.listeners) l.onRuleEvents(events);
  };

  const watch = (c: WatchedConsignment) => {
    // A movement first seen already under way is timed from now: the time before we watched it
    // is no evidence of a lost signal (this is what keeps a restart from raising a burst).
    const fresh = engine.status(c.id) === undefined && c.status !== 'planned';
    apply(engine.watch(fresh ? { ...c, departure: Math.max(c.departure, Date.now()) } : c));
  };
  const open = [...opts.open];
  // A movement the saved state still watches but that ended while we were down (closed,
  // cancelled) is dropped; an arrived one the engine keeps itself (its SEAL_ALARM ends by acknowledgment).
  const openIds = new Set(open.map((c) => c.id));
  for (const cs of engine.exportState().consignments) {
    if (!openIds.has(cs.c.id) && cs.arrivedAt === undefined) apply(engine.unwatch(cs.c.id));
  }
  for (const c of open) watch(c);
  const episodes = engine.openEpisodes();
  for (const l of opts.listeners) l.restore?.(episodes);

  pipeline.addSink(rulesSink(engine, apply, { aisClassOf: opts.aisClassOf }));
  const ticker = setInterval(() => apply(engine.tick(Date.now())), TICK_MS);
  const save = async (beforeWrite?: () => Promise<void>) => {
    const state = JSON.stringify(engine.exportState());
    await opts.settle?.();
    await beforeWrite?.();
    await pool.query(`INSERT INTO rules_state (id, state, saved_at) VALUES (1, $1, now()) ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, saved_at = now()`, [state]);
  };
  const saveLogged = () => save().catch((err: Error) => log.error({ err: err.message }, 'could not save the rules state'));
  const saver = setInterval(() => void saveLogged(), SAVE_EVERY_MS);

  return {
    engine,
    geo,
    watch,
    unwatch(id) {
      const open = engine.openEpisodes().filter((e) => e.consignmentId === id && e.type === 'SEAL_ALARM');
      const events = engine.unwatch(id);
      apply(events);
      const cleared = new Set(events.map((e) => (e.kind === 'cleared' ? e.episode : '')));
      const released = open.filter((e) => !cleared.has(e.episode));
      if (released.length) for (const l of opts.listeners) l.released?.(released);
    },
    async reloadFences() {
      await loadGeofences(pool, geo);
    },
    setRouteRules(routeId, stored) {
      engine.setRouteRules(routeId, stored ?? fileRoutes[routeId]);
    },
    setReportInterval(assetId, seconds) {
      engine.setReportInterval(assetId, seconds);
    },
    onEvent(e) {
      apply(engine.onEvent({ kind: e.kind, time: e.time, assetId: e.assetId ?? undefined, consignmentId: e.consignmentId ?? undefined }));
    },
    acknowledge(episode) {
      apply(engine.acknowledge(episode, Date.now()));
    },
    save,
    async stop() {
      clearInterval(ticker);
      clearInterval(saver);
      await saveLogged();
    },
  };
}
