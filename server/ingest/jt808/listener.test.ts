// The JT/T 808 listener over real TCP sockets, driven by the Jt808Terminal helper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { PositionReportSchema } from '../../../lib/domain';
import { connectionsClosed, ingestConnections } from '../metrics';
import { encodeFrame } from './codec';
import { TRACCAR, hexBytes } from './fixtures';
import { startJt808Server, type Jt808ServerOptions } from './listener';
import { MSG, encodeLocationBody } from './messages';
import { Jt808TerminalRegistry } from './registry';
import { Jt808Terminal } from './terminal';
import { recordingSink } from './testing';

async function withServer(opts: Partial<Jt808ServerOptions>, fn: (port: number, rec: ReturnType<typeof recordingSink>) => Promise<void>) {
  const rec = recordingSink();
  const server = await startJt808Server({ sink: rec.sink, port: 0, host: '127.0.0.1', ...opts });
  try {
    await fn(server.port, rec);
  } finally {
    await server.close();
  }
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await sleep(5);
  }
}

const metric = async (c: typeof connectionsClosed | typeof ingestConnections, labels: Record<string, string>) =>
  (await c.get()).values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k as keyof typeof v.labels] === x))?.value ?? 0;

test('a full session over TCP (2013): register, authenticate, heartbeat, locations, batch, logout', async () => {
  await withServer({}, async (port, rec) => {
    const t = await Jt808Terminal.connect({ port, phone: '13912345678' });
    const reg = await t.register({ province: 31, city: 100, model: 'TW-1', plate: '沪A12345', plateColor: 2 });
    assert.equal(reg.result, 0);
    assert.match(reg.authCode!, /^[0-9A-F]{12}$/);
    assert.equal(await t.authenticate(), 0);
    assert.equal(await t.heartbeat(), 0);
    const t0 = Date.UTC(2026, 2, 1, 4, 0, 0);
    assert.equal(await t.sendLocation({ lat: 31.2304, lon: 121.4737, time: t0, speed: 36.5, course: 90, alarm: 1 << 31 }), 0);
    assert.equal(
      await t.sendBatch(
        [1, 2, 3].map((i) => ({ lat: 31.23 + i / 1000, lon: 121.47, time: t0 + i * 10_000, speed: 40 })),
        1,
      ),
      0,
    );
    assert.equal(await t.logout(), 0);
    assert.equal(await t.sendLocation({ lat: 31.3, lon: 121.5, time: t0 + 60_000 }), 1, 'refused after logout');
    await t.close();
    assert.equal(rec.positions.length, 4);
    assert.deepEqual(rec.positions[0], {
      assetKey: 'tel:013912345678',
      kind: 'vehicle',
      source: 'jt808',
      time: t0,
      lon: 121.4737,
      lat: 31.2304,
      speed: 36.5,
      course: 90,
      alarm: 0x80000000,
      label: '沪A12345',
    });
    assert.deepEqual(
      rec.positions.slice(1).map((p) => p.time),
      [t0 + 10_000, t0 + 20_000, t0 + 30_000],
    );
    for (const p of rec.positions) assert.ok(PositionReportSchema.safeParse(p).success);
    assert.deepEqual(rec.rejectCounts(), { unauthenticated: 1 });
  });
});

test('a full session over TCP (2019 edition): replies come back in 2019 framing; a 2019 auth body with IMEI', async () => {
  await withServer({}, async (port, rec) => {
    const t = await Jt808Terminal.connect({ port, phone: '00000000013912345678', edition: 2019 });
    assert.equal((await t.register({ plate: '粤B88888' })).result, 0);
    assert.equal(await t.authenticate(undefined, { imei: '866496077582164', softwareVersion: '2.1' }), 0);
    assert.equal(await t.sendLocation({ lat: -27.263378, lon: 153.037383, time: Date.UTC(2026, 4, 9, 8, 42, 27), speed: 12.3, course: 359 }), 0);
    assert.ok(t.received.every((r) => r.header.edition === 2019 && r.header.phone === '00000000013912345678'));
    await t.close();
    assert.deepEqual(
      rec.positions.map((p) => [p.assetKey, p.lat, p.lon, p.label]),
      [['tel:00000000013912345678', -27.263378, 153.037383, '粤B88888']],
    );
  });
});

test('attack: a made-up auth code is refused over TCP, and the fixes behind it are refused (result 1) and not passed on', async () => {
  await withServer({}, async (port, rec) => {
    const t = await Jt808Terminal.connect({ port, phone: '013833501744' });
    const serial = 0x19;
    const reply = t.awaitReply(serial);
    t.sendRaw(hexBytes(TRACCAR.location)); // real frame, serial 0x0019
    assert.equal((await reply).general!.result, 1);
    assert.equal(await t.authenticate('code-from-last-week'), 1);
    const again = t.awaitReply(serial);
    t.sendRaw(hexBytes(TRACCAR.location));
    assert.equal((await again).general!.result, 1);
    await t.close();
    assert.equal(rec.positions.length, 0);
    assert.deepEqual(rec.rejectCounts(), { unauthenticated: 2, auth: 1 });
  });
  // A replay of old captures may ask for codes it has no record of to be taken.
  await withServer({ authority: new Jt808TerminalRegistry({ acceptUnknownAuthCodes: true }) }, async (port) => {
    const t = await Jt808Terminal.connect({ port, phone: '013833501744' });
    assert.equal(await t.authenticate('code-from-last-week'), 0);
    await t.close();
  });
});

