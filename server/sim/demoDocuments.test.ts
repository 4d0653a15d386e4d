// The demo's documents through the real links (PostGIS, movement service, rules): a run's story
// from declaration to write-off, and each mishap raising its alert. A small fleet on the demo world;
// the story's steps are driven by hand (the simulator's hooks call the same methods).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { startApp, type App } from '../app';
import { loadConfig } from '../config';
import { DemoDocuments, type Mishaps } from './demoDocuments';
import { registerAssets } from './demoFeed';
import { buildFleet, type Fleet } from './fleet';
import { seedWorld } from './seed';
import { MIN } from './simOptions';
import { WORLD } from './world';

let db: TestDatabase;
let app: App;
let fleet: Fleet;
// Three hours ago: every step of the story lies in the past (a gate pass from the future is refused).
const NOW = Date.now() - 3 * 3_600_000;
const NONE: Mishaps = { gatePlate: 0, notReceived: 0, inspect: 0, inspectionSilent: 0, noPassport: 0 };

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', SIM: '0', DATABASE_POOL_MAX: String(testPoolMax()), NODE_ENV: 'test' });
  app = await startApp(config, { say: () => {}, seed: (pool) => seedWorld(pool).then(() => {}) });
  fleet = buildFleet(WORLD, { trucks: 6, vessels: 6, seed: 7, now: NOW });
  await registerAssets(db.pool, fleet);
  await app.registry.load();
});
after(async () => {
  await app.close();
  await db.drop();
});

const declaration = async (preId: string) =>
  (
    await db.pool.query(
      `SELECT t.status, k.status AS movement, k.id, (SELECT array_agg(m.message_type ORDER BY m.id) FROM link_message_movements lm JOIN link_messages m ON m.id = lm.message_id WHERE lm.consignment_id = k.id) AS docs
       FROM transit_declarations t JOIN consignments k ON k.id = t.consignment_id WHERE t.pre_id = $1`,
      [preId],
    )
  ).rows[0];

test('a run from declaration to write-off: released, out of the origin gate, in at the destination, goods in, written off', async () => {
  const docs = new DemoDocuments(app.links.receiver, WORLD, { seed: 7, now: NOW, say: (m) => assert.fail(m), mishaps: NONE });
  await docs.declareVessels(fleet.vessels);
  const truck = fleet.trucks[0]!;
  const run = truck.runs[truck.runs.length - 1]!;
  await docs.declare(truck, run, false, NOW);
  assert.match(run.reference, /^\d{18}$/, 'the run is known by its declaration number');
  assert.deepEqual(await declaration(run.reference), {
    status: 'released',
    movement: 'planned',
    id: app.movements.forAsset(app.registry.get(truck.assetKey)!.id)?.id,
    docs: ['TrnDeclaration', 'TrnRelease'],
  });
  docs.started(truck, run, NOW + MIN);
  docs.step(NOW + MIN);
  await docs.idle();
  assert.equal((await declaration(run.reference)).movement, 'in_transit');
  docs.ended(truck, run, NOW + 60 * MIN);
  docs.step(NOW + 60 * MIN);
  await docs.idle();
  assert.equal((await declaration(run.reference)).status, 'arrived');
  docs.step(NOW + 80 * MIN); // goods in (2–6 min later), then the write-off 2 min after
  await docs.idle();
  docs.step(NOW + 90 * MIN);
  await docs.idle();
  const done = await declaration(run.reference);
  assert.equal(done.status, 'written_off');
  assert.equal(done.movement, 'closed');
  assert.deepEqual(
    done.docs.filter((t: string) => t !== 'SAS121'),
    ['TrnDeclaration', 'TrnRelease', '81', '81', 'GOODS_IO', 'TrnWriteOff'],
  );
  assert.equal(docs.stats.refused, 0);
  const manifests = await db.pool.query(`SELECT count(*)::int AS n FROM manifests`);
  assert.ok(manifests.rows[0].n > 0, 'vessels bound for a port declared their manifests');
});

test('mishaps: a misread plate is held with GATE_MISMATCH, and a flagged movement is not written off without its result', async () => {
  const docs = new DemoDocuments(app.links.receiver, WORLD, {
    seed: 8,
    now: NOW,
    say: (m) => assert.fail(m),
    mishaps: { ...NONE, gatePlate: 1, inspect: 1 },
  });
  const truck = fleet.trucks[1]!;
  const run = truck.runs[truck.runs.length - 1]!;
  await docs.declare(truck, run, true, NOW);
  assert.equal((await declaration(run.reference)).movement, 'in_transit', 'a run under way at the start is passed out of its gate');
  docs.ended(truck, run, NOW + 30 * MIN);
  docs.step(NOW + 120 * MIN);
  await docs.idle();
  const d = await declaration(run.reference);
  assert.equal(d.status, 'departed', 'held at the destination gate: not arrived, not written off');
  assert.ok(d.docs.includes('InspFlag'));
  await app.alerts.apply([]); // alerts are stored after the message's commit, in the alert queue
  const alert = await db.pool.query(`SELECT detail FROM alerts WHERE type = 'GATE_MISMATCH' AND consignment_id = $1`, [d.id]);
  assert.equal(alert.rowCount, 1);
  assert.match(JSON.stringify(alert.rows[0].detail.mismatch), /the camera read/);
});
