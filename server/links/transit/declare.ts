// A transit declaration (TrnDeclaration) creates its movement: origin and destination customs and
// sites, the approved route between those sites (refused with the reason when there is none), the
// deadline from ValidTime, the vehicle by plate or customs vehicle number, the e-seal. Jurisdiction:
// the sender must see the origin or the destination customs, and the vehicle; an unknown vehicle
// and another district's get the same answer (no oracle).
import { forbidden, invalid, conflict } from '@/server/errors';
import { appendRowEntry } from '@/server/ledger/ledger';
import type { ApplyContext, LinkOutcome } from '../types';
import type { TransitDeclarationDoc } from './schema';

/** The largest distance ahead the deadline may lie (a transit is days, not years). */
const MAX_VALID_MS = 90 * 86_400_000;

export async function applyDeclaration(ctx: ApplyContext, doc: TransitDeclarationDoc, time: number): Promise<LinkOutcome> {
  const c = ctx.client;
  const h = doc.head;
  const scope = ctx.caller.district;

  const j = (
    await c.query<{ hq: boolean; sees: boolean; origin_known: boolean; dest_known: boolean }>(
      `SELECT is_hq($1) AS hq, ($2 = ANY (visible_districts($1)) OR $3 = ANY (visible_districts($1))) AS sees,
              EXISTS (SELECT 1 FROM districts WHERE code = $2) AS origin_known, EXISTS (SELECT 1 FROM districts WHERE code = $3) AS dest_known`,
      [scope, h.IEPort, h.DestCustoms],
    )
  ).rows[0]!;
  if (!j.hq && !j.sees)
    throw forbidden(`TrnHead: neither the origin customs ${h.IEPort} (IEPort) nor the destination customs ${h.DestCustoms} (DestCustoms) is in your jurisdiction`);
  if (!j.origin_known) throw invalid(`TrnHead.IEPort: no customs district ${h.IEPort}`);
  if (!j.dest_known) throw invalid(`TrnHead.DestCustoms: no customs district ${h.DestCustoms}`);

  // A site belongs to the customs that declares it, or to an office under it.
  const site = async (code: string, customs: string, field: string) => {
    const s = (await c.query<{ id: number; code: string }>('SELECT id, code FROM sites WHERE code = $1 AND district = ANY (visible_districts($2))', [code, customs])).rows[0];
    if (!s) throw invalid(`TrnHead.${field}: no supervised site ${code} under customs ${customs}`);
    return s;
  };
  const origin = await site(h.OriginSite, h.IEPort, 'OriginSite');
  const dest = await site(h.DestSite, h.DestCustoms, 'DestSite');
  const route = (
    await c.query<{ id: number; code: string }>(
      // An approved route is a corridor between two sites, driven either way (return trips run it backwards).
      'SELECT id, code FROM routes WHERE (from_site = $1 AND to_site = $2) OR (from_site = $2 AND to_site = $1) ORDER BY (from_site = $1) DESC, id LIMIT 1',
      [origin.id, dest.id],
    )
  ).rows[0];
  if (!route) throw invalid(`no approved route from ${origin.code} to ${dest.code}: the transit declaration ${h.TrnPreId} is refused`);

  if (h.ValidTime <= time) throw invalid(`TrnHead.ValidTime: must be after the declaration's time`);
  if (h.ValidTime > time + MAX_VALID_MS) throw invalid('TrnHead.ValidTime: more than 90 days ahead');

  // The vehicle: its plate (NativeShipName, the road vehicle's name) or its customs vehicle number.
  const keys = [...new Set([h.NativeShipName, h.TrafCustomsNo].filter((k): k is string => !!k))];
  if (keys.length === 0) throw invalid('TrnHead: name the vehicle (TrafCustomsNo or NativeShipName)');
  const vehicle = (
    await c.query<{ id: number; plate: string }>(
      `SELECT id, plate FROM visible_assets($1) WHERE kind = 'vehicle' AND plate_key(plate) IN (SELECT plate_key(k) FROM unnest($2::text[]) k) ORDER BY plate_key(plate) = plate_key($2[1]) DESC LIMIT 1`,
      [scope, keys],
    )
  ).rows[0];
  if (!vehicle) throw forbidden(`TrnHead.TrafCustomsNo: no vehicle ${keys.join(' / ')} that you may declare`);

  const known = (await c.query('SELECT 1 FROM transit_declarations WHERE pre_id = $1', [h.TrnPreId])).rowCount;
  if (known) throw conflict(`TrnHead.TrnPreId: declaration ${h.TrnPreId} exists`);

  const eseal = doc.containers.find((k) => k.SealNo)?.SealNo ?? null;
  const billNos = doc.bills.map((b) => b.BillNo);
  if (new Set(billNos).size !== billNos.length) throw invalid('TrnList.BillNo: a bill is listed twice');
  const contaNos = doc.containers.map((k) => k.ContaNo);
  if (new Set(contaNos).size !== contaNos.length) throw invalid('TrnContainers.TrnContainer.ContaNo: a container is listed twice');

  // Bills the manifest declared (the latest manifest of that voyage, where the sender may see it).
  const manifests = new Map<string, { manifest_id: number; goods: string | null }>();
  for (const b of doc.bills) {
    const m = (
      await c.query<{ manifest_id: number; goods: string | null }>(
        `SELECT mb.manifest_id, mb.goods FROM manifest_bills mb JOIN manifests m ON m.id = mb.manifest_id
         WHERE mb.bill_no = $1 AND ($2::text IS NULL OR m.journey_id = $2) AND (is_hq($3) OR m.district = ANY (visible_districts($3)))
         ORDER BY m.id DESC LIMIT 1`,
        [b.BillNo, b.VoyageNo ?? null, scope],
      )
    ).rows[0];
    if (m) manifests.set(b.BillNo, m);
  }
  const goods = [...manifests.values()].map((m) => m.goods).find((g) => g) ?? `提单 ${billNos.length} 票：${billNos.slice(0, 3).join('、')}`;

  const m = await ctx.movements.declare(ctx.actor, {
    reference: h.TrnPreId,
    assetId: vehicle.id,
    routeId: route.id,
    originSiteId: origin.id,
    destSiteId: dest.id,
    departure: time,
    deadline: h.ValidTime,
    sealId: eseal,
    goods: goods.slice(0, 200),
    carrier: h.ContractorName ?? h.ContractorCode ?? null,
  });

  const d = (
    await c.query<{ id: number }>(
      `INSERT INTO transit_declarations (pre_id, turn_no, trans_no, trans_flag, trn_type, traf_mode, traf_customs_no, contractor_code, contractor_name,
                                         e_seal, origin_customs, dest_customs, valid_until, consignment_id, status, district, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, to_timestamp($13 / 1000.0), $14, 'declared', $15, $16) RETURNING id`,
      [
        h.TrnPreId,
        h.TurnNo ?? null,
        h.TransNo ?? null,
        h.TransFlag ?? null,
        h.TrnType ?? null,
        h.NativeTrafMode ?? null,
        h.TrafCustomsNo ?? null,
        h.ContractorCode ?? null,
        h.ContractorName ?? null,
        h.ESealFlag === '1',
        h.IEPort,
        h.DestCustoms,
        h.ValidTime,
        m.id,
        scope,
        ctx.messageRowId,
      ],
    )
  ).rows[0]!;
  for (const b of doc.bills) {
    await c.query('INSERT INTO transit_bills (declaration_id, bill_no, ship_id, voyage_no, ie_date, manifest_id) VALUES ($1, $2, $3, $4, $5, $6)', [
      d.id,
      b.BillNo,
      b.ShipId ?? null,
      b.VoyageNo ?? null,
      b.IEDate ?? null,
      manifests.get(b.BillNo)?.manifest_id ?? null,
    ]);
  }
  for (const k of doc.containers) {
    await c.query('INSERT INTO transit_containers (declaration_id, container_no, model, seal_no) VALUES ($1, $2, $3, $4)', [
      d.id,
      k.ContaNo,
      k.ContaModel ?? null,
      k.SealNo ?? null,
    ]);
  }
  await appendRowEntry(c, 'transit_declaration', 'transit_declarations', d.id);

  const ev = await c.query<{ id: string }>(
    `INSERT INTO events (time, kind, site_id, asset_id, consignment_id, plate, seal_id, detail, source, link_message)
     VALUES (to_timestamp($1 / 1000.0), 'trn_declared', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      time,
      origin.id,
      vehicle.id,
      m.id,
      vehicle.plate,
      eseal,
      JSON.stringify({ declaration: h.TrnPreId, route: route.code, bills: billNos, containers: contaNos, deadline: new Date(h.ValidTime).toISOString() }),
      ctx.caller.source,
      ctx.messageRowId,
    ],
  );
  await appendRowEntry(c, 'event', 'events', ev.rows[0]!.id);

  return {
    movements: [m.id],
    summary: {
      status: 'declared',
      declaration: h.TrnPreId,
      bills: billNos,
      containers: contaNos,
      ...(eseal && { eseal }),
      plate: vehicle.plate,
      route: route.code,
      origin: origin.code,
      destination: dest.code,
      originCustoms: h.IEPort,
      destCustoms: h.DestCustoms,
      deadline: new Date(h.ValidTime).toISOString(),
      goods: goods.slice(0, 200),
      ...(manifests.size > 0 && { manifestBills: [...manifests.keys()] }),
      movement: m.id,
    },
  };
}
