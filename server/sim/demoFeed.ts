// The demo feed: builds the simulated fleet, registers its assets and consignments in
// PostGIS, and drives the simulator on the wall clock into the pipeline's one entry point.
// A run's start stands in for the declaration of a movement; its arrival is the rules engine's to see.
import type pg from 'pg';
import type { PositionReport } from '../../lib/domain';
import type { App } from '../app';
import { buildFleet, type Fleet, type Truck, type TruckRun } from './fleet';
import { Simulator } from './simulator';
import { AisUdpEmitter, Jt808Emitter } from './wire/wireEmitter';
import { WORLD } from './world';
import { loadCoast } from './world/coast';
import { provisionDemoTerminals } from '../devices/demo';

export interface DemoFeed {
  fleet: Fleet;
  stop(): void;
}

const STEP_MS = 1000;

async function registerAssets(pool: pg.Pool, fleet: Fleet): Promise<void> {
  const t = fleet.trucks;
  await pool.query(
    `INSERT INTO assets (key, kind, label, plate, terminal, district)
     SELECT k, 'vehicle', p, p, tel, d FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(k, p, tel, d)
     ON CONFLICT (key) DO UPDATE SET label = EXCLUDED.label, plate = EXCLUDED.plate, terminal = EXCLUDED.terminal,
                                     district = EXCLUDED.district, updated_at = now()`,
    [t.map((x) => x.assetKey), t.map((x) => x.plate), t.map((x) => x.terminal), t.map((x) => x.homeDistrict)],
  );
  await provisionDemoTerminals(pool, t); // their terminals must log in like any other's
  // A vessel belongs to the district supervising the port its lane serves.
  const v = fleet.vessels;
  const portOfLane = new Map(WORLD.lanes.map((l) => [l.code, l.port]));
  const districtOfSite = new Map(WORLD.sites.map((s) => [s.code, s.district]));
  await pool.query(
    `INSERT INTO assets (key, kind, label, mmsi, imo, call_sign, ais_class, ship_type, district)
     SELECT k, 'vessel', n, m, i, c, cl, st, d
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u(k, n, m, i, c, cl, st, d)
     ON CONFLICT (key) DO UPDATE SET label = EXCLUDED.label, mmsi = EXCLUDED.mmsi, imo = EXCLUDED.imo, call_sign = EXCLUDED.call_sign,
                                     ais_class = EXCLUDED.ais_class, ship_type = EXCLUDED.ship_type, district = EXCLUDED.district,
                                     updated_at = now()`,
    [v.map((x) => x.assetKey), v.map((x) => x.name), v.map((x) => x.mmsi), v.map((x) => x.imo ?? null),
     v.map((x) => x.callSign), v.map((x) => x.cls), v.map((x) => x.shipType),
     v.map((x) => districtOfSite.get(portOfLane.get(x.laneCode) ?? '') ?? null)],
  );
}

/** Stores (or refreshes) one run as a consignment; returns its id and touched districts. */
async function saveRun(pool: pg.Pool, truck: Truck, run: TruckRun, status: string): Promise<{ id: number; routeId: number; originSiteId: number; destSiteId: number; districts: string[] }> {
  const { rows } = await pool.query(
    `WITH r AS (SELECT id FROM routes WHERE code = $4),
          o AS (SELECT id FROM sites WHERE code = $5),
          d AS (SELECT id FROM sites WHERE code = $6)
     INSERT INTO consignments (reference, seal_id, asset_id, origin_site, dest_site, route_id, departure, deadline, status, goods, carrier, districts)
     SELECT $1, $2, a.id, o.id, d.id, r.id, to_timestamp($7 / 1000.0), to_timestamp($8 / 1000.0), $9, $10, $11,
            touched_districts(o.id, d.id, r.id)
     FROM assets a, r, o, d WHERE a.key = $3
     ON CONFLICT (reference) DO UPDATE SET departure = EXCLUDED.departure, deadline = EXCLUDED.deadline, status = EXCLUDED.status,
                                           arrived_at = NULL, updated_at = now()
     RETURNING id, route_id AS "routeId", origin_site AS "originSiteId", dest_site AS "destSiteId", districts`,
    [run.reference, run.seal, truck.assetKey, run.routeCode, run.originSite, run.destSite, run.departure, run.deadline, status, run.goods, run.carrier],
  );
  if (!rows[0]) throw new Error(`run ${run.reference}: route ${run.routeCode} or sites ${run.originSite}/${run.destSite} not in the database`);
  return rows[0];
}

