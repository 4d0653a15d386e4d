import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { positionsDropped, reportsRejected } from '../metrics';
import { AssetRegistry } from './assetRegistry';
import { LatestState } from './latestState';
import { Pipeline } from './pipeline';
import { PositionWriter } from './positionWriter';

let db: TestDatabase;
before(async () => {
  db = await freshDatabase();
});
after(async () => {
  await db.drop();
});

async function setup() {
  const registry = new AssetRegistry(db.pool);
  await registry.load();
  const latest = new LatestState(10);
  const writer = new PositionWriter(db.pool, { batchRows: 1000, flushMs: 60_000 });
  return { registry, latest, writer, pipeline: new Pipeline(registry, latest, writer) };
}

const settle = () => new Promise((r) => setTimeout(r, 100));

test('reports go into the partitioned positions table with the right geometry', async () => {
  const { pipeline, writer, latest } = await setup();
  const t0 = Date.UTC(2026, 10, 26, 23, 59, 50); // spans two days: two partitions
  const fixes = [
    { lon: 121.9, lat: 30.9, time: t0 },
    { lon: 121.91, lat: 30.91, time: t0 + 20_000 },
  ];
  for (const f of fixes) {
    assert.deepEqual(pipeline.ingest({ assetKey: 'tel:013900000001', kind: 'vehicle', source: 'sim', speed: 60, course: 45, ...f }), { ok: true });
  }
  await settle();
  await writer.flush();
  const { rows } = await db.pool.query(
    `SELECT positions.tableoid::regclass::text AS part, ST_X(geom) x, ST_Y(geom) y, ST_SRID(geom) srid, speed, extract(epoch from time) * 1000 AS t
     FROM positions JOIN assets ON assets.id = positions.asset_id WHERE assets.key = 'tel:013900000001' ORDER BY time`,
  );
  assert.equal(rows.length, 2);
  assert.deepEqual(
    rows.map((r) => r.part),
    ['positions_20261126', 'positions_20261127'],
  );
  rows.forEach((r, i) => {
    assert.equal(r.srid, 4326);
    assert.equal(r.x, fixes[i]!.lon);
    assert.equal(r.y, fixes[i]!.lat);
    assert.equal(Number(r.t), fixes[i]!.time);
    assert.equal(r.speed, 60);
  });
  const state = [...latest.assets.values()][0]!;
  assert.equal(state.lon, 121.91, 'latest state holds the newest fix');
});

test('invalid reports are rejected with a reason and counted; the good ones beside them are stored', async () => {
  const { pipeline, writer } = await setup();
  const now = Date.now();
  const good = (i: number) => ({ assetKey: `mmsi:41300000${i}`, kind: 'vessel', source: 'ais', lon: 122 + i / 100, lat: 30.5, time: now - 1000 });
  const before = (await reportsRejected.get()).values.reduce((s, v) => s + v.value, 0);
  const result = pipeline.ingestMany([
    good(1),
    { ...good(9), lat: NaN },
    { ...good(9), lat: 91 },
    { ...good(9), kind: 'submarine' },
    { ...good(9), time: now + 3_600_000 },
    good(2),
    'not even an object',
  ]);
  assert.equal(result.accepted, 2);
  assert.deepEqual(
    result.rejected.map((r) => r.index),
    [1, 2, 3, 4, 6],
  );
  assert.match(result.rejected[0]!.reason, /^lat:/);
  assert.match(result.rejected[1]!.reason, /^lat:.*(90|less)/i);
  assert.match(result.rejected[2]!.reason, /^kind:/);
  assert.match(result.rejected[3]!.reason, /^time:.*future/);
  const after = (await reportsRejected.get()).values.reduce((s, v) => s + v.value, 0);
  assert.equal(after - before, 5, 'each rejection is counted');
  await settle();
  await writer.flush();
  const { rows } = await db.pool.query(`SELECT a.key FROM positions p JOIN assets a ON a.id = p.asset_id WHERE a.key LIKE 'mmsi:%' ORDER BY a.key`);
  assert.deepEqual(
    rows.map((r) => r.key),
    ['mmsi:413000001', 'mmsi:413000002'],
  );
});

test('a known asset reported as another kind is rejected', async () => {
  const { pipeline } = await setup();
  pipeline.ingest({ assetKey: 'tel:013900000077', kind: 'vehicle', source: 'sim', lon: 121, lat: 31, time: Date.now() });
  await settle();
  const r = pipeline.ingest({ assetKey: 'tel:013900000077', kind: 'vessel', source: 'sim', lon: 121, lat: 31, time: Date.now() });
  assert.equal(r.ok, false);
  assert.match((r as { reason: string }).reason, /^kind:/);
});

test('after a restart the latest state and trails come back from the stored positions', async () => {
  const { pipeline, writer } = await setup();
  const now = Date.now();
  for (let i = 0; i < 5; i++) {
    pipeline.ingest({ assetKey: 'tel:013900000555', kind: 'vehicle', source: 'sim', lon: 120 + i / 100, lat: 30, time: now - 60_000 + i * 10_000, speed: 40 });
  }
  pipeline.ingest({ assetKey: 'tel:013900000556', kind: 'vehicle', source: 'sim', lon: 120, lat: 30, time: now - 3 * 3_600_000 });
  await settle();
  await writer.flush();
  const restored = new LatestState(3);
  await restored.restore(db.pool, 30 * 60_000);
  const ids = [...restored.assets.values()];
  const mine = ids.find((s) => s.lon === 120.04)!;
  assert.ok(mine, 'the newest fix is the latest state');
  assert.equal(mine.trail.length, 9, 'the trail keeps the last three fixes');
  assert.equal(mine.speed, 40);
  assert.ok(!ids.some((s) => s.time < now - 3_000_000), 'fixes older than the window are not restored');
  assert.deepEqual(restored.takeDirty(), [], 'restoring marks nothing as changed');
});

test('a row the database refuses is dropped and counted; the rest of its batch is stored', async () => {
  const { writer, registry } = await setup();
  await db.pool.query(`INSERT INTO assets (key, kind) VALUES ('tel:013900000999', 'vehicle') ON CONFLICT DO NOTHING`);
  await registry.load();
  const id = registry.get('tel:013900000999')!.id;
  const before = (await positionsDropped.get()).values[0]?.value ?? 0;
  const now = Date.now();
  for (let i = 0; i < 9; i++) writer.add({ assetId: id, time: now - 10_000 + i, lon: 121, lat: 31, speed: 50, source: 'sim' });
  writer.add({ assetId: id, time: now - 1000, lon: 121, lat: 31, speed: 1e300, source: 'sim' }); // overflows real: 22003
  await writer.flush();
  const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM positions WHERE asset_id = $1', [id]);
  assert.equal(rows[0].n, 9);
  assert.equal(((await positionsDropped.get()).values[0]?.value ?? 0) - before, 1);
  assert.equal(writer.pending, 0, 'nothing is left to retry forever');
});
