// The demo feed's simulated trucks are JT/T 808 terminals like any other: they must be
// provisioned before they are trusted. Each start of the demo provisions their terminals to
// their assets and resets their codes (a supervisor's reset, by the demo), because the simulated
// terminals keep their codes only in memory: after a restart they register (0x0100) afresh.
// Only the demo's own terminals are touched, and only when the demo feed runs.
import type pg from 'pg';
import { auditNow } from '../audit';
import { normaliseJt808Phone } from './idents';
import { announceRevoked } from './revocations';

/** JT/T 808 plate colour the simulated terminals register with (yellow: goods vehicles). */
export const DEMO_PLATE_COLOR = 2;

export async function provisionDemoTerminals(pool: pg.Pool, trucks: readonly { assetKey: string; terminal: string }[]): Promise<void> {
  if (trucks.length === 0) return;
  const { rows } = await pool.query(
    `WITH t AS (SELECT a.id AS asset_id, u.ident FROM unnest($1::text[], $2::text[]) AS u(key, ident) JOIN assets a ON a.key = u.key),
          colour AS (UPDATE assets SET plate_color = $3 WHERE id IN (SELECT asset_id FROM t) AND plate_color IS DISTINCT FROM $3)
     INSERT INTO devices (protocol, ident, asset_id) SELECT 'jt808', ident, asset_id FROM t
     ON CONFLICT (protocol, ident) WHERE revoked_at IS NULL
       DO UPDATE SET asset_id = EXCLUDED.asset_id, secret_hash = NULL, state = 'never', state_at = now()
     RETURNING id`,
    [trucks.map((t) => t.assetKey), trucks.map((t) => normaliseJt808Phone(t.terminal)), DEMO_PLATE_COLOR],
  );
  for (const { id } of rows) announceRevoked(id);
  await auditNow(pool, { username: 'demo', action: 'demo_devices_provisioned', entity: 'device', after: { terminals: rows.length } });
}
