// The smart gate link (智能卡口): a collection message (81) of one truck in one lane → the gate pass
// matched to its movement, and the decision (82) the gate waits for: release, hold or manual.
//
// Matching: the open movement of the plate's vehicle whose origin is this site (out) or whose
// destination is (in), within the sender's scope. When everything read equals what was declared
// (containers on its transit declaration, the e-seal), the pass moves the movement: out at the
// origin = departed, in at the destination = arrived (through the declaration's one status flow,
// or straight through MovementTx for a movement registered by hand).
//
// Hold (GATE_MISMATCH, critical): the plate's movement has other containers or another e-seal, or
// a declaration not yet released / never departed; the camera and the vehicle tag disagree on the
// plate; the plate has no movement here but the containers are declared on one (wrong truck); or the
// truck carries something in bond (a container or e-seal on an open transit declaration, a container
// of a manifest bill no transit has released) and no movement of it passes here.
// Manual: the camera read no plate, or a declared movement's containers were not read: an officer
// looks, nothing moves, no alert (a camera fault is not a smuggling case).
// Release, nothing else: an empty truck without a movement here, or containers under no supervision
// (no open declaration, no unreleased manifest bill): ordinary traffic the gate must not block.
import { MAX_FUTURE_SKEW_MS } from '@/lib/domain';
import type { ExternalAlert } from '@/server/alerts/alertService';
import { invalid, notFound } from '@/server/errors';
import { appendRowEntry } from '@/server/ledger/ledger';
import { describeIssues, readMessage } from '../xml';
import { advanceDeclaration } from '../transit/progress';
import type { ApplyContext, LinkOutcome, LinkSystem, ParsedMessage } from '../types';
import { GATE_MESSAGE_TYPE, GATE_REPLY_TYPE, GATE_ROOT, GatherInfoSchema, normaliseGatherInfo, toGatePass, type GatePass } from './schema';

export type GateDecision = 'release' | 'hold' | 'manual';

/** How long a manifest keeps its unreleased containers "in bond" for the gate (a bill cleared by other means leaves no trace here). */
const MANIFEST_BOND_DAYS = 30;

interface Site {
  id: number;
  code: string;
  district: string;
  lon: number;
  lat: number;
}

interface Movement {
  id: number;
  reference: string;
  status: string;
  seal_id: string | null;
  asset_id: number;
  districts: string[];
  decl_id: number | null;
  pre_id: string | null;
  decl_status: string | null;
  e_seal: boolean | null;
}

export function parseGate(text: string, format: 'xml' | 'json'): ParsedMessage<GatePass> {
  const raw = normaliseGatherInfo(readMessage(text, format, GATE_ROOT, []));
  const r = GatherInfoSchema.safeParse(raw);
  if (!r.success) throw invalid(describeIssues(r.error.issues));
  const pass = toGatePass(r.data);
  return { messageId: pass.seqNo, messageType: GATE_MESSAGE_TYPE, ...(pass.time !== undefined && { sentAt: pass.time }), doc: pass };
}

export const gateLink: LinkSystem<GatePass> = {
  name: 'gate',
  parse: parseGate,
  apply: applyGatePass,
};

