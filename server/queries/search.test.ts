import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { seedWorld } from '../sim/seed';
import { search } from './search';

let db: TestDatabase;
before(async () => {
  db = await freshDatabase();
  await seedWorld(db.pool);
  await db.pool.query(`
    INSERT INTO assets (key, kind, label, plate, terminal) VALUES ('tel:013911112222', 'vehicle', '沪D·A1234', '沪D·A1234', '013911112222');
    INSERT INTO assets (key, kind, label, plate, terminal) VALUES ('tel:013933334444', 'vehicle', '粤B·Z9999', '粤B·Z9999', '013933334444');
    INSERT INTO assets (key, kind, label, mmsi, imo, district) VALUES ('mmsi:413123456', 'vessel', 'ZHONG GU 88', '413123456', '9811000', '2248');`);
  const mk = async (ref: string, seal: string, plate: string, route: string, status = 'in_transit') =>
    db.pool.query(
      `INSERT INTO consignments (reference, seal_id, asset_id, origin_site, dest_site, route_id, departure, deadline, status, districts)
     SELECT $1, $2, a.id, r.from_site, r.to_site, r.id, now(), now() + interval '3 h', $5, touched_districts(r.from_site, r.to_site, r.id)
     FROM assets a, routes r WHERE a.plate = $3 AND r.code = $4`,
      [ref, seal, plate, route, status],
    );
  await mk('ZG22002026000000001', 'SL1111100000', '沪D·A1234', 'R01');
  await mk('ZG22002026000000002', 'SL2222200000', '沪D·A1234', 'R01', 'arrived');
  await mk('ZG53002026000000003', 'SL3333300000', '粤B·Z9999', 'R25');
});
after(async () => {
  await db.drop();
});

const titles = async (district: string, q: string) => (await search(db.pool, district, { q, limit: 20 })).map((h) => h.title);

test('finds a movement by reference, seal, plate or terminal number, open ones first', async () => {
  assert.deepEqual(await titles('0000', '000000001'), ['ZG22002026000000001']);
  assert.deepEqual(await titles('0000', 'SL33333'), ['ZG53002026000000003']);
  assert.deepEqual(await titles('0000', 'A1234'), ['ZG22002026000000001', 'ZG22002026000000002']);
  assert.deepEqual(await titles('0000', '0139111122'), ['ZG22002026000000001', 'ZG22002026000000002']);
});

test('a plate is found as typed: without the middle dot, with a space, or as printed', async () => {
  for (const q of ['沪DA1234', '沪D A1234', '沪D·A1234', 'da12']) {
    assert.deepEqual(await titles('0000', q), ['ZG22002026000000001', 'ZG22002026000000002'], q);
  }
});

test('finds a vessel by MMSI, IMO or name', async () => {
  for (const q of ['413123', '9811000', 'zhong gu']) assert.deepEqual(await titles('0000', q), ['ZHONG GU 88'], q);
});

test('only within the jurisdiction; wildcards are literal', async () => {
  assert.deepEqual(await titles('2200', 'ZG'), ['ZG22002026000000001', 'ZG22002026000000002']);
  assert.deepEqual(await titles('5300', 'ZG'), ['ZG53002026000000003']);
  assert.deepEqual(await titles('5300', 'ZHONG'), [], "a Yangshan vessel is not Shenzhen's");
  assert.deepEqual(await titles('0000', '%'), []);
  assert.deepEqual(await titles('0000', "' OR 1=1 --"), []);
});
