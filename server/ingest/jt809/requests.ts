// An officer's request for one vehicle's positions from the lower platform that carries it: 0x9200
// with 0x9205 (启动车辆定位信息交换请求, reason 人工指定交换) now, and 0x9206 (结束) when the time is up.
// The platform answers 0x1205 / 0x1206 and sends the vehicle's 0x1202 positions, which take the
// usual way into the pipeline. The request goes to the platform that reported the vehicle last and
// is connected, else to a connected platform whose district (or plate list) covers it. Recorded
// and audited; the officer must see the vehicle (visible_assets).
import type pg from 'pg';
import { z } from 'zod';
import { audit } from '../../audit';
import { withTransaction } from '../../../db/transaction';
import { conflict, notFound } from '../../errors';
import type { Actor } from '../../devices/admin';
import { log } from '../../log';
import { jt809Links } from './links';
import { SUB } from './messages';
import { plateKey } from './authority';

export const PositionRequestBody = z
  .object({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  })
  .strict();

export interface PositionRequestOut {
  id: number;
  platform: { id: number; accessCode: number; name: string };
  plate: string;
  endsAt: string;
  via: 'down_link' | 'main_link';
}

export async function requestPositions(pool: pg.Pool, assetId: number, body: z.infer<typeof PositionRequestBody>, by: Actor, ip?: string): Promise<PositionRequestOut> {
  const asset = (await pool.query(`SELECT id, plate, plate_color AS color FROM visible_assets($1) WHERE id = $2 AND kind = 'vehicle'`, [by.district, assetId])).rows[0];
  if (!asset) throw notFound(`asset: no vehicle ${assetId}`);
  if (!asset.plate) throw conflict('asset: the vehicle has no plate to ask for');
  const { rows: candidates } = await pool.query(
    `SELECT p.id, p.access_code::float8 AS "accessCode", p.name FROM jt809_platforms p
     LEFT JOIN jt809_vehicles v ON v.platform_id = p.id AND v.asset_id = $1
     JOIN assets a ON a.id = $1
     WHERE p.revoked_at IS NULL AND (v.asset_id IS NOT NULL OR (CASE WHEN p.allowed_plates IS NOT NULL THEN plate_key(a.plate) = ANY (p.allowed_plates)
                                                                    ELSE a.district = ANY (visible_districts(p.district)) END))
     ORDER BY v.last_seen DESC NULLS LAST, p.id`,
    [assetId],
  );
  const platform = candidates.find((c) => jt809Links.get(c.id));
  if (!platform) throw conflict('jt809: no lower platform that carries this vehicle is connected');
  const session = jt809Links.get(platform.id)!;
  const via = session.downLink?.open ? 'down_link' : 'main_link';
  const endsAt = new Date(Date.now() + body.minutes * 60_000);
  const id = await withTransaction(pool, async (c) => {
    const { rows } = await c.query(`INSERT INTO jt809_requests (asset_id, platform_id, plate, requested_by, ends_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
      assetId,
      platform.id,
      asset.plate,
      by.id,
      endsAt,
    ]);
    await audit(c, {
      userId: by.id,
      username: by.username,
      action: 'jt809_request',
      entity: 'asset',
      entityId: assetId,
      after: { platform: platform.accessCode, minutes: body.minutes },
      ip,
    });
    return rows[0].id as number;
  });
  // Platforms write plates bare (沪A80901), not as printed (沪A·80901).
  const plate = plateKey(asset.plate);
  session.requestPositions(plate, asset.color ?? 0, true);
  const end = setTimeout(() => {
    jt809Links.get(platform.id)?.requestPositions(plate, asset.color ?? 0, false);
    pool
      .query(`UPDATE jt809_requests SET state = 'ended', state_at = now() WHERE id = $1`, [id])
      .catch((err: Error) => log.error({ err: err.message }, 'jt809 request end update failed'));
  }, body.minutes * 60_000);
  end.unref();
  return { id, platform, plate: asset.plate, endsAt: endsAt.toISOString(), via };
}

/** 0x1205 / 0x1206 from the platform: the open request for that plate is acknowledged / ended. */
export async function markRequestAcknowledged(pool: pg.Pool, platformId: number, plate: string, dataType: number): Promise<void> {
  const state = dataType === SUB.RETURN_STARTUP_ACK ? 'acknowledged' : 'ended';
  await pool
    .query(`UPDATE jt809_requests SET state = $3, state_at = now() WHERE platform_id = $1 AND plate_key(plate) = plate_key($2) AND state <> 'ended'`, [platformId, plate, state])
    .catch((err: Error) => log.error({ err: err.message }, 'jt809 request ack update failed'));
}
