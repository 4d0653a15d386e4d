// The store under an outage, through a real TCP proxy in front of PostgreSQL that the test cuts and
// restores: nothing taken is lost, order is kept, the ingest gate holds real device sockets while
// the store is behind and reads them again when it caught up; past the hard cap only whole old
// chunks go, counted; replayed rows stored already are not stored again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import pg from 'pg';
import { outageProxy } from '../../db/outageProxy';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { positionsDropped } from '../metrics';
import { IngestGate } from './ingestGate';
import { PositionWriter, type PositionRow } from './positionWriter';

let db: TestDatabase;
let assetId: number;
before(async () => {
  db = await freshDatabase();
  assetId = (await db.pool.query(`INSERT INTO assets (key, kind) VALUES ('tel:013900007001', 'vehicle') RETURNING id`)).rows[0].id;
});
after(async () => {
  await db.drop();
});

const row = (i: number, t0: number, extra: Partial<PositionRow> = {}): PositionRow => ({
  assetId,
  time: t0 + i * 1000,
  lon: 121 + i / 1e5,
  lat: 31,
  speed: 40,
  source: 'sim',
  ...extra,
});
const storedTimes = async (t0: number) =>
  (
    await db.pool.query<{ t: string }>(
      `SELECT (extract(epoch FROM time) * 1000)::bigint AS t FROM positions WHERE asset_id = $1 AND time >= to_timestamp($2 / 1000.0) AND time < to_timestamp($2 / 1000.0 + 1000) ORDER BY batch, time`,
      [assetId, t0],
    )
  ).rows.map((r) => Number(r.t));
const until = async (what: string, check: () => boolean | Promise<boolean>) => {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

test('a database outage loses nothing: rows wait in order, device sockets are held, and both resume when it is back', async () => {
  const proxy = await outageProxy(db.url);
  const pool = new pg.Pool({ connectionString: proxy.url, max: 2, connectionTimeoutMillis: 1000 });
  pool.on('error', () => {});
  const gate = new IngestGate(300, 100);
  const writer = new PositionWriter(pool, { batchRows: 100, flushMs: 20, gate });
  writer.start();

  // A device connection (real TCP) the gate follows.
  const device = net.createServer((s) => gate.track(s));
  await new Promise<void>((r) => device.listen(0, '127.0.0.1', r));
  const received: Buffer[] = [];
  const accepted = new Promise<net.Socket>((r) => device.once('connection', r));
  const terminal = net.connect((device.address() as net.AddressInfo).port, '127.0.0.1');
  const serverSide = await accepted;
  serverSide.on('data', (b) => received.push(b));

  try {
    const t0 = Date.now() - 3_600_000;
    for (let i = 0; i < 50; i++) writer.add(row(i, t0));
    await writer.flush();
    assert.equal(writer.pending, 0);

    proxy.cut();
    for (let i = 50; i < 450; i++) writer.add(row(i, t0));
    await writer.flush(); // fails; the rows stay
    assert.equal(writer.pending, 400, 'nothing dropped while the database is away');
    assert.ok(gate.held, 'past the high-water mark the gate holds');
    const mark = writer.mark();
    let settled = false;
    void writer.settled(mark).then(() => (settled = true));

    // While held, what a device sends is not read (it waits in the socket buffers).
    terminal.write('7e0200…7e');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(received.length, 0, 'a held socket is not read');
    assert.equal(settled, false, 'settled() waits for the rows to be stored');

    proxy.restore();
    await until('the backlog is stored', () => writer.pending === 0);
    await until('settled() resolves', () => settled);
    assert.equal(gate.held, false, 'below the low-water mark the gate opens');
    await until('the held socket is read again', () => received.length > 0);
    assert.equal(Buffer.concat(received).toString(), '7e0200…7e');

    const times = await storedTimes(t0);
    assert.deepEqual(
      times,
      Array.from({ length: 450 }, (_, i) => t0 + i * 1000),
      'every row stored once, in the order taken',
    );
  } finally {
    terminal.destroy();
    await new Promise<void>((r) => device.close(() => r()));
    await writer.stop();
    await pool.end();
    await proxy.close();
  }
});

test('past the hard cap the oldest whole chunks are dropped and counted, never the batch being written', async () => {
  const proxy = await outageProxy(db.url);
  const pool = new pg.Pool({ connectionString: proxy.url, max: 1, connectionTimeoutMillis: 500 });
  pool.on('error', () => {});
  const writer = new PositionWriter(pool, { batchRows: 10, flushMs: 60_000, maxBuffered: 45 });
  const before = (await positionsDropped.get()).values[0]?.value ?? 0;
  try {
    proxy.cut();
    const t0 = Date.now() - 7_200_000;
    for (let i = 0; i < 100; i++) writer.add(row(i, t0));
    const dropped = ((await positionsDropped.get()).values[0]?.value ?? 0) - before;
    assert.equal(dropped + writer.pending, 100, 'every row is either queued or counted as dropped');
    assert.ok(writer.pending <= 45 && writer.pending > 35, `kept ${writer.pending}`);
    proxy.restore();
    await writer.flush();
    const times = await storedTimes(t0);
    assert.equal(times.length, writer.mark() - dropped);
    // The first batch was being written when the cut came: it is kept; behind it, the newest rows, in order.
    const rest = times.length - 10;
    assert.deepEqual(times, [...Array.from({ length: 10 }, (_, i) => t0 + i * 1000), ...Array.from({ length: rest }, (_, i) => t0 + (100 - rest + i) * 1000)]);
  } finally {
    await writer.stop();
    await pool.end();
    await proxy.close();
  }
});

test('replayed rows the node before stored already are not stored twice; the others are', async () => {
  const writer = new PositionWriter(db.pool, { batchRows: 1000, flushMs: 60_000 });
  const t0 = Date.now() - 10_800_000;
  for (let i = 0; i < 5; i++) writer.add(row(i, t0));
  await writer.flush();
  for (let i = 0; i < 8; i++) writer.add(row(i, t0, { replayed: true }));
  writer.add(row(8, t0));
  await writer.flush();
  assert.deepEqual(
    await storedTimes(t0),
    Array.from({ length: 9 }, (_, i) => t0 + i * 1000),
  );
  await writer.stop();
});

test('a batch whose answer is lost after the server committed it is not stored twice when retried', async () => {
  // The real database; only the answer to the first INSERT is lost on the way (the connection dies
  // just after the server committed), which is what a restart can do mid-batch.
  let loseNextAnswer = true;
  const lossy = Object.create(db.pool) as pg.Pool;
  lossy.query = (async (...args: Parameters<pg.Pool['query']>) => {
    const result = await (db.pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
    if (loseNextAnswer && String(args[0]).includes('INSERT INTO positions')) {
      loseNextAnswer = false;
      throw Object.assign(new Error('Connection terminated unexpectedly'), { code: undefined });
    }
    return result;
  }) as pg.Pool['query'];
  const writer = new PositionWriter(lossy, { batchRows: 100, flushMs: 60_000 });
  const t0 = Date.now() - 14_400_000;
  for (let i = 0; i < 30; i++) writer.add(row(i, t0));
  await writer.flush(); // committed, but the writer was told it failed
  assert.equal(writer.pending, 30, 'kept for a retry');
  await writer.flush();
  assert.equal(writer.pending, 0);
  assert.deepEqual(
    await storedTimes(t0),
    Array.from({ length: 30 }, (_, i) => t0 + i * 1000),
    'each row once',
  );
  await writer.stop();
});
