// Provisions the load like production (DESIGN.md, "Ownership and trust"), through the same
// functions the REST routes call, on the fresh database before the node starts: the demo world
// (districts, sites, routes with corridors), an HQ supervisor who registers N vehicles with their
// JT/T 808 terminals (POST /api/assets, POST /api/devices) and a movement for each on an approved
// route (POST /api/consignments, through the movement service), M vessels with a home district,
// and viewers of mixed jurisdiction for the live clients (HQ, a direct customs, an office).
import type pg from 'pg';
import type { SessionUser } from '../../server/auth/sessions';
import { createTestUser } from '../../server/auth/testing';
import { registerAsset, registerDevice, type Actor } from '../../server/devices/admin';
import { MovementService } from '../../server/movements/movementService';
import { seedWorld } from '../../server/sim/seed';

/** The live clients' accounts: HQ, Shanghai (a direct customs), Yangshan (an office under it). */
export const VIEWERS = [
  { username: 'load-hq', district: '0000' },
  { username: 'load-sh', district: '2200' },
  { username: 'load-ys', district: '2248' },
] as const;
/** Vessels' home districts, in turn. */
const VESSEL_HOMES = ['2248', '2200', '3100'];
const PLATE_COLOR = 2; // yellow: goods vehicles

export type LonLat = [number, number];

export interface Terminal {
  phone: string;
  plate: string;
  assetKey: string;
  /** The route's path, and where on it (m) the truck starts. */
  path: LonLat[];
  startM: number;
}

export interface Vessel {
  mmsi: string;
  assetKey: string;
  lon: number;
  lat: number;
}

export interface Provisioned {
  terminals: Terminal[];
  vessels: Vessel[];
  viewerIds: number[];
}

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: T[], width: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

export const phoneOf = (i: number) => `0139${String(i).padStart(8, '0')}`;

export async function provision(pool: pg.Pool, n: { terminals: number; vessels: number }, say: (m: string) => void): Promise<Provisioned> {
  await seedWorld(pool, say);
  const supId = await createTestUser(pool, { username: 'load-hq-sup', role: 'supervisor', district: '0000' });
  const viewerIds: number[] = [];
  for (const v of VIEWERS) viewerIds.push(await createTestUser(pool, { username: v.username, role: 'viewer', district: v.district }));
  const actor: Actor = { id: supId, username: 'load-hq-sup', district: '0000' };
  const user: SessionUser = { id: supId, username: 'load-hq-sup', displayName: null, role: 'supervisor', district: '0000', districtName: '海关总署', level: 'hq' };

  const { rows: routes } = await pool.query<{ code: string; path: string; home: string; length: number }>(
    `SELECT r.code, ST_AsGeoJSON(r.path) AS path, s.district AS home, ST_Length(r.path::geography) AS length
     FROM routes r JOIN sites s ON s.id = r.from_site WHERE r.valid_from IS NULL OR r.valid_from <= now() ORDER BY r.code`,
  );
  if (routes.length === 0) throw new Error('the world has no routes');
  const movements = new MovementService(pool);
  const t0 = Date.now();
  const departure = new Date(t0 - 60_000).toISOString();
  const deadline = new Date(t0 + 12 * 3_600_000).toISOString();
  const terminals: Terminal[] = Array.from({ length: n.terminals }, (_, i) => {
    const r = routes[i % routes.length]!;
    // Trucks start between 10 % and 50 % of their route, so none arrives during a run.
    return { phone: phoneOf(i), plate: `沪L${String(i).padStart(6, '0')}`, assetKey: '', path: JSON.parse(r.path).coordinates, startM: r.length * (0.1 + 0.4 * ((i * 0.618) % 1)) };
  });
  let done = 0;
  const progress = () => {
    if (++done % 500 === 0) say(`provisioned ${done} of ${n.terminals} trucks (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  };
  await inParallel(terminals, 6, async (t, i) => {
    const route = routes[i % routes.length]!;
    const asset = await registerAsset(pool, { kind: 'vehicle', plate: t.plate, plateColor: PLATE_COLOR, district: route.home }, actor, '127.0.0.1');
    t.assetKey = asset.key;
    await registerDevice(pool, { asset: asset.key, jt808: t.phone }, actor, '127.0.0.1');
    await movements.create(user, { reference: `LOAD${String(i).padStart(10, '0')}`, asset: asset.key, route: route.code, departure, deadline, goods: '负载测试' }, '127.0.0.1');
    progress();
  });
  const vessels: Vessel[] = Array.from({ length: n.vessels }, (_, i) => ({
    mmsi: String(413_000_000 + i),
    assetKey: `mmsi:${413_000_000 + i}`,
    // Off the Yangtze mouth and Zhoushan, spread over a degree or so.
    lon: 122.3 + ((i * 0.381) % 1) * 0.9,
    lat: 29.8 + ((i * 0.727) % 1) * 1.2,
  }));
  await inParallel(vessels, 6, async (v, i) => {
    await registerAsset(pool, { kind: 'vessel', mmsi: v.mmsi, district: VESSEL_HOMES[i % VESSEL_HOMES.length]! }, actor, '127.0.0.1');
  });
  say(`provisioned ${n.terminals} trucks with terminals and movements on ${routes.length} routes, ${n.vessels} vessels (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return { terminals, vessels, viewerIds };
}
