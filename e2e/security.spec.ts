// The adversarial suite (issue 14, "What to build" 7): every finding of the trust review tried
// against the real running server (production build, demo feed), over real sockets: HTTP with raw
// paths and chosen source addresses, Socket.IO, JT/T 808 over TCP, OsmAnd over HTTP, AIS over UDP,
// and Chromium where a browser matters (CSP, the CSV export). Each test is one group of findings
// and records its cases; a case fails the test when anything leaks. The last test prints
//   security: N attack cases, 0 leaks
// and fails unless every group ran all of its cases clean. What is stored is checked in straight
// SQL on DATABASE_URL, never through the code under test. Ledger tampering itself is tried at node
// level (server/ledger/anchor.test.ts), and a second instance on taken feed ports in
// server/ingest/listeners.test.ts (starting a second server here would cost a minute). The feed
// ports (0 in the e2e server) come from the loopback-only test hook GET /api/test/feed-ports.
import { createSocket } from 'node:dgram';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { test, expect } from '@playwright/test';
import pg from 'pg';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { decodeFrame, type AssetMeta } from '../lib/wire';
import { Jt808Terminal } from '../server/ingest/jt808/terminal';
import { sentencesFor, type1Bits, type5Bits } from '../server/ingest/ais/testing';
import { DEMO_PASSWORD, signInPage } from './signIn';

const TOKEN = process.env.E2E_INGEST_TOKEN ?? 'e2e-ingest-token-0123456789';
/** One run's suffix, so that names made here do not meet those of another spec or run. */
const RUN = String(Date.now()).slice(-6);

// ---- the count -----------------------------------------------------------------------------

const GROUPS = ['feeds', 'jurisdiction', 'bad input', 'csp', 'database'] as const;
type Group = (typeof GROUPS)[number];
const ran: Partial<Record<Group, number>> = {};

/** Runs the named cases of a group in order; each throws (fails the test) on a leak. */
async function group(name: Group, cases: [string, () => Promise<void>][]): Promise<void> {
  for (const [what, run] of cases) await test.step(`attack: ${what}`, run);
  ran[name] = cases.length;
}

// ---- plumbing over real sockets --------------------------------------------------------------

let port = 0;
let db: pg.Pool;

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP request with the path sent exactly as written (fetch and Playwright would resolve
 * "..") and, when given, a chosen loopback source address (the server sees it as the peer).
 */