test('random TCP chunkings of a stream over a real socket decode the same', async () => {
  await withServer({ requireAuth: false }, async (port, rec) => {
    const phone = '013912345678';
    const t0 = Date.UTC(2026, 0, 1);
    const frames = Array.from({ length: 200 }, (_, i) =>
      encodeFrame({
        msgId: MSG.LOCATION,
        phone,
        serial: i,
        body: encodeLocationBody({ lat: 30 + i / 1000, lon: 120 + i / 1000, time: t0 + i * 1000, speed: i % 120, alarm: i % 7 === 0 ? 0x7e7d : 0 }),
      }),
    );
    const stream = Buffer.concat(frames.flatMap((f, i) => (i % 10 === 0 ? [Buffer.from('noise'), f] : [f])));
    const socket = net.connect({ port, host: '127.0.0.1' });
    await new Promise((r) => socket.once('connect', r));
    socket.setNoDelay(true);
    let seed = 7;
    for (let at = 0; at < stream.length;) {
      seed = (seed * 48271) % 0x7fffffff;
      const n = 1 + (seed % 97);
      socket.write(stream.subarray(at, at + n));
      at += n;
      if (seed % 5 === 0) await sleep(1);
    }
    await until(() => rec.positions.length === 200);
    socket.destroy();
    assert.deepEqual(
      rec.positions.map((p) => p.time),
      frames.map((_, i) => t0 + i * 1000),
    );
    assert.equal(rec.positions[7]!.alarm, 0x7e7d);
    assert.equal(rec.rejectCounts().garbage, 20);
  });
});

test('idle connections are closed and counted; the connection gauge follows', async () => {
  await withServer({ idleTimeoutMs: 150 }, async (port) => {
    const before = await metric(connectionsClosed, { protocol: 'jt808', reason: 'idle' });
    const t = await Jt808Terminal.connect({ port, phone: '013912345678' });
    await until(() => t.closed, 2000);
    assert.equal(await metric(connectionsClosed, { protocol: 'jt808', reason: 'idle' }), before + 1);
  });
  // The gauge is back where it started once the connections are gone.
  await withServer({}, async (port) => {
    const base = await metric(ingestConnections, { protocol: 'jt808' });
    const ts = await Promise.all([1, 2, 3].map((i) => Jt808Terminal.connect({ port, phone: `1391234567${i}` })));
    await Promise.all(ts.map((t) => t.heartbeat()));
    assert.equal(await metric(ingestConnections, { protocol: 'jt808' }), base + 3);
    await Promise.all(ts.map((t) => t.close()));
    await sleep(50);
    assert.equal(await metric(ingestConnections, { protocol: 'jt808' }), base);
  });
});

test('a connection flooding garbage is closed and does not slow another terminal down', async () => {
  await withServer({}, async (port, rec) => {
    const before = await metric(connectionsClosed, { protocol: 'jt808', reason: 'garbage' });
    const flood = net.connect({ port, host: '127.0.0.1' });
    flood.on('error', () => {});
    let floodClosed = false;
    flood.on('close', () => {
      floodClosed = true;
    });
    await new Promise((r) => flood.once('connect', r));
    const junk = Buffer.alloc(64 * 1024, 0x41);
    const pump = async () => {
      while (!floodClosed) {
        flood.write(junk);
        await sleep(0);
      }
    };
    const pumping = pump();

    const t = await Jt808Terminal.connect({ port, phone: '013912345678' });
    await t.register({ plate: '沪A00001' });
    assert.equal(await t.authenticate(), 0);
    for (let i = 0; i < 100; i++) await t.sendLocation({ lat: 31, lon: 121 + i / 1e4, time: Date.UTC(2026, 0, 1) + i * 1000 });
    await t.close();
    await until(() => floodClosed);
    await pumping;
    assert.equal(rec.positions.length, 100);
    assert.equal(await metric(connectionsClosed, { protocol: 'jt808', reason: 'garbage' }), before + 1);
  });
});

test('an oversize frame over TCP is refused and the next location on the connection is answered', async () => {
  await withServer({ requireAuth: false, maxFrameBytes: 1100 }, async (port, rec) => {
    const t = await Jt808Terminal.connect({ port, phone: '013912345678' });
    t.sendRaw(Buffer.concat([Buffer.of(0x7e), Buffer.alloc(5000, 0x30), Buffer.of(0x7e)]));
    assert.equal(await t.sendLocation({ lat: 31, lon: 121, time: Date.UTC(2026, 0, 1) }), 0);
    await t.close();
    assert.equal(rec.rejectCounts().oversize, 1);
    assert.equal(rec.positions.length, 1);
  });
});
