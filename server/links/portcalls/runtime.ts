// Runs the port-call detector inside the server: a pipeline sink that hands it every vessel fix,
// the places from the rules engine's geofence index (reloaded after each edit), the calls still open
// restored at start, and what it decides stored in order (store.ts), one decision after another.
import type pg from 'pg';
import type { GeofenceIndex } from '../../geofence';
import { log } from '../../log';
import type { Pipeline } from '../../pipeline/pipeline';
import { PortCallDetector, type PortCallEvent, type PortCallRules } from './detector';
import { geofencePlaces } from './places';
import { openPortCalls, storeArrival, storeDeparture } from './store';

export interface PortCallsRuntime {
  detector: PortCallDetector;
  /** Resolves once every decision made so far is stored (tests wait on it; shutdown too). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPortCalls(deps: { pool: pg.Pool; pipeline: Pipeline; geo: GeofenceIndex }, rules: Partial<PortCallRules> = {}): Promise<PortCallsRuntime> {
  const detector = new PortCallDetector(geofencePlaces(deps.geo), rules);
  for (const c of await openPortCalls(deps.pool)) detector.restore(c.assetId, c.place, c.arrivedAt);

  let stopped = false;
  // Decisions are stored one at a time, in the order they were made (an arrival before its departure).
  let queue: Promise<void> = Promise.resolve();
  const store = (e: PortCallEvent) => (e.type === 'arrival' ? storeArrival(deps.pool, e) : storeDeparture(deps.pool, e));
  deps.pipeline.addSink((asset, report) => {
    if (stopped || asset.kind !== 'vessel') return;
    const events = detector.onFix(asset.id, { time: report.time, lon: report.lon, lat: report.lat, speedKmh: report.speed });
    for (const e of events) {
      queue = queue.then(
        () =>
          store(e).then(
            () => undefined,
            (err: Error) => log.error({ err: err.message, assetId: e.assetId, place: e.place.code, type: e.type }, 'a port call was not stored'),
          ),
        () => undefined,
      );
    }
  });
  return {
    detector,
    idle: () => queue,
    async stop() {
      stopped = true;
      await queue;
    },
  };
}