export async function startDemoFeed(app: App, say: (msg: string) => void): Promise<DemoFeed> {
  const { config, db, pipeline, registry, consignments, hub, rules } = app;
  const now = Date.now();
  const fleet = buildFleet(WORLD, { trucks: config.SIM_TRUCKS, vessels: config.SIM_VESSELS, seed: config.SIM_SEED, now });
  await registerAssets(db.pool, fleet);
  await registry.load();
  // Movements left open by an earlier run of the demo are closed; the fleet starts afresh.
  const closed = await db.pool.query(`UPDATE consignments SET status = 'closed', updated_at = now() WHERE status IN ('planned', 'in_transit', 'overdue', 'diverted') RETURNING id`);
  for (const { id } of closed.rows) rules.unwatch(id);

  const track = async (truck: Truck, run: TruckRun, status: string) => {
    const saved = await saveRun(db.pool, truck, run, status);
    const asset = registry.get(truck.assetKey);
    if (!asset) return;
    consignments.set({ id: saved.id, reference: run.reference, assetId: asset.id, routeId: saved.routeId, status, districts: saved.districts });
    hub.invalidate(asset.id);
    rules.watch({
      id: saved.id, reference: run.reference, assetId: asset.id, routeId: saved.routeId, originSiteId: saved.originSiteId,
      destSiteId: saved.destSiteId, departure: run.departure, deadline: run.deadline, status: status as 'planned' | 'in_transit',
    });
  };
  const report = (what: string) => (err: Error) => say(`demo feed: could not store ${what}: ${err.message}`);

  for (const truck of fleet.trucks) {
    const run = truck.runs[truck.runs.length - 1]!;
    await track(truck, run, run.departure <= now ? 'in_transit' : 'planned');
  }

  // The land test keeps vessels offset from narrow lanes at sea (costs ~0.3 s at start).
  const coast = loadCoast();
  // With the ingest listeners up, the demo speaks the wire formats to them (the real path);
  // without them (tests), it hands reports to the pipeline directly.
  const aisPort = app.listeners?.ports.aisUdp;
  const ais = aisPort ? new AisUdpEmitter(fleet, aisPort) : undefined;
  const jt808Port = app.listeners?.ports.jt808;
  const jt808 = jt808Port ? new Jt808Emitter(fleet, jt808Port) : undefined;
  const emit = (r: PositionReport) => {
    if (ais && r.kind === 'vessel') ais.send(r);
    else if (jt808 && r.kind === 'vehicle') jt808.send(r);
    else pipeline.ingest(r);
  };
  const sim = new Simulator(WORLD, fleet, emit, {
    isLand: (p) => coast.isLand(p),
    onRunPlanned: (truck, run) => void track(truck, run, 'planned').catch(report(run.reference)),
    onRunStart: (truck, run) => void track(truck, run, 'in_transit').catch(report(run.reference)),
    // Arrival is the rules engine's to see (ARRIVED), from the fixes, as for any real carrier.
  });
  sim.step(Date.now());
  const timer = setInterval(() => sim.step(Date.now()), STEP_MS);
  say(`demo feed: ${fleet.trucks.length} trucks and ${fleet.vessels.length} vessels moving${ais ? ', vessels as AIS NMEA over UDP' : ''}${jt808 ? ', trucks as JT/T 808 terminals over TCP' : ''}`);
  return { fleet, stop: () => { clearInterval(timer); ais?.close(); void jt808?.close(); } };
}
