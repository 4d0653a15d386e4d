// The zone link on the real server and PostGIS: SAS121 passports stored (XML and JSON), duplicates
// idempotent, jurisdiction (unknown and not-yours alike), SAS223 pass receipts, cancellation; then
// ZONE_UNAUTHORISED end to end: a truck's fixes through the pipeline into a bonded zone with no
// passport raise it in the alerts table, with a valid passport do not, and a late passport's gate
// pass ends the alert it raised.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { startLinkTestServer, type LinkTestServer } from '../testing';
import { buildSas121, buildSas223 } from './build';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
// The bonded zone over the Waigaoqiao site (2200, area code 2218), and one in Guangzhou (5100).
const box = (x0: number, y0: number, x1: number, y1: number) => `ST_MakeEnvelope(${x0}, ${y0}, ${x1}, ${y1}, 4326)`;
async function zones(pool: pg.Pool): Promise<void> {
  await pool.query(`
    INSERT INTO zones (code, name_zh, name_en, kind, district, area_code, area) VALUES
      ('WGQ-FTZ', '外高桥保税区', 'Waigaoqiao Free Trade Zone', 'bonded', '2200', '2218', ${box(121.58, 31.33, 121.62, 31.36)}),
      ('GZ-BZ', '广州保税区', 'Guangzhou Bonded Zone', 'bonded', '5100', '5141', ${box(113.45, 23.08, 113.5, 23.11)});
    INSERT INTO assets (key, kind, label, plate, terminal, district) VALUES
      ('tel:013900000003', 'vehicle', '沪C88888', '沪C88888', '013900000003', '2200'),
      ('tel:013900000004', 'vehicle', '沪D66666', '沪D66666', '013900000004', '2200');`);
}

let s: LinkTestServer;
before(async () => {
  s = await startLinkTestServer(zones);
});
after(() => s.close());

const receive = (text: string, district: '0000' | '2200' | '2248' | '5100' = '2200') => s.app.links.receiver.receive('zone', text, s.caller(district));
const q = async (sql: string, params: unknown[] = []) => (await s.db.pool.query(sql, params)).rows;

test('SAS121 (XML): the passport is stored with its vehicle and zone, on the truck timeline; the same message again is a duplicate', async () => {
  const r = await receive(fixture('sas121-in.xml'));
  assert.equal(r.status, 'applied');
  assert.equal(r.messageType, 'SAS121');
  assert.deepEqual(r.summary, {
    passport: 'Z2218I260601000000000001',
    zone: 'WGQ-FTZ',
    plate: '沪A12345',
    containers: ['TGHU1234567'],
    weightKg: 18450.5,
    status: 'valid',
    direction: 'in',
    type: 2,
    related: 'QD221826I000000123',
  });
  const [p] = await q(
    `SELECT p.type, p.bind_type, p.related_no, p.io, p.plate, a.key, z.code AS zone, p.containers, p.gross_wt::float8 AS gross, p.status, p.district
     FROM zone_passports p JOIN assets a ON a.id = p.asset_id JOIN zones z ON z.id = p.zone_id WHERE p.passport_no = 'Z2218I260601000000000001'`,
  );
  assert.deepEqual(p, {
    type: 2,
    bind_type: 2,
    related_no: 'QD221826I000000123',
    io: 'in',
    plate: '沪A12345',
    key: 'tel:013900000001',
    zone: 'WGQ-FTZ',
    containers: ['TGHU1234567'],
    gross: 18450.5,
    status: 'valid',
    district: '2200',
  });
  const ev = await q(`SELECT e.kind, a.key, e.detail->>'passportNo' AS no FROM events e JOIN assets a ON a.id = e.asset_id WHERE e.link_message = $1`, [r.id]);
  assert.deepEqual(ev, [{ kind: 'zone_passport', key: 'tel:013900000001', no: 'Z2218I260601000000000001' }]);
  const again = await receive(fixture('sas121-in.xml'));
  assert.equal(again.status, 'duplicate');
  assert.equal((await q(`SELECT count(*)::int AS n FROM zone_passports WHERE passport_no = 'Z2218I260601000000000001'`))[0].n, 1);
  assert.equal((await q(`SELECT count(*)::int AS n FROM events WHERE kind = 'zone_passport'`))[0].n, 1);
});

