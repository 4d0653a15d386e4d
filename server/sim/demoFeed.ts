// The demo feed: builds the simulated fleet, registers its assets in PostGIS, and drives the
// simulator on the wall clock into the pipeline's one entry point. Its movements are born the way
// real ones are: from the customs systems' documents (demoDocuments.ts) through the links, a
// manifest per vessel, a transit declaration and release per truck run, gate passes as trucks
// leave and arrive, goods received, write-off.
import type pg from 'pg';
import type { PositionReport } from '../../lib/domain';
import type { App } from '../app';
import { DemoDocuments } from './demoDocuments';
import { buildFleet, type Fleet } from './fleet';
import { Simulator } from './simulator';
import { AisUdpEmitter, Jt808Emitter } from './wire/wireEmitter';
import { WORLD } from './world';
import { loadCoast } from './world/coast';
import { provisionDemoTerminals } from '../devices/demo';

export interface DemoFeed {
  fleet: Fleet;
  documents: DemoDocuments;
  /** Resolves once the fleet's first documents are in: every truck's current run is a movement. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

const STEP_MS = 1000;

/** Stores the fleet's vehicles (with their provisioned terminals) and vessels as assets. */
export async function registerAssets(pool: pg.Pool, fleet: Fleet): Promise<void> {
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
    [
      v.map((x) => x.assetKey),
      v.map((x) => x.name),
      v.map((x) => x.mmsi),
      v.map((x) => x.imo ?? null),
      v.map((x) => x.callSign),
      v.map((x) => x.cls),
      v.map((x) => x.shipType),
      v.map((x) => districtOfSite.get(portOfLane.get(x.laneCode) ?? '') ?? null),
    ],
  );
}

export async function startDemoFeed(app: App, say: (msg: string) => void): Promise<DemoFeed> {
  const { config, db, pipeline, registry, movements } = app;
  const now = Date.now();
  const fleet = buildFleet(WORLD, { trucks: config.SIM_TRUCKS, vessels: config.SIM_VESSELS, seed: config.SIM_SEED, now });
  await registerAssets(db.pool, fleet);
  await registry.load();
  // Movements left open by an earlier run of the demo are closed; the fleet starts afresh.
  await movements.closeAllSystem('the demo feed starts its fleet afresh');

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
    onRunPlanned: (truck, run) => void documents.declare(truck, run, false, Date.now()),
    onRunStart: (truck, run, t) => documents.started(truck, run, t),
    onRunEnd: (truck, run, t) => documents.ended(truck, run, t),
  });
  // The fleet's documents: manifests, then each truck's current run declared (and, when it left
  // already, passed through its origin gate). They go after the first fixes, so the rules know
  // where every truck is when its movement is watched (no SIGNAL_LOST for a truck not yet heard).
  const documents = new DemoDocuments(app.links.receiver, WORLD, { seed: fleet.seed, now, say });
  const step = () => {
    const t = Date.now();
    sim.step(t);
    documents.step(t);
  };
  step();
  const timer = setInterval(step, STEP_MS);
  const t0 = Date.now();
  const ready = (async () => {
    await documents.declareVessels(fleet.vessels);
    for (const truck of fleet.trucks) {
      const run = truck.runs[truck.runs.length - 1]!;
      // The clock at each truck's turn: a run that left while the fleet was being declared goes out of its gate too.
      const t = Date.now();
      await documents.declare(truck, run, run.departure <= t, t);
    }
    const { sent, refused } = documents.stats;
    say(`demo feed: the fleet's ${sent} customs documents went in in ${((Date.now() - t0) / 1000).toFixed(1)} s${refused ? ` (${refused} refused)` : ''}`);
  })();
  ready.catch((err: Error) => say(`demo feed: the fleet's documents failed: ${err.message}`));
  say(
    `demo feed: ${fleet.trucks.length} trucks and ${fleet.vessels.length} vessels moving${ais ? ', vessels as AIS NMEA over UDP' : ''}${jt808 ? ', trucks as JT/T 808 terminals over TCP' : ''}`,
  );
  return {
    fleet,
    documents,
    ready,
    stop: async () => {
      clearInterval(timer);
      await documents.stop();
      ais?.close();
      void jt808?.close();
    },
  };
}
