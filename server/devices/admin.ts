// Registering vehicles, vessels and their terminals: the one place that writes assets' identity
// (plate, colour, MMSI, home district) and the devices table. Used by the REST handlers
// (app/api/assets, app/api/devices) with the supervisor's session, and by the CLI without one.
// Every change is audited (and so chained into the ledger). A supervisor acts within their
// jurisdiction only: the home district they give, and the home district of the asset as stored.
import type pg from 'pg';
import { z } from 'zod';
import { audit } from '../audit';
import { withTransaction } from '../../db/transaction';
import { hashCredential, newCredential } from './credentials';
import { AssetKey, DistrictCode, Jt808Phone, Mmsi, OsmAndId, Plate, PlateColor, normaliseJt808Phone, normalisePlate, type DeviceProtocol, type DeviceState } from './idents';
import { announceRevoked } from './revocations';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { OSMAND_SECRET_PARAM } from '../ingest/osmand/decode';
import { LAST_CHANGE } from '../queries/lastChange';

/** Who acts: a supervisor's session user, or undefined for the CLI (the operator of the machine). */
export interface Actor {
  id: number;
  username: string;
  district: string;
}

const Label = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters');

export const AssetBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('vehicle'), plate: Plate, plateColor: PlateColor, district: DistrictCode, label: Label.optional() }).strict(),
  z.object({ kind: z.literal('vessel'), mmsi: Mmsi, name: Label.optional(), district: DistrictCode }).strict(),
]);
export type AssetBody = z.infer<typeof AssetBody>;

export const DeviceBody = z
  .object({ asset: AssetKey, jt808: Jt808Phone.optional(), osmand: OsmAndId.optional() })
  .strict()
  .refine((b) => (b.jt808 === undefined) !== (b.osmand === undefined), { message: 'give one of jt808 (a terminal phone number) or osmand (a device id)' });
export type DeviceBody = z.infer<typeof DeviceBody>;

