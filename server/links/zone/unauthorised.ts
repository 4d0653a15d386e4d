// ZONE_UNAUTHORISED: a vehicle crossed a bonded zone's boundary (the rules engine's `zone_crossing`,
// debounced there) without a 核放单 that lets it: same plate, same zone, in for an entry and out for
// a leave, not cancelled, and either still valid (declared in the last VALID_HOURS, not yet used
// by another crossing) or passed at the gate within PASS_WINDOW_MS of the crossing. The passport
// found is used by the crossing (used_at), so one passport lets one vehicle through once.
// An unauthorised entry's alert ends when the vehicle leaves the zone again (an unauthorised leave's
// when it comes back), or when a pass receipt shows the passport came late (zone.ts). The vehicle is
// critical on the map from the alert until it ends or a person acknowledges it (after a restart too).
import type pg from 'pg';
import type { AlertService } from '../../alerts/alertService';
import type { OpenEpisode, RuleListener } from '../../alerts/rulesRuntime';
import type { MapStatus } from '../../live/mapStatus';
import { log } from '../../log';
import type { RuleEvent, ZoneCrossing } from '../../rules/types';

/** A passport not yet used is good for this long after it was received. */
export const VALID_HOURS = 24;
/** A gate pass (SAS223) and a GPS crossing this far apart are the same crossing. */
export const PASS_WINDOW_MS = 10 * 60_000;

export class ZoneUnauthorised implements RuleListener {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private pool: pg.Pool,
    private alerts: Pick<AlertService, 'raiseExternal' | 'clearExternal'>,
    private mapStatus: Pick<MapStatus, 'restore' | 'released'>,
    /** The open movement the vehicle carries, if any (the alert is on it too, and seen by its districts). */
    private movementOf: (assetId: number) => number | undefined = () => undefined,
  ) {}

  onRuleEvents(events: RuleEvent[]): void {
    for (const e of events) {
      if (e.kind !== 'zone_crossing') continue;
      this.queue = this.queue
        .then(() => this.check(e))
        .catch((err: Error) => log.error({ err: err.message, assetId: e.assetId, zoneId: e.zoneId }, 'a zone crossing was not checked'));
    }
  }

  /** At start: open, unacknowledged alerts of earlier runs colour their vehicles again. */
  async restoreColours(): Promise<void> {
    const { rows } = await this.pool.query<{ episode: string; asset_id: number }>(
      `SELECT episode, asset_id FROM alerts WHERE type = 'ZONE_UNAUTHORISED' AND state = 'open' AND cleared_at IS NULL AND asset_id IS NOT NULL AND episode IS NOT NULL`,
    );
    if (rows.length) this.mapStatus.restore(rows.map((r) => ({ episode: r.episode, type: 'ZONE_UNAUTHORISED' as const, assetId: r.asset_id })));
  }

  /** A person acknowledged an alert: if it is one of these, its vehicle's colour goes (the alert stays until it ends). */
  acknowledged(episode: string): void {
    const m = /^ZONE_UNAUTHORISED\/a(\d+)\//.exec(episode);
    if (m) this.mapStatus.released([{ episode, type: 'ZONE_UNAUTHORISED', assetId: Number(m[1]) }]);
  }

  /** Resolves once every crossing heard so far is checked (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private async check(e: ZoneCrossing): Promise<void> {
    const zone = (
      await this.pool.query<{ district: string | null; code: string; name_zh: string; area_code: string | null }>(
        `SELECT district, code, name_zh, area_code FROM zones WHERE id = $1 AND kind = 'bonded'`,
        [e.zoneId],
      )
    ).rows[0];
    if (!zone) return; // deleted or no longer bonded since the engine saw it
    const io = e.direction === 'enter' ? 'in' : 'out';
    // The opposite crossing's open alert ends: the vehicle is back on the side it had the right to be.
    await this.endOpposite(e);
    const used = (
      await this.pool.query<{ passport_no: string }>(
        `UPDATE zone_passports SET used_at = to_timestamp($4 / 1000.0)
         WHERE id = (
           SELECT p.id FROM zone_passports p JOIN assets a ON a.id = $1 AND plate_key(a.plate) = plate_key(p.plate)
           WHERE p.zone_id = $2 AND p.io = $3 AND p.used_at IS NULL AND (
                 (p.status = 'valid' AND p.created_at >= to_timestamp($4 / 1000.0) - make_interval(hours => $5))
              OR (p.status = 'passed' AND abs(extract(epoch FROM p.passed_at) * 1000 - $4) <= $6))
           ORDER BY (p.status = 'passed') DESC, p.created_at DESC
           LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING passport_no`,
        [e.assetId, e.zoneId, io, e.time, VALID_HOURS, PASS_WINDOW_MS],
      )
    ).rows[0];
    if (used) return;
    const plate = (await this.pool.query<{ plate: string | null }>('SELECT plate FROM assets WHERE id = $1', [e.assetId])).rows[0]?.plate ?? null;
    const episode = `ZONE_UNAUTHORISED/a${e.assetId}/z${e.zoneId}/${e.time}`;
    const row = await this.alerts.raiseExternal({
      type: 'ZONE_UNAUTHORISED',
      assetId: e.assetId,
      consignmentId: this.movementOf(e.assetId) ?? null,
      time: e.time,
      lon: e.lon,
      lat: e.lat,
      detail: { zoneId: e.zoneId, zoneCode: zone.code, zoneName: zone.name_zh, areaCode: zone.area_code, direction: e.direction, plate, reason: 'no valid passport' },
      episode,
      districts: zone.district ? [zone.district] : [],
    });
    if (row) this.mapStatus.restore([{ episode, type: 'ZONE_UNAUTHORISED', assetId: e.assetId }]);
  }

  private async endOpposite(e: ZoneCrossing): Promise<void> {
    const { rows } = await this.pool.query<{ episode: string }>(
      `SELECT episode FROM alerts WHERE type = 'ZONE_UNAUTHORISED' AND asset_id = $1 AND detail->>'zoneId' = $2 AND detail->>'direction' = $3
         AND cleared_at IS NULL AND time < to_timestamp($4 / 1000.0)`,
      [e.assetId, String(e.zoneId), e.direction === 'enter' ? 'leave' : 'enter', e.time],
    );
    const ended: OpenEpisode[] = [];
    for (const r of rows) {
      await this.alerts.clearExternal(r.episode, e.time, { reason: e.direction === 'enter' ? 'came back into the zone' : 'left the zone' });
      ended.push({ episode: r.episode, type: 'ZONE_UNAUTHORISED', assetId: e.assetId });
    }
    if (ended.length) this.mapStatus.released(ended);
  }
}
