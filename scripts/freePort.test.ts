// freePort gives a port that is free: a server can listen on it, and it is not one held open.
//   node --import tsx --test scripts/freePort.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { freePort } from './freePort';

const listen = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));

test('freePort returns a port a server can then listen on', async () => {
  const port = await freePort();
  assert.ok(Number.isInteger(port) && port > 0 && port < 65536, `port ${port}`);
  const s = await listen(port);
  assert.equal((s.address() as { port: number }).port, port);
  await close(s);
});

test('freePort does not return a port that is held open', async () => {
  const held = await listen(0);
  const taken = (held.address() as { port: number }).port;
  try {
    for (let i = 0; i < 20; i++) assert.notEqual(await freePort(), taken);
  } finally {
    await close(held);
  }
});
