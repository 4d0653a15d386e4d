// A simulated lower platform over real TCP against the real listener (in-memory authority): login
// results, the down-link back to the platform, heartbeats, positions and backfills to the sink,
// alarms, requests and their acknowledgements, logout, and bad input beside good data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { recordingSink } from '../jt808/testing';
import { Jt809PlatformRegistry } from './authority';
import { encodeFrame } from './codec';
import { startJt809Server } from './listener';
import { jt809Links } from './links';
import { MSG, SUB } from './messages';
import { Jt809Platform } from './platform';

const KEYS = { m1: 30_000_000, ia1: 20_000_000, ic1: 20_000_000 };
const authority = () =>
  new Jt809PlatformRegistry([
    { accessCode: 20180920, userId: 20180920, password: '20180920', plates: { 沪A12345: 'plate:沪A12345', 沪B00001: 'plate:沪B00001' } },
    { accessCode: 777, userId: 7, password: 'secret77', keys: KEYS },
  ]);

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

for (const edition of [2011, 2019] as const) {
  test(`${edition}: login, down-link, heartbeat, positions, backfill, alarm, request, logout`, async () => {
    const rec = recordingSink();
    const auth = authority();
    const server = await startJt809Server({ port: 0, host: '127.0.0.1', sink: rec.sink, authority: auth, downLink: { heartbeatMs: 50 } });
    const p = new Jt809Platform({ port: server.port, accessCode: 20180920, userId: 20180920, password: '20180920', edition });
    try {
      await p.connect();
      const login = await p.login();
      assert.equal(login.result, 0);
      assert.ok(login.verifyCode > 0);
      // The upper platform connects back with 0x9001 and the verify code, then keeps it with 0x9005.
      const down = await p.next((r) => r.link === 'down' && r.header.msgId === MSG.DOWN_CONNECT_REQ);
      assert.equal(Buffer.from(down.body).readUInt32BE(0), login.verifyCode);
      await p.next((r) => r.link === 'down' && r.header.msgId === MSG.DOWN_LINKTEST_REQ);
      assert.equal((await p.heartbeat()).header.msgId, MSG.UP_LINKTEST_RSP);

      const t0 = Date.UTC(2026, 11, 5, 8, 0, 0);
      p.position('沪A12345', 2, { time: t0, lat: 31.23, lon: 121.47, speed: 40, course: 90, alarm: 1 });
      p.history('沪A·12345', 2, [
        { time: t0 - 60_000, lat: 31.22, lon: 121.46, speed: 30 },
        { time: t0 - 30_000, lat: 31.225, lon: 121.465, speed: 35 },
      ]);
      p.position('浙C99999', 2, { time: t0, lat: 30, lon: 120 }); // not this platform's: ignored
      p.position('沪B00001', 2, { time: t0, lat: 31, lon: 121, status: 0 }); // no fix
      p.alarm('沪A12345', 2, { type: 0x0003, time: t0, info: '紧急报警测试' });
      await until(() => rec.positions.length === 3 && auth.alarms.length === 1, 'three positions and an alarm');
      assert.deepEqual(
        rec.positions.map((r) => [r.assetKey, r.source, r.time, r.lat, r.lon, r.speed]),
        [
          ['plate:沪A12345', 'jt809', t0, 31.23, 121.47, 40],
          ['plate:沪A12345', 'jt809', t0 - 60_000, 31.22, 121.46, 30],
          ['plate:沪A12345', 'jt809', t0 - 30_000, 31.225, 121.465, 35],
        ],
      );
      assert.equal(rec.positions[0]!.course, 90);
      assert.ok(rec.positions[0]!.alarm! > 0, 'the 808 emergency bit maps to a device alarm');
      assert.equal(rec.positions[0]!.label, '沪A12345');
      assert.deepEqual(
        rec.ignores.map((i) => i.what).filter((w) => w !== 'exchange_ack'),
        ['plate_not_allowed', 'no_fix'],
      );
      assert.equal(auth.alarms[0]!.warning.type, 3);
      assert.equal(auth.alarms[0]!.warning.info, '紧急报警测试');

      // A request for a vehicle's positions goes down the down-link; the platform acknowledges on the main link.
      await until(() => jt809Links.get(1) !== undefined, 'the live link');
      const session = jt809Links.get(1)!;
      assert.ok(session.downLink?.open);
      assert.ok(session.requestPositions('沪A12345', 2, true));
      const req = await p.next((r) => r.link === 'down' && r.exchange?.dataType === SUB.DOWN_RETURN_STARTUP);
      assert.deepEqual([req.exchange!.plate, req.exchange!.color, [...req.exchange!.data]], ['沪A12345', 2, [1]]);
      await until(() => rec.ignores.some((i) => i.what === 'exchange_ack'), 'the 0x1205');

      assert.equal((await p.logout()).header.msgId, MSG.UP_DISCONNECT_RSP);
      await until(() => server.connections() === 0, 'the link to close');
      assert.equal(jt809Links.get(1), undefined);
      assert.deepEqual(rec.rejectCounts(), {});
    } finally {
      await p.close();
      await server.close();
    }
  });
}

