// Turns what the rules engine decides into stored, chained and broadcast facts: alerts raised
// and cleared (stamped with the districts of their movement and asset); consignment status changes
// go to the movement service, their one owner. Carries people's acknowledge/resolve with audit.
import type pg from 'pg';
import { isOutage } from '../../db/errors';
import type { AlertRow } from '../../lib/alerts';
import type { AlertType } from '../../lib/domain';
import { ALERT_SEVERITY } from '../rules/types';
import { withTransaction } from '../../db/transaction';
import { audit } from '../audit';
import { appendRowEntry } from '../ledger/ledger';
import type { LiveHub } from '../live/hub';
import { log } from '../log';
import type { MovementService } from '../movements/movementService';
import type { AssetRegistry } from '../pipeline/assetRegistry';
import type { SessionUser } from '../auth/sessions';
import type { RuleEvent } from '../rules/types';
import type { RuleListener } from './rulesRuntime';

/** The JSON an alert travels as (REST and live): selects an AlertRow (lib/alerts.ts); keep the two in step. */
export const ALERT_COLUMNS = `
  al.id::int AS id, al.episode, al.type, al.severity, al.asset_id AS "assetId", al.consignment_id AS "consignmentId",
  (extract(epoch FROM al.time) * 1000)::bigint::float8 AS time, ST_X(al.geom) AS lon, ST_Y(al.geom) AS lat, al.detail, al.state,
  al.acked_by AS "ackedBy", (extract(epoch FROM al.acked_at) * 1000)::float8 AS "ackedAt",
  al.resolved_by AS "resolvedBy", (extract(epoch FROM al.resolved_at) * 1000)::float8 AS "resolvedAt", al.note,
  (extract(epoch FROM al.cleared_at) * 1000)::float8 AS "clearedAt", al.districts,
  a.label AS "assetLabel", a.kind AS "assetKind", c.reference AS "consignmentRef"`;
export const ALERT_JOINS = `LEFT JOIN assets a ON a.id = al.asset_id LEFT JOIN consignments c ON c.id = al.consignment_id`;

/** What the system writes when it closes an information alert itself. */
export const CLOSED_AT_ONCE_NOTE = '信息事件，无需处置（系统自动关闭） · Information, no action needed (closed by the system)';

// An info alert (a normal ARRIVED) is a timeline event, not work: it is stored already resolved, at
// its own time and by no one, so that no pending count, no wall figure and no officer's button
// sees it, while the feed, the timeline, webhooks and the ledger still carry it like any alert.
/** An outcome is retried every RETRY_MS while the database is away, for up to an hour. */
const RETRY_MS = 1_000;
const RETRY_LIMIT = 3_600;
/** While the server stops: a few seconds, then what is left is logged and given up. */
const CLOSING_RETRY_LIMIT = 5;

const INSERT_ALERT = `INSERT INTO alerts (type, severity, asset_id, consignment_id, time, geom, detail, episode, districts, state, resolved_at, note)
  VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), CASE WHEN $6::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($6, $7), 4326) END, $8, $9, $10,
          CASE WHEN $2 = 'info' THEN 'resolved' ELSE 'open' END, CASE WHEN $2 = 'info' THEN to_timestamp($5 / 1000.0) END,
          CASE WHEN $2 = 'info' THEN '${CLOSED_AT_ONCE_NOTE}' END)
  ON CONFLICT (episode) WHERE episode IS NOT NULL DO NOTHING RETURNING id`;

/**
 * An alert raised by a partner system's message or a reconciliation (server/links/), not by the
 * rules engine: it may have no asset, and names the districts that must see it (a gate's, a site's)
 * beside those of its movement and asset. Raising is idempotent on the episode.
 */
export interface ExternalAlert {
  type: AlertType;
  assetId: number | null;
  consignmentId: number | null;
  time: number;
  lon?: number | null;
  lat?: number | null;
  detail: Record<string, unknown>;
  episode: string;
  districts: string[];
}

export class AlertService implements RuleListener {
  private queue: Promise<void> = Promise.resolve();
  /** Set when the server stops: outcomes are retried a few seconds only, so a stop never hangs on a database that is gone. */
  closing = false;

