// Port calls through the real server: vessel fixes fed to the pipeline arrive the vessel at the
// Yangshan terminal (a port call stored, `port_arrival` on its timeline, chained in the ledger), the
// manifest declared for that port arrives with its containers (ready for transit), and the
// departure closes the call; GET /api/port-calls answers within the user's jurisdiction.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GET as getPortCalls } from '../../../app/api/port-calls/route';
import { createTestUser, sessionCookie } from '../../auth/testing';
import { buildMT1101 } from '../manifest/build';
import { startLinkTestServer, WORLD, type LinkTestServer } from '../testing';
import { openPortCalls } from './store';

const M_LON = 1 / (111_320 * Math.cos((30.615 * Math.PI) / 180));
const KN = 1.852;
const MIN = 60_000;
let s: LinkTestServer;
let vesselId: number;
const cookies: Record<string, string> = {};

before(async () => {
  s = await startLinkTestServer();
  vesselId = (await s.db.pool.query(`SELECT id FROM assets WHERE mmsi = $1`, [WORLD.vessel.mmsi])).rows[0].id;
  for (const d of ['0000', '2248', '5100']) cookies[d] = await sessionCookie(s.app.sessions, await createTestUser(s.db.pool, { username: `view-${d}`, district: d }));
});
after(() => s.close());

const feed = (fixes: { time: number; lon: number; lat: number; kn: number }[], key: string = WORLD.vessel.key) => {
  for (const f of fixes) {
    const r = s.app.pipeline.ingest({ assetKey: key, kind: 'vessel', source: 'ais', time: f.time, lon: f.lon, lat: f.lat, speed: f.kn * KN, course: 90 });
    assert.deepEqual(r, { ok: true });
  }
};
const get = async (district: string, query = '') => {
  const res = await getPortCalls(new Request(`http://localhost/api/port-calls${query}`, { headers: { cookie: cookies[district]! } }));
  return { status: res.status, body: await res.json() };
};

test('a vessel arrives at the terminal: port call, timeline, ledger, manifest arrived and its containers ready; then it departs', async () => {
  const r = s.app.links.receiver;
  const declared = await r.receive(
    'manifest',
    buildMT1101({
      messageId: 'PC-MT1101-1',
      vessel: { imo: WORLD.vessel.imo, name: WORLD.vessel.name, journeyId: '071E' },
      unloadingPort: 'CNSHA/2248',
      bills: [{ billNo: 'COSU8000001', containers: [{ containerNo: 'CSNU6218371', sizeType: '45G1', fullness: '5' }, { containerNo: 'TGHU8451203' }] }],
    }),
    s.caller('2248'),
  );
  // The same vessel's manifest for Guangzhou must stay declared: the terminal is not its port.
  await r.receive(
    'manifest',
    buildMT1101({ messageId: 'PC-MT1101-2', vessel: { imo: WORLD.vessel.imo, journeyId: '072S' }, unloadingPort: 'CNCAN/5100', bills: [{ billNo: 'COSU8000002' }] }),
    s.caller('5100'),
  );

  const t0 = Date.now() - 3 * 3_600_000;
  const approach = Array.from({ length: 8 }, (_, i) => ({ time: t0 + i * 30_000, lon: 121.99 + i * 0.004, lat: 30.615, kn: 12 }));
  const alongside = Array.from({ length: 8 }, (_, i) => ({ time: t0 + 10 * MIN + i * MIN, lon: 122.045, lat: 30.615, kn: 0.2 }));
  feed([...approach, ...alongside]);
  await s.app.portCalls!.idle();

  const call = (await s.db.pool.query(`SELECT id, asset_id, place, kind, arrived_at, departed_at, manifest_id FROM port_calls`)).rows;
  assert.equal(call.length, 1);
  const manifest = (await s.db.pool.query(`SELECT id, status, arrived_by, arrived_at FROM manifests WHERE journey_id = '071E'`)).rows[0];
  assert.deepEqual(
    { ...call[0], arrived_at: call[0].arrived_at.getTime() },
    { id: call[0].id, asset_id: vesselId, place: 'YS-TERM', kind: 'port', arrived_at: t0 + 10 * MIN, departed_at: null, manifest_id: manifest.id },
  );
  assert.deepEqual([manifest.status, manifest.arrived_by, manifest.arrived_at.getTime()], ['arrived', 'port_call', t0 + 10 * MIN]);
  const boxes = (await s.db.pool.query(`SELECT bool_and(arrived) AS all_in, count(*)::int AS n FROM manifest_containers WHERE manifest_id = $1`, [manifest.id])).rows[0];
  assert.deepEqual(boxes, { all_in: true, n: 2 });
  assert.equal((await s.db.pool.query(`SELECT status FROM manifests WHERE journey_id = '072S'`)).rows[0].status, 'declared');
  const ev = (await s.db.pool.query(`SELECT id, kind, site_id, detail FROM events WHERE asset_id = $1 AND kind LIKE 'port_%'`, [vesselId])).rows;
  assert.equal(ev.length, 1);
  assert.equal(ev[0].kind, 'port_arrival');
  assert.deepEqual([ev[0].detail.place, ev[0].detail.manifest, ev[0].detail.voyage, ev[0].detail.containers], ['YS-TERM', manifest.id, '071E', 2]);
  const chained = await s.db.pool.query(`SELECT count(*)::int AS n FROM ledger WHERE kind = 'event' AND payload->>'table' = 'events' AND payload->>'id' = $1`, [String(ev[0].id)]);
  assert.equal(chained.rows[0].n, 1);
  assert.ok(declared.status === 'applied');

  // Steaming out east at 10 kn: the departure is the first fix beyond the 300 m margin.
  const leave = Array.from({ length: 24 }, (_, i) => ({ time: t0 + 30 * MIN + i * 30_000, lon: 122.045 + ((10 * 1852 * i * 30) / 3600) * M_LON, lat: 30.615, kn: 10 }));
  feed(leave);
  await s.app.portCalls!.idle();
  const firstBeyond = leave.find((f) => (f.lon - 122.06) / M_LON > 300)!;
  const closed = (await s.db.pool.query(`SELECT departed_at FROM port_calls WHERE id = $1`, [call[0].id])).rows[0];
  assert.equal(closed.departed_at.getTime(), firstBeyond.time);
  const kinds = (await s.db.pool.query(`SELECT kind FROM events WHERE asset_id = $1 AND kind LIKE 'port_%' ORDER BY time`, [vesselId])).rows.map((r) => r.kind);
  assert.deepEqual(kinds, ['port_arrival', 'port_departure']);
});

