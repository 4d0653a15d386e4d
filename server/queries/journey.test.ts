import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { createTestUser } from '../auth/testing';
import { PositionWriter } from '../pipeline/positionWriter';
import { JourneyQuery, loadAssetJourney, loadJourney } from './journey';

// A straight route 0.2° east along latitude 31 (≈ 19 km), corridor 500 m either side. The truck
// drives it at 36 km/h (0.1 km per 10 s fix), and between fixes 60 and 80 it strays 0.02° north
// (≈ 2.2 km), outside the corridor.
let db: TestDatabase;
let consignmentId: number;
let assetId: number;
let siteA: number;
let siteB: number;
let route1: number;
const t0 = Date.UTC(2026, 10, 26, 0, 0, 0);
const N = 120;
const lonAt = (i: number) => 121 + (i * 0.1) / 95.4; // 0.1 km per fix at latitude 31 (≈ 95.4 km per degree)
const now = t0 + N * 10_000;

before(async () => {
  db = await freshDatabase();
  await createTestUser(db.pool, { username: 'hq' });
  await db.pool.query(`INSERT INTO districts (code, name_zh, name_en, level, parent, area) VALUES
    ('2200', '上海海关', 'Shanghai', 'direct', '0000', ST_Multi(ST_MakeEnvelope(120, 30, 123, 32, 4326))),
    ('5300', '深圳海关', 'Shenzhen', 'direct', '0000', ST_Multi(ST_MakeEnvelope(113, 22, 115, 23, 4326)))`);
  const site = (code: string, lon: number) =>
    db.pool
      .query(
        `INSERT INTO sites (code, name_zh, name_en, kind, district, area) VALUES ($1, $1 || '场站', $1, 'port_terminal', '2200',
       ST_MakeEnvelope($2::float8 - 0.005, 30.995, $2::float8 + 0.005, 31.005, 4326)) RETURNING id`,
        [code, lon],
      )
      .then((r) => r.rows[0].id);
  const from = (siteA = await site('A', 121));
  const to = (siteB = await site('B', 121.2));
  const routeId = (route1 = (
    await db.pool.query(
      `INSERT INTO routes (code, name_zh, name_en, from_site, to_site, corridor_m, path, corridor)
     SELECT 'R1', '甲乙线', 'A–B', $1, $2, 500, g, ST_Buffer(g::geography, 500)::geometry
     FROM (SELECT ST_SetSRID(ST_MakeLine(ST_MakePoint(121, 31), ST_MakePoint(121.2, 31)), 4326) AS g) p RETURNING id`,
      [from, to],
    )
  ).rows[0].id);
  assetId = (await db.pool.query(`INSERT INTO assets (key, kind, label, plate, district) VALUES ('plate:沪A12345', 'vehicle', '沪A12345', '沪A12345', '2200') RETURNING id`))
    .rows[0].id;
  consignmentId = (
    await db.pool.query(
      `INSERT INTO consignments (reference, seal_id, asset_id, origin_site, dest_site, route_id, departure, deadline, status, goods, carrier, districts)
     VALUES ('TW-J-0001', 'SEAL-1', $1, $2, $3, $4, to_timestamp($5 / 1000.0), to_timestamp($5 / 1000.0) + interval '4 hours', 'in_transit', '电子元件', '东方物流', '{2200}')
     RETURNING id`,
      [assetId, from, to, routeId, t0],
    )
  ).rows[0].id;
  const writer = new PositionWriter(db.pool, { batchRows: 5000, flushMs: 60_000 });
  for (let i = 0; i < N; i++) {
    writer.add({ assetId, time: t0 + i * 10_000, lon: lonAt(i), lat: i >= 60 && i < 80 ? 31.02 : 31, speed: 36, source: 'sim' });
  }
  await writer.flush();
  await db.pool.query(`INSERT INTO events (time, kind, site_id, asset_id, consignment_id, source) VALUES (to_timestamp($1 / 1000.0), 'gate_out', $2, $3, $4, 'gate')`, [
    t0 + 30_000,
    from,
    assetId,
    consignmentId,
  ]);
  await db.pool.query(
    `INSERT INTO alerts (type, severity, asset_id, consignment_id, time, geom, districts) VALUES
     ('ROUTE_DEVIATION', 'critical', $1, $2, to_timestamp($3 / 1000.0), ST_SetSRID(ST_MakePoint($4, 31.02), 4326), '{2200}')`,
    [assetId, consignmentId, t0 + 620_000, lonAt(62)],
  );
});
after(async () => {
  await db.drop();
});

