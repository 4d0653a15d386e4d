// The fix stream over real Redis: entries (batches of fixes) are acknowledged only at a checkpoint that succeeded; a
// reader that stops without one (it died) leaves them to the next, which reads them first, marked as
// replays, then the new ones; nothing unread is trimmed, and what is acknowledged is cut away.
// Needs Redis (REDIS_TEST_URL, default redis://127.0.0.1:6379).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { PositionReport } from '../../lib/domain';
import { FixStreamConsumer, FixStreamProducer, fixBacklog } from './fixStream';
import type { Redis } from './redis';

const REDIS = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
let redis: Redis;
const key = `tw:test:${randomBytes(4).toString('hex')}:fixes`;

before(async () => {
  redis = createClient({ url: REDIS }) as Redis;
  await redis.connect();
});
after(async () => {
  await redis.del([key, `${key}:backlog`]);
  await redis.quit();
});

const report = (i: number): PositionReport => ({
  assetKey: `tel:0139000${String(i).padStart(5, '0')}`,
  kind: 'vehicle',
  time: 1_800_000_000_000 + i,
  lon: 121,
  lat: 31,
  source: 'jt808',
});
const until = async (what: string, check: () => boolean | Promise<boolean>) => {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

test('a reader that dies before its checkpoint leaves its fixes to the next, as replays; a checkpoint acknowledges and trims', async () => {
  const producer = new FixStreamProducer(redis, key);
  const seenA: number[] = [];
  let allowCheckpoint = false;
  const a = new FixStreamConsumer(redis, key, 'rules-a', {
    take: (r) => seenA.push((r as PositionReport).time),
    // The store is "down": no checkpoint succeeds.
    checkpoint: async () => {
      if (!allowCheckpoint) throw new Error('store unavailable');
    },
    checkpointMs: 50,
    held: () => false,
  });
  await a.start();
  for (let i = 0; i < 30; i++) producer.add(report(i));
  await producer.flush();
  await until('rules-a took the fixes', () => seenA.length === 30);
  await new Promise((r) => setTimeout(r, 150)); // checkpoints were tried and failed
  assert.equal(await fixBacklog(redis, key), 30, 'nothing acknowledged');
  assert.ok(Number(await redis.xLen(key)) >= 1, 'nothing unacknowledged is cut');
  await a.stop(false); // dies: no last checkpoint

  for (let i = 30; i < 40; i++) producer.add(report(i));
  await producer.flush();
  const seenB: { t: number; replayed: boolean }[] = [];
  const b = new FixStreamConsumer(redis, key, 'rules-b', {
    take: (r, _source, replayed) => seenB.push({ t: (r as PositionReport).time, replayed }),
    checkpoint: async () => {},
    checkpointMs: 50,
    held: () => false,
  });
  await b.start();
  await until('rules-b read everything', () => seenB.length === 40);
  assert.deepEqual(
    seenB.map((s) => s.t - 1_800_000_000_000),
    Array.from({ length: 40 }, (_, i) => i),
    'in order, each once',
  );
  assert.deepEqual(
    seenB.map((s) => s.replayed),
    [...Array<boolean>(30).fill(true), ...Array<boolean>(10).fill(false)],
    'what rules-a took is read again as replays; the rest as new',
  );
  await until('acknowledged and cut', async () => (await fixBacklog(redis, key)) === 0 && Number(await redis.xLen(key)) <= 1);
  const pending = (await redis.xPending(key, 'rules')) as { pending: number };
  assert.equal(pending.pending, 0, 'nothing left unacknowledged');
  allowCheckpoint = true;
  await b.stop();
  await producer.stop();
});

test('while the store is behind the reader waits; the stream keeps what it has not read', async () => {
  const producer = new FixStreamProducer(redis, key);
  let held = true;
  const seen: number[] = [];
  const c = new FixStreamConsumer(redis, key, 'rules-c', { take: (r) => seen.push((r as PositionReport).time), checkpoint: async () => {}, checkpointMs: 50, held: () => held });
  await c.start();
  await redis.xAdd(key, '*', { f: 'not json', n: '0' }); // a malformed entry is skipped, logged, and acknowledged with the rest
  for (let i = 100; i < 120; i++) producer.add(report(i));
  await producer.flush();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(seen.length, 0, 'nothing read while held');
  assert.equal(await fixBacklog(redis, key), 20, 'the backlog the senders see');
  assert.ok(Number(await redis.xLen(key)) >= 1, 'and nothing trimmed');
  held = false;
  await until('read once released', () => seen.length === 20);
  await until('acknowledged', async () => (await fixBacklog(redis, key)) === 0);
  await c.stop();
  await producer.stop();
});

test('a batch sent again after a failed append is marked, and its fixes are taken as maybe stored already', async () => {
  const sender = redis.duplicate();
  await sender.connect();
  const producer = new FixStreamProducer(sender, key);
  const seen: { t: number; replayed: boolean }[] = [];
  const d = new FixStreamConsumer(redis, key, 'rules-d', {
    take: (r, _source, replayed) => seen.push({ t: (r as PositionReport).time, replayed }),
    checkpoint: async () => {},
    checkpointMs: 50,
    held: () => false,
  });
  await d.start();
  await sender.disconnect(); // the append fails; whether it reached Redis is unknown to the sender
  producer.add(report(300));
  await producer.flush();
  await sender.connect();
  await producer.flush();
  producer.add(report(301));
  await producer.flush();
  await until('both read', () => seen.length === 2);
  assert.deepEqual(
    seen.map((s) => s.replayed),
    [true, false],
  );
  await d.stop();
  await producer.stop();
  await sender.quit();
});
