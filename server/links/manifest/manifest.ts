// The manifest link (新舱单), system `manifest`: MT1101 declares (2) or changes (5) a vessel's
// voyage manifest — vessel, voyage, bills, containers — and MT3101 reports it arrived (运抵) with the
// containers that came in. A vessel port call detected from AIS (server/links/portcalls/) may
// arrive a manifest first; the transit declarations refer to its bills and containers.
//
// Jurisdiction: a manifest belongs to the district of the sender that declared it
// (manifests.district). The unloading port's customs (the 4 digits after the slash of
// UnloadingLocation/ID, e.g. CNSHA/2248) must lie within the sender's scope, or the message is
// refused. A change or an arrival report for a manifest outside the sender's scope gets the same
// answer as one for a manifest that does not exist.
import { conflict, forbidden, invalid, notFound } from '../../errors';
import { appendRowEntry } from '../../ledger/ledger';
import type { ApplyContext, LinkOutcome, LinkSystem, ParsedMessage } from '../types';
import { parseManifest, type ArrivalReportDoc, type ManifestDoc, type OriginalManifestDoc } from './parse';

/** How many bill numbers a summary lists (the count is there too). */
export const SUMMARY_BILLS = 20;

/** An arrival report may be dated ahead of the server's clock by at most this (clock skew, time zones). */
export const ARRIVAL_AHEAD_MS = 24 * 3_600_000;

interface ManifestRow {
  id: number;
  district: string;
  status: 'declared' | 'arrived';
  arrived_by: 'MT3101' | 'port_call' | null;
  vessel_asset: number | null;
  vessel_name: string | null;
}

export const manifestLink: LinkSystem<ManifestDoc> = {
  name: 'manifest',
  parse: parseManifest,
  async apply(ctx, msg) {
    await checkPortInScope(ctx, msg.doc);
    return msg.doc.type === 'MT1101' ? declare(ctx, msg as ParsedMessage<OriginalManifestDoc>) : arrive(ctx, msg.doc);
  },
};

async function checkPortInScope(ctx: ApplyContext, doc: ManifestDoc): Promise<void> {
  const { rows } = await ctx.client.query<{ ok: boolean }>(`SELECT EXISTS (SELECT 1 FROM districts WHERE code = $1) AND (is_hq($2) OR $1 = ANY (visible_districts($2))) AS ok`, [
    doc.port.district,
    ctx.caller.district,
  ]);
  if (!rows[0]?.ok) throw forbidden(`Declaration.UnloadingLocation.ID: customs ${doc.port.district} (${doc.port.id}) is not within the scope of district ${ctx.caller.district}`);
}

/** The manifest of a vessel's voyage, locked, when it lies within the caller's scope (else null). */
async function findInScope(ctx: ApplyContext, vesselId: string, journeyId: string): Promise<ManifestRow | null> {
  const { rows } = await ctx.client.query<ManifestRow>(
    `SELECT id, district, status, arrived_by, vessel_asset, vessel_name FROM manifests
     WHERE vessel_id = $1 AND journey_id = $2 AND (is_hq($3) OR district = ANY (visible_districts($3)))
     FOR UPDATE`,
    [vesselId, journeyId, ctx.caller.district],
  );
  return rows[0] ?? null;
}

const unknown = (vesselId: string, journeyId: string) => notFound(`no manifest for vessel ${vesselId} voyage ${journeyId} within your scope`);