const q = (o: Record<string, unknown> = {}) => JourneyQuery.parse(o);

test('the journey carries the route, both sites and every fix with its distance off route', async () => {
  const j = (await loadJourney(db.pool, '0000', consignmentId, q(), now))!;
  assert.equal(j.consignment!.reference, 'TW-J-0001');
  assert.equal(j.route?.code, 'R1');
  assert.equal(j.route?.corridorM, 500);
  assert.ok(Math.abs(j.route!.lengthM - 19_080) < 200, `route length ${j.route!.lengthM}`);
  assert.equal(j.sites!.origin.properties?.code, 'A');
  assert.equal(j.sites!.destination.properties?.code, 'B');
  assert.equal(j.track.fixes.length, N);
  const off = j.track.fixes.map((f) => f[4]);
  // A geodesic bows a few metres off the parallel it joins; within 10 m is on the line.
  assert.ok(
    off.slice(0, 60).every((m) => m < 10),
    'on the centre line before the detour',
  );
  assert.ok(
    off.slice(60, 80).every((m) => m > 2000 && m < 2400),
    `off route during the detour: ${off[60]}`,
  );
  assert.ok(off.slice(80).every((m) => m < 10));
  assert.deepEqual(j.window, { from: t0 - 15 * 60_000, to: now });
});

test('the timeline puts departure, gate events, alerts and the deadline in time order', async () => {
  const j = (await loadJourney(db.pool, '0000', consignmentId, q(), now))!;
  assert.deepEqual(
    j.timeline.map((e) => `${e.kind}:${e.code ?? ''}`),
    ['departure:', 'event:gate_out', 'alert:ROUTE_DEVIATION', 'deadline:'],
  );
  const alert = j.timeline[2]!;
  assert.equal(alert.severity, 'critical');
  assert.ok(Math.abs(alert.lon! - lonAt(62)) < 1e-9);
});

test('progress: distance off route now, route left, recent speed and an ETA from them', async () => {
  const j = (await loadJourney(db.pool, '0000', consignmentId, q(), now))!;
  const p = j.progress!;
  assert.equal(p.at, t0 + (N - 1) * 10_000);
  assert.ok(p.offRouteM! < 10);
  // 119 fixes × 0.1 km driven of ≈ 19.1 km: ≈ 7.2 km left; at 36 km/h that is ≈ 12 minutes.
  assert.ok(Math.abs(p.remainingM! - 7180) < 150, `remaining ${p.remainingM}`);
  assert.equal(p.recentSpeedKmh, 36);
  const minutes = (p.eta! - p.at) / 60_000;
  assert.ok(minutes > 11 && minutes < 13, `ETA in ${minutes} min`);
});