async function applyGatePass(ctx: ApplyContext, msg: ParsedMessage<GatePass>): Promise<LinkOutcome> {
  const p = msg.doc;
  const c = ctx.client;
  const time = p.time ?? ctx.now;
  if (time > ctx.now + MAX_FUTURE_SKEW_MS) throw invalid('GATHER_TIME: in the future');
  // The gate belongs to a site the sender must see; unknown and not yours answer alike.
  const site = (
    await c.query<Site>(
      `SELECT s.id, s.code, s.district, ST_X(ST_Centroid(s.area)) AS lon, ST_Y(ST_Centroid(s.area)) AS lat
       FROM sites s WHERE s.code = $1 AND (is_hq($2) OR s.district = ANY (visible_districts($2)))`,
      [p.site, ctx.caller.district],
    )
  ).rows[0];
  if (!site) throw notFound(`AREA_ID: no site ${p.site} that you may report on`);

  const plate = p.plate ?? p.tagPlate;
  const out = p.direction === 'out';
  const mismatch: string[] = [];
  const manual: string[] = [];
  if (!plate) manual.push('plate: not read');
  if (p.plate && p.tagPlate && p.plate !== p.tagPlate) mismatch.push(`plate: the camera read ${p.plate}, the vehicle tag is ${p.tagPlate}`);

  const asset = plate
    ? (await c.query<{ id: number }>(`SELECT id FROM visible_assets($1) WHERE kind = 'vehicle' AND plate_key(plate) = plate_key($2)`, [ctx.caller.district, plate])).rows[0]
    : undefined;
  const m = plate ? await movementOfPlate(ctx, plate, site.id, out) : undefined;
  let about: { id: number; assetId: number | null; districts: string[] } | undefined;
  let formId: string | undefined;
  let declaration: string | undefined;

  if (m) {
    about = { id: m.id, assetId: m.asset_id, districts: m.districts };
    formId = m.pre_id ?? m.reference;
    declaration = m.pre_id ?? undefined;
    await compareWithDeclaration(ctx, m, p, out, mismatch, manual);
    // A movement registered by hand lists no containers: what it carries must at least not be someone else's bond.
    if (m.decl_id === null && (p.containers.length || p.eseal)) {
      const bond = await inBond(ctx, p, time);
      if (bond && bond.consignmentId !== m.id) mismatch.push(bond.reason);
    }
  } else if (p.containers.length || p.eseal) {
    const other = await supervisedLoad(ctx, p, site.id, out);
    if (other) {
      about = { id: other.consignmentId, assetId: other.assetId, districts: other.districts };
      if (plate) mismatch.push(other.reason.replace('{plate}', plate));
    } else {
      const bond = await inBond(ctx, p, time);
      if (bond) {
        if (bond.consignmentId !== null) about = { id: bond.consignmentId, assetId: null, districts: bond.districts };
        if (plate) mismatch.push(`${bond.reason}, and no movement of ${plate} passes here`);
      }
    }
  }

  const decision: GateDecision = manual.length ? 'manual' : mismatch.length ? 'hold' : 'release';
  const reasons = decision === 'manual' ? manual : mismatch;
  const outcome: LinkOutcome = { summary: {}, movements: about ? [about.id] : [] };

  if (decision === 'release' && m) {
    const detail = { gate: site.code, channel: p.channel, seqNo: p.seqNo };
    if (m.decl_id !== null) await advanceDeclaration(ctx, m.id, out ? 'departed' : 'arrived', time, detail);
    else await ctx.movements.setStatus(ctx.actor, m.id, out ? 'in_transit' : 'arrived', { time, by: 'gate', ...detail });
    const kind = out ? 'gate_out' : 'gate_in';
    const ev = await c.query<{ id: string }>(
      `INSERT INTO events (time, kind, site_id, asset_id, consignment_id, plate, seal_id, detail, source, link_message)
       VALUES (to_timestamp($1 / 1000.0), $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        time,
        kind,
        site.id,
        m.asset_id,
        m.id,
        plate,
        p.eseal ?? null,
        JSON.stringify({ channel: p.channel, seqNo: p.seqNo, containers: p.containers, grossKg: p.grossKg, declaration: m.pre_id }),
        ctx.caller.source,
        ctx.messageRowId,
      ],
    );
    await appendRowEntry(c, 'event', 'events', ev.rows[0]!.id);
    outcome.events = [{ kind, time, assetId: m.asset_id, consignmentId: m.id }];
  }

  const row = await c.query<{ id: string }>(
    `INSERT INTO gate_passes (message, site_id, channel, direction, seq_no, time, plate, tag_plate, tag_no, ve_customs_no, asset_id,
                              containers, eseal, gross_kg, vehicle_kg, consignment_id, decision, reasons, district)
     VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0), $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
    [
      ctx.messageRowId,
      site.id,
      p.channel,
      p.direction,
      p.seqNo,
      time,
      p.plate ?? null,
      p.tagPlate ?? null,
      p.tagNo ?? null,
      p.veCustomsNo ?? null,
      asset?.id ?? about?.assetId ?? null,
      p.containers,
      p.eseal ?? null,
      p.grossKg ?? null,
      p.vehicleKg ?? null,
      about?.id ?? null,
      decision,
      reasons,
      ctx.caller.district,
    ],
  );
  await appendRowEntry(c, 'gate_pass', 'gate_passes', row.rows[0]!.id);

  if (decision === 'hold') {
    const alert: ExternalAlert = {
      type: 'GATE_MISMATCH',
      assetId: asset?.id ?? about?.assetId ?? null,
      consignmentId: about?.id ?? null,
      time,
      lon: site.lon,
      lat: site.lat,
      detail: { site: site.code, channel: p.channel, direction: p.direction, plate: plate ?? null, containers: p.containers, eseal: p.eseal ?? null, mismatch, seqNo: p.seqNo },
      episode: `GATE_MISMATCH/${ctx.messageRowId}`,
      districts: [...new Set([site.district, ...(about?.districts ?? [])])],
    };
    outcome.alerts = [alert];
  }

  outcome.summary = {
    site: site.code,
    direction: p.direction,
    ...(plate && { plate }),
    containers: p.containers,
    ...(p.eseal && { eseal: p.eseal }),
    decision,
    mismatch,
    ...(decision === 'manual' && { manual }),
    ...(declaration && { declaration }),
    ...(p.grossKg !== undefined && { weightKg: p.grossKg }),
  };
  outcome.reply = {
    messageType: GATE_REPLY_TYPE,
    body: {
      AREA_ID: p.site,
      CHNL_NO: p.channel,
      I_E_TYPE: out ? 'E' : 'I',
      SEQ_NO: p.seqNo,
      decision,
      reasons,
      OP_HINT: decision === 'release' ? '放行' : decision === 'hold' ? '扣留待查' : '人工处理',
      ...(formId && decision === 'release' && { FORM_ID: formId }),
    },
  };
  return outcome;
}