export const AssetListQuery = z
  .object({
    kind: z.enum(['vehicle', 'vessel']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export interface AssetOut {
  id: number;
  key: string;
  kind: 'vehicle' | 'vessel';
  label: string | null;
  plate: string | null;
  plateColor: number | null;
  mmsi: string | null;
  district: string | null;
}

export interface DeviceOut {
  id: number;
  protocol: DeviceProtocol;
  ident: string;
  asset: { id: number; key: string; label: string | null; district: string | null };
  state: DeviceState;
  stateAt: string | null;
  lastContact: string | null;
  lastAddress: string | null;
  createdAt: string;
  revokedAt: string | null;
  /** Expected reporting interval (s) for SIGNAL_LOST; null: the rules' threshold. */
  reportIntervalS: number | null;
  /** Who made the last audited change (register, interval, reset, revoke), and when. */
  changedBy: string | null;
  changedAt: string | null;
}

/** A registered device; `secret` (OsmAnd) is shown here once and never again. */
export interface RegisteredDevice extends DeviceOut {
  secret?: string;
  /** For OsmAnd: the query to add to the server URL the device is given. */
  urlQuery?: string;
}

const ASSET_COLUMNS = `a.id, a.key, a.kind, a.label, a.plate, a.plate_color AS "plateColor", a.mmsi, a.district`;
// $1 is the actor's district (null for the CLI). A user administers assets whose home district
// is theirs or below it; HQ all.
const ADMINISTERS = `($1::text IS NULL OR (SELECT is_hq($1)) OR a.district = ANY (SELECT unnest(visible_districts($1))))`;
const DEVICE_SELECT = `
  SELECT d.id, d.protocol, d.ident, d.state, d.state_at AS "stateAt", d.last_contact AS "lastContact",
         d.last_address AS "lastAddress", d.created_at AS "createdAt", d.revoked_at AS "revokedAt",
         d.report_interval_s AS "reportIntervalS", json_build_object('id', a.id, 'key', a.key, 'label', a.label, 'district', a.district) AS asset,
         ch.username AS "changedBy", ch.at AS "changedAt"
  FROM devices d JOIN assets a ON a.id = d.asset_id LEFT JOIN LATERAL (${LAST_CHANGE('device', 'd.id')}) ch ON true`;

const iso = (t: Date | null): string | null => (t ? t.toISOString() : null);
function deviceOut(r: Record<string, unknown>): DeviceOut {
  return {
    id: r.id as number,
    protocol: r.protocol as DeviceProtocol,
    ident: r.ident as string,
    asset: r.asset as DeviceOut['asset'],
    state: r.state as DeviceState,
    stateAt: iso(r.stateAt as Date | null),
    lastContact: iso(r.lastContact as Date | null),
    lastAddress: r.lastAddress as string | null,
    createdAt: iso(r.createdAt as Date)!,
    revokedAt: iso(r.revokedAt as Date | null),
    reportIntervalS: (r.reportIntervalS as number | null) ?? null,
    changedBy: (r.changedBy as string | null) ?? null,
    changedAt: iso(r.changedAt as Date | null),
  };
}

const who = (by: Actor | undefined) => ({ userId: by?.id ?? null, username: by?.username ?? 'cli' });

async function checkDistrict(c: pg.ClientBase, code: string, by: Actor | undefined): Promise<void> {
  const { rows } = await c.query(`SELECT ($2::text IS NULL OR (SELECT is_hq($2)) OR $1 = ANY (SELECT unnest(visible_districts($2)))) AS within FROM districts WHERE code = $1`, [
    code,
    by?.district ?? null,
  ]);
  if (!rows[0]) throw invalid(`district: no district ${code}`);
  if (!rows[0].within) throw forbidden(`district: ${code} is outside your jurisdiction`);
}

/** Registers a vehicle (plate, colour, home district) or a vessel (MMSI); a vessel learned from the air with no home yet is given one. */
export async function registerAsset(pool: pg.Pool, body: AssetBody, by?: Actor, ip?: string): Promise<AssetOut> {
  return withTransaction(pool, async (c) => {
    await checkDistrict(c, body.district, by);
    let row: AssetOut | undefined;
    let before: unknown;
    if (body.kind === 'vehicle') {
      const plate = normalisePlate(body.plate);
      const dup = await c.query(`SELECT key FROM assets WHERE kind = 'vehicle' AND (key = $1 OR upper(regexp_replace(plate, '[[:space:]·•・._-]', '', 'g')) = $2)`, [
        `plate:${plate}`,
        plate,
      ]);
      if (dup.rows[0]) throw conflict(`plate: ${body.plate} is registered (${dup.rows[0].key})`);
      const { rows } = await c.query<AssetOut>(
        `INSERT INTO assets AS a (key, kind, label, plate, plate_color, district) VALUES ($1, 'vehicle', $2, $3, $4, $5)
         RETURNING ${ASSET_COLUMNS}`,
        [`plate:${plate}`, body.label ?? body.plate, body.plate, body.plateColor, body.district],
      );
      row = rows[0];
    } else {
      const key = `mmsi:${body.mmsi}`;
      const existing = (await c.query(`SELECT ${ASSET_COLUMNS} FROM assets a WHERE a.key = $1 FOR UPDATE`, [key])).rows[0] as AssetOut | undefined;
      if (existing && existing.district !== null) throw conflict(`mmsi: ${body.mmsi} is registered (home district ${existing.district})`);
      before = existing;
      const { rows } = await c.query<AssetOut>(
        `INSERT INTO assets AS a (key, kind, label, mmsi, district) VALUES ($1, 'vessel', $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET district = EXCLUDED.district, label = coalesce(EXCLUDED.label, a.label), updated_at = now()
           WHERE a.district IS NULL
         RETURNING ${ASSET_COLUMNS}`,
        [key, body.name ?? null, body.mmsi, body.district],
      );
      row = rows[0];
      if (!row) throw conflict(`mmsi: ${body.mmsi} is registered`);
    }
    await audit(c, { ...who(by), action: before ? 'asset_claim' : 'asset_create', entity: 'asset', entityId: row!.id, before, after: row, ip });
    return row!;
  });
}

/** The assets the user may see (visible_assets: home district, or carrying a visible movement). */
export async function listAssets(pool: pg.Pool, district: string, q: z.infer<typeof AssetListQuery>): Promise<AssetOut[]> {
  const { rows } = await pool.query<AssetOut>(`SELECT ${ASSET_COLUMNS} FROM visible_assets($1) a WHERE ($2::text IS NULL OR a.kind = $2) ORDER BY a.id LIMIT $3 OFFSET $4`, [
    district,
    q.kind ?? null,
    q.limit,
    q.offset,
  ]);
  return rows;
}

/** Registers a terminal to an asset the actor administers. An OsmAnd secret is returned once. */
export async function registerDevice(pool: pg.Pool, body: DeviceBody, by?: Actor, ip?: string): Promise<RegisteredDevice> {
  const protocol: DeviceProtocol = body.jt808 !== undefined ? 'jt808' : 'osmand';
  const ident = body.jt808 !== undefined ? normaliseJt808Phone(body.jt808) : body.osmand!;
  return withTransaction(pool, async (c) => {
    const asset = (
      await c.query(
        `SELECT a.id, a.kind, ${ADMINISTERS} AS within, ($1::text IS NULL OR EXISTS (SELECT 1 FROM visible_assets($1) v WHERE v.id = a.id)) AS visible
       FROM assets a WHERE a.key = $2`,
        [by?.district ?? null, body.asset],
      )
    ).rows[0];
    // An asset the user cannot see at all is answered like a missing one (ids are not disclosed).
    if (!asset || !asset.visible) throw notFound(`asset: no asset ${body.asset}`);
    if (!asset.within) throw forbidden(`asset: ${body.asset} is not in your jurisdiction`);
    if (protocol === 'jt808' && asset.kind !== 'vehicle') throw invalid('jt808: a JT/T 808 terminal goes on a vehicle');
    const secret = protocol === 'osmand' ? newCredential() : undefined;
    let id: number;
    try {
      const { rows } = await c.query(`INSERT INTO devices (protocol, ident, asset_id, secret_hash, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
        protocol,
        ident,
        asset.id,
        secret ? hashCredential(secret) : null,
        by?.id ?? null,
      ]);
      id = rows[0].id;
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw conflict(`${protocol}: ${ident} is registered; revoke it first`);
      throw err;
    }
    await audit(c, { ...who(by), action: 'device_register', entity: 'device', entityId: id, after: { protocol, ident, asset: body.asset }, ip });
    const out = deviceOut((await c.query(`${DEVICE_SELECT} WHERE d.id = $1`, [id])).rows[0]);
    return secret ? { ...out, secret, urlQuery: `${OSMAND_SECRET_PARAM}=${secret}` } : out;
  });
}

/** The devices on assets the user administers, with their state and last contact (never a secret). */
export async function listDevices(pool: pg.Pool, district: string, opts: { revoked?: boolean } = {}): Promise<DeviceOut[]> {
  const { rows } = await pool.query(`${DEVICE_SELECT} WHERE ${ADMINISTERS} AND ($2 OR d.revoked_at IS NULL) ORDER BY d.id`, [district, opts.revoked ?? false]);
  return rows.map(deviceOut);
}

/** Revokes a device: its open connections close and its logins are refused from now on. False: no such live device for this actor. */
export async function revokeDevice(pool: pg.Pool, id: number, by?: Actor, ip?: string): Promise<boolean> {
  const done = await withTransaction(pool, async (c) => {
    const { rows } = await c.query(
      `UPDATE devices d SET revoked_at = now(), revoked_by = $3 FROM assets a
       WHERE a.id = d.asset_id AND d.id = $2 AND d.revoked_at IS NULL AND ${ADMINISTERS}
       RETURNING d.protocol, d.ident, a.key`,
      [by?.district ?? null, id, by?.id ?? null],
    );
    if (!rows[0]) return false;
    await audit(c, { ...who(by), action: 'device_revoke', entity: 'device', entityId: id, before: rows[0], ip });
    return true;
  });
  if (done) announceRevoked(id);
  return done;
}

/**
 * Sets a live device's expected reporting interval (null unsets it), audited. Returns the device and
 * its asset's interval now (the longest of its live devices'), for the rules engine; null: no such
 * live device for this actor.
 */
export async function setReportInterval(
  pool: pg.Pool,
  id: number,
  seconds: number | null,
  by?: Actor,
  ip?: string,
): Promise<{ device: DeviceOut; assetIntervalS: number | undefined } | null> {
  return withTransaction(pool, async (c) => {
    const stored = (
      await c.query(`SELECT d.report_interval_s FROM devices d JOIN assets a ON a.id = d.asset_id WHERE d.id = $2 AND d.revoked_at IS NULL AND ${ADMINISTERS} FOR UPDATE OF d`, [
        by?.district ?? null,
        id,
      ])
    ).rows[0];
    if (!stored) return null;
    await c.query('UPDATE devices SET report_interval_s = $2 WHERE id = $1', [id, seconds]);
    await audit(c, { ...who(by), action: 'device_report_interval', entity: 'device', entityId: id, before: stored.report_interval_s, after: seconds, ip });
    const device = deviceOut((await c.query(`${DEVICE_SELECT} WHERE d.id = $1`, [id])).rows[0]);
    return { device, assetIntervalS: await assetReportInterval(c, device.asset.id) };
  });
}

/** An asset's expected reporting interval: the longest set on its live devices; undefined: none set. */
export async function assetReportInterval(c: pg.ClientBase | pg.Pool, assetId: number): Promise<number | undefined> {
  const { rows } = await c.query(`SELECT max(report_interval_s)::int AS s FROM devices WHERE asset_id = $1 AND revoked_at IS NULL`, [assetId]);
  return rows[0]?.s ?? undefined;
}

/**
 * A supervisor's reset: a JT/T 808 terminal may register (0x0100) again and get a new code; an
 * OsmAnd device gets a new secret (returned once). Open connections close. Null: no such live device.
 */
export async function resetDevice(pool: pg.Pool, id: number, by?: Actor, ip?: string): Promise<{ secret?: string; urlQuery?: string } | null> {
  const out = await withTransaction(pool, async (c) => {
    const d = (
      await c.query(`SELECT d.protocol FROM devices d JOIN assets a ON a.id = d.asset_id WHERE d.id = $2 AND d.revoked_at IS NULL AND ${ADMINISTERS} FOR UPDATE OF d`, [
        by?.district ?? null,
        id,
      ])
    ).rows[0];
    if (!d) return null;
    const secret = d.protocol === 'osmand' ? newCredential() : undefined;
    await c.query(`UPDATE devices SET secret_hash = $2, state = 'never', state_at = now() WHERE id = $1`, [id, secret ? hashCredential(secret) : null]);
    await audit(c, { ...who(by), action: 'device_reset', entity: 'device', entityId: id, ip });
    return secret ? { secret, urlQuery: `${OSMAND_SECRET_PARAM}=${secret}` } : {};
  });
  if (out) announceRevoked(id);
  return out;
}