test('GET /api/port-calls: the site district and HQ see the call; another district does not; filters and bad input', async () => {
  const ys = await get('2248');
  assert.equal(ys.status, 200);
  assert.equal(ys.body.portCalls.length, 1);
  const pc = ys.body.portCalls[0];
  const m = (await s.db.pool.query(`SELECT id FROM manifests WHERE journey_id = '071E'`)).rows[0];
  assert.deepEqual(
    { ...pc, id: 0, arrivedAt: typeof pc.arrivedAt, departedAt: typeof pc.departedAt },
    {
      id: 0,
      assetId: vesselId,
      vessel: WORLD.vessel.name,
      mmsi: WORLD.vessel.mmsi,
      imo: WORLD.vessel.imo,
      place: 'YS-TERM',
      placeName: '洋山港区',
      kind: 'port',
      arrivedAt: 'string',
      departedAt: 'string',
      manifest: { id: m.id, voyage: '071E' },
    },
  );
  assert.equal((await get('0000')).body.portCalls.length, 1);
  assert.deepEqual((await get('5100')).body, { portCalls: [] });
  assert.equal((await get('0000', `?asset=${vesselId}&place=YS-TERM`)).body.portCalls.length, 1);
  assert.equal((await get('0000', '?place=GZ-WH')).body.portCalls.length, 0);
  assert.equal((await get('0000', `?since=${Date.now()}`)).body.portCalls.length, 0, 'the call was over before');
  assert.equal((await get('0000', '?asset=abc')).status, 400);
  const anon = await getPortCalls(new Request('http://localhost/api/port-calls'));
  assert.equal(anon.status, 401);
});

test('a vessel drifting at the edge with GPS noise arrives once and never flaps; the open call is what a restart goes on from', async () => {
  const t0 = Date.now() - 100 * MIN;
  let x = 7;
  const r = () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const edge = 122.02 + 10 * M_LON; // 10 m inside the west edge
  feed(Array.from({ length: 30 }, (_, i) => ({ time: t0 + i * 3 * MIN, lon: edge + r() * 60 * M_LON, lat: 30.61 + r() * 0.0005, kn: Math.abs(r()) })));
  await s.app.portCalls!.idle();
  const calls = (await s.db.pool.query(`SELECT place, departed_at FROM port_calls WHERE asset_id = $1 ORDER BY id`, [vesselId])).rows;
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[1], { place: 'YS-TERM', departed_at: null });
  assert.deepEqual(s.app.portCalls!.detector.current(vesselId)?.place.code, 'YS-TERM');
  const open = await openPortCalls(s.db.pool);
  assert.deepEqual(
    open.map((c) => [c.assetId, c.place.kind, c.place.code]),
    [[vesselId, 'port', 'YS-TERM']],
  );
});