/** The open movement of the plate's vehicle leaving (out) or reaching (in) this site, within scope. */
async function movementOfPlate(ctx: ApplyContext, plate: string, siteId: number, out: boolean): Promise<Movement | undefined> {
  // An arrival the rules saw first (geofence) is still the gate's to confirm, once.
  const { rows } = await ctx.client.query<Movement>(
    `SELECT k.id, k.reference, k.status, k.seal_id, k.asset_id, k.districts, t.id AS decl_id, t.pre_id, t.status AS decl_status, t.e_seal
     FROM visible_consignments($1) k JOIN assets a ON a.id = k.asset_id
     LEFT JOIN transit_declarations t ON t.consignment_id = k.id
     WHERE plate_key(a.plate) = plate_key($2) AND CASE WHEN $4 THEN k.origin_site = $3 ELSE k.dest_site = $3 END
       AND (k.status IN ('planned', 'in_transit', 'overdue', 'diverted')
            OR (NOT $4 AND k.status = 'arrived' AND NOT EXISTS (SELECT 1 FROM events e WHERE e.consignment_id = k.id AND e.kind = 'gate_in')))
     ORDER BY k.departure DESC, k.id DESC LIMIT 1`,
    [ctx.caller.district, plate, siteId, out],
  );
  return rows[0];
}

/** What was read against what was declared: containers and e-seals, and whether the declaration may pass this gate. */
async function compareWithDeclaration(ctx: ApplyContext, m: Movement, p: GatePass, out: boolean, mismatch: string[], manual: string[]): Promise<void> {
  const declared =
    m.decl_id === null
      ? []
      : (await ctx.client.query<{ container_no: string; seal_no: string | null }>('SELECT container_no, seal_no FROM transit_containers WHERE declaration_id = $1', [m.decl_id]))
          .rows;
  const doc = m.pre_id ?? m.reference;
  if (declared.length) {
    const names = new Set(declared.map((d) => d.container_no));
    for (const r of p.containers) if (!names.has(r)) mismatch.push(`container: ${r} is not on declaration ${doc}`);
    if (p.containers.length === 0) manual.push(`container: none read, declaration ${doc} has ${[...names].join(', ')}`);
    else for (const d of names) if (!p.containers.includes(d)) mismatch.push(`container: ${d} of declaration ${doc} is not on the truck`);
  }
  const seals = new Set([...declared.map((d) => d.seal_no), m.seal_id].filter((s): s is string => !!s));
  if (p.eseal && seals.size && !seals.has(p.eseal)) mismatch.push(`e-seal: ${p.eseal} is not the declared ${[...seals].join(', ')}`);
  if (!p.eseal && m.e_seal) mismatch.push(`e-seal: none read, declaration ${doc} is under e-seal ${[...seals].join(', ')}`.trimEnd());
  if (m.decl_status !== null) {
    if (out && m.decl_status !== 'released' && m.decl_status !== 'departed') mismatch.push(`declaration: ${doc} is ${m.decl_status}, not released for transit`);
    if (!out && m.decl_status !== 'departed' && m.decl_status !== 'arrived') mismatch.push(`declaration: ${doc} has no departure on record (${m.decl_status})`);
  }
}

