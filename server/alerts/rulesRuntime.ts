// Runs the rules engine inside the server: loads the fences and the open movements, restores the
// engine's saved state, feeds it every accepted fix (a pipeline sink), ticks its timers on the
// clock, stores what it decides through the AlertService, and saves its state periodically.
import type pg from 'pg';
import type { AssetStatus } from '../../lib/domain';
import { loadGeofences } from '../geofence/loader';
import type { GeofenceIndex } from '../geofence';
import { log } from '../log';
import type { LatestState } from '../pipeline/latestState';
import type { Pipeline } from '../pipeline/pipeline';
import { RulesEngine, rulesSink } from '../rules';
import { loadRulesConfig } from '../rules/configFile';
import { ALERT_MAP_STATUS, ALERT_SEVERITY, type RuleEvent, type WatchedConsignment } from '../rules/types';
import type { AlertService } from './alertService';

const TICK_MS = 1000;
const SAVE_EVERY_MS = 30_000;
const STATUS_RANK: Record<AssetStatus, number> = { normal: 0, stopped: 1, stale: 2, warning: 3, critical: 4 };

export interface RulesRuntime {
  engine: RulesEngine;
  geo: GeofenceIndex;
  /** Starts (or restarts) watching a movement; safe to call again with a newer status. */
  watch(c: WatchedConsignment): void;
  /** Stops watching a movement (closed); its open episodes end. */
  unwatch(consignmentId: number): void;
  /** Re-reads routes, sites and zones (after an edit). */
  reloadFences(): Promise<void>;
  /** Re-reads open movements and watches any not yet watched. */
  reloadConsignments(): Promise<void>;
  onEvent(e: { kind: string; time: number; assetId?: number | null; consignmentId?: number | null }): void;
  acknowledge(episode: string): void;
  stop(): Promise<void>;
}

export async function loadOpenConsignments(pool: pg.Pool): Promise<WatchedConsignment[]> {
  const { rows } = await pool.query(
    `SELECT id, reference, asset_id AS "assetId", route_id AS "routeId", origin_site AS "originSiteId", dest_site AS "destSiteId",
            extract(epoch FROM departure) * 1000 AS departure, extract(epoch FROM deadline) * 1000 AS deadline, status
     FROM consignments WHERE status IN ('planned', 'in_transit', 'overdue', 'diverted')`);
  return rows.map((r) => ({ ...r, departure: Number(r.departure), deadline: Number(r.deadline) }));
}

export async function startRules(pool: pg.Pool, pipeline: Pipeline, alerts: AlertService, latest: LatestState, aisClassOf: (id: number) => 'A' | 'B' | undefined, configFile?: string): Promise<RulesRuntime> {
  const { index: geo } = await loadGeofences(pool);
  const routeIds = new Map((await pool.query<{ id: number; code: string }>('SELECT id, code FROM routes')).rows.map((r) => [r.code, r.id]));
  const engine = new RulesEngine(geo, configFile ? loadRulesConfig(configFile, routeIds) : {});
  const saved = (await pool.query('SELECT state FROM rules_state WHERE id = 1')).rows[0]?.state;
  if (saved) engine.importState(saved);
  const watched = new Set<number>();

  // An open alert colours its asset on the map (the worst one wins) until it clears.
  const openByAsset = new Map<number, Map<string, AssetStatus>>();
  const paint = (assetId: number) => {
    const open = openByAsset.get(assetId);
    let worst: AssetStatus | null = null;
    for (const s of open?.values() ?? []) if (!worst || STATUS_RANK[s] > STATUS_RANK[worst]) worst = s;
    latest.setAlertStatus(assetId, worst);
  };
  const apply = (events: RuleEvent[]) => {
    if (events.length === 0) return;
    for (const e of events) {
      if (e.kind === 'raised' && e.alert.severity !== 'info') {
        const status: AssetStatus = e.alert.mapStatus;
        let open = openByAsset.get(e.alert.assetId);
        if (!open) openByAsset.set(e.alert.assetId, (open = new Map()));
        open.set(e.alert.episode, status);
        paint(e.alert.assetId);
      } else if (e.kind === 'cleared') {
        openByAsset.get(e.assetId)?.delete(e.episode);
        paint(e.assetId);
      }
    }
    void alerts.apply(events);
  };

  const watch = (c: WatchedConsignment) => {
    // A movement first seen already under way is timed from now: the time before we watched it
    // is no evidence of a lost signal (this is what keeps a restart from raising a burst).
    const fresh = engine.status(c.id) === undefined && c.status !== 'planned';
    apply(engine.watch(fresh ? { ...c, departure: Math.max(c.departure, Date.now()) } : c));
    watched.add(c.id);
  };
  for (const c of await loadOpenConsignments(pool)) watch(c);
  // Episodes open before a restart colour their assets again (they are stored already).
  for (const ep of engine.openEpisodes()) {
    if (ALERT_SEVERITY[ep.type] === 'info') continue;
    const status = ALERT_MAP_STATUS[ep.type];
    let open = openByAsset.get(ep.assetId);
    if (!open) openByAsset.set(ep.assetId, (open = new Map()));
    open.set(ep.episode, status);
    paint(ep.assetId);
  }

  pipeline.addSink(rulesSink(engine, apply, { aisClassOf }));
  const ticker = setInterval(() => apply(engine.tick(Date.now())), TICK_MS);
  const save = async () => {
    try {
      await pool.query(
        `INSERT INTO rules_state (id, state, saved_at) VALUES (1, $1, now()) ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, saved_at = now()`,
        [JSON.stringify(engine.exportState())]);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'could not save the rules state');
    }
  };
  const saver = setInterval(() => void save(), SAVE_EVERY_MS);

  return {
    engine,
    geo,
    watch,
    unwatch(id) {
      apply(engine.unwatch(id));
      watched.delete(id);
    },
    async reloadFences() {
      await loadGeofences(pool, geo);
    },
    async reloadConsignments() {
      for (const c of await loadOpenConsignments(pool)) if (!watched.has(c.id)) watch(c);
    },
    onEvent(e) {
      apply(engine.onEvent({ kind: e.kind, time: e.time, assetId: e.assetId ?? undefined, consignmentId: e.consignmentId ?? undefined }));
    },
    acknowledge(episode) {
      apply(engine.acknowledge(episode, Date.now()));
    },
    async stop() {
      clearInterval(ticker);
      clearInterval(saver);
      await save();
    },
  };
}
