// The site ledger link (监管场所底账): a supervised place reports goods in and goods out by container,
// bill and movement. Each record is kept (site_ledger) and reconciled with the movements:
//  - goods in of a container (bill, declaration) of a movement ending here ties to it: the movement
//    lists the message, its timeline gets `goods_in`, and a NOT_RECEIVED of it is cleared;
//  - goods out with no movement carrying it out of this site (an open movement, on an open transit
//    declaration) is UNDECLARED_OUT (critical): goods left supervision without a document;
//  - sweep(): a movement that came in through its destination gate (gate_in, or its declaration
//    arrived) more than LINKS_RECEIVE_MINUTES ago, with no goods in at that site: NOT_RECEIVED.
import type pg from 'pg';
import { MAX_FUTURE_SKEW_MS } from '@/lib/domain';
import type { ExternalAlert } from '@/server/alerts/alertService';
import { forbidden, invalid, notFound } from '@/server/errors';
import { appendRowEntry } from '@/server/ledger/ledger';
import type { ApplyContext, LinkOutcome, LinkSystem, ParsedMessage } from '../types';
import { describeIssues, readMessage } from '../xml';
import { SITE_LEDGER_MESSAGE_TYPE, SITE_LEDGER_ROOT, SiteLedgerSchema, toSiteLedgerDoc, type LedgerRecord, type SiteLedgerDoc } from './schema';

/** How far back the reconciliation looks for arrivals (older ones were raised, or are history). */
const SWEEP_LOOKBACK_DAYS = 7;

export function parseSiteLedger(text: string, format: 'xml' | 'json'): ParsedMessage<SiteLedgerDoc> {
  const r = SiteLedgerSchema.safeParse(readMessage(text, format, SITE_LEDGER_ROOT, ['GoodsRecord']));
  if (!r.success) throw invalid(describeIssues(r.error.issues));
  return {
    messageId: r.data.Head.MessageID,
    messageType: SITE_LEDGER_MESSAGE_TYPE,
    ...(r.data.Head.SendTime !== undefined && { sentAt: r.data.Head.SendTime }),
    doc: toSiteLedgerDoc(r.data),
  };
}

export function siteLedgerLink(opts: { receiveMinutes: number }): LinkSystem<SiteLedgerDoc> {
  return {
    name: 'site-ledger',
    parse: parseSiteLedger,
    apply: (ctx, msg) => applySiteLedger(ctx, msg),
    sweep: (pool, now) => notReceived(pool, now, opts.receiveMinutes),
  };
}

interface Site {
  id: number;
  code: string;
  district: string;
  lon: number;
  lat: number;
}

interface Tied {
  id: number;
  asset_id: number;
  reference: string;
}

/**
 * Applies goods in/out records at one site (the site ledger's messages, and the WMS link's events).
 * `untiedEvents`: also put a record that ties to no movement on the events table (with no movement).
 */
