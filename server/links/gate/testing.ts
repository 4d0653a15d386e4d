// Test fixtures for the gate and site-ledger links: more trucks, and movements with a transit
// declaration (the movement through MovementTx, the declaration's rows inserted as the transit link
// would leave them), until the transit link's own helper lands.
import type pg from 'pg';
import type { DeclarationStatus } from '../transit/progress';
import type { LinkTestServer } from '../testing';

/** Trucks 沪A20001 … 沪A20016 (Shanghai 2200), one per test so that their movements do not meet. */
export async function seedGateTrucks(pool: pg.Pool): Promise<void> {
  await pool.query(
    `INSERT INTO assets (key, kind, label, plate, terminal, district)
     SELECT 'tel:0139000200' || lpad(n::text, 2, '0'), 'vehicle', '沪A200' || lpad(n::text, 2, '0'), '沪A200' || lpad(n::text, 2, '0'),
            '0139000200' || lpad(n::text, 2, '0'), '2200'
     FROM generate_series(1, 16) n`,
  );
}

export const truck = (n: number) => `沪A200${String(n).padStart(2, '0')}`;

export interface TransitFixture {
  reference: string;
  plate: string;
  origin: string;
  dest: string;
  /** null: a movement registered by hand, without a declaration. */
  status: DeclarationStatus | null;
  containers?: { no: string; seal?: string; model?: string }[];
  bills?: string[];
  sealId?: string;
  eSeal?: boolean;
}

const ACTOR = { userId: null, username: 'test-fixture', ip: null };

/** Declares the movement (MovementTx) and, unless status is null, its transit declaration; returns the consignment id. */
export async function declareTransit(s: LinkTestServer, f: TransitFixture): Promise<number> {
  const pool = s.db.pool;
  const ids = (
    await pool.query<{ asset: number; origin: number; dest: number; route: number }>(
      `SELECT (SELECT id FROM assets WHERE plate = $1) AS asset, (SELECT id FROM sites WHERE code = $2) AS origin,
              (SELECT id FROM sites WHERE code = $3) AS dest, (SELECT id FROM routes WHERE code = 'YS-WGQ') AS route`,
      [f.plate, f.origin, f.dest],
    )
  ).rows[0]!;
  const now = Date.now();
  const movementStatus = f.status === 'departed' ? 'in_transit' : f.status === 'arrived' ? 'arrived' : null;
  return s.app.movements.transact(async (tx) => {
    const m = await tx.declare(ACTOR, {
      reference: f.reference,
      assetId: ids.asset,
      routeId: ids.route,
      originSiteId: ids.origin,
      destSiteId: ids.dest,
      departure: now - 3_600_000,
      deadline: now + 86_400_000,
      sealId: f.sealId ?? null,
    });
    if (f.status !== null) {
      const c = tx.client;
      const msg = await c.query<{ id: string }>(
        `INSERT INTO link_messages (system, message_id, message_type, format, via, source, district, raw, raw_sha256)
         VALUES ('transit', $1, 'H2018-TRN', 'xml', 'demo', 'fixture', '2200', '<fixture/>', '\\x00') RETURNING id`,
        [`FIX-${f.reference}`],
      );
      const d = await c.query<{ id: number }>(
        `INSERT INTO transit_declarations (pre_id, origin_customs, dest_customs, valid_until, consignment_id, status, district, message, e_seal)
         VALUES ($1, (SELECT district FROM sites WHERE code = $2), (SELECT district FROM sites WHERE code = $3), now() + interval '1 day', $4, $5, '2200', $6, $7)
         RETURNING id`,
        [f.reference, f.origin, f.dest, m.id, f.status, msg.rows[0]!.id, f.eSeal ?? false],
      );
      for (const k of f.containers ?? []) {
        await c.query('INSERT INTO transit_containers (declaration_id, container_no, model, seal_no) VALUES ($1, $2, $3, $4)', [
          d.rows[0]!.id,
          k.no,
          k.model ?? '22G1',
          k.seal ?? null,
        ]);
      }
      for (const b of f.bills ?? []) await c.query('INSERT INTO transit_bills (declaration_id, bill_no) VALUES ($1, $2)', [d.rows[0]!.id, b]);
    }
    if (movementStatus) await tx.setStatus(ACTOR, m.id, movementStatus, { time: now, by: 'fixture' });
    return m.id;
  });
}

/** Resolves once `probe` gives a value (alerts are raised just after the message's commit). */
export async function eventually<T>(probe: () => Promise<T | undefined | null>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await probe();
    if (v !== undefined && v !== null) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never happened: ${what}`);
}