test('shutting down, the server tells a logged-in platform with 0x9008', async () => {
  const rec = recordingSink();
  const server = await startJt809Server({ port: 0, host: '127.0.0.1', sink: rec.sink, authority: authority(), downLink: false });
  const p = new Jt809Platform({ port: server.port, accessCode: 20180920, userId: 20180920, password: '20180920', downLink: false });
  try {
    await p.connect();
    assert.equal((await p.login()).result, 0);
    const notice = p.next((r) => r.header.msgId === MSG.DOWN_CLOSELINK_INFORM);
    await server.close();
    assert.equal((await notice).body[0], 0);
  } finally {
    await p.close();
  }
});

test('login refusals carry the standard 0x1002 results; nothing is taken before a login', async () => {
  const rec = recordingSink();
  const server = await startJt809Server({ port: 0, host: '127.0.0.1', sink: rec.sink, authority: authority(), downLink: false });
  const cases = [
    { accessCode: 1, userId: 20180920, password: '20180920', want: 2 }, // unknown platform
    { accessCode: 20180920, userId: 1, password: '20180920', want: 3 }, // unknown user
    { accessCode: 20180920, userId: 20180920, password: 'guess', want: 4 }, // wrong password
  ];
  try {
    for (const c of cases) {
      const p = new Jt809Platform({ port: server.port, ...c, downLink: false });
      await p.connect();
      p.position('沪A12345', 2, { time: Date.now(), lat: 31, lon: 121 }); // before login: refused, unanswered
      assert.equal((await p.login()).result, c.want, JSON.stringify(c));
      p.position('沪A12345', 2, { time: Date.now(), lat: 31, lon: 121 }); // after a refused login: the same
      p.send(MSG.UP_LINKTEST_REQ, new Uint8Array(0));
      await sleep(50);
      assert.ok(!p.received.some((r) => r.header.msgId === MSG.UP_LINKTEST_RSP), 'a heartbeat from a platform not logged in is not answered');
      await p.close();
    }
    assert.equal(rec.positions.length, 0);
    assert.equal(rec.rejectCounts().auth, 3);
    assert.ok((rec.rejectCounts().unauthenticated ?? 0) >= 6);
  } finally {
    await server.close();
  }
});

test('an encrypted platform: its login and positions open with its keys', async () => {
  const rec = recordingSink();
  const server = await startJt809Server({ port: 0, host: '127.0.0.1', sink: rec.sink, authority: authority(), downLink: false });
  const p = new Jt809Platform({ port: server.port, accessCode: 777, userId: 7, password: 'secret77', keys: KEYS, downLink: false, edition: 2019 });
  try {
    await p.connect();
    assert.equal((await p.login()).result, 0);
    p.position('粤B12345', 1, { time: Date.UTC(2026, 0, 1), lat: 22.5, lon: 114 });
    await until(() => rec.positions.length === 1, 'the position');
    assert.deepEqual([rec.positions[0]!.lat, rec.positions[0]!.lon], [22.5, 114]);
  } finally {
    await p.close();
    await server.close();
  }
});

test('attack: garbage, a bad CRC, a cut frame and another access code beside good frames lose nothing else', async () => {
  const rec = recordingSink();
  const server = await startJt809Server({ port: 0, host: '127.0.0.1', sink: rec.sink, authority: authority(), downLink: false });
  const p = new Jt809Platform({ port: server.port, accessCode: 20180920, userId: 20180920, password: '20180920', downLink: false });
  try {
    await p.connect();
    assert.equal((await p.login()).result, 0);
    const t0 = Date.UTC(2026, 11, 5);
    const good = p.positionFrame('沪A12345', 2, { time: t0, lat: 31, lon: 121 });
    const bad = Buffer.from(good);
    bad[bad.length - 3] = bad[bad.length - 3]! ^ 0xff; // the CRC
    const other = encodeFrame({ msgId: MSG.UP_EXG_MSG, sn: 1, centerId: 999, body: good.subarray(23, good.length - 3) });
    p.write(Buffer.concat([Buffer.from('hello'), bad, good.subarray(0, 20), other, good]));
    await until(() => rec.positions.length === 1, 'the good frame');
    await sleep(50);
    const c = rec.rejectCounts();
    assert.equal(c.checksum, 1);
    assert.equal(c.truncated, 1);
    assert.ok((c.garbage ?? 0) >= 1);
    assert.equal(c.terminal_mismatch, 1);
  } finally {
    await p.close();
    await server.close();
  }
});

test("attack: a login naming someone else's down-link address is not connected to", async () => {
  const rec = recordingSink();
  const server = await startJt809Server({ port: 0, host: '127.0.0.1', sink: rec.sink, authority: authority() });
  // Something listening elsewhere must never be dialled because a platform named it.
  let dialled = false;
  const victim = net.createServer((s) => ((dialled = true), s.destroy()));
  await new Promise<void>((r) => victim.listen(0, '127.0.0.2', r));
  const p = new Jt809Platform({ port: server.port, accessCode: 20180920, userId: 20180920, password: '20180920', claimDownLinkIp: '127.0.0.2' });
  try {
    await p.connect();
    (p as unknown as { downLinkPort: number }).downLinkPort = (victim.address() as net.AddressInfo).port;
    assert.equal((await p.login()).result, 0);
    const notice = await p.next((r) => r.header.msgId === MSG.DOWN_DISCONNECT_INFORM);
    assert.equal(notice.body[0], 2);
    await sleep(100);
    assert.equal(dialled, false);
    assert.ok(rec.ignores.some((i) => i.what === 'downlink_refused'));
  } finally {
    await p.close();
    victim.close();
    await server.close();
  }
});