test('jurisdiction: a zone outside the sender scope gets the same answer as an unknown area code; nothing is kept', async () => {
  const text = fixture('sas121-out.json');
  const outside = await receive(text, '5100').catch((e: Error & { kind?: string }) => e);
  const office = await receive(text, '2248').catch((e: Error & { kind?: string }) => e);
  const unknown = await receive(text.replaceAll('"2218"', '"9999"'), '5100').catch((e: Error & { kind?: string }) => e);
  for (const e of [outside, office, unknown]) {
    assert.ok(e instanceof Error);
    assert.equal((e as { kind?: string }).kind, 'not_found');
  }
  assert.equal((outside as Error).message, (unknown as Error).message.replace('9999', '2218'));
  assert.equal((office as Error).message, (outside as Error).message);
  assert.equal((await q(`SELECT count(*)::int AS n FROM zone_passports WHERE passport_no = 'Z2218E260601000000000002'`))[0].n, 0);
  // HQ may; so may the zone's own customs (JSON, the Package root).
  const hq = await receive(text, '0000');
  assert.equal(hq.summary.zone, 'WGQ-FTZ');
  assert.deepEqual(hq.summary.containers, ['TGHU7654321', 'MSKU1234565']);
  assert.equal(hq.summary.direction, 'out');
});

test('SAS223: the passport passes with the gate weight, on the timeline; another district cannot touch it; a wrong vehicle is refused', async () => {
  await assert.rejects(receive(fixture('sas223-pass.xml'), '5100'), /no passport Z2218I260601000000000001 in your jurisdiction/);
  await assert.rejects(
    receive(fixture('sas223-pass.xml').replace(/<vehicleNo>沪A12345<\/vehicleNo>/, '<vehicleNo>沪A99999</vehicleNo>')),
    /沪A99999 is not the passport's vehicle/,
  );
  const r = await receive(fixture('sas223-pass.xml'));
  assert.equal(r.summary.status, 'passed');
  assert.equal(r.summary.weightKg, 38310);
  const [p] = await q(
    `SELECT status, pass_weight::float8 AS w, passed_at = '2026-06-01T02:03:00Z'::timestamptz AS at_pass FROM zone_passports WHERE passport_no = 'Z2218I260601000000000001'`,
  );
  assert.deepEqual(p, { status: 'passed', w: 38310, at_pass: true });
  const ev = await q(`SELECT kind FROM events WHERE link_message = $1`, [r.id]);
  assert.deepEqual(ev, [{ kind: 'zone_pass' }]);
  // JSON, the business data alone.
  const j = await receive(fixture('sas223-pass.json'));
  assert.equal(j.summary.passport, 'Z2218E260601000000000002');
  assert.equal(j.summary.status, 'passed');
});

test('a cancellation (dclTypecd 3) ends a passport; a passport is not re-declared by another customs', async () => {
  const t = Date.now();
  const base = { passportNo: 'Z2218I260601000000000077', type: 6 as const, io: 'in' as const, masterCustoms: '2218', plate: '沪D66666' };
  await receive(buildSas121(base, { messageId: 'CANCEL-1', sendTime: t }));
  const r = await receive(buildSas121({ ...base, cancel: true }, { messageId: 'CANCEL-2', sendTime: t }));
  assert.equal(r.summary.status, 'cancelled');
  await assert.rejects(receive(buildSas223({ passportNo: base.passportNo, passedAt: t }, { messageId: 'CANCEL-3', sendTime: t })), /was cancelled/);
  // Declared by HQ above: Shanghai, whose zone it is, may not rewrite it.
  const again = fixture('sas121-out.json').replace('DXPENT0000012345SAS1212026060114300000002', 'DXPENT0000012345SAS1212026060114300000003');
  await assert.rejects(receive(again, '2200'), /Z2218E260601000000000002 cannot be declared by this sender/);
});

// --- ZONE_UNAUTHORISED end to end ---