export async function applySiteLedger(ctx: ApplyContext, msg: ParsedMessage<SiteLedgerDoc>, opts: { untiedEvents?: boolean } = {}): Promise<LinkOutcome> {
  const c = ctx.client;
  const doc = msg.doc;
  if (ctx.caller.sites && !ctx.caller.sites.includes(doc.site)) throw forbidden(`site ${doc.site} is not one of the sites this system may report on`);
  const site = (
    await c.query<Site>(
      `SELECT s.id, s.code, s.district, ST_X(ST_Centroid(s.area)) AS lon, ST_Y(ST_Centroid(s.area)) AS lat
       FROM sites s WHERE s.code = $1 AND (is_hq($2) OR s.district = ANY (visible_districts($2)))`,
      [doc.site, ctx.caller.district],
    )
  ).rows[0];
  if (!site) throw notFound(`Declaration.SiteCode: no site ${doc.site} that you may report on`);
  doc.records.forEach((r, i) => {
    if (r.time > ctx.now + MAX_FUTURE_SKEW_MS) throw invalid(`Declaration.GoodsRecord.${i}.IOTime: in the future`);
  });

  const outcome: LinkOutcome = { summary: {}, movements: [], alerts: [], clears: [], events: [] };
  const undeclared: string[] = [];
  for (const r of doc.records) {
    const m = r.direction === 'in' ? await arrivingMovement(ctx, site.id, r) : await departingMovement(ctx, site.id, r);
    const row = await c.query<{ id: string }>(
      `INSERT INTO site_ledger (message, site_id, direction, container_no, bill_no, reference, packages, weight_kg, time, consignment_id, district)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, to_timestamp($9 / 1000.0), $10, $11) RETURNING id`,
      [
        ctx.messageRowId,
        site.id,
        r.direction,
        r.container ?? null,
        r.bill ?? null,
        r.reference ?? null,
        r.packages ?? null,
        r.weightKg ?? null,
        r.time,
        m?.id ?? null,
        ctx.caller.district,
      ],
    );
    const entryId = row.rows[0]!.id;
    await appendRowEntry(c, 'site_ledger', 'site_ledger', entryId);
    const kind = r.direction === 'in' ? 'goods_in' : 'goods_out';
    if (m || opts.untiedEvents) {
      const ev = await c.query<{ id: string }>(
        `INSERT INTO events (time, kind, site_id, asset_id, consignment_id, seal_id, detail, source, link_message)
         VALUES (to_timestamp($1 / 1000.0), $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          r.time,
          kind,
          site.id,
          m?.asset_id ?? null,
          m?.id ?? null,
          r.seal ?? null,
          JSON.stringify({
            container: r.container,
            bill: r.bill,
            packages: r.packages,
            weightKg: r.weightKg,
            entry: Number(entryId),
            ...(r.order !== undefined && { order: r.order }),
            ...(r.netWeightKg !== undefined && { netWeightKg: r.netWeightKg }),
          }),
          ctx.caller.source,
          ctx.messageRowId,
        ],
      );
      await appendRowEntry(c, 'event', 'events', ev.rows[0]!.id);
    }
    if (m) {
      outcome.movements!.push(m.id);
      outcome.events!.push({ kind, time: r.time, assetId: m.asset_id, consignmentId: m.id });
      if (r.direction === 'in') outcome.clears!.push({ episode: `NOT_RECEIVED/${m.id}`, time: r.time, detail: { site: site.code, container: r.container, bill: r.bill } });
    } else if (r.direction === 'out') {
      undeclared.push(r.container ?? r.bill!);
      const alert: ExternalAlert = {
        type: 'UNDECLARED_OUT',
        assetId: null,
        consignmentId: null,
        time: r.time,
        lon: site.lon,
        lat: site.lat,
        detail: {
          site: site.code,
          container: r.container ?? null,
          bill: r.bill ?? null,
          reference: r.reference ?? null,
          packages: r.packages ?? null,
          weightKg: r.weightKg ?? null,
        },
        episode: `UNDECLARED_OUT/${entryId}`,
        districts: [site.district],
      };
      outcome.alerts!.push(alert);
    }
  }

  const pick = (f: (r: LedgerRecord) => string | undefined) => [...new Set(doc.records.map(f).filter((v): v is string => v !== undefined))];
  const directions = pick((r) => r.direction);
  const sum = (f: (r: LedgerRecord) => number | undefined) => doc.records.reduce<number | undefined>((a, r) => (f(r) === undefined ? a : (a ?? 0) + f(r)!), undefined);
  const packages = sum((r) => r.packages);
  const weightKg = sum((r) => r.weightKg);
  outcome.summary = {
    site: site.code,
    direction: directions.length === 1 ? directions[0] : directions,
    records: doc.records.length,
    containers: pick((r) => r.container),
    bills: pick((r) => r.bill),
    ...(packages !== undefined && { packages }),
    ...(weightKg !== undefined && { weightKg }),
    tied: outcome.movements!.length,
    undeclared,
  };
  return outcome;
}

const MATCHES = `(($3::text IS NOT NULL AND EXISTS (SELECT 1 FROM transit_containers tc WHERE tc.declaration_id = t.id AND tc.container_no = $3))
              OR ($4::text IS NOT NULL AND (t.pre_id = $4 OR k.reference = $4))
              OR ($5::text IS NOT NULL AND EXISTS (SELECT 1 FROM transit_bills tb WHERE tb.declaration_id = t.id AND tb.bill_no = $5)))`;

/** The movement ending at this site that the goods came on (arrived first, then on its way). */
async function arrivingMovement(ctx: ApplyContext, siteId: number, r: LedgerRecord): Promise<Tied | undefined> {
  const { rows } = await ctx.client.query<Tied>(
    `SELECT k.id, k.asset_id, k.reference FROM visible_consignments($1) k LEFT JOIN transit_declarations t ON t.consignment_id = k.id
     WHERE k.dest_site = $2 AND k.status IN ('planned', 'in_transit', 'overdue', 'diverted', 'arrived') AND ${MATCHES}
     ORDER BY (k.status = 'arrived') DESC, k.departure DESC LIMIT 1`,
    [ctx.caller.district, siteId, r.container ?? null, r.reference ?? null, r.bill ?? null],
  );
  return rows[0];
}

/** The open movement that carries the goods out of this site on a declaration not yet ended. */
async function departingMovement(ctx: ApplyContext, siteId: number, r: LedgerRecord): Promise<Tied | undefined> {
  const { rows } = await ctx.client.query<Tied>(
    `SELECT k.id, k.asset_id, k.reference FROM visible_consignments($1) k LEFT JOIN transit_declarations t ON t.consignment_id = k.id
     WHERE k.origin_site = $2 AND k.status IN ('planned', 'in_transit', 'overdue', 'diverted')
       AND (t.id IS NULL OR t.status IN ('declared', 'released', 'departed')) AND ${MATCHES}
     ORDER BY k.departure DESC LIMIT 1`,
    [ctx.caller.district, siteId, r.container ?? null, r.reference ?? null, r.bill ?? null],
  );
  return rows[0];
}

/**
 * NOT_RECEIVED: movements that came in through their destination gate (a gate_in there, or their
 * declaration's arrival) more than `minutes` before `now`, with no goods in at that site of their
 * containers, bills or declaration. The alert service raises each episode once.
 */
export async function notReceived(pool: pg.Pool, now: number, minutes: number): Promise<ExternalAlert[]> {
  const { rows } = await pool.query<{ id: number; asset_id: number; reference: string; site: string; district: string; lon: number; lat: number; arrived: number }>(
    `WITH arrivals AS (
       SELECT e.consignment_id, min(e.time) AS arrived FROM events e JOIN consignments k ON k.id = e.consignment_id
       WHERE e.kind IN ('gate_in', 'trn_arrived') AND (e.kind = 'trn_arrived' OR e.site_id = k.dest_site)
         AND e.time > to_timestamp($1 / 1000.0) - make_interval(days => $3)
       GROUP BY e.consignment_id)
     SELECT k.id, k.asset_id, k.reference, s.code AS site, s.district, ST_X(ST_Centroid(s.area)) AS lon, ST_Y(ST_Centroid(s.area)) AS lat,
            (extract(epoch FROM a.arrived) * 1000)::float8 AS arrived
     FROM arrivals a JOIN consignments k ON k.id = a.consignment_id JOIN sites s ON s.id = k.dest_site
     LEFT JOIN transit_declarations t ON t.consignment_id = k.id
     WHERE a.arrived <= to_timestamp($1 / 1000.0) - make_interval(mins => $2)
       AND k.status NOT IN ('closed', 'cancelled')
       AND NOT EXISTS (SELECT 1 FROM site_ledger l WHERE l.site_id = k.dest_site AND l.direction = 'in'
                         AND (l.consignment_id = k.id
                              OR l.container_no IN (SELECT tc.container_no FROM transit_containers tc WHERE tc.declaration_id = t.id)
                              OR l.reference IN (t.pre_id, k.reference)))`,
    [now, minutes, SWEEP_LOOKBACK_DAYS],
  );
  return rows.map((r) => ({
    type: 'NOT_RECEIVED',
    assetId: r.asset_id,
    consignmentId: r.id,
    time: now,
    lon: r.lon,
    lat: r.lat,
    detail: { site: r.site, reference: r.reference, arrivedAt: new Date(r.arrived).toISOString(), minutes },
    episode: `NOT_RECEIVED/${r.id}`,
    districts: [r.district],
  }));
}
