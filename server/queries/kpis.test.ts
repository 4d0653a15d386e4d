// The wall's figures against hand-made rows: jurisdiction, China Standard Time days, the on-time
// rate, which alerts count as open, and the hourly buckets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { wallKpis } from './kpis';

let db: TestDatabase;
before(async () => {
  db = await freshDatabase();
  const q = (sql: string, p: unknown[] = []) => db.pool.query(sql, p);
  const box = 'ST_Multi(ST_MakeEnvelope(100, 20, 130, 45, 4326))';
  await q(`INSERT INTO districts (code, name_zh, name_en, level, parent, area) VALUES
    ('0000', '总署', 'HQ', 'hq', NULL, ${box}), ('2200', '上海', 'Shanghai', 'direct', '0000', ${box}),
    ('2248', '洋山', 'Yangshan', 'office', '2200', ${box}), ('3100', '宁波', 'Ningbo', 'direct', '0000', ${box})`);
  await q(`INSERT INTO sites (code, name_zh, name_en, kind, district, area) VALUES
    ('S1', '甲', 'A', 'warehouse', '2248', ST_MakeEnvelope(121, 30, 121.01, 30.01, 4326))`);
  await q(`INSERT INTO assets (key, kind, district) SELECT 'a' || i, CASE WHEN i = 3 THEN 'vessel' ELSE 'vehicle' END, $1 FROM generate_series(1, 4) i`, ['2248']);
  await q(`INSERT INTO assets (key, kind, district) VALUES ('nb', 'vehicle', '3100')`);
  // Fixes: a1 now, a2 six minutes ago (stale vehicle), a3 a vessel eight minutes ago (still live), a4 none; nb now.
  await q(`SELECT ensure_positions_partition((now() AT TIME ZONE 'UTC')::date)`);
  await q(`SELECT ensure_positions_partition((now() AT TIME ZONE 'UTC')::date - 1)`);
  await q(`INSERT INTO positions (asset_id, time, geom, source)
           SELECT a.id, now() - x.ago, ST_SetSRID(ST_MakePoint(121, 30), 4326), 'sim'
           FROM (VALUES ('a1', interval '10 s'), ('a2', interval '6 min'), ('a3', interval '8 min'), ('nb', interval '5 s')) x(key, ago)
           JOIN assets a ON a.key = x.key`);
  // Movements in Yangshan: two in transit, one overdue; arrivals today (CST) one late, one on time; one yesterday (CST).
  const today = `(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;
  await q(`INSERT INTO consignments (reference, asset_id, origin_site, dest_site, departure, deadline, status, districts, arrived_at)
    SELECT x.ref, (SELECT id FROM assets WHERE key = 'a1'), s.id, s.id, ${today} - interval '2 days', ${today} + x.deadline, x.status, x.d, ${today} + x.arrived
    FROM sites s, (VALUES
      ('T1', interval '1 day', 'in_transit', ARRAY['2248'], NULL::interval),
      ('T2', interval '1 day', 'in_transit', ARRAY['2248', '2200'], NULL),
      ('T3', interval '-1 hour', 'overdue', ARRAY['2248'], NULL),
      ('A1', interval '1 min', 'arrived', ARRAY['2248'], interval '2 min'),
      ('A2', interval '1 hour', 'arrived', ARRAY['2248'], interval '1 min'),
      ('A0', interval '-2 hours', 'arrived', ARRAY['2248'], interval '-1 min'),
      ('NB', interval '1 day', 'in_transit', ARRAY['3100'], NULL)) x(ref, deadline, status, d, arrived)`);
  await q(`INSERT INTO alerts (type, severity, time, state, districts) VALUES
    ('SEAL_ALARM', 'critical', now() - interval '10 min', 'open', ARRAY['2248']),
    ('OVERDUE', 'warning', now() - interval '3 hours', 'open', ARRAY['2248']),
    ('OVERDUE', 'warning', now() - interval '2 hours', 'acknowledged', ARRAY['2248']),
    ('ARRIVED', 'info', now(), 'open', ARRAY['2248']),
    ('SEAL_ALARM', 'critical', now() - interval '30 hours', 'open', ARRAY['2248']),
    ('SEAL_ALARM', 'critical', now(), 'open', ARRAY['3100'])`);
});
after(async () => {
  await db.drop();
});

test("Shanghai sees its own office, not Ningbo; CST days; on-time among today's arrivals", async () => {
  const k = await wallKpis(db.pool, '2200');
  assert.equal(k.assetsLive, 2, 'a1 (fix 10 s ago) and the vessel a3 (8 min, under its 10 min)');
  assert.equal(k.inTransit, 3, 'in_transit and overdue');
  assert.equal(k.arrivedToday, 2, 'A0 arrived yesterday in China Standard Time');
  assert.equal(k.onTimeToday, 1);
  assert.equal(k.onTimeRate, 0.5);
  assert.equal(k.openAlerts, 3, 'open, not information; acknowledged ones do not count');
  assert.deepEqual(k.openByType, [
    { type: 'SEAL_ALARM', count: 2, severity: 'critical' },
    { type: 'OVERDUE', count: 1, severity: 'warning' },
  ]);
  assert.equal(k.alertsPerHour.length, 24);
  assert.equal(
    k.alertsPerHour.reduce((a, h) => a + h.count, 0),
    3,
    'the last 24 h, not information (the 30 h old one is out)',
  );
  assert.ok(k.alertsPerHour.every((h, i) => i === 0 || h.hour - k.alertsPerHour[i - 1]!.hour === 3_600_000));
  assert.deepEqual(
    k.districts.map((d) => [d.code, d.inTransit, d.openAlerts]),
    [['2248', 3, 3]],
    'one level down',
  );
  assert.deepEqual(k.districts[0]!.bbox, [100, 20, 130, 45]);
});

test('HQ sees everything, by direct customs; an office with nothing below shows itself', async () => {
  const hq = await wallKpis(db.pool, '0000');
  assert.equal(hq.inTransit, 4);
  assert.equal(hq.assetsLive, 3);
  assert.deepEqual(
    hq.districts.map((d) => [d.code, d.inTransit]),
    [
      ['2200', 3],
      ['3100', 1],
    ],
  );
  const office = await wallKpis(db.pool, '2248');
  assert.deepEqual(
    office.districts.map((d) => d.code),
    ['2248'],
  );
  assert.equal(office.onTimeRate, 0.5);
});

test('a district of the seeded tree with no area and nothing going on is left off the wall; with a movement it is listed, bbox null', async () => {
  await db.pool.query(`INSERT INTO districts (code, name_zh, name_en, level, parent, area) VALUES ('5100', '广州海关', 'Guangzhou', 'direct', '0000', NULL)`);
  assert.ok(!(await wallKpis(db.pool, '0000')).districts.some((d) => d.code === '5100'));
  const { rows } = await db.pool.query(
    `INSERT INTO consignments (reference, asset_id, origin_site, dest_site, departure, deadline, status, districts)
     SELECT 'GZ1', (SELECT id FROM assets WHERE key = 'a4'), s.id, s.id, now() - interval '1 hour', now() + interval '1 hour', 'in_transit', ARRAY['5100'] FROM sites s LIMIT 1 RETURNING id`,
  );
  try {
    const gz = (await wallKpis(db.pool, '0000')).districts.find((d) => d.code === '5100');
    assert.deepEqual(gz && [gz.inTransit, gz.bbox], [1, null]);
  } finally {
    await db.pool.query('DELETE FROM consignments WHERE id = $1', [rows[0].id]);
    await db.pool.query(`DELETE FROM districts WHERE code = '5100'`);
  }
});
