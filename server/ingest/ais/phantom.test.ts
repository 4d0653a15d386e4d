// The AIS track gate in the running server: AIS over a real UDP socket into the listener, the
// pipeline, the live latest state and PostGIS. A burst of random-MMSI lines (valid checksums)
// draws nothing and stores nothing, while the demo's own vessels, as the demo sends them
// (simulator → AIS NMEA with tag-block times), appear.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PositionReport } from '../../../lib/domain';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../../db/testing';
import { startApp, type App } from '../../app';
import { loadConfig } from '../../config';
import { buildFleet } from '../../sim/fleet';
import { Simulator } from '../../sim/simulator';
import { AisUdpEmitter } from '../../sim/wire/wireEmitter';
import { WORLD } from '../../sim/world';
import { aisUnverified } from '../metrics';
import { sentencesFor, type1Bits, type5Bits } from './testing';

let db: TestDatabase;
let app: App;

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SIM: '0',
    AIS_PORT: '0',
    OSMAND_PORT: '-1',
    JT808_PORT: '-1',
    JT809_PORT: '-1',
    DATABASE_POOL_MAX: String(testPoolMax()),
    NODE_ENV: 'test',
  });
  app = await startApp(config, { say: () => {}, ingest: true });
});
after(async () => {
  await app.close();
  await db.drop();
});

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
const heldNew = async () => (await aisUnverified.get()).values.find((v) => v.labels.reason === 'new_vessel')?.value ?? 0;
const onMap = (key: string) => {
  const asset = app.registry.get(key);
  return asset ? app.latest.assets.get(asset.id) : undefined;
};

test("attack: a burst of random-MMSI AIS lines with valid checksums draws nothing and stores nothing; the demo's vessels still appear", async () => {
  const port = app.listeners!.ports.aisUdp!;
  // The attacker: 400 position reports and 50 static messages, each a fresh random MMSI at a random place.
  let seed = 20261127;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const phantomKeys: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    const mmsi = 300_000_000 + Math.floor(rnd() * 400_000_000);
    phantomKeys.push(`mmsi:${mmsi}`);
    lines.push(...sentencesFor(type1Bits({ mmsi, lon: Math.round((-170 + rnd() * 340) * 600_000), lat: Math.round((-80 + rnd() * 160) * 600_000), sog: 120 })));
  }
  for (let i = 0; i < 50; i++) {
    const mmsi = 300_000_000 + Math.floor(rnd() * 400_000_000);
    phantomKeys.push(`mmsi:${mmsi}`);
    lines.push(...sentencesFor(type5Bits({ mmsi, name: `GHOST ${i}`, callsign: 'BGHST' })));
  }
  const held0 = await heldNew();
  const attacker = createSocket('udp4');
  for (let i = 0; i < lines.length; i += 20) {
    await new Promise<void>((resolve, reject) => attacker.send(`${lines.slice(i, i + 20).join('\r\n')}\r\n`, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  }
  attacker.close();
  await until(async () => (await heldNew()) >= held0 + 400, 'the 400 phantom fixes to be held');

  // The demo: its simulator drives five vessels over the last three minutes, sent as the demo sends them.
  const now = Date.now();
  const fleet = buildFleet(WORLD, { trucks: 0, vessels: 5, seed: 7, now: now - 180_000 });
  const emitted: PositionReport[] = [];
  const sim = new Simulator(WORLD, fleet, (r) => emitted.push(r));
  for (let t = now - 180_000; t <= now - 5000; t += 1000) sim.step(t);
  const emitter = new AisUdpEmitter(fleet, port);
  for (const r of emitted) emitter.send(r);
  // A vessel with two fixes or more in that time has a confirmed track.
  const perVessel = new Map<string, number>();
  for (const r of emitted) perVessel.set(r.assetKey, (perVessel.get(r.assetKey) ?? 0) + 1);
  const expected = [...perVessel]
    .filter(([, n]) => n >= 2)
    .map(([k]) => k)
    .sort();
  assert.ok(expected.length >= 3, `the simulator gave most vessels two fixes (${[...perVessel.values()]})`);
  await until(() => expected.every((k) => onMap(k)), 'the demo vessels on the map');
  emitter.close();
  const newest = (k: string) => Math.max(...emitted.filter((r) => r.assetKey === k).map((r) => Math.floor(r.time / 1000) * 1000));
  await until(() => expected.every((k) => onMap(k)!.time === newest(k)), 'each demo vessel at its newest fix');

  // Nothing of the burst: not on the map, no asset row, no stored position.
  await app.writer.flush();
  assert.deepEqual(
    phantomKeys.filter((k) => onMap(k)),
    [],
  );
  const { rows: assets } = await db.pool.query(`SELECT key FROM assets WHERE key = ANY ($1)`, [phantomKeys]);
  assert.deepEqual(assets, []);
  const { rows: stored } = await db.pool.query(`SELECT a.key, count(*)::int AS n FROM positions p JOIN assets a ON a.id = p.asset_id GROUP BY a.key ORDER BY a.key`);
  assert.deepEqual(
    stored.map((r) => r.key),
    expected,
    'only the demo vessels have stored positions',
  );
  for (const r of stored) assert.equal(r.n, perVessel.get(r.key), `every fix of ${r.key} is stored, its first one included`);
});