function raw(path: string, o: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string; to?: number } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers = { ...o.headers, ...(o.body !== undefined && { 'content-length': String(Buffer.byteLength(o.body)) }) };
    const req = http.request({ host: '127.0.0.1', port: o.to ?? port, path, method: o.method ?? 'GET', headers, localAddress: o.localAddress, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

interface Session {
  username: string;
  cookie: string;
  csrf: string;
}

async function login(username: string, password = DEMO_PASSWORD, localAddress?: string): Promise<{ status: number; session?: Session; body: string }> {
  const r = await raw('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }), localAddress });
  if (r.status !== 200) return { status: r.status, body: r.body };
  const cookie = (r.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  return { status: 200, body: r.body, session: { username, cookie, csrf: JSON.parse(r.body).csrf } };
}

const sessions = new Map<string, Session>();
async function as(username: string): Promise<Session> {
  if (!sessions.has(username)) {
    const r = await login(username);
    expect(r.status, `sign-in of ${username}: ${r.body}`).toBe(200);
    sessions.set(username, r.session!);
  }
  return sessions.get(username)!;
}

/** A JSON call as a signed-in user (or anonymous, or with the ingest token); the body is parsed when it is JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case reads its own endpoint's JSON shape
async function call(who: Session | 'anonymous' | 'token', method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (who === 'token') headers.authorization = `Bearer ${TOKEN}`;
  else if (who !== 'anonymous') Object.assign(headers, { cookie: who.cookie, 'x-csrf-token': who.csrf });
  const r = await raw(path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.body);
  } catch {
    parsed = undefined;
  }
  return { status: r.status, body: parsed, text: r.body };
}

const sql = async <T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []) => (await db.query<T>(text, values)).rows;

/** Waits for `cond` (a failure with `what` after `ms`, not a timing claim). */
async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The positions stored for an asset key (the writer flushes every second). */
const stored = (key: string) =>
  sql<{ lat: number; source: string; t: number }>(
    `SELECT ST_Y(p.geom) AS lat, p.source, (extract(epoch FROM p.time) * 1000)::float8 AS t FROM positions p JOIN assets a ON a.id = p.asset_id WHERE a.key = $1 ORDER BY p.time`,
    [key],
  );

const fix = (assetKey: string, at: { lon: number; lat: number }, time = Date.now(), extra: Record<string, unknown> = {}) => ({
  assetKey,
  kind: 'vehicle',
  time,
  lon: at.lon,
  lat: at.lat,
  speed: 30,
  ...extra,
});

async function registerVehicle(by: Session, plate: string, district: string): Promise<{ key: string; id: number }> {
  const r = await call(by, 'POST', '/api/assets', { kind: 'vehicle', plate, plateColor: 2, district });
  expect(r.status, `register ${plate}: ${r.text}`).toBe(201);
  return { key: r.body.key, id: r.body.id };
}

/** A live client that writes down everything the server sends it. */
interface Live {
  socket: Socket;
  ids: Set<number>; // every asset id in a snapshot or delta
  deltasOf: Map<number, number>;
  meta: AssetMeta[];
  gone: number[];
  alerts: { consignmentId: number | null; districts: string[]; type: string }[];
  deltas: number;
  afterDisconnect: number;
  disconnected: Promise<string>;
  ready: Promise<void>;
}

function listen(cookie: string): Live {
  const socket = connectSocket(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
  let gone = false;
  const l: Live = {
    socket,
    ids: new Set(),
    deltasOf: new Map(),
    meta: [],
    gone: [],
    alerts: [],
    deltas: 0,
    afterDisconnect: 0,
    disconnected: new Promise((resolve) =>
      socket.on('disconnect', (reason) => {
        gone = true;
        resolve(reason);
      }),
    ),
    ready: new Promise((resolve, reject) => {
      socket.on('connect_error', reject);
      socket.on('snapshot', (msg: { frame: Buffer; meta: AssetMeta[] }) => {
        const f = decodeFrame(msg.frame);
        for (let i = 0; i < f.count; i++) l.ids.add(f.id[i]!);
        l.meta.push(...msg.meta);
        resolve();
      });
    }),
  };
  socket.on('delta', (buf: Buffer) => {
    l.deltas++;
    if (gone) l.afterDisconnect++;
    const f = decodeFrame(buf);
    for (let i = 0; i < f.count; i++) {
      l.ids.add(f.id[i]!);
      l.deltasOf.set(f.id[i]!, (l.deltasOf.get(f.id[i]!) ?? 0) + 1);
    }
  });
  socket.on('assets', (m: AssetMeta[]) => l.meta.push(...m));
  socket.on('gone', (ids: number[]) => l.gone.push(...ids));
  socket.on('alert', (a: Live['alerts'][number]) => l.alerts.push(a));
  return l;
}

/** What a new connection with this cookie gets: 'connected' or the refusal. */
const attempt = (cookie: string) =>
  new Promise<string>((resolve) => {
    const s = connectSocket(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
    s.on('connect', () => {
      s.close();
      resolve('connected');
    });
    s.on('connect_error', (e) => {
      s.close();
      resolve(e.message);
    });
  });
const within = (p: Promise<string>, ms: number) => Promise.race([p, sleep(ms).then(() => 'still connected')]);

/** A point inside a site (PostGIS' own answer). */
async function inside(code: string): Promise<{ lon: number; lat: number }> {
  const [r] = await sql<{ lon: number; lat: number }>(`SELECT ST_X(ST_PointOnSurface(area)) AS lon, ST_Y(ST_PointOnSurface(area)) AS lat FROM sites WHERE code = $1`, [code]);
  expect(r, `site ${code}`).toBeTruthy();
  return r!;
}

/** Feeds one asset a fix every 300 ms through the ingest token, so that its rooms get a delta each tick. */
function keepFeeding(key: string, at: { lon: number; lat: number }): () => Promise<void> {
  let stop = false;
  const loop = (async () => {
    for (let i = 0; !stop; i++) {
      await call('token', 'POST', '/api/ingest/positions', { reports: [fix(key, { lon: at.lon + (i % 10) * 0.0001, lat: at.lat })] });
      await sleep(300);
    }
  })();
  return async () => {
    stop = true;
    await loop;
  };
}

test.beforeAll(async ({ baseURL }) => {
  port = Number(new URL(baseURL!).port);
  expect(process.env.DATABASE_URL, 'the suite checks what is stored in straight SQL on DATABASE_URL').toBeTruthy();
  db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
});
test.afterAll(async () => {
  await db?.end();
});

// ---- Feeds ---------------------------------------------------------------------------------

test('feeds: JT/T 808, OsmAnd, AIS and HTTP ingest take only what is provisioned and in scope; metric labels stay closed', async () => {
  const ports = (await raw('/api/test/feed-ports')).body;
  const feed = JSON.parse(ports) as { jt808?: number; osmand?: number; aisUdp?: number };
  expect(feed.jt808 && feed.osmand && feed.aisUdp, `feed ports from the test hook: ${ports}`).toBeTruthy();
  const sh = await as('sh-supervisor');
  const yard = await inside('2200-T01').catch(async () => inside((await sql<{ code: string }>(`SELECT code FROM sites WHERE district = '2200' LIMIT 1`))[0]!.code));

  // The control: a truck provisioned over REST with its terminal registers, authenticates and is stored.
  // Without it, every refusal below could be a broken harness.
  const plate = `沪S${RUN.slice(-5)}`;
  const truck = await registerVehicle(sh, `沪S·${RUN.slice(-5)}`, '2200');
  const phone = `0139${RUN}01`;
  const dev = await call(sh, 'POST', '/api/devices', { asset: truck.key, jt808: phone });
  expect(dev.status, dev.text).toBe(201);
  const good = await Jt808Terminal.connect({ port: feed.jt808!, phone });
  const reg = await good.register({ plate, plateColor: 2 });
  expect(reg.result).toBe(0);
  expect(await good.authenticate()).toBe(0);
  expect(await good.sendLocation({ lat: yard.lat, lon: yard.lon, time: Date.now() - 1000, speed: 20 })).toBe(0);
  await good.close();
  await until('the control fix stored', async () => (await stored(truck.key)).length === 1);
  expect((await stored(truck.key))[0]!.source).toBe('jt808');
  const marker = 20 + Number(RUN.slice(-3)) / 1000; // a latitude nothing else sends (20.xxx)

  const osmTruck = await registerVehicle(sh, `沪O·${RUN.slice(-5)}`, '2200');
  const osmId = `atk-phone-${RUN}`;
  const osmDev = await call(sh, 'POST', '/api/devices', { asset: osmTruck.key, osmand: osmId });
  expect(osmDev.status, osmDev.text).toBe(201);
  const secret = osmDev.body.secret as string;
  const osm = (q: string) => raw(`/?${q}`, { to: feed.osmand });
  const t = Math.floor(Date.now() / 1000) - 30;

  const nb = await registerVehicle(await as('hq-supervisor'), `浙N·${RUN.slice(-5)}`, '3100'); // another customs' truck

  await group('feeds', [
    [
      'JT/T 808: a made-up authentication code for a provisioned terminal is refused, and its fixes are refused and not stored',
      async () => {
        const t1 = await Jt808Terminal.connect({ port: feed.jt808!, phone });
        expect(await t1.authenticate('0'.repeat(32))).toBe(1);
        expect(await t1.authenticate('123456')).toBe(1);
        expect(await t1.sendLocation({ lat: marker, lon: 121.5, time: Date.now() })).toBe(1);
        expect(
          await t1.sendBatch(
            [
              { lat: marker, lon: 121.51, time: Date.now() },
              { lat: marker, lon: 121.52, time: Date.now() },
            ],
            1,
          ),
        ).toBe(1);
        await t1.close();
      },
    ],
    [
      'JT/T 808: 0x0100 for an unprovisioned phone gets result 4 and no code; its fixes are refused; no asset appears',
      async () => {
        const stranger = `0138${RUN}77`;
        const t2 = await Jt808Terminal.connect({ port: feed.jt808!, phone: stranger });
        expect(await t2.register({ plate: '沪A12345', plateColor: 2 })).toEqual({ result: 4, authCode: undefined });
        expect(await t2.authenticate('ANYTHING')).toBe(1);
        expect(await t2.sendLocation({ lat: marker, lon: 121.5, time: Date.now() })).toBe(1);
        await t2.close();
        expect(await sql(`SELECT key FROM assets WHERE key LIKE $1`, [`%${stranger.replace(/^0+/, '')}%`])).toEqual([]);
      },
    ],
    [
      'JT/T 808: 0x0100 for the provisioned phone again (a code already issued) gets result 3 and no code',
      async () => {
        const t3 = await Jt808Terminal.connect({ port: feed.jt808!, phone });
        expect(await t3.register({ plate, plateColor: 2 })).toEqual({ result: 3, authCode: undefined });
        await t3.close();
      },
    ],
    [
      'JT/T 808: a spoofed fix under the provisioned phone on an unauthenticated connection is refused; nothing at the marker is stored',
      async () => {
        const t4 = await Jt808Terminal.connect({ port: feed.jt808!, phone });
        expect(await t4.sendLocation({ lat: marker, lon: 121.53, time: Date.now() })).toBe(1);
        await t4.close();
        await sleep(1500); // two flushes of the writer
        expect((await stored(truck.key)).filter((r) => Math.abs(r.lat - marker) < 1e-6)).toEqual([]);
      },
    ],
    [
      'OsmAnd: no secret → 401; a wrong secret → 403; an unknown id with a real secret → 403 (same answer, id not echoed); nothing stored',
      async () => {
        expect((await osm(`id=${osmId}&lat=${marker}&lon=121.5&timestamp=${t}`)).status).toBe(401);
        expect((await osm(`id=${osmId}&lat=${marker}&lon=121.5&timestamp=${t}&secret=WRONG${secret.slice(5)}`)).status).toBe(403);
        const unknown = await osm(`id=stranger-${RUN}&lat=${marker}&lon=121.5&timestamp=${t}&secret=${secret}`);
        expect(unknown.status).toBe(403);
        expect(unknown.body).not.toContain(`stranger-${RUN}`);
        const form = await raw('/', {
          to: feed.osmand,
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `id=${osmId}&lat=${marker}&lon=121.5&timestamp=${t}`,
        });
        expect(form.status).toBe(401);
        // The control: the device with its own secret is stored.
        expect((await osm(`id=${osmId}&lat=${yard.lat}&lon=${yard.lon}&timestamp=${t + 1}&secret=${secret}`)).status).toBe(200);
        await until('the OsmAnd control fix stored', async () => (await stored(osmTruck.key)).length === 1);
        expect((await stored(osmTruck.key)).map((r) => r.source)).toEqual(['osmand']);
      },
    ],
    [
      "AIS: a burst of 300 random MMSIs with valid checksums is held (counted) and draws no vessel on HQ's live socket; no asset is created",
      async () => {
        const hq = listen((await as('hq-viewer')).cookie);
        await hq.ready;
        const held = async () => Number(/^tw_ais_unverified_total\{reason="new_vessel"\} (\d+)/m.exec((await raw('/metrics')).body)?.[1] ?? 0);
        const held0 = await held();
        let seed = Number(RUN);
        const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
        const keys: string[] = [];
        const lines: string[] = [];
        for (let i = 0; i < 300; i++) {
          const mmsi = 200_000_000 + Math.floor(rnd() * 500_000_000);
          keys.push(`mmsi:${mmsi}`);
          lines.push(...sentencesFor(type1Bits({ mmsi, lon: Math.round((121 + rnd() * 2) * 600_000), lat: Math.round((29.5 + rnd() * 2) * 600_000), sog: 100 })));
          if (i % 10 === 0) lines.push(...sentencesFor(type5Bits({ mmsi, name: `GHOST ${i}`, callsign: 'BGHST' })));
        }
        const udp = createSocket('udp4');
        for (let i = 0; i < lines.length; i += 20) {
          await new Promise<void>((resolve, reject) => udp.send(`${lines.slice(i, i + 20).join('\r\n')}\r\n`, feed.aisUdp!, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
        }
        udp.close();
        await until('the burst to be held as unverified', async () => (await held()) >= held0 + 300);
        await sleep(3000); // three live ticks
        hq.socket.close();
        const drawn = new Set(hq.meta.map((m) => m.key));
        expect(
          [...drawn].some((k) => k.startsWith('mmsi:')),
          "HQ's socket does carry the demo's vessels",
        ).toBe(true);
        expect(keys.filter((k) => drawn.has(k))).toEqual([]);
        expect(await sql(`SELECT key FROM assets WHERE key = ANY ($1)`, [keys])).toEqual([]);
      },
    ],
    [
      "HTTP ingest: a source in the body is ignored; the stored source is the caller's (user:<name>, http:env)",
      async () => {
        const bySession = await call(sh, 'POST', '/api/ingest/positions', { reports: [fix(truck.key, yard, Date.now() - 500, { source: 'jt808' })] });
        expect(bySession.body).toEqual({ accepted: 1, rejected: [] });
        const byToken = await call('token', 'POST', '/api/ingest/positions', { reports: [fix(truck.key, yard, Date.now(), { source: 'sim' })] });
        expect(byToken.body).toEqual({ accepted: 1, rejected: [] });
        await until('both stored', async () => (await stored(truck.key)).length >= 3);
        expect((await stored(truck.key)).map((r) => r.source)).toEqual(['jt808', 'user:sh-supervisor', 'http:env']);
      },
    ],
    [
      "HTTP ingest: a fix for another customs' truck and one for an unknown key get the same answer; neither is stored or created",
      async () => {
        const unknownKey = `plate:浙X${RUN}`;
        const r = await call(sh, 'POST', '/api/ingest/positions', { reports: [fix(nb.key, yard), fix(unknownKey, yard)] });
        expect(r.status, 'nothing accepted: 422').toBe(422);
        expect(r.body.accepted).toBe(0);
        const [outOfScope, unknown] = (r.body.rejected as { reason: string }[]).map((x) => x.reason);
        expect(outOfScope!.replace(nb.key, 'KEY')).toBe(unknown!.replace(unknownKey, 'KEY'));
        await sleep(1500);
        expect(await stored(nb.key)).toEqual([]);
        expect(await sql(`SELECT 1 FROM assets WHERE key = $1`, [unknownKey])).toEqual([]);
      },
    ],
    [
      "HTTP ingest: an event naming another customs' movement answers like an unknown reference and writes nothing to it",
      async () => {
        const [foreign] = await sql<{ reference: string; id: number }>(
          `SELECT reference, id FROM consignments WHERE status = 'in_transit' AND NOT districts && ARRAY(SELECT code FROM districts WHERE code = '2200' OR parent = '2200')::text[] LIMIT 1`,
        );
        expect(foreign, 'a movement outside Shanghai').toBeTruthy();
        const before = await sql(`SELECT count(*)::int AS n FROM events WHERE consignment_id = $1`, [foreign!.id]);
        const r = await call(sh, 'POST', '/api/ingest/events', {
          events: [
            { kind: 'seal_opened', time: Date.now() - 1000, reference: foreign!.reference },
            { kind: 'seal_opened', time: Date.now() - 1000, reference: `NO-SUCH-${RUN}` },
          ],
        });
        expect(r.status).toBe(422);
        expect(r.body.stored).toBe(0);
        const [a, b] = (r.body.rejected as { reason: string }[]).map((x) => x.reason);
        expect(a!.replace(foreign!.reference, 'REF')).toBe(b!.replace(`NO-SUCH-${RUN}`, 'REF'));
        expect(await sql(`SELECT count(*)::int AS n FROM events WHERE consignment_id = $1`, [foreign!.id])).toEqual(before);
      },
    ],
    [
      '/metrics: 200 OsmAnd requests with attacker-chosen ids and texts add no series and no label holds their text',
      async () => {
        const series = async () => (await raw('/metrics')).body.split('\n').filter((l) => l && !l.startsWith('#'));
        const before = await series();
        await Promise.all(
          Array.from({ length: 200 }, (_, i) => {
            const q = i % 2 ? `id=zz-label-${RUN}-${i}&lat=31&lon=121&secret=x${i}` : `id=zz-label-${RUN}-${i}&lat=${i}x&lon=121&timestamp=zz-label-${i}`;
            return osm(q);
          }),
        );
        const after = await series();
        expect(after.filter((l) => l.includes('zz-label'))).toEqual([]);
        const grown = after.length - before.length;
        expect(grown, `series grew by ${grown}: ${after.filter((l) => !before.some((b) => b.split(' ')[0] === l.split(' ')[0])).join(' | ')}`).toBeLessThanOrEqual(8);
      },
    ],
  ]);
  // Every refused fix above carried the marker latitude: none of them is anywhere.
  expect(await sql(`SELECT count(*)::int AS n FROM positions WHERE abs(ST_Y(geom) - $1) < 1e-6`, [marker])).toEqual([{ n: 0 }]);
});

// ---- Jurisdiction --------------------------------------------------------------------------

test('jurisdiction: an office supervisor cannot take over, see or keep what is not theirs; sockets end with the session', async () => {
  test.setTimeout(120_000);
  const ys = await as('ys-supervisor'); // 洋山海关 2248, an office under Shanghai 2200
  const shSup = await as('sh-supervisor');
  const square = (lon: number, lat: number, d = 0.01) => ({
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + d, lat],
        [lon + d, lat + d],
        [lon, lat + d],
        [lon, lat],
      ],
    ],
  });
  const siteRow = async (code: string) => (await sql(`SELECT district, kind, name_zh, ST_AsText(area) AS area, updated_at FROM sites WHERE code = $1`, [code]))[0];
  const routeRow = async (code: string) =>
    (await sql(`SELECT from_site, to_site, corridor_m, name_zh, ST_AsText(path) AS path, updated_at FROM routes WHERE code = $1`, [code]))[0];
  const t01 = await inside('2248-T01');
  const iso = (ms: number) => new Date(ms).toISOString();

  // Trucks of this run: one at home in Yangshan (keeps Yangshan's room ticking), one at home in
  // Waigaoqiao 2218 (a sibling office): Yangshan sees it only through a movement.
  const ysTruck = await registerVehicle(ys, `沪Y·${RUN.slice(-5)}`, '2248');
  const wgq = await registerVehicle(shSup, `沪W·${RUN.slice(-5)}`, '2218');
  const stopFeeding = keepFeeding(ysTruck.key, t01);

  try {
    await group('jurisdiction', [
      [
        "re-saving another district's site (Ningbo 3104-T01) with one's own district → 403, the row unchanged",
        async () => {
          const before = await siteRow('3104-T01');
          expect(before?.district).toBe('3104');
          const r = await call(ys, 'POST', '/api/sites', { code: '3104-T01', nameZh: '接管', nameEn: 'Taken', kind: 'port_terminal', district: '2248', area: square(122, 30.6) });
          expect(r.status, r.text).toBe(403);
          expect(r.body.error).toMatch(/outside your jurisdiction/);
          expect(await siteRow('3104-T01')).toEqual(before);
        },
      ],
      [
        "re-saving another district's route (R23) between one's own sites → 403, the row unchanged",
        async () => {
          const before = await routeRow('R23');
          expect(before).toBeTruthy();
          const r = await call(ys, 'POST', '/api/routes', {
            code: 'R23',
            nameZh: '接管',
            nameEn: 'Taken',
            from: '2248-T01',
            to: '2248-B01',
            corridorM: 500,
            path: {
              type: 'LineString',
              coordinates: [
                [t01.lon, t01.lat],
                [t01.lon + 0.05, t01.lat + 0.03],
              ],
            },
          });
          expect(r.status, r.text).toBe(403);
          expect(await routeRow('R23')).toEqual(before);
        },
      ],
      [
        'registering a movement on a truck whose home (2218) is outside the office → 403, nothing stored',
        async () => {
          const reference = `ZGX${RUN}0000001`;
          const r = await call(ys, 'POST', '/api/consignments', {
            reference,
            asset: wgq.key,
            route: 'R01',
            departure: iso(Date.now() - 60_000),
            deadline: iso(Date.now() + 4 * 3_600_000),
          });
          expect(r.status, r.text).toBe(403);
          expect(r.body.error).toMatch(/is not a vehicle of your jurisdiction/);
          expect(await sql(`SELECT id FROM consignments WHERE reference = $1`, [reference])).toEqual([]);
          // An unknown key gets the very same answer: no oracle for keys or home districts.
          const unknown = await call(ys, 'POST', '/api/consignments', {
            reference,
            asset: 'tel:013999999997',
            route: 'R01',
            departure: iso(Date.now() - 60_000),
            deadline: iso(Date.now() + 4 * 3_600_000),
          });
          expect(unknown.status).toBe(403);
          expect(unknown.body.error).toBe(r.body.error.replace(wgq.key, 'tel:013999999997'));
        },
      ],
      [
        'GET /api/world for an office viewer holds no route or corridor that /api/routes does not',
        async () => {
          const v = await as('ys-viewer');
          const world = await call(v, 'GET', '/api/world');
          const routes = await call(v, 'GET', '/api/routes');
          expect(world.status).toBe(200);
          const codes = (fc: { features: { properties: { code: string } }[] }) => fc.features.map((f) => f.properties.code).sort();
          const allowed = new Set(codes(routes.body));
          expect(allowed.size).toBeGreaterThan(0);
          expect(codes(world.body.routes).filter((c) => !allowed.has(c))).toEqual([]);
          expect(codes(world.body.corridors).filter((c) => !allowed.has(c))).toEqual([]);
          // Independently: every route the office gets ends in 2248 or is run by a movement touching it.
          const expected = new Set(
            (
              await sql<{ code: string }>(
                `SELECT r.code FROM routes r JOIN sites f ON f.id = r.from_site JOIN sites t ON t.id = r.to_site
           WHERE f.district = '2248' OR t.district = '2248' OR r.id IN (SELECT route_id FROM consignments WHERE '2248' = ANY (districts))`,
              )
            ).map((r) => r.code),
          );
          expect(codes(world.body.routes).filter((c) => !expected.has(c))).toEqual([]);
          const all = (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM routes`))[0]!.n;
          expect(allowed.size, 'the office does not see every route').toBeLessThan(all);
        },
      ],
      [
        "a movement created over REST into the office reaches the office's live socket at once, its alert carries the districts, and it is gone after close",
        async () => {
          const v = listen((await as('ys-viewer')).cookie);
          await v.ready;
          const stopWgq = keepFeeding(wgq.key, t01);
          try {
            await sleep(2500);
            expect(v.ids.has(wgq.id), 'Yangshan does not see the Waigaoqiao truck before the movement').toBe(false);
            const reference = `ZGX${RUN}0000002`;
            const seal = `SEAL${RUN}`;
            const created = await call(shSup, 'POST', '/api/consignments', {
              reference,
              sealId: seal,
              asset: wgq.key,
              route: 'R01',
              departure: iso(Date.now() - 60_000),
              deadline: iso(Date.now() + 4 * 3_600_000),
            });
            expect(created.status, created.text).toBe(201);
            expect(created.body.districts).toContain('2248');
            await until("the truck on Yangshan's socket", () => (v.deltasOf.get(wgq.id) ?? 0) > 0 && v.meta.some((m) => m.id === wgq.id), 8_000);
            const ev = await call('token', 'POST', '/api/ingest/events', { events: [{ kind: 'seal_opened', time: Date.now() - 500, reference, sealId: seal }] });
            expect(ev.status, ev.text).toBe(200);
            await until("the seal alarm on Yangshan's socket", () => v.alerts.some((a) => a.consignmentId === created.body.id), 10_000);
            const alert = v.alerts.find((a) => a.consignmentId === created.body.id)!;
            expect(alert.districts).toContain('2248');
            const listed = await call(await as('ys-viewer'), 'GET', `/api/alerts?consignment=${created.body.id}`);
            expect(listed.body.total).toBeGreaterThan(0);
            const closed = await call(shSup, 'POST', `/api/consignments/${created.body.id}/close`, { reason: 'security suite' });
            expect(closed.status, closed.text).toBe(200);
            await until("the truck gone from Yangshan's socket", () => v.gone.includes(wgq.id), 5_000);
            const seen = v.deltasOf.get(wgq.id) ?? 0;
            await sleep(2500);
            expect((v.deltasOf.get(wgq.id) ?? 0) - seen, 'no tick after gone carries the truck').toBeLessThanOrEqual(1);
          } finally {
            await stopWgq();
            v.socket.close();
          }
        },
      ],
      [
        'a track of a truck seen only through movements holds only their windows (closed, and cancelled)',
        async () => {
          // Fixes of the Waigaoqiao truck before its first movement, in it (fed above), and after it.
          await call('token', 'POST', '/api/ingest/positions', { reports: [fix(wgq.key, t01, Date.now())] });
          const reference = `ZGX${RUN}0000003`;
          const created = await call(shSup, 'POST', '/api/consignments', {
            reference,
            asset: wgq.key,
            route: 'R01',
            departure: iso(Date.now()),
            deadline: iso(Date.now() + 3_600_000),
          });
          expect(created.status, created.text).toBe(201);
          await call('token', 'POST', '/api/ingest/positions', { reports: [fix(wgq.key, t01, Date.now() + 200)] });
          await sleep(500);
          const cancelled = await call(shSup, 'POST', `/api/consignments/${created.body.id}/cancel`, { reason: 'withdrawn' });
          expect(cancelled.status, cancelled.text).toBe(200);
          await sleep(300);
          await call('token', 'POST', '/api/ingest/positions', { reports: [fix(wgq.key, t01, Date.now())] });
          await sleep(1500);
          // Expected, in straight SQL: the fixes inside the windows of the movements that touch 2248.
          const windows = await sql<{ lo: number; hi: number }>(
            `SELECT extract(epoch FROM departure) * 1000 AS lo, extract(epoch FROM CASE WHEN status IN ('closed', 'cancelled') THEN updated_at ELSE coalesce(arrived_at, 'infinity') END) * 1000 AS hi
           FROM consignments WHERE asset_id = $1 AND '2248' = ANY (districts)`,
            [wgq.id],
          );
          expect(windows.length).toBe(2);
          const all = (await stored(wgq.key)).map((r) => r.t);
          const inWindows = all.filter((tm) => windows.some((w) => tm >= Number(w.lo) && tm <= Number(w.hi)));
          expect(inWindows.length, 'some fixes fall inside the windows').toBeGreaterThan(0);
          expect(all.length - inWindows.length, 'and some outside').toBeGreaterThanOrEqual(2);
          const from = Math.min(...all) - 1000,
            to = Date.now() + 1000;
          const track = async (s: Session) => call(s, 'GET', `/api/assets/${wgq.id}/track?from=${Math.floor(from)}&to=${to}`);
          const ysTrack = await track(await as('ys-viewer'));
          expect(ysTrack.status).toBe(200);
          expect(ysTrack.body.properties.times).toEqual(inWindows);
          expect((await track(await as('sh-officer'))).body.properties.times, 'the home customs sees it all').toEqual(all);
        },
      ],
      [
        'after sign-out the live socket is disconnected at once, gets no tick after, and the cookie cannot reconnect',
        async () => {
          const s = await login('ys-viewer');
          const l = listen(s.session!.cookie);
          await l.ready;
          await until('a first delta', () => l.deltas > 0, 5_000);
          const out = await call(s.session!, 'POST', '/api/auth/logout', {});
          expect(out.status).toBe(200);
          expect(await within(l.disconnected, 3_000)).toBe('io server disconnect');
          await sleep(2500);
          expect(l.afterDisconnect).toBe(0);
          expect(await attempt(s.session!.cookie)).toBe('sign in first');
        },
      ],
      [
        "after a kiosk token is revoked its wall's socket is disconnected at once and cannot reconnect",
        async () => {
          const issued = await call(ys, 'POST', '/api/kiosk-tokens', { username: 'ys-viewer', label: `atk-${RUN}` });
          expect(issued.status, issued.text).toBe(201);
          const traded = await raw(`/wall?kiosk=${encodeURIComponent(issued.body.token)}`);
          expect(traded.status).toBe(303);
          const cookie = (traded.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
          const l = listen(cookie);
          await l.ready;
          await until('a first delta on the wall', () => l.deltas > 0, 5_000);
          const revoked = await call(ys, 'DELETE', `/api/kiosk-tokens/${issued.body.id}`);
          expect(revoked.status, revoked.text).toBe(200);
          expect(await within(l.disconnected, 3_000)).toBe('io server disconnect');
          await sleep(2500);
          expect(l.afterDisconnect).toBe(0);
          expect(await attempt(cookie)).toBe('sign in first');
          expect((await raw(`/wall?kiosk=${encodeURIComponent(issued.body.token)}`)).status, 'the revoked link is refused').toBe(401);
        },
      ],
      [
        'page paths through /_next/static with "..", %2e%2e, backslashes and double slashes never serve a page shell without a session',
        async () => {
          const shell = /<html|__next_f|_next\/static\/chunks/i;
          for (const page of ['console', 'wall', 'alerts']) {
            const variants = [
              `/_next/static/../../${page}`,
              `/_next/static/%2e%2e/%2e%2e/${page}`,
              `/_next/static/%2E%2E/%2E%2E/${page}`,
              `/_next/static/..%2f..%2f${page}`,
              `/_next/static\\..\\..\\${page}`,
              `/_next/static/..%5c..%5c${page}`,
              `//${page}`,
              `/_next/static//..//..//${page}`,
              `/_next/image/../${page}`,
              `/_next/static/%252e%252e/%252e%252e/${page}`,
              `/./${page}`,
              `/${page}/`,
              `/${page}/.`,
              `/_next/static/x/../../../${page}`,
            ];
            for (const path of variants) {
              const r = await raw(path);
              expect(r.status, `${path} → ${r.status}`).not.toBe(200);
              expect(r.body, path).not.toMatch(shell);
              if (r.status === 308 || r.status === 307 || r.status === 301) {
                const next = await raw(r.headers.location!);
                expect([303, 400, 401], `${path} → ${r.headers.location} → ${next.status}`).toContain(next.status);
                if (next.status === 303) expect(next.headers.location).toMatch(/^\/login/);
                expect(next.body).not.toMatch(shell);
              } else {
                expect([303, 400, 401, 404], `${path} → ${r.status}`).toContain(r.status);
                if (r.status === 303) expect(r.headers.location).toMatch(/^\/login/);
              }
            }
          }
          // The control: with a session the same page does serve its shell.
          const withSession = await raw('/console', { headers: { cookie: (await as('ys-viewer')).cookie } });
          expect(withSession.status).toBe(200);
          expect(withSession.body).toMatch(shell);
        },
      ],
    ]);
  } finally {
    await stopFeeding();
  }
});

// ---- Bad input -----------------------------------------------------------------------------

test('bad input: a 4xx with the reason, nothing stored, the server responsive; CSV cells are text; lockout per user and address', async ({ browser }) => {
  test.setTimeout(120_000);
  const hqSup = await as('hq-supervisor');
  const ys = await as('ys-supervisor');
  const SHELL = [
    [121, 31],
    [121.1, 31],
    [121.1, 31.1],
    [121, 31.1],
    [121, 31],
  ];
  const site = (code: string, coordinates: unknown) =>
    call(hqSup, 'POST', '/api/sites', { code, nameZh: '坏', nameEn: 'Bad', kind: 'warehouse', district: '2200', area: { type: 'Polygon', coordinates } });
  const badPolygons: [string, unknown, RegExp][] = [
    [
      'an unclosed ring',
      [
        [
          [121, 31],
          [121.1, 31],
          [121.1, 31.1],
          [121, 31.1],
        ],
      ],
      /closed/,
    ],
    [
      'a 3-point ring',
      [
        [
          [121, 31],
          [121.1, 31],
          [121, 31],
        ],
      ],
      /at least 4 positions/,
    ],
    [
      'a hole outside its shell',
      [
        SHELL,
        [
          [122, 32],
          [122.01, 32],
          [122.01, 32.01],
          [122, 32.01],
          [122, 32],
        ],
      ],
      /outside/,
    ],
    [
      'a zero-area ring',
      [
        [
          [121, 31],
          [122, 32],
          [123, 33],
          [121, 31],
        ],
      ],
      /intersects itself|no area/,
    ],
    ['300-dimension positions', [[Array.from({ length: 300 }, (_, i) => (i ? 31 : 121)), [121.1, 31], [121.1, 31.1], [121, 31]]], /\[lon, lat\]/],
  ];
  const lockUser = 'hz-officer';

  await group('bad input', [
    [
      'a NUL in q: /api/consignments and /api/search → 400 (the same text without it → 200)',
      async () => {
        const v = await as('hq-viewer');
        for (const path of ['/api/consignments?q=abc%00def', '/api/search?q=ab%00']) {
          const r = await call(v, 'GET', path);
          expect(r.status, `${path}: ${r.text}`).toBe(400);
          expect(r.body.error).toMatch(/NUL/);
          expect((await call(v, 'GET', path.replace('%00', ''))).status).toBe(200);
        }
      },
    ],
    [
      '/api/alerts?consignment=2147483648 → 400; 2147483647 → 200 with nothing',
      async () => {
        const v = await as('hq-viewer');
        for (const bad of ['2147483648', '99999999999999999999', '-1']) expect((await call(v, 'GET', `/api/alerts?consignment=${bad}`)).status).toBe(400);
        const ok = await call(v, 'GET', '/api/alerts?consignment=2147483647');
        expect(ok.status).toBe(200);
        expect(ok.body.items).toEqual([]);
      },
    ],
    ...badPolygons.map(([name, coordinates, reason]): [string, () => Promise<void>] => [
      `a site with ${name} → 400 with the reason, nothing stored`,
      async () => {
        const code = `ATK-${RUN}-${name.replace(/\W+/g, '-')}`.slice(0, 32);
        const r = await site(code, coordinates);
        expect(r.status, `${name}: ${r.text}`).toBe(400);
        expect(r.body.error).toMatch(reason);
        expect(await sql(`SELECT 1 FROM sites WHERE code = $1`, [code])).toEqual([]);
      },
    ]),
    [
      'a route path with 300-dimension positions → 400',
      async () => {
        const r = await call(ys, 'POST', '/api/routes', {
          code: `R-D${RUN}`,
          nameZh: '坏',
          nameEn: 'Bad',
          from: '2248-T01',
          to: '2248-B01',
          corridorM: 500,
          path: { type: 'LineString', coordinates: [Array.from({ length: 300 }, () => 31), [121.1, 31.1]] },
        });
        expect(r.status, r.text).toBe(400);
      },
    ],
    [
      'a 20,000-vertex route with a 20 km corridor → 400 with the limit, fast, while /healthz stays responsive',
      async () => {
        const code = `R-H${RUN}`;
        const coordinates = Array.from({ length: 20_000 }, (_, i) => [122.0 + (i % 200) * 0.001, 30.6 + Math.floor(i / 200) * 0.001 * (i % 2 ? 1 : -1)]);
        let done = false;
        let worst = 0;
        const probe = (async () => {
          while (!done) {
            const t0 = performance.now();
            expect((await raw('/healthz')).status).toBe(200);
            worst = Math.max(worst, performance.now() - t0);
            await sleep(50);
          }
        })();
        const t0 = performance.now();
        const r = await call(ys, 'POST', '/api/routes', {
          code,
          nameZh: '重',
          nameEn: 'Heavy',
          from: '2248-T01',
          to: '2248-B01',
          corridorM: 20_000,
          path: { type: 'LineString', coordinates },
        });
        const ms = performance.now() - t0;
        done = true;
        await probe;
        expect(r.status, r.text.slice(0, 300)).toBe(400);
        expect(r.body.error).toMatch(/at most \d+ positions/);
        console.log(`security: heavy route refused in ${ms.toFixed(0)} ms; slowest /healthz meanwhile ${worst.toFixed(0)} ms`);
        expect(ms, 'refused without buffering (the old answer took 4–13 s)').toBeLessThan(4_000);
        expect(worst, 'no gross stall of the server (the old one: 3.5 s)').toBeLessThan(2_000);
        expect(await sql(`SELECT 1 FROM routes WHERE code = $1`, [code])).toEqual([]);
      },
    ],
    [
      "ack notes starting with = + - @ leave the alert page's CSV export (Chromium download) as text, not formulas",
      async () => {
        // Four sealed movements outside Shanghai (the alert page spec uses Shanghai's), each given a seal alarm.
        const officer = await as('hq-officer');
        const movements = await sql<{ id: number; reference: string; seal_id: string }>(
          `SELECT c.id, c.reference, c.seal_id FROM consignments c WHERE c.status = 'in_transit' AND c.seal_id IS NOT NULL
           AND NOT c.districts && ARRAY(SELECT code FROM districts WHERE code = '2200' OR parent = '2200')::text[]
           AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.consignment_id = c.id AND a.type = 'SEAL_ALARM')
         ORDER BY c.id DESC LIMIT 4`,
        );
        expect(movements.length).toBe(4);
        const ev = await call('token', 'POST', '/api/ingest/events', {
          events: movements.map((m) => ({ kind: 'seal_opened', time: Date.now() - 1000, reference: m.reference, sealId: m.seal_id })),
        });
        expect(ev.status, ev.text).toBe(200);
        const notes = ['=HYPERLINK("http://x.invalid/?leak","click")', '+1+1', '-2+3', '@SUM(1;1)'];
        for (const [i, m] of movements.entries()) {
          let alertId: number | undefined;
          await until(`a seal alarm on ${m.reference}`, async () => {
            alertId = (await call(officer, 'GET', `/api/alerts?consignment=${m.id}&type=SEAL_ALARM`)).body.items?.[0]?.id;
            return alertId !== undefined;
          });
          const ack = await call(officer, 'POST', `/api/alerts/${alertId}/ack`, { note: notes[i] });
          expect(ack.status, ack.text).toBe(200);
        }
        const context = await browser.newContext({ acceptDownloads: true });
        const page = await context.newPage();
        await signInPage(page, 'hq-officer', '/alerts');
        await page.getByTestId('filter-type').selectOption('SEAL_ALARM');
        await page.getByTestId('filter-state').selectOption('acknowledged');
        await expect(page.getByTestId('alert-row').filter({ hasText: movements[0]!.reference })).toHaveCount(1);
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
        let text = '';
        for await (const chunk of (await download.createReadStream()).setEncoding('utf8')) text += chunk;
        await context.close();
        for (const note of notes) {
          expect(text, `the note ${note} is in the export, as text`).toContain(`"'${note.replace(/"/g, '""')}"`);
        }
        // No cell of the file starts a formula: every cell opening (line start or after a comma, quoted or not).
        const formulaCells = text.split(/\r\n/).flatMap((line) => line.match(/(?:^|,)"?[=+\-@][^,]*/g) ?? []);
        expect(formulaCells).toEqual([]);
      },
    ],
    // Linux routes all of 127/8 to loopback: a client may bind any of it as its source, and the
    // server sees that as the peer address, so two "addresses" need no second machine.
    [
      'five wrong passwords for a user from one address do not lock that user out from another address (127.0.0.66 → 127.0.0.67)',
      async () => {
        for (let i = 0; i < 5; i++) expect((await login(lockUser, `wrong-${i}`, '127.0.0.66')).status).toBe(401);
        // The control: at the attacker's address the user is now held back (backoff), even with the right password.
        expect((await login(lockUser, DEMO_PASSWORD, '127.0.0.66')).status).toBe(429);
        // A client-sent address header does not move the attacker elsewhere.
        const spoofed = await raw('/api/auth/login', {
          method: 'POST',
          localAddress: '127.0.0.66',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.67', 'x-tw-client-ip': '127.0.0.67' },
          body: JSON.stringify({ username: lockUser, password: DEMO_PASSWORD }),
        });
        expect(spoofed.status).toBe(429);
        expect((await login(lockUser, DEMO_PASSWORD, '127.0.0.67')).status, 'the user at their own address').toBe(200);
      },
    ],
    [
      "the backoff is per (user, address): another user from the attacker's address still signs in",
      async () => {
        expect((await login('nb-officer', DEMO_PASSWORD, '127.0.0.66')).status).toBe(200);
      },
    ],
  ]);
});

// ---- CSP -----------------------------------------------------------------------------------

test('CSP: every page has a fresh script nonce, no unsafe-inline for scripts, connect-src self; no violation in Chromium', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load|connect|apply)/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const nonces = new Set<string>();

  async function check(path: string): Promise<void> {
    const res = await page.goto(path, { waitUntil: 'load' });
    expect(res!.status(), path).toBe(200);
    await page.waitForTimeout(1500); // the live socket, the map's workers and tiles
    const csp = res!.headers()['content-security-policy'] ?? '';
    const directives = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );
    const scriptSrc: string[] = directives['script-src'] ?? [];
    const nonce = scriptSrc.find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
    expect(nonce, `${path}: script-src has a nonce (${csp})`).toBeTruthy();
    expect(scriptSrc, path).not.toContain("'unsafe-inline'");
    expect(scriptSrc, path).not.toContain("'unsafe-eval'");
    expect(directives['connect-src'] ?? [], path).not.toEqual(expect.arrayContaining(['ws:']));
    expect(
      (directives['connect-src'] ?? []).filter((s: string) => /^(ws|wss|https?):?$|\*/.test(s)),
      `${path}: connect-src names no scheme or wildcard`,
    ).toEqual([]);
    expect(directives['connect-src'], path).toContain("'self'");
    expect(nonces.has(nonce!), `${path}: the nonce is fresh`).toBe(false);
    nonces.add(nonce!);
    const html = await res!.text();
    const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
    expect(scripts.length, `${path} has scripts`).toBeGreaterThan(0);
    const without = scripts.filter((s) => !s.includes(`nonce="${nonce}"`));
    expect(without, `${path}: every <script> carries this response's nonce`).toEqual([]);
    expect(violations, `${path}: no CSP violation`).toEqual([]);
  }

  await group('csp', [
    ['/login', () => check('/login')],
    [
      '/ (live map), signed in',
      async () => {
        await signInPage(page, 'hq-supervisor', '/');
        await check('/');
      },
    ],
    ['/console', () => check('/console')],
    ['/alerts', () => check('/alerts')],
    ['/wall', () => check('/wall')],
  ]);
  await context.close();
});

// ---- Database and ledger -------------------------------------------------------------------

test('database: the ledger verifies over HTTP on the untampered server, against its anchors, for a supervisor only', async () => {
  test.setTimeout(150_000);
  await group('database', [
    [
      'GET /api/ledger/verify without a session → 401; as a viewer or officer → 403',
      async () => {
        expect((await call('anonymous', 'GET', '/api/ledger/verify')).status).toBe(401);
        expect((await call('token', 'GET', '/api/ledger/verify')).status).toBe(401);
        expect((await call(await as('hq-viewer'), 'GET', '/api/ledger/verify')).status).toBe(403);
        expect((await call(await as('hq-officer'), 'GET', '/api/ledger/verify')).status).toBe(403);
      },
    ],
    [
      'GET /api/ledger/verify as a supervisor: ok, checked against the signed anchor log outside the database',
      async () => {
        // The first checkpoint is anchored a minute after start (LEDGER_CHECKPOINT_SECONDS).
        let r = await call(await as('hq-supervisor'), 'GET', '/api/ledger/verify');
        await until(
          'a first anchored checkpoint',
          async () => {
            r = await call(await as('hq-supervisor'), 'GET', '/api/ledger/verify');
            return r.status === 200 && (r.body.anchors?.anchored ?? 0) > 0;
          },
          100_000,
        );
        expect(r.body.ok, JSON.stringify(r.body).slice(0, 500)).toBe(true);
        expect(r.body.anchors.file).toMatch(/\.jsonl$/);
        expect(r.body.anchors.lines).toBeGreaterThan(0);
        expect(r.body.findings ?? []).toEqual([]);
      },
    ],
    [
      'the database named by DATABASE_URL holds the ledger append-only: an UPDATE of an entry is refused',
      async () => {
        const err = await db.query(`UPDATE ledger SET payload = payload WHERE seq = (SELECT min(seq) FROM ledger)`).then(
          () => null,
          (e: Error) => e.message,
        );
        expect(err, 'the trigger refuses it, for the superuser of the test server too').toBeTruthy();
      },
    ],
  ]);
});

test('security: the count', () => {
  const total = Object.values(ran).reduce((a, b) => a + b, 0);
  const missing = GROUPS.filter((g) => ran[g] === undefined);
  expect(missing, 'groups that did not run clean (see their failures above)').toEqual([]);
  console.log(`security: ${total} attack cases, 0 leaks`);
});
