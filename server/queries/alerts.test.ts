// The alert list on a real PostGIS: the asset filter beside the movement filter, inside jurisdiction.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { createTestUser } from '../auth/testing';
import { AlertQuery, listAlerts } from './alerts';

let db: TestDatabase;
let shanghai: number; // an asset of 2200
let shenzhen: number; // an asset of 5300

before(async () => {
  db = await freshDatabase();
  await createTestUser(db.pool, { username: 'hq' });
  await db.pool.query(`INSERT INTO districts (code, name_zh, name_en, level, parent, area) VALUES
    ('2200', '上海海关', 'Shanghai', 'direct', '0000', ST_Multi(ST_MakeEnvelope(120, 30, 123, 32, 4326))),
    ('5300', '深圳海关', 'Shenzhen', 'direct', '0000', ST_Multi(ST_MakeEnvelope(113, 22, 115, 23, 4326)))`);
  const asset = (plate: string, district: string) =>
    db.pool
      .query(`INSERT INTO assets (key, kind, label, plate, district) VALUES ('plate:' || $1, 'vehicle', $1, $1, $2) RETURNING id`, [plate, district])
      .then((r) => r.rows[0].id as number);
  shanghai = await asset('沪A00001', '2200');
  shenzhen = await asset('粤B00002', '5300');
  await db.pool.query(
    `INSERT INTO alerts (type, severity, asset_id, time, districts, state) VALUES
     ('UNSCHEDULED_STOP', 'warning', $1, now() - interval '2 minutes', '{2200}', 'open'),
     ('SIGNAL_LOST', 'warning', $1, now() - interval '1 minute', '{2200}', 'acknowledged'),
     ('ROUTE_DEVIATION', 'critical', $2, now(), '{5300}', 'open')`,
    [shanghai, shenzhen],
  );
});
after(async () => {
  await db.drop();
});

const list = (district: string, q: Record<string, string>) => listAlerts(db.pool, district, AlertQuery.parse(q));

test("asset=ID lists that carrier's alerts only, with the other filters", async () => {
  const all = await list('0000', { asset: String(shanghai) });
  assert.equal(all.total, 2);
  assert.deepEqual(all.items.map((a) => a.type).sort(), ['SIGNAL_LOST', 'UNSCHEDULED_STOP']);
  assert.ok(all.items.every((a) => a.assetId === shanghai));
  const open = await list('0000', { asset: String(shanghai), state: 'open' });
  assert.deepEqual(
    open.items.map((a) => a.type),
    ['UNSCHEDULED_STOP'],
  );
  assert.equal((await list('0000', {})).total, 3, 'without the filter, every alert');
});

test("attack: another district's carrier lists nothing, as an unknown one does (no 403 that tells it exists)", async () => {
  assert.deepEqual(await list('2200', { asset: String(shenzhen) }), { total: 0, items: [] });
  assert.deepEqual(await list('2200', { asset: '2147483647' }), { total: 0, items: [] });
  assert.equal((await list('5300', { asset: String(shenzhen) })).total, 1);
  assert.throws(() => AlertQuery.parse({ asset: '0' }), /asset/);
});