  /** Told when people acknowledge an episode (the engine ends SEAL_ALARM only that way). */
  onAcknowledged: (episode: string) => void = () => {};

  constructor(
    private pool: pg.Pool,
    private hub: LiveHub,
    private movements: Pick<MovementService, 'districtsOf' | 'applyRuleStatus'>,
    private registry: AssetRegistry,
  ) {}

  onRuleEvents(events: RuleEvent[]): void {
    void this.apply(events);
  }

  /**
   * Applies outcomes in order. While the database is away an outcome is retried (in order, the
   * queue waits): an episode is never lost to a restart of PostgreSQL. Any other failure is logged
   * and the next outcome still applies.
   */
  apply(outcomes: RuleEvent[]): Promise<void> {
    if (outcomes.length === 0) return this.queue;
    this.queue = this.queue.then(async () => {
      for (const o of outcomes) {
        for (let attempt = 0; ; attempt++) {
          try {
            await this.applyOne(o);
            break;
          } catch (err) {
            if (!isOutage(err) || attempt >= (this.closing ? CLOSING_RETRY_LIMIT : RETRY_LIMIT)) {
              log.error({ err: (err as Error).message, outcome: o.kind }, 'could not store a rule outcome');
              break;
            }
            if (attempt === 0) log.warn({ err: (err as Error).message, outcome: o.kind }, 'could not store a rule outcome; retrying');
            await new Promise((r) => setTimeout(r, RETRY_MS));
          }
        }
      }
    });
    return this.queue;
  }

  private async applyOne(o: RuleEvent): Promise<void> {
    if (o.kind === 'raised') {
      const a = o.alert;
      const home = this.registry.byAssetId(a.assetId)?.district;
      const row = await this.transaction(async (client) => {
        // The movement's districts as held; one that has just ended is read as stored.
        const touched = a.consignmentId
          ? (this.movements.districtsOf(a.consignmentId) ??
            (await client.query<{ districts: string[] }>('SELECT districts FROM consignments WHERE id = $1', [a.consignmentId])).rows[0]?.districts)
          : undefined;
        const districts = [...new Set([...(touched ?? []), ...(home ? [home] : [])])];
        const { rows } = await client.query(INSERT_ALERT, [
          a.type,
          a.severity,
          a.assetId,
          a.consignmentId ?? null,
          a.time,
          a.lon ?? null,
          a.lat ?? null,
          JSON.stringify(a.detail),
          a.episode,
          districts,
        ]);
        if (!rows[0]) return null; // raised before a restart: already stored
        await appendRowEntry(client, 'alert', 'alerts', rows[0].id);
        return this.load(client, rows[0].id);
      });
      if (row) this.hub.emitAlert('alert', row, a.assetId);
    } else if (o.kind === 'cleared') {
      const row = await this.transaction(async (client) => {
        const { rows } = await client.query(`UPDATE alerts SET cleared_at = to_timestamp($2 / 1000.0) WHERE episode = $1 AND cleared_at IS NULL RETURNING id`, [o.episode, o.time]);
        if (!rows[0]) return null;
        await appendRowEntry(client, 'alert', 'alerts', rows[0].id);
        return this.load(client, rows[0].id);
      });
      if (row) this.hub.emitAlert('alert_update', row, o.assetId);
    } else if (o.kind === 'status') {
      await this.movements.applyRuleStatus(o.consignmentId, o.status, o.time);
    }
    // Other kinds (zone_crossing) are facts for other listeners (server/links/zone/unauthorised.ts), not alerts.
  }

