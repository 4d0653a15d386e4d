// The Golden Customs II bonded-zone link (system `zone`): SAS121 核放单 passports and SAS223 过卡回执
// pass receipts. A passport names its zone by area code; the zone must lie within the sender's scope
// (unknown and not-yours get the same answer). The vehicle is matched by plate to any tracked
// vehicle: a zone's gate lets in trucks from every province, and the passport is the zone's business.
// A pass receipt uses the passport (passed) and ends a ZONE_UNAUTHORISED its crossing raised, when
// the passport came late. Whether a GPS crossing had a passport: unauthorised.ts.
import type pg from 'pg';
import { conflict, invalid, notFound } from '../../errors';
import { appendRowEntry } from '../../ledger/ledger';
import type { ApplyContext, LinkOutcome, LinkSystem, ParsedMessage } from '../types';
import { parseZoneMessage } from './parse';
import type { Passport, PassReceipt, ZoneDocument } from './schema';
import { PASS_WINDOW_MS } from './unauthorised';

const IN_SCOPE = (districtCol: string, param: string) => `(is_hq(${param}) OR ${districtCol} = ANY(visible_districts(${param})))`;

export function zoneLink(): LinkSystem<ZoneDocument> {
  return {
    name: 'zone',
    parse: parseZoneMessage,
    apply(ctx: ApplyContext, msg: ParsedMessage<ZoneDocument>): Promise<LinkOutcome> {
      return msg.doc.kind === 'passport' ? applyPassport(ctx, msg.doc.passport) : applyPass(ctx, msg.doc.pass);
    },
  };
}

/** The tracked vehicle with this plate (compared by plate_key: no spaces, dots or dashes, upper case), if any. */
async function vehicleByPlate(c: pg.ClientBase, plate: string): Promise<number | null> {
  const { rows } = await c.query<{ id: number }>(`SELECT id FROM assets WHERE kind = 'vehicle' AND plate_key(plate) = plate_key($1) ORDER BY id LIMIT 1`, [plate]);
  return rows[0]?.id ?? null;
}

async function timelineEvent(ctx: ApplyContext, kind: 'zone_passport' | 'zone_pass', time: number, assetId: number, plate: string, detail: Record<string, unknown>): Promise<void> {
  const { rows } = await ctx.client.query<{ id: string }>(
    `INSERT INTO events (time, kind, asset_id, plate, detail, source, link_message) VALUES (to_timestamp($1 / 1000.0), $2, $3, $4, $5, $6, $7) RETURNING id`,
    [time, kind, assetId, plate, JSON.stringify(detail), ctx.caller.source, ctx.messageRowId],
  );
  await appendRowEntry(ctx.client, 'event', 'events', rows[0]!.id);
}

async function applyPassport(ctx: ApplyContext, p: Passport): Promise<LinkOutcome> {
  const c = ctx.client;
  const zone = (
    await c.query<{ id: number; code: string }>(`SELECT id, code FROM zones WHERE kind = 'bonded' AND area_code = $1 AND ${IN_SCOPE('district', '$2')}`, [
      p.areaCode,
      ctx.caller.district,
    ])
  ).rows[0];
  if (!zone) throw notFound(`PassportHead.areaCode/masterCuscd: no bonded zone with area code ${p.areaCode} in your jurisdiction`);
  const assetId = await vehicleByPlate(c, p.plate);
  const stored = (
    await c.query<{ id: string; status: string; in_scope: boolean }>(
      `SELECT id, status, ${IN_SCOPE('district', '$2')} AS in_scope FROM zone_passports WHERE passport_no = $1 FOR UPDATE`,
      [p.passportNo, ctx.caller.district],
    )
  ).rows[0];
  if (stored && !stored.in_scope) throw conflict(`PassportHead.passportNo: ${p.passportNo} cannot be declared by this sender`);
  // A passport once through the gate stays passed; a cancellation (作废) ends it whatever it was.
  const status = p.cancelled ? 'cancelled' : stored?.status === 'passed' ? 'passed' : 'valid';
  const values = [
    p.passportNo,
    p.type,
    p.bindType,
    p.relatedType,
    p.relatedNo,
    p.io,
    p.plate,
    assetId,
    p.containers,
    p.vehicleWt,
    p.grossWt,
    p.totalWt,
    zone.id,
    zone.code,
    p.masterCustoms,
    status,
    p.declaredAt,
    ctx.caller.district,
    ctx.messageRowId,
  ];
  if (stored) {
    await c.query(
      `UPDATE zone_passports SET type = $2, bind_type = $3, related_type = $4, related_no = $5, io = $6, plate = $7, asset_id = $8,
         containers = $9, vehicle_wt = $10, gross_wt = $11, total_wt = $12, zone_id = $13, zone_code = $14, master_customs = $15,
         status = $16, declared_at = to_timestamp($17 / 1000.0), district = $18, message = $19
       WHERE passport_no = $1`,
      values,
    );
  } else {
    await c.query(
      `INSERT INTO zone_passports (passport_no, type, bind_type, related_type, related_no, io, plate, asset_id, containers, vehicle_wt,
         gross_wt, total_wt, zone_id, zone_code, master_customs, status, declared_at, district, message, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, to_timestamp($17 / 1000.0), $18, $19, to_timestamp($20 / 1000.0))`,
      [...values, ctx.now],
    );
  }
  if (assetId !== null) {
    await timelineEvent(ctx, 'zone_passport', p.declaredAt ?? ctx.now, assetId, p.plate, {
      passportNo: p.passportNo,
      zone: zone.code,
      direction: p.io,
      type: p.type,
      status,
      containers: p.containers,
    });
  }
  return {
    summary: {
      passport: p.passportNo,
      zone: zone.code,
      plate: p.plate,
      containers: p.containers,
      ...(p.grossWt !== null || p.totalWt !== null ? { weightKg: p.grossWt ?? p.totalWt } : {}),
      status,
      direction: p.io,
      type: p.type,
      ...(p.relatedNo ? { related: p.relatedNo } : {}),
    },
  };
}

