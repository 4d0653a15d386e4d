import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { createTestUser } from '../auth/testing';
import { PositionWriter } from '../pipeline/positionWriter';
import { TrackQuery, loadTrack, trackAsGpx, trackAsKml } from './track';

let db: TestDatabase;
let assetId: number;
const t0 = Date.UTC(2026, 10, 26, 0, 0, 0);
const N = 8640; // 24 h, a fix every 10 s

before(async () => {
  db = await freshDatabase();
  await createTestUser(db.pool, { username: 'hq' });
  assetId = (await db.pool.query(`INSERT INTO assets (key, kind, label, district) VALUES ('tel:013900001111', 'vehicle', '沪D·T0001', '0000') RETURNING id`)).rows[0].id;
  const writer = new PositionWriter(db.pool, { batchRows: 5000, flushMs: 60_000 });
  // A straight road east with a gentle wiggle: simplification at low zoom keeps the shape, drops most vertices.
  for (let i = 0; i < N; i++) writer.add({ assetId, time: t0 + i * 10_000, lon: 121 + i * 0.0001, lat: 31 + Math.sin(i / 500) * 0.01, speed: 40, source: 'sim' });
  await writer.flush();
});
after(async () => {
  await db.drop();
});

const q = (o: Record<string, unknown>) => TrackQuery.parse(o);

test('a window returns exactly its fixes, in time order', async () => {
  const t = (await loadTrack(db.pool, '0000', assetId, q({ from: t0 + 3_600_000, to: t0 + 7_200_000 })))!;
  assert.equal(t.points.length, 360);
  assert.equal(t.points[0]!.time, t0 + 3_600_000);
  assert.ok(t.points.every((p, i) => i === 0 || p.time > t.points[i - 1]!.time));
  assert.equal(t.simplified, false);
});

test('a long track is simplified for the zoom, keeping its ends', async () => {
  const full = (await loadTrack(db.pool, '0000', assetId, q({ from: t0, to: t0 + 86_400_000 })))!;
  const far = (await loadTrack(db.pool, '0000', assetId, q({ from: t0, to: t0 + 86_400_000, zoom: 8 })))!;
  assert.equal(full.points.length, N);
  assert.ok(far.simplified && far.points.length < N / 10, `${far.points.length} points at zoom 8`);
  assert.equal(far.total, N);
  assert.deepEqual(far.points[0], full.points[0]);
  assert.deepEqual(far.points.at(-1), full.points.at(-1));
});

test('GPX and KML carry the fixes; a foreign user gets nothing; bad windows are refused', async () => {
  const t = (await loadTrack(db.pool, '0000', assetId, q({ from: t0, to: t0 + 60_000 })))!;
  const gpx = trackAsGpx(t);
  assert.equal(gpx.match(/<trkpt /g)?.length, 6);
  assert.match(gpx, /<name>沪D·T0001<\/name>/);
  assert.equal(trackAsKml(t).match(/<gx:coord>/g)?.length, 6);
  await db.pool.query(
    `INSERT INTO districts (code, name_zh, name_en, level, parent, area) VALUES ('5300', '深圳海关', 'Shenzhen', 'direct', '0000', ST_Multi(ST_MakeEnvelope(113, 22, 115, 23, 4326)))`,
  );
  await db.pool.query(`UPDATE assets SET district = NULL WHERE id = $1`, [assetId]);
  assert.equal(await loadTrack(db.pool, '5300', assetId, q({ from: t0, to: t0 + 60_000 })), null);
  assert.equal(TrackQuery.safeParse({ from: 10, to: 5 }).success, false);
  assert.equal(TrackQuery.safeParse({ from: t0, to: t0 + 8 * 86_400_000 }).success, false);
  assert.equal(TrackQuery.safeParse({ from: 'yesterday', to: t0 }).success, false);
  assert.equal(TrackQuery.safeParse({ from: t0, to: t0 + 1, format: 'shp' }).success, false);
});