test('progress on a return trip: the route run backwards, what is left measured in the direction of travel', async () => {
  // The same route approved both ways; this truck leaves B for A and drives 0.1 km per fix westwards.
  const back = (await db.pool.query(`INSERT INTO assets (key, kind, label, plate, district) VALUES ('plate:沪B54321', 'vehicle', '沪B54321', '沪B54321', '2200') RETURNING id`))
    .rows[0].id;
  const cid = (
    await db.pool.query(
      `INSERT INTO consignments (reference, seal_id, asset_id, origin_site, dest_site, route_id, departure, deadline, status, districts)
       VALUES ('TW-J-0002', 'SEAL-2', $1, $2, $3, $4, to_timestamp($5 / 1000.0), to_timestamp($5 / 1000.0) + interval '4 hours', 'in_transit', '{2200}') RETURNING id`,
      [back, siteB, siteA, route1, t0],
    )
  ).rows[0].id;
  const writer = new PositionWriter(db.pool, { batchRows: 5000, flushMs: 60_000 });
  const driven = 40;
  for (let i = 0; i < driven; i++) writer.add({ assetId: back, time: t0 + i * 10_000, lon: 121.2 - (i * 0.1) / 95.4, lat: 31, speed: 36, source: 'sim' });
  await writer.flush();
  const j = (await loadJourney(db.pool, '0000', cid, q(), t0 + driven * 10_000))!;
  assert.equal(j.sites!.origin.properties?.code, 'B');
  const p = j.progress!;
  // 39 × 0.1 km driven of ≈ 19.1 km from B: ≈ 15.2 km left (not the 3.9 km already behind); ≈ 25 minutes at 36 km/h.
  assert.ok(Math.abs(p.remainingM! - (j.route!.lengthM - 3900)) < 150, `remaining ${p.remainingM}`);
  const minutes = (p.eta! - p.at) / 60_000;
  assert.ok(minutes > 24 && minutes < 27, `ETA in ${minutes} min`);
});

test('a window narrows the track; the user of another district sees nothing; bad windows are refused', async () => {
  const j = (await loadJourney(db.pool, '2200', consignmentId, q({ from: t0 + 600_000, to: t0 + 800_000 }), now))!;
  assert.equal(j.track.fixes.length, 20);
  assert.equal(await loadJourney(db.pool, '5300', consignmentId, q(), now), null);
  assert.equal(JourneyQuery.safeParse({ from: t0, to: t0 - 1 }).success, false);
  assert.equal(JourneyQuery.safeParse({ from: t0, to: t0 + 8 * 86_400_000 }).success, false);
  assert.equal(JourneyQuery.safeParse({ zoom: 'far' }).success, false);
});

test('a carrier alone: its last 24 h by default, no route, its alerts, no ETA', async () => {
  const j = (await loadAssetJourney(db.pool, '0000', assetId, q(), now))!;
  assert.equal(j.consignment, null);
  assert.equal(j.route, null);
  assert.deepEqual(j.window, { from: now - 86_400_000, to: now });
  assert.equal(j.track.fixes.length, N);
  assert.ok(
    j.track.fixes.every((f) => Number.isNaN(f[4])),
    'no distance off route without a route',
  );
  assert.ok(j.timeline.some((e) => e.kind === 'alert' && e.code === 'ROUTE_DEVIATION'));
  assert.equal(j.progress!.eta, null);
  assert.equal(await loadAssetJourney(db.pool, '5300', assetId, q(), now), null);
});

test("a movement's timeline leaves out the carrier's previous trip", async () => {
  const prev = (
    await db.pool.query(
      `INSERT INTO consignments (reference, asset_id, origin_site, dest_site, departure, deadline, status, districts, arrived_at)
     SELECT 'TW-J-0000', asset_id, dest_site, origin_site, departure - interval '3 hours', departure - interval '1 hour', 'arrived', districts, departure - interval '5 minutes'
     FROM consignments WHERE id = $1 RETURNING id`,
      [consignmentId],
    )
  ).rows[0].id;
  await db.pool.query(`INSERT INTO alerts (type, severity, asset_id, consignment_id, time, districts) VALUES ('ARRIVED', 'info', $1, $2, to_timestamp($3 / 1000.0), '{2200}')`, [
    assetId,
    prev,
    t0 - 300_000,
  ]);
  const j = (await loadJourney(db.pool, '0000', consignmentId, q(), now))!;
  assert.ok(!j.timeline.some((e) => e.code === 'ARRIVED'), "the previous trip's arrival is not this movement's");
  const alone = (await loadAssetJourney(db.pool, '0000', assetId, q(), now))!;
  assert.ok(alone.timeline.some((e) => e.code === 'ARRIVED'));
});