async function applyPass(ctx: ApplyContext, r: PassReceipt): Promise<LinkOutcome> {
  const c = ctx.client;
  const p = (
    await c.query<{ id: string; plate: string; io: 'in' | 'out'; status: string; asset_id: number | null; zone_id: number | null; zone_code: string; containers: string[] }>(
      `SELECT p.id, p.plate, p.io, p.status, p.asset_id, p.zone_id, p.zone_code, p.containers
       FROM zone_passports p LEFT JOIN zones z ON z.id = p.zone_id
       WHERE p.passport_no = $1 AND (${IN_SCOPE('p.district', '$2')} OR ${IN_SCOPE('z.district', '$2')})
       FOR UPDATE OF p`,
      [r.passportNo, ctx.caller.district],
    )
  ).rows[0];
  if (!p) throw notFound(`SasPassportBsc.passportNo: no passport ${r.passportNo} in your jurisdiction`);
  if (r.plate && r.plate !== p.plate) throw invalid(`SasPassportBsc.vehicleNo: ${r.plate} is not the passport's vehicle`);
  if (p.status === 'cancelled' && r.status === 'passed') throw conflict(`SasPassportBsc.passportNo: passport ${r.passportNo} was cancelled`);
  const status = r.status === 'valid' ? p.status : r.status;
  await c.query(
    `UPDATE zone_passports SET status = $2, passed_at = coalesce(to_timestamp($3 / 1000.0), passed_at), pass_weight = coalesce($4, pass_weight), pass_message = $5
     WHERE id = $1`,
    [p.id, status, r.passedAt, r.gateWeight, ctx.messageRowId],
  );
  const assetId = p.asset_id ?? (await vehicleByPlate(c, p.plate));
  const clears: NonNullable<LinkOutcome['clears']> = [];
  if (assetId !== null && status === 'passed' && r.passedAt !== null) {
    await timelineEvent(ctx, 'zone_pass', r.passedAt, assetId, p.plate, {
      passportNo: r.passportNo,
      zone: p.zone_code,
      direction: p.io,
      gateWeightKg: r.gateWeight,
      stucd: r.stucd,
    });
    // The crossing this gate pass was: an alert it raised because the passport came late ends, and
    // the passport is used by it.
    if (p.zone_id !== null) {
      const { rows } = await c.query<{ episode: string; t: number }>(
        `SELECT episode, extract(epoch FROM time) * 1000 AS t FROM alerts
         WHERE type = 'ZONE_UNAUTHORISED' AND asset_id = $1 AND detail->>'zoneId' = $2 AND detail->>'direction' = $3
           AND cleared_at IS NULL AND abs(extract(epoch FROM time) * 1000 - $4) <= $5`,
        [assetId, String(p.zone_id), p.io === 'in' ? 'enter' : 'leave', r.passedAt, PASS_WINDOW_MS],
      );
      for (const a of rows) clears.push({ episode: a.episode, time: r.passedAt, detail: { passport: r.passportNo, reason: 'pass receipt' } });
      if (rows[0]) await c.query('UPDATE zone_passports SET used_at = coalesce(used_at, to_timestamp($2 / 1000.0)) WHERE id = $1', [p.id, Number(rows[0].t)]);
    }
  }
  return {
    summary: {
      passport: r.passportNo,
      zone: p.zone_code,
      plate: p.plate,
      containers: p.containers,
      ...(r.gateWeight !== null ? { weightKg: r.gateWeight } : {}),
      status,
      direction: p.io,
      ...(clears.length ? { result: 'cleared ZONE_UNAUTHORISED' } : {}),
    },
    ...(clears.length ? { clears } : {}),
  };
}
