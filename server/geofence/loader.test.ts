// The PostGIS loader of the geofence index: it reads what the database holds, and refresh follows edits.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { makePath, pointAt } from '../sim/geometry';
import { seedWorld } from '../sim/seed';
import { WORLD } from '../sim/world';
import { loadGeofences, refreshRoute, refreshSite } from './loader';

let db: TestDatabase;
before(async () => {
  db = await freshDatabase();
  await seedWorld(db.pool);
});
after(async () => {
  await db.drop();
});

test('loadGeofences reads routes and sites from PostGIS; refresh follows edits', async () => {
  const { index, routes, sites, skipped } = await loadGeofences(db.pool);
  assert.equal(routes, WORLD.routes.length);
  assert.equal(sites, WORLD.sites.length);
  assert.deepEqual(skipped, []);
  const {
    rows: [r01],
  } = await db.pool.query(`SELECT id FROM routes WHERE code = 'R01'`);
  const seed = WORLD.routes.find((r) => r.code === 'R01')!;
  assert.equal(index.route(r01.id)!.corridorM, seed.corridorM);
  const mid = pointAt(makePath(seed.path), 10_000);
  assert.ok(index.distanceToRoute(r01.id, mid.lon, mid.lat)!.metres < 0.01);
  // Each site holds the middle of its own ring, as PostGIS says.
  const { rows } = await db.pool.query(`SELECT id, code, ST_X(ST_PointOnSurface(area)) x, ST_Y(ST_PointOnSurface(area)) y FROM sites`);
  for (const s of rows)
    assert.deepEqual(
      index.sitesAt(s.x, s.y).map((x) => x.code),
      [s.code],
    );
  // PostGIS and the index agree on distances to a route (geography on the spheroid vs the mean sphere: ≤ 0.5 %).
  const {
    rows: [pg],
  } = await db.pool.query(`SELECT ST_Distance(path::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) AS d FROM routes WHERE id = $1`, [
    r01.id,
    mid.lon + 0.01,
    mid.lat,
  ]);
  const mine = index.distanceToRoute(r01.id, mid.lon + 0.01, mid.lat)!.metres;
  assert.ok(Math.abs(mine - pg.d) / pg.d < 0.005, `${mine} vs PostGIS ${pg.d}`);

  await db.pool.query(`UPDATE routes SET corridor_m = 123 WHERE id = $1`, [r01.id]);
  assert.equal(await refreshRoute(db.pool, index, r01.id), true);
  assert.equal(index.route(r01.id)!.corridorM, 123);
  const {
    rows: [w],
  } = await db.pool.query(`SELECT id FROM sites WHERE code = '2900-W01'`);
  await db.pool.query(`UPDATE sites SET area = ST_Translate(area, 0.1, 0) WHERE id = $1`, [w.id]);
  await refreshSite(db.pool, index, w.id);
  assert.equal(index.inSite(w.id, 120.78 + 0.1, 30.74), true, 'the moved warehouse holds its new centre');
  assert.equal(index.inSite(w.id, 120.78, 30.74), false, 'and not its old one');
  assert.equal(await refreshSite(db.pool, index, 999_999), false);
});