async function declare(ctx: ApplyContext, msg: ParsedMessage<OriginalManifestDoc>): Promise<LinkOutcome> {
  const { client: c } = ctx;
  const doc = msg.doc;
  const v = doc.vessel;
  // The vessel we track, by IMO. A manifest may name any vessel: the link records which one it is
  // and changes nothing of it, so the match is not limited to the sender's own assets.
  const asset = v.imo ? ((await c.query<{ id: number }>(`SELECT id FROM assets WHERE kind = 'vessel' AND imo = $1 ORDER BY id LIMIT 1`, [v.imo])).rows[0]?.id ?? null) : null;

  let row: ManifestRow | null;
  if (doc.action === 'new') {
    // One manifest per vessel and voyage, nationally: the same answer whoever declared the first.
    const { rows } = await c.query<ManifestRow>(
      `INSERT INTO manifests (vessel_id, journey_id, vessel_imo, vessel_name, vessel_asset, unloading_port, district, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (vessel_id, journey_id) DO NOTHING
       RETURNING id, district, status, arrived_by, vessel_asset, vessel_name`,
      [v.id, v.journeyId, v.imo, v.name ?? null, asset, doc.port.id, ctx.caller.district, ctx.messageRowId],
    );
    row = rows[0] ?? null;
    if (!row) throw conflict(`a manifest for vessel ${v.id} voyage ${v.journeyId} is already declared; change it with FunctionCode 5`);
  } else {
    row = await findInScope(ctx, v.id, v.journeyId);
    if (!row) throw unknown(v.id, v.journeyId);
    await c.query(`UPDATE manifests SET vessel_imo = $2, vessel_name = $3, vessel_asset = $4, unloading_port = $5, message = $6, updated_at = now() WHERE id = $1`, [
      row.id,
      v.imo,
      v.name ?? null,
      asset,
      doc.port.id,
      ctx.messageRowId,
    ]);
  }
  const containers = await replaceBills(ctx, row, doc);

  const billNos = doc.bills.map((b) => b.billNo);
  await timelineEvent(ctx, asset, doc.action === 'new' ? 'manifest_declared' : 'manifest_changed', ctx.now, {
    manifest: row.id,
    vessel: v.id,
    voyage: v.journeyId,
    port: doc.port.id,
    bills: billNos.length,
    containers,
  });
  return {
    summary: {
      status: row.status,
      action: doc.action,
      vessel: v.name ?? v.id,
      ...(v.imo && { imo: v.imo }),
      voyage: v.journeyId,
      port: doc.port.id,
      bills: billNos.slice(0, SUMMARY_BILLS),
      billCount: billNos.length,
      containers,
    },
  };
}

/**
 * Puts the message's bills and containers in place of the manifest's. A container already reported
 * in (MT3101) stays in; after a port call every container is in (the vessel is alongside).
 */
async function replaceBills(ctx: ApplyContext, m: ManifestRow, doc: OriginalManifestDoc): Promise<number> {
  const { client: c } = ctx;
  const allIn = m.status === 'arrived' && m.arrived_by === 'port_call';
  const wasIn = new Set(
    (await c.query<{ container_no: string }>('SELECT DISTINCT container_no FROM manifest_containers WHERE manifest_id = $1 AND arrived', [m.id])).rows.map((r) => r.container_no),
  );
  await c.query('DELETE FROM manifest_containers WHERE manifest_id = $1', [m.id]);
  await c.query('DELETE FROM manifest_bills WHERE manifest_id = $1', [m.id]);
  const b = doc.bills;
  if (b.length) {
    await c.query(
      `INSERT INTO manifest_bills (manifest_id, bill_no, house_no, gross_mass, goods, hs_codes)
       SELECT $1, x.bill_no, x.house_no, x.gross_mass, x.goods, ARRAY(SELECT jsonb_array_elements_text(x.hs))
       FROM jsonb_to_recordset($2::jsonb) AS x(bill_no text, house_no text, gross_mass numeric, goods text, hs jsonb)`,
      [m.id, JSON.stringify(b.map((x) => ({ bill_no: x.billNo, house_no: x.houseNo ?? null, gross_mass: x.grossMassKg ?? null, goods: x.goods ?? null, hs: x.hsCodes })))],
    );
  }
  const boxes = b.flatMap((x) =>
    x.containers.map((k) => ({
      bill_no: x.billNo,
      container_no: k.containerNo,
      size_type: k.sizeType ?? null,
      fullness: k.fullness ?? null,
      seal_no: k.sealNo ?? null,
      seal_agency: k.sealAgency ?? null,
      arrived: allIn || wasIn.has(k.containerNo),
    })),
  );
  if (boxes.length) {
    await c.query(
      `INSERT INTO manifest_containers (manifest_id, bill_no, container_no, size_type, fullness, seal_no, seal_agency, arrived)
       SELECT $1, x.bill_no, x.container_no, x.size_type, x.fullness, x.seal_no, x.seal_agency, x.arrived
       FROM jsonb_to_recordset($2::jsonb) AS x(bill_no text, container_no text, size_type text, fullness text, seal_no text, seal_agency text, arrived boolean)`,
      [m.id, JSON.stringify(boxes)],
    );
  }
  return boxes.length;
}

