// Metric labels under attack: an OsmAnd sender choosing device ids and texts (bad timestamps,
// bad numbers, JSON bodies) over real HTTP into the running server must not add time series.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { startApp, type App } from '../app';
import { loadConfig } from '../config';
import { registry } from '../metrics';
import { devicesRefused } from '../devices/metrics';
import { framesRejected, rejectLabel } from './metrics';

let db: TestDatabase;
let app: App;
let base: string;

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SIM: '0',
    OSMAND_PORT: '0',
    AIS_PORT: '-1',
    JT808_PORT: '-1',
    JT809_PORT: '-1',
    DATABASE_POOL_MAX: String(testPoolMax()),
    NODE_ENV: 'test',
  });
  app = await startApp(config, { say: () => {}, ingest: true });
  base = `http://127.0.0.1:${app.listeners!.ports.osmand}`;
});
after(async () => {
  await app.close();
  await db.drop();
});

/** The project's series (tw_*) in the /metrics text, one line each. */
async function series(): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((l) => l.startsWith('tw_'));
}

/** One request of the attack, its texts made from `mark`; each shape takes a different path through the decoder. */
function attack(i: number, mark: string): Promise<Response> {
  const q = (s: string) => fetch(`${base}/?${s}`);
  switch (i % 6) {
    case 0:
      return q(`id=${mark}&lat=31&lon=121&timestamp=${encodeURIComponent(`${mark} o'clock`)}`);
    case 1:
      return q(`id=${mark}&lat=31&lon=121`); // unknown device
    case 2:
      return q(`id=${mark}&lat=${mark}&lon=121`);
    case 3:
      return fetch(`${base}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ device_id: mark, location: { timestamp: mark, coords: { latitude: 31, longitude: 121 } } }),
      });
    case 4:
      return fetch(`${base}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ [mark]: mark }) });
    default:
      return q(`deviceid=${mark}&location=${mark},${mark}`);
  }
}

test('attack: 200 OsmAnd requests with attacker-chosen ids and texts add no metric series', async () => {
  // Refused as malformed (400), without a secret (401) or unknown (403): never stored.
  const refused = (status: number) => assert.ok([400, 401, 403].includes(status), `status ${status}`);
  for (let i = 0; i < 6; i++) refused((await attack(i, `evil-w${i}-${randomBytes(4).toString('hex')}`)).status); // each shape once: its (closed) series exist
  const before = await series();
  const marks: string[] = [];
  for (let i = 0; i < 200; i++) {
    const mark = `evil-${i}-${randomBytes(4).toString('hex')}`;
    marks.push(mark);
    refused((await attack(i, mark)).status);
  }
  const after = await series();
  assert.deepEqual(
    after.map((l) => l.replace(/ [\d.e+-]+$/, '')),
    before.map((l) => l.replace(/ [\d.e+-]+$/, '')),
    'the same series, only their values moved',
  );
  const text = after.join('\n');
  assert.deepEqual(
    marks.filter((m) => text.includes(m)),
    [],
    'no attacker text in any label',
  );
  // Every request was counted once, as a malformed frame or a refused device, under closed reasons.
  const rejected = (await framesRejected.get()).values.filter((v) => v.labels.protocol === 'osmand');
  const devices = (await devicesRefused.get()).values.filter((v) => v.labels.protocol === 'osmand');
  assert.equal(
    [...rejected, ...devices].reduce((s, v) => s + v.value, 0),
    206,
  );
  assert.ok(
    rejected.every((v) => v.labels.reason !== 'other'),
    'each malformed shape has its own closed reason',
  );
});

test('reason texts map to their token, anything unknown to other', () => {
  assert.equal(rejectLabel('lat: Number must be less than or equal to 90'), 'lat');
  assert.equal(rejectLabel('timestamp: cannot read "whatever"'), 'timestamp');
  assert.equal(rejectLabel('checksum'), 'checksum');
  assert.equal(rejectLabel('evil-123: zzz'), 'other');
  assert.equal(rejectLabel(''), 'other');
});