/** A movement leaving or reaching this site that carries a container (or e-seal) the truck has: a wrong truck. */
async function supervisedLoad(
  ctx: ApplyContext,
  p: GatePass,
  siteId: number,
  out: boolean,
): Promise<{ consignmentId: number; assetId: number; districts: string[]; reason: string } | undefined> {
  const r = (
    await ctx.client.query<{ id: number; asset_id: number; districts: string[]; pre_id: string; plate: string | null; container_no: string; seal_no: string | null }>(
      `SELECT k.id, k.asset_id, k.districts, t.pre_id, a.plate, tc.container_no, tc.seal_no
       FROM transit_containers tc JOIN transit_declarations t ON t.id = tc.declaration_id
       JOIN visible_consignments($1) k ON k.id = t.consignment_id JOIN assets a ON a.id = k.asset_id
       WHERE (tc.container_no = ANY ($2::text[]) OR tc.seal_no = $5) AND t.status IN ('declared', 'released', 'departed', 'arrived')
         AND CASE WHEN $4 THEN k.origin_site = $3 ELSE k.dest_site = $3 END
         AND k.status IN ('planned', 'in_transit', 'overdue', 'diverted', 'arrived')
       ORDER BY k.departure DESC LIMIT 1`,
      [ctx.caller.district, p.containers, siteId, out, p.eseal ?? null],
    )
  ).rows[0];
  if (!r) return undefined;
  const what = p.containers.includes(r.container_no) ? `container ${r.container_no}` : `e-seal ${r.seal_no}`;
  return {
    consignmentId: r.id,
    assetId: r.asset_id,
    districts: r.districts,
    reason: `vehicle: ${what} is declared on ${r.pre_id} for ${r.plate ?? 'another vehicle'}, not {plate}`,
  };
}

/** Whether the load is in bond: on an open transit declaration, or a manifest bill no transit has released. */
async function inBond(ctx: ApplyContext, p: GatePass, time: number): Promise<{ consignmentId: number | null; districts: string[]; reason: string } | undefined> {
  const c = ctx.client;
  // Customs must hold in-bond goods wherever they are declared: this looks beyond the sender's scope,
  // and the reason names only what the truck itself carries, not the other district's document.
  const t = (
    await c.query<{ consignment_id: number; districts: string[]; container_no: string; seal_no: string | null }>(
      `SELECT t.consignment_id, k.districts, tc.container_no, tc.seal_no
       FROM transit_containers tc JOIN transit_declarations t ON t.id = tc.declaration_id JOIN consignments k ON k.id = t.consignment_id
       WHERE (tc.container_no = ANY ($1::text[]) OR tc.seal_no = $2) AND t.status IN ('declared', 'released', 'departed', 'arrived')
       ORDER BY t.id DESC LIMIT 1`,
      [p.containers, p.eseal ?? null],
    )
  ).rows[0];
  if (t) {
    const what = p.containers.includes(t.container_no) ? `container ${t.container_no}` : `e-seal ${t.seal_no}`;
    return { consignmentId: t.consignment_id, districts: t.districts, reason: `in bond: ${what} is on an open transit declaration` };
  }
  if (!p.containers.length) return undefined;
  const mc = (
    await c.query<{ container_no: string; bill_no: string }>(
      `SELECT mc.container_no, mc.bill_no FROM manifest_containers mc JOIN manifests m ON m.id = mc.manifest_id
       WHERE mc.container_no = ANY ($1::text[]) AND m.updated_at > to_timestamp($2 / 1000.0) - make_interval(days => $3)
         AND NOT EXISTS (SELECT 1 FROM transit_bills tb JOIN transit_declarations d ON d.id = tb.declaration_id
                         WHERE tb.bill_no = mc.bill_no AND d.status IN ('released', 'departed', 'arrived', 'written_off'))
       LIMIT 1`,
      [p.containers, time, MANIFEST_BOND_DAYS],
    )
  ).rows[0];
  if (mc) return { consignmentId: null, districts: [], reason: `in bond: container ${mc.container_no} is on manifest bill ${mc.bill_no}, not released` };
  return undefined;
}
