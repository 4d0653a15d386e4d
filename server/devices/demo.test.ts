// The demo feed end to end through provisioning: its simulated trucks' terminals are provisioned
// by the demo, register (0x0100) for their codes, authenticate (0x0102) and report over real TCP
// to the real JT/T 808 listener; their fixes are stored. A second start of the demo (a restart)
// resets and provisions them again, and they register afresh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { startApp, type App } from '../app';
import { loadConfig } from '../config';
import { startDemoFeed } from '../sim/demoFeed';
import { seedWorld } from '../sim/seed';

let db: TestDatabase;
let app: App;

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SIM_TRUCKS: '4',
    SIM_VESSELS: '0',
    OSMAND_PORT: '-1',
    AIS_PORT: '-1',
    JT808_PORT: '0',
    JT809_PORT: '-1',
    DATABASE_POOL_MAX: String(testPoolMax()),
    NODE_ENV: 'test',
  });
  app = await startApp(config, { say: () => {}, ingest: true, seed: (pool) => seedWorld(pool).then(() => {}) });
});
after(async () => {
  await app.close();
  await db.drop();
});

async function until(what: string, cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await cond()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify((await db.pool.query('SELECT ident, state FROM devices')).rows)}`);
}

const authenticatedTrucks = async () =>
  (await db.pool.query(`SELECT count(*)::int AS n FROM devices WHERE protocol = 'jt808' AND state = 'authenticated' AND revoked_at IS NULL`)).rows[0].n as number;

const truckFixes = async (keys: string[]) => {
  await app.writer.flush();
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM positions p JOIN assets a ON a.id = p.asset_id WHERE p.source = 'jt808' AND a.key = ANY ($1)`, [keys]);
  return rows[0].n as number;
};

test('the demo trucks are provisioned, register, authenticate and their JT/T 808 fixes are stored; again after a restart of the demo', async () => {
  let issuedBefore = 0;
  for (let run = 0; run < 2; run++) {
    const feed = await startDemoFeed(app, () => {});
    try {
      const keys = feed.fleet.trucks.map((t) => t.assetKey);
      assert.equal(keys.length, 4);
      const provisioned = await db.pool.query(`SELECT a.key, d.state FROM devices d JOIN assets a ON a.id = d.asset_id WHERE d.revoked_at IS NULL ORDER BY a.key`);
      assert.deepEqual(
        provisioned.rows.map((r) => r.key),
        [...keys].sort(),
        'one live device per truck',
      );
      assert.ok(
        provisioned.rows.every((r) => r.state === 'never'),
        'each start resets the simulated terminals',
      );
      const fixesBefore = await truckFixes(keys);
      // Trucks report at their own intervals: wait for the first to log in and report.
      await until('a truck authenticated', async () => (await authenticatedTrucks()) > 0);
      await until('a JT/T 808 fix stored for a truck', async () => (await truckFixes(keys)) > fixesBefore);
      const issued = (await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'device_code_issued'`)).rows[0].n;
      assert.ok(issued > issuedBefore, 'a code was issued in this run (0x0100 answered with a code)');
      issuedBefore = issued;
    } finally {
      await feed.stop();
    }
    await sleep(50); // the next start is a restart: the emitter has forgotten its codes
  }
});
