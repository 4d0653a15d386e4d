// A feed port that cannot be opened stops start-up with the setting's name, like a malformed
// setting, instead of a server that says "ready" without its listeners. Real sockets: another
// socket holds the port first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { freshDatabase, testPoolMax, type TestDatabase } from '@/db/testing';
import { startApp } from '@/server/app';
import { ConfigError, loadConfig } from '@/server/config';

let db: TestDatabase;
before(async () => {
  db = await freshDatabase();
});
after(async () => {
  await db.drop();
});

const occupyTcp = (): Promise<Server> =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
const occupyUdp = (): Promise<Socket> =>
  new Promise((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, '127.0.0.1', () => resolve(s));
  });
const closeTcp = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));

const configWith = (ports: Record<string, string>) =>
  loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_POOL_MAX: String(testPoolMax()),
    NODE_ENV: 'test',
    OSMAND_PORT: '-1',
    AIS_PORT: '-1',
    JT808_PORT: '-1',
    JT809_PORT: '-1',
    ...ports,
  });

async function startExpectingRefusal(ports: Record<string, string>, message: string): Promise<void> {
  const said: string[] = [];
  await assert.rejects(startApp(configWith(ports), { ingest: true, say: (m) => said.push(m) }), (err: Error) => {
    assert.ok(err instanceof ConfigError, `a ConfigError, got ${err}`);
    assert.equal(err.message, message);
    return true;
  });
  assert.ok(!said.some((m) => m.startsWith('ingest listeners:')), 'it never reported its listeners as up');
}

test('attack: a second instance whose JT808_PORT, OSMAND_PORT or AIS_PORT is taken refuses to start, naming the setting', async () => {
  const held = await occupyTcp();
  const port = (held.address() as AddressInfo).port;
  try {
    await startExpectingRefusal({ JT808_PORT: String(port) }, `JT808_PORT ${port}: address already in use`);
    await startExpectingRefusal({ OSMAND_PORT: String(port) }, `OSMAND_PORT ${port}: address already in use`);
    await startExpectingRefusal({ AIS_PORT: String(port) }, `AIS_PORT ${port}: address already in use`);
    // A later listener failing closes the ones opened before it: the OsmAnd port is free again.
    const free = await occupyTcp();
    const osmand = (free.address() as AddressInfo).port;
    await closeTcp(free);
    await startExpectingRefusal({ OSMAND_PORT: String(osmand), JT808_PORT: String(port) }, `JT808_PORT ${port}: address already in use`);
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(osmand, '127.0.0.1', () => resolve());
    });
    await closeTcp(again);
  } finally {
    await closeTcp(held);
  }
});

test('attack: the AIS UDP port taken (TCP free) also stops start-up as AIS_PORT', async () => {
  const held = await occupyUdp();
  const port = held.address().port;
  try {
    // The TCP number may be free while the UDP one is not.
    await startExpectingRefusal({ AIS_PORT: String(port) }, `AIS_PORT ${port}: address already in use`);
  } finally {
    held.close();
  }
});

test('with the ports free the same configuration starts and opens them', async () => {
  const app = await startApp(configWith({ JT808_PORT: '0', OSMAND_PORT: '0', AIS_PORT: '0' }), { ingest: true, say: () => {} });
  try {
    assert.ok(app.listeners?.ports.jt808 && app.listeners.ports.osmand && app.listeners.ports.ais && app.listeners.ports.aisUdp);
  } finally {
    await app.close();
  }
});