/** Fixes every 10 s from 121.55 E to 121.60 E along 31.345 N (into the Waigaoqiao zone at 121.58), ending `endAgoMs` before now. */
function driveIn(key: string, endAgoMs: number): { crossedAt: number } {
  const n = 45;
  const t0 = Date.now() - endAgoMs - n * 10_000;
  let crossedAt = 0;
  for (let i = 0; i <= n; i++) {
    const lon = 121.55 + (0.05 * i) / n;
    const time = t0 + i * 10_000;
    if (!crossedAt && lon > 121.58) crossedAt = time;
    const r = s.app.pipeline.ingest({ assetKey: key, kind: 'vehicle', source: 'replay', time, lon, lat: 31.345, speed: 40 });
    assert.ok(r.ok, !r.ok ? r.reason : '');
  }
  return { crossedAt };
}

async function until<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

test('a truck entering the bonded zone with no passport raises ZONE_UNAUTHORISED; its late passport gate pass ends it', async () => {
  const { crossedAt } = driveIn('tel:013900000003', 5 * 60_000);
  const alert = await until(
    'the alert',
    async () => (await q(`SELECT * FROM alerts WHERE type = 'ZONE_UNAUTHORISED' AND asset_id = (SELECT id FROM assets WHERE key = 'tel:013900000003')`))[0],
  );
  assert.equal(alert.severity, 'critical');
  assert.equal(alert.detail.zoneCode, 'WGQ-FTZ');
  assert.equal(alert.detail.direction, 'enter');
  assert.equal(alert.detail.plate, '沪C88888');
  assert.deepEqual(alert.districts, ['2200']);
  assert.match(alert.episode, /^ZONE_UNAUTHORISED\/a\d+\/z\d+\/\d+$/);
  assert.ok(Math.abs(alert.time.getTime() - crossedAt) <= 30_000, 'at the crossing');
  assert.equal(s.app.mapStatus.of(alert.asset_id), 'critical');
  assert.equal((await q(`SELECT count(*)::int AS n FROM alerts WHERE type = 'ZONE_UNAUTHORISED'`))[0].n, 1, 'one alert per crossing');

  // The passport came late; the gate's pass receipt shows the truck passed at the crossing.
  const t = Date.now();
  await receive(
    buildSas121({ passportNo: 'Z2218I260601000000000088', type: 2, bindType: 2, io: 'in', masterCustoms: '2218', plate: '沪C88888' }, { messageId: 'LATE-121', sendTime: t }),
  );
  const pass = await receive(
    buildSas223({ passportNo: 'Z2218I260601000000000088', plate: '沪C88888', passedAt: crossedAt + 20_000, gateWeight: 30000 }, { messageId: 'LATE-223', sendTime: t }),
  );
  assert.equal(pass.summary.result, 'cleared ZONE_UNAUTHORISED');
  await until('the clear', async () => ((await q(`SELECT cleared_at FROM alerts WHERE episode = $1`, [alert.episode]))[0].cleared_at ? true : undefined));
  assert.equal(s.app.mapStatus.of(alert.asset_id), null);
});

test('a truck entering with a valid passport raises nothing, and uses the passport', async () => {
  const t = Date.now();
  await receive(
    buildSas121(
      { passportNo: 'Z2218I260601000000000099', type: 2, bindType: 2, io: 'in', masterCustoms: '2218', plate: '沪D66666', containers: ['TGHU1234567'] },
      { messageId: 'OK-121', sendTime: t },
    ),
  );
  // A passport out of the zone does not let it in.
  await receive(
    buildSas121({ passportNo: 'Z2218E260601000000000098', type: 2, bindType: 2, io: 'out', masterCustoms: '2218', plate: '沪D66666' }, { messageId: 'OK-121-E', sendTime: t }),
  );
  driveIn('tel:013900000004', 60_000);
  const used = await until(
    'the passport used',
    async () => (await q(`SELECT used_at FROM zone_passports WHERE passport_no = 'Z2218I260601000000000099' AND used_at IS NOT NULL`))[0],
  );
  assert.ok(used.used_at instanceof Date);
  assert.equal((await q(`SELECT count(*)::int AS n FROM alerts WHERE type = 'ZONE_UNAUTHORISED' AND asset_id = (SELECT id FROM assets WHERE key = 'tel:013900000004')`))[0].n, 0);
  assert.equal((await q(`SELECT used_at FROM zone_passports WHERE passport_no = 'Z2218E260601000000000098'`))[0].used_at, null);
});