  /** Stores and broadcasts an external alert (after what is queued); null when its episode was raised before. */
  raiseExternal(a: ExternalAlert): Promise<AlertRow | null> {
    const run = this.queue.then(async () => {
      const home = a.assetId === null ? undefined : this.registry.byAssetId(a.assetId)?.district;
      const touched = a.consignmentId === null ? undefined : this.movements.districtsOf(a.consignmentId);
      const row = await this.transaction(async (client) => {
        const stored =
          touched ?? (a.consignmentId === null ? [] : ((await client.query('SELECT districts FROM consignments WHERE id = $1', [a.consignmentId])).rows[0]?.districts ?? []));
        const districts = [...new Set([...a.districts, ...stored, ...(home ? [home] : [])])];
        const { rows } = await client.query(INSERT_ALERT, [
          a.type,
          ALERT_SEVERITY[a.type],
          a.assetId,
          a.consignmentId,
          a.time,
          a.lon ?? null,
          a.lat ?? null,
          JSON.stringify(a.detail),
          a.episode,
          districts,
        ]);
        if (!rows[0]) return null;
        await appendRowEntry(client, 'alert', 'alerts', rows[0].id);
        return this.load(client, rows[0].id);
      });
      if (row) this.hub.emitAlert('alert', row, a.assetId ?? 0);
      return row;
    });
    this.queue = run.then(
      () => {},
      (err: Error) => log.error({ err: err.message, episode: a.episode }, 'could not store an external alert'),
    );
    return run;
  }

  /** Marks an external alert's condition as over (goods received after all, a result came). */
  clearExternal(episode: string, time: number, detail?: Record<string, unknown>): Promise<void> {
    const run = this.queue.then(async () => {
      const row = await this.transaction(async (client) => {
        const { rows } = await client.query(
          `UPDATE alerts SET cleared_at = to_timestamp($2 / 1000.0), detail = detail || $3::jsonb WHERE episode = $1 AND cleared_at IS NULL RETURNING id`,
          [episode, time, JSON.stringify(detail ? { cleared: detail } : {})],
        );
        if (!rows[0]) return null;
        await appendRowEntry(client, 'alert', 'alerts', rows[0].id);
        return this.load(client, rows[0].id);
      });
      if (row) this.hub.emitAlert('alert_update', row, row.assetId ?? 0);
    });
    this.queue = run.catch((err: Error) => log.error({ err: err.message, episode }, 'could not clear an external alert'));
    return run;
  }

  /** Acknowledge or resolve (with a note) on behalf of a user who may see the alert. */
  async transition(id: number, user: SessionUser, action: 'acknowledge' | 'resolve', note: string | undefined, ip: string): Promise<AlertRow | 'not_found' | 'conflict'> {
    const result = await this.transaction(async (client) => {
      // Lock the row first (a function's result cannot be locked), then ask whether the user may see it.
      await client.query('SELECT 1 FROM alerts WHERE id = $1 FOR UPDATE', [id]);
      const { rows } = await client.query(`SELECT ${ALERT_COLUMNS} FROM visible_alerts($1) al ${ALERT_JOINS} WHERE al.id = $2`, [user.district, id]);
      const before: AlertRow | undefined = rows[0];
      if (!before) return 'not_found' as const;
      if (action === 'acknowledge' && before.state !== 'open') return 'conflict' as const;
      if (action === 'resolve' && before.state === 'resolved') return 'conflict' as const;
      if (action === 'acknowledge') {
        await client.query(`UPDATE alerts SET state = 'acknowledged', acked_by = $2, acked_at = now(), note = coalesce($3, note) WHERE id = $1`, [id, user.username, note ?? null]);
      } else {
        await client.query(
          `UPDATE alerts SET state = 'resolved', resolved_by = $2, resolved_at = now(), note = $3,
                             acked_by = coalesce(acked_by, $2), acked_at = coalesce(acked_at, now()) WHERE id = $1`,
          [id, user.username, note],
        );
      }
      await appendRowEntry(client, 'alert', 'alerts', id);
      const after = await this.load(client, id);
      await audit(client, { userId: user.id, username: user.username, action: `alert_${action}`, entity: 'alert', entityId: id, before, after, ip });
      return after!;
    });
    if (typeof result === 'object') {
      this.hub.emitAlert('alert_update', result, Number(result.assetId));
      if (typeof result.episode === 'string') this.onAcknowledged(result.episode);
    }
    return result;
  }

  private async load(client: pg.ClientBase, id: number): Promise<AlertRow | null> {
    const { rows } = await client.query(`SELECT ${ALERT_COLUMNS} FROM alerts al ${ALERT_JOINS} WHERE al.id = $1`, [id]);
    return rows[0] ?? null;
  }

  private transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, fn);
  }
}
