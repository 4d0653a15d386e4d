// Stores what the port-call detector decided, one transaction per decision: the port call row,
// the `port_arrival` / `port_departure` event on the vessel's timeline (chained in the ledger), and
// on an arrival at a port terminal the vessel's declared manifest for that port, arrived with its
// containers (ready for transit).
//
// Which manifest: the vessel's (manifests.vessel_asset), still 'declared', whose unloading port's
// customs (the 4 digits after the slash of unloading_port, e.g. CNSHA/2248) is the terminal's
// district or a district above it; the most recently declared or changed one when there are several.
// An anchorage is where a vessel waits, not where it unloads: it arrives no manifest.
import type pg from 'pg';
import { withTransaction } from '../../../db/transaction';
import { appendRowEntry } from '../../ledger/ledger';
import type { Place, PortCallEvent } from './detector';

/** The `source` of the events a port call stores (AIS, decided here, not sent by anyone). */
export const PORT_CALL_SOURCE = 'ais:port_call';

export interface StoredArrival {
  portCallId: number;
  manifest: { id: number; voyage: string } | null;
}

/** Stores an arrival. Null when the vessel already has an open call (the decision was stored before). */
export async function storeArrival(pool: pg.Pool, e: Extract<PortCallEvent, { type: 'arrival' }>): Promise<StoredArrival | null> {
  return withTransaction(pool, async (c) => {
    const site = e.place.kind === 'port' ? e.place.id : null;
    const { rows } = await c.query<{ id: number }>(
      `INSERT INTO port_calls (asset_id, place, kind, site_id, zone_id, arrived_at, lon, lat)
       VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0), $7, $8)
       ON CONFLICT (asset_id) WHERE departed_at IS NULL DO NOTHING RETURNING id`,
      [e.assetId, e.place.code, e.place.kind, site, e.place.kind === 'anchorage' ? e.place.id : null, e.time, e.lon, e.lat],
    );
    const id = rows[0]?.id;
    if (id === undefined) return null;
    const manifest = site === null ? null : await arriveManifest(c, e.assetId, site, e.time);
    if (manifest) await c.query('UPDATE port_calls SET manifest_id = $2 WHERE id = $1', [id, manifest.id]);
    await timelineEvent(c, 'port_arrival', e.assetId, site, e.time, {
      portCall: id,
      place: e.place.code,
      kind: e.place.kind,
      lon: e.lon,
      lat: e.lat,
      ...(manifest && { manifest: manifest.id, voyage: manifest.voyage, containers: manifest.containers }),
    });
    return { portCallId: id, manifest: manifest && { id: manifest.id, voyage: manifest.voyage } };
  });
}

/** Stores a departure: closes the vessel's open call at that place. False when there is none. */
export async function storeDeparture(pool: pg.Pool, e: Extract<PortCallEvent, { type: 'departure' }>): Promise<boolean> {
  return withTransaction(pool, async (c) => {
    const { rows } = await c.query<{ id: number; site_id: number | null }>(
      `UPDATE port_calls SET departed_at = greatest(arrived_at, to_timestamp($3 / 1000.0))
       WHERE asset_id = $1 AND place = $2 AND departed_at IS NULL RETURNING id, site_id`,
      [e.assetId, e.place.code, e.time],
    );
    const call = rows[0];
    if (!call) return false;
    await timelineEvent(c, 'port_departure', e.assetId, call.site_id, e.time, {
      portCall: call.id,
      place: e.place.code,
      kind: e.place.kind,
      arrivedAt: new Date(e.arrivedAt).toISOString(),
      lon: e.lon,
      lat: e.lat,
    });
    return true;
  });
}

/** The open calls (at start: the detector goes on from them). */
export async function openPortCalls(pool: pg.Pool): Promise<{ assetId: number; place: Place; arrivedAt: number }[]> {
  const { rows } = await pool.query<{ asset_id: number; place: string; kind: 'port' | 'anchorage'; site_id: number | null; zone_id: number | null; arrived_at: Date }>(
    'SELECT asset_id, place, kind, site_id, zone_id, arrived_at FROM port_calls WHERE departed_at IS NULL',
  );
  return rows.flatMap((r) => {
    const id = r.kind === 'port' ? r.site_id : r.zone_id;
    if (id === null) return [];
    return [{ assetId: r.asset_id, place: { key: `${r.kind === 'port' ? 'site' : 'zone'}:${id}`, kind: r.kind, id, code: r.place }, arrivedAt: r.arrived_at.getTime() }];
  });
}

async function arriveManifest(c: pg.PoolClient, assetId: number, siteId: number, time: number): Promise<{ id: number; voyage: string; containers: number } | null> {
  const { rows } = await c.query<{ id: number; journey_id: string }>(
    `UPDATE manifests m SET status = 'arrived', arrived_by = 'port_call', arrived_at = to_timestamp($3 / 1000.0), updated_at = now()
     WHERE m.id = (
       SELECT x.id FROM manifests x, sites s
       WHERE x.vessel_asset = $1 AND x.status = 'declared' AND s.id = $2
         AND s.district = ANY (visible_districts(substring(x.unloading_port FROM '/(\\d{4})')))
       ORDER BY x.updated_at DESC, x.id DESC LIMIT 1 FOR UPDATE OF x)
     RETURNING m.id, m.journey_id`,
    [assetId, siteId, time],
  );
  const m = rows[0];
  if (!m) return null;
  const boxes = await c.query('UPDATE manifest_containers SET arrived = true WHERE manifest_id = $1', [m.id]);
  return { id: m.id, voyage: m.journey_id, containers: boxes.rowCount ?? 0 };
}

async function timelineEvent(c: pg.PoolClient, kind: string, assetId: number, siteId: number | null, time: number, detail: Record<string, unknown>): Promise<void> {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO events (time, kind, site_id, asset_id, detail, source) VALUES (to_timestamp($1 / 1000.0), $2, $3, $4, $5, $6) RETURNING id`,
    [time, kind, siteId, assetId, JSON.stringify(detail), PORT_CALL_SOURCE],
  );
  await appendRowEntry(c, 'event', 'events', rows[0]!.id);
}