test('a gate pass (SAS223) that came before the GPS saw the crossing authorises it too', async () => {
  const t = Date.now();
  const endAgo = 30 * 60_000;
  const approxCrossing = t - endAgo - 17 * 10_000; // driveIn: the fix 28 of 45 is the first inside
  await receive(
    buildSas121({ passportNo: 'Z2218I260601000000000055', type: 2, bindType: 2, io: 'in', masterCustoms: '2218', plate: '沪A12345' }, { messageId: 'EARLY-121', sendTime: t }),
  );
  await receive(
    buildSas223({ passportNo: 'Z2218I260601000000000055', plate: '沪A12345', passedAt: approxCrossing - 60_000, gateWeight: 31000 }, { messageId: 'EARLY-223', sendTime: t }),
  );
  driveIn('tel:013900000001', endAgo);
  await until('the passport used', async () => (await q(`SELECT 1 FROM zone_passports WHERE passport_no = 'Z2218I260601000000000055' AND used_at IS NOT NULL`))[0]);
  assert.equal((await q(`SELECT count(*)::int AS n FROM alerts WHERE type = 'ZONE_UNAUTHORISED' AND asset_id = (SELECT id FROM assets WHERE key = 'tel:013900000001')`))[0].n, 0);
});

test('POST /api/links/zone with a link token scoped to the zone customs', async () => {
  const { POST } = await import('../../../app/api/links/[system]/route');
  const token = await s.token('wgq-sas', '2200', 'link:zone');
  const t = Date.now();
  const body = buildSas121({ passportNo: 'Z2218E260601000000000066', type: 6, io: 'out', masterCustoms: '2218', plate: '沪C88888' }, { messageId: 'HTTP-121', sendTime: t });
  const post = () =>
    POST(new Request('http://localhost/api/links/zone', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, body }), {
      params: Promise.resolve({ system: 'zone' }),
    });
  const first = await post();
  assert.equal(first.status, 201, await first.clone().text());
  assert.equal((await first.json()).summary.passport, 'Z2218E260601000000000066');
  assert.equal((await post()).status, 200, 'a duplicate gets the first answer');
  const gz = await s.token('gz-sas', '5100', 'link:zone');
  const refused = await POST(
    new Request('http://localhost/api/links/zone', { method: 'POST', headers: { authorization: `Bearer ${gz}` }, body: body.replace('HTTP-121', 'HTTP-121-GZ') }),
    { params: Promise.resolve({ system: 'zone' }) },
  );
  assert.equal(refused.status, 404);
  assert.match((await refused.json()).error, /no bonded zone with area code 2218 in your jurisdiction/);
});

test('acknowledging the alert takes the colour off the vehicle; the alert stays until the condition ends', async () => {
  driveIn('tel:013900000002', 40 * 60_000); // 粤B54321, a Guangzhou truck, no passport
  const alert = await until(
    'the alert',
    async () => (await q(`SELECT * FROM alerts WHERE type = 'ZONE_UNAUTHORISED' AND asset_id = (SELECT id FROM assets WHERE key = 'tel:013900000002')`))[0],
  );
  assert.ok(alert.districts.includes('2200') && alert.districts.includes('5100'), 'the zone customs and the truck home');
  assert.equal(s.app.mapStatus.of(alert.asset_id), 'critical');
  const userId = (await q(`INSERT INTO users (username, password_hash, role, district) VALUES ('duty2200', 'x', 'officer', '2200') RETURNING id`))[0].id;
  const user = { id: userId, username: 'duty2200', displayName: null, role: 'officer' as const, district: '2200', districtName: '上海海关', level: 'direct' as const };
  const acked = await s.app.alerts.transition(Number(alert.id), user, 'acknowledge', 'called the zone gate', '127.0.0.1');
  assert.equal(typeof acked === 'object' && acked.state, 'acknowledged');
  assert.equal(s.app.mapStatus.of(alert.asset_id), null);
  assert.equal((await q(`SELECT cleared_at FROM alerts WHERE id = $1`, [alert.id]))[0].cleared_at, null);
});