async function arrive(ctx: ApplyContext, doc: ArrivalReportDoc): Promise<LinkOutcome> {
  const { client: c } = ctx;
  const v = doc.vessel;
  if (doc.arrivedAt > ctx.now + ARRIVAL_AHEAD_MS) throw invalid(`Declaration.UnloadingLocation.ArrivalDate: ${new Date(doc.arrivedAt).toISOString()} is in the future`);
  const m = await findInScope(ctx, v.id, v.journeyId);
  if (!m) throw unknown(v.id, v.journeyId);

  let arrived: string[];
  const mismatch: string[] = [];
  if (doc.containers.length) {
    arrived = (
      await c.query<{ container_no: string }>('UPDATE manifest_containers SET arrived = true WHERE manifest_id = $1 AND container_no = ANY ($2::text[]) RETURNING container_no', [
        m.id,
        doc.containers,
      ])
    ).rows.map((r) => r.container_no);
    const known = new Set(arrived);
    for (const k of doc.containers) if (!known.has(k)) mismatch.push(`container ${k} is not on the manifest`);
  } else {
    // Bulk cargo or a whole-vessel report: the bills named, or every container of the manifest.
    const { rows } = await c.query<{ container_no: string }>(
      `UPDATE manifest_containers SET arrived = true WHERE manifest_id = $1 AND (cardinality($2::text[]) = 0 OR bill_no = ANY ($2::text[])) RETURNING container_no`,
      [m.id, doc.bills],
    );
    arrived = rows.map((r) => r.container_no);
    if (doc.bills.length) {
      const { rows: known } = await c.query<{ bill_no: string }>('SELECT bill_no FROM manifest_bills WHERE manifest_id = $1 AND bill_no = ANY ($2::text[])', [m.id, doc.bills]);
      const have = new Set(known.map((r) => r.bill_no));
      for (const b of doc.bills) if (!have.has(b)) mismatch.push(`bill ${b} is not on the manifest`);
    }
  }
  const { rows } = await c.query<{ arrived_by: string; arrived_at: Date }>(
    `UPDATE manifests SET status = 'arrived', arrived_at = coalesce(arrived_at, to_timestamp($2 / 1000.0)), arrived_by = coalesce(arrived_by, 'MT3101'),
       message = $3, updated_at = now()
     WHERE id = $1 RETURNING arrived_by, arrived_at`,
    [m.id, doc.arrivedAt, ctx.messageRowId],
  );
  await timelineEvent(ctx, m.vessel_asset, 'manifest_arrived', doc.arrivedAt, {
    manifest: m.id,
    vessel: v.id,
    voyage: v.journeyId,
    port: doc.port.id,
    containers: arrived.length,
    ...(mismatch.length && { mismatch: mismatch.slice(0, SUMMARY_BILLS) }),
  });
  return {
    summary: {
      status: 'arrived',
      vessel: m.vessel_name ?? v.name ?? v.id,
      voyage: v.journeyId,
      port: doc.port.id,
      arrivedBy: rows[0]!.arrived_by,
      arrivedAt: rows[0]!.arrived_at.toISOString(),
      containers: arrived.length,
      ...(mismatch.length && { mismatch: mismatch.slice(0, SUMMARY_BILLS) }),
    },
  };
}

/** An event on the vessel's timeline (when the manifest's vessel is one we track), chained in the ledger. */
async function timelineEvent(ctx: ApplyContext, assetId: number | null, kind: string, time: number, detail: Record<string, unknown>): Promise<void> {
  if (assetId === null) return;
  const { rows } = await ctx.client.query<{ id: string }>(
    `INSERT INTO events (time, kind, asset_id, detail, source, link_message) VALUES (to_timestamp($1 / 1000.0), $2, $3, $4, $5, $6) RETURNING id`,
    [time, kind, assetId, JSON.stringify(detail), ctx.caller.source, ctx.messageRowId],
  );
  await appendRowEntry(ctx.client, 'event', 'events', rows[0]!.id);
}
