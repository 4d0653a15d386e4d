// The one IngestSink the listeners share: fixes to the pipeline, vessel static data to the asset
// row, and every rejected frame counted by protocol and reason and logged (sampled).
import type pg from 'pg';
import { log } from '../log';
import type { AssetRegistry } from '../pipeline/assetRegistry';
import type { Pipeline } from '../pipeline/pipeline';
import { framesIgnored, framesRejected, rejectLabel } from './metrics';
import type { IngestProtocol, IngestSink, VesselStatic } from './types';

const LOG_EVERY_MS = 10_000; // at most one log line per protocol and reason this often

export function createIngestSink(pipeline: Pipeline, pool: pg.Pool, registry: AssetRegistry): IngestSink {
  const lastLogged = new Map<string, number>();
  const lastStatic = new Map<string, string>();

  const rejected = (protocol: IngestProtocol, reason: string, sample?: string) => {
    // The label (and so the log throttle's key) is from a closed set: the reason text may hold input.
    const label = rejectLabel(reason);
    framesRejected.inc({ protocol, reason: label });
    const key = `${protocol}:${label}`;
    const now = Date.now();
    if (now - (lastLogged.get(key) ?? 0) > LOG_EVERY_MS) {
      lastLogged.set(key, now);
      log.warn({ protocol, reason: reason.slice(0, 200), sample: sample?.slice(0, 200) }, 'ingest frame rejected');
    }
  };

  return {
    position(report) {
      const r = pipeline.ingest(report);
      if (!r.ok) rejected(report.source === 'ais' || report.source === 'jt808' || report.source === 'jt809' || report.source === 'osmand' ? report.source : 'http', r.reason);
    },
    vesselStatic(update: VesselStatic) {
      // Static data repeats every few minutes per vessel: write only what changed.
      const key = `mmsi:${update.mmsi}`;
      const merged = { ...JSON.parse(lastStatic.get(key) ?? '{}'), ...update };
      const text = JSON.stringify(merged);
      if (lastStatic.get(key) === text) return;
      lastStatic.set(key, text);
      pool
        .query(
          `INSERT INTO assets (key, kind, label, mmsi, imo, call_sign, ais_class, ship_type)
           VALUES ($1, 'vessel', $2, $3, $4, $5, $6, $7)
           ON CONFLICT (key) DO UPDATE SET
             label = coalesce(EXCLUDED.label, assets.label), imo = coalesce(EXCLUDED.imo, assets.imo),
             call_sign = coalesce(EXCLUDED.call_sign, assets.call_sign), ais_class = coalesce(EXCLUDED.ais_class, assets.ais_class),
             ship_type = coalesce(EXCLUDED.ship_type, assets.ship_type), updated_at = now()
           RETURNING id, key, kind, label, district, ais_class AS "aisClass"`,
          [
            key,
            merged.name ?? null,
            update.mmsi,
            merged.imo ?? null,
            merged.callSign ?? null,
            merged.aisClass ?? null,
            merged.shipType === undefined ? null : String(merged.shipType),
          ],
        )
        .then(({ rows }) => {
          if (rows[0]) registry.remember(rows[0]);
        })
        .catch((err: Error) => log.error({ err: err.message, mmsi: update.mmsi }, 'vessel static update failed'));
    },
    rejected,
    ignored(protocol, what) {
      framesIgnored.inc({ protocol, kind: what });
    },
  };
}
