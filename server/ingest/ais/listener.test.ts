// The AIS listeners over real sockets: TCP server (chunked lines, garbage, oversize lines, idle
// connections), UDP datagrams with several lines, and the TCP client reconnecting to a relay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectionsClosed, ingestConnections, sendersRefused } from '../metrics';
import { parseAddressAllow } from './allow';
import { startAisTcpClient, startAisTcpServer, startAisUdpListener } from './listener';
import { recordingSink } from './testing';

const POS_1 = '!AIVDM,1,1,,B,13U4vF0P001d<UnEeSmQ>gv`04hd,0*4C'; // 240205400
const POS_2 = '!AIVDM,1,1,,A,13U79k?P00Qah;tEdTH>4?vV2<0I,0*33'; // 240241100
const STATIC_5 = ['!AIVDM,2,1,6,A,53R=aR800001=SC?7@1HE8LTp40000000000000l0`?2453a052Dm23B@@00,0*72', '!AIVDM,2,2,6,A,00000000002,2*20'];

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function gauge(): Promise<number> {
  return (await ingestConnections.get()).values.find((v) => v.labels.protocol === 'ais')?.value ?? 0;
}
/** Waits for the connections of earlier tests (in this process) to be closed and uncounted. */
async function noConnections(): Promise<number> {
  await until(async () => (await gauge()) === 0, 'earlier connections to close');
  return 0;
}
async function idleClosed(): Promise<number> {
  return (await connectionsClosed.get()).values.find((v) => v.labels.protocol === 'ais' && v.labels.reason === 'idle')?.value ?? 0;
}

async function refused(transport: 'tcp' | 'udp'): Promise<number> {
  return (await sendersRefused.get()).values.find((v) => v.labels.protocol === 'ais' && v.labels.transport === transport)?.value ?? 0;
}

function open(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port }, () => resolve(s));
    s.setNoDelay(true);
    s.on('error', reject);
  });
}

test('TCP server: lines cut anywhere across packets decode, multi-part included; the connection is counted while open', async () => {
  const { sink, positions, statics, rejected } = recordingSink();
  const server = await startAisTcpServer({ port: 0, host: '127.0.0.1', sink });
  const open0 = await noConnections();
  try {
    const s = await open(server.port);
    await until(async () => (await gauge()) === open0 + 1, 'the connection to count');
    const text = `${POS_1}\r\n${STATIC_5[0]}\r\n${STATIC_5[1]}\n${POS_2}\r\n`;
    for (let i = 0; i < text.length; i += 7) {
      s.write(text.slice(i, i + 7));
      if (i % 35 === 0) await sleep(2); // separate packets
    }
    await until(() => positions.length === 2 && statics.length === 1, 'two positions and one static');
    assert.deepEqual(
      positions.map((p) => p.assetKey),
      ['mmsi:240205400', 'mmsi:240241100'],
    );
    assert.equal(statics[0]!.name, 'VERGINA');
    assert.deepEqual(rejected, []);
    s.end();
    await until(async () => (await gauge()) === open0, 'the connection to uncount');
  } finally {
    await server.close();
  }
});

test('TCP server: garbage then a good line gives one rejected and one position, on the same connection', async () => {
  const { sink, positions, rejected } = recordingSink();
  const server = await startAisTcpServer({ port: 0, host: '127.0.0.1', sink });
  try {
    const s = await open(server.port);
    s.write('\x00\xff garbage that is not NMEA at all\r\n');
    s.write(`${POS_1}\r\n`);
    await until(() => positions.length === 1, 'the position');
    assert.deepEqual(
      rejected.map((r) => r.reason),
      ['format'],
    );
    assert.equal(s.destroyed, false);
    s.destroy();
  } finally {
    await server.close();
  }
});

test('TCP server: an oversize line is rejected and skipped up to its end; the connection stays and the next line decodes', async () => {
  const { sink, positions, rejected } = recordingSink();
  const server = await startAisTcpServer({ port: 0, host: '127.0.0.1', sink, maxLineBytes: 256 });
  try {
    const s = await open(server.port);
    s.write('!AIVDM,1,1,,B,');
    for (let i = 0; i < 20; i++) s.write('x'.repeat(1000)); // 20 kB without a line end
    s.write(`${POS_1}\r\n`); // the tail of the oversize line: skipped
    s.write(`${POS_2}\r\n`);
    await until(() => positions.length === 1, 'the position after the oversize line');
    assert.deepEqual(
      positions.map((p) => p.assetKey),
      ['mmsi:240241100'],
    );
    assert.deepEqual(
      rejected.map((r) => r.reason),
      ['oversize'],
    );
    assert.ok(rejected[0]!.sample!.length <= 200);
    s.destroy();
  } finally {
    await server.close();
  }
});

test('TCP server: a connection silent past the idle timeout is closed and counted', async () => {
  const { sink, positions } = recordingSink();
  const server = await startAisTcpServer({ port: 0, host: '127.0.0.1', sink, idleTimeoutMs: 150 });
  const idle0 = await idleClosed();
  const open0 = await noConnections();
  try {
    const s = await open(server.port);
    let closedAt = 0;
    s.on('close', () => {
      closedAt = Date.now();
    });
    const start = Date.now();
    s.write(`${POS_1}\r\n`);
    await until(() => positions.length === 1, 'the position');
    await until(() => closedAt > 0, 'the server to close the idle connection');
    assert.ok(closedAt - start >= 140);
    await until(async () => (await idleClosed()) === idle0 + 1, 'the idle close to be counted');
    await until(async () => (await gauge()) === open0, 'the connection to uncount');
  } finally {
    await server.close();
  }
});

test('UDP: one datagram with two lines gives two positions; a multi-part message split over datagrams joins', async () => {
  const { sink, positions, statics, rejected } = recordingSink();
  const udp = await startAisUdpListener({ port: 0, host: '127.0.0.1', sink });
  const client = createSocket('udp4');
  const send = (text: string) => new Promise<void>((resolve, reject) => client.send(Buffer.from(text), udp.port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  try {
    await send(`${POS_1}\r\n${POS_2}\r\n`);
    await until(() => positions.length === 2, 'two positions');
    await send(STATIC_5[0]!); // no line end: the datagram ends the line
    await send(STATIC_5[1]!);
    await until(() => statics.length === 1, 'the static message');
    assert.deepEqual(rejected, []);
  } finally {
    client.close();
    await udp.close();
  }
});

test('TCP client: connects to a relay, decodes what it sends, and reconnects with back-off after the relay restarts', async () => {
  const { sink, positions } = recordingSink();
  const peers = new Set<Socket>();
  const relay = (port: number) =>
    new Promise<Server>((resolve) => {
      const srv = createServer((sock) => {
        peers.add(sock);
        sock.on('close', () => peers.delete(sock));
        sock.write(`${positions.length === 0 ? POS_1 : POS_2}\r\n`);
      });
      srv.listen(port, '127.0.0.1', () => resolve(srv));
    });
  let server = await relay(0);
  const port = (server.address() as AddressInfo).port;
  const events: string[] = [];
  const client = await startAisTcpClient({ host: '127.0.0.1', port, sink, initialBackoffMs: 50, maxBackoffMs: 400, onEvent: (e) => events.push(e.kind) });
  try {
    await until(() => positions.length === 1, 'the first position');
    assert.equal(client.connected, true);
    // The relay goes away: connections dropped, port closed for a while (failed tries back off).
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const p of peers) p.destroy();
    });
    await until(() => !client.connected, 'the client to notice');
    await sleep(300);
    server = await relay(port);
    await until(() => positions.length === 2, 'the position after reconnecting', 5000);
    assert.equal(client.connections, 2);
    assert.deepEqual(
      positions.map((p) => p.assetKey),
      ['mmsi:240205400', 'mmsi:240241100'],
    );
    assert.ok(events.filter((e) => e === 'retry').length >= 2, events.join(','));
  } finally {
    await client.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const p of peers) p.destroy();
    });
  }
});

test('attack: a TCP sender outside AIS_ALLOW is closed before a line is read, counted and not decoded; IPv4 and IPv6', async () => {
  for (const [host, allowText] of [
    ['127.0.0.1', '10.20.30.0/24,::1'],
    ['::1', '127.0.0.0/8'],
  ] as const) {
    const { sink, positions, rejected } = recordingSink();
    const server = await startAisTcpServer({ port: 0, host, sink, allow: parseAddressAllow(allowText) });
    const before = await refused('tcp');
    const open0 = await noConnections();
    try {
      const s = await open(server.port, host);
      let closed = false;
      s.on('close', () => {
        closed = true;
      });
      s.on('error', () => {});
      s.write(`${POS_1}\r\n${POS_2}\r\n`);
      await until(() => closed, 'the server to close the refused connection');
      await until(async () => (await refused('tcp')) === before + 1, 'the refusal to be counted');
      await sleep(50);
      assert.deepEqual(positions, [], host);
      assert.deepEqual(rejected, [], 'nothing was even framed');
      assert.equal(await gauge(), open0, 'a refused sender is not an open connection');
    } finally {
      await server.close();
    }
  }
});

test('attack: UDP datagrams from outside AIS_ALLOW are dropped and counted, one per datagram; an allowed sender beside them is served', async () => {
  const { sink, positions } = recordingSink();
  const denied = await startAisUdpListener({ port: 0, host: '127.0.0.1', sink, allow: parseAddressAllow('192.0.2.1,::1') });
  const allowed = await startAisUdpListener({ port: 0, host: '127.0.0.1', sink, allow: parseAddressAllow('127.0.0.1/32') });
  const client = createSocket('udp4');
  const send = (text: string, port: number) => new Promise<void>((resolve, reject) => client.send(Buffer.from(text), port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  const before = await refused('udp');
  try {
    for (let i = 0; i < 3; i++) await send(`${POS_1}\r\n`, denied.port);
    await until(async () => (await refused('udp')) === before + 3, 'three refusals');
    await send(`${POS_2}\r\n`, allowed.port);
    await until(() => positions.length === 1, "the allowed sender's position");
    assert.deepEqual(
      positions.map((p) => p.assetKey),
      ['mmsi:240241100'],
    );
  } finally {
    client.close();
    await denied.close();
    await allowed.close();
  }
});

test('positive: a listener with no allow-list given serves this host (the default), over IPv4 and IPv6 loopback', async () => {
  for (const host of ['127.0.0.1', '::1']) {
    const { sink, positions } = recordingSink();
    const server = await startAisTcpServer({ port: 0, host, sink });
    try {
      const s = await open(server.port, host);
      s.write(`${POS_1}\r\n`);
      await until(() => positions.length === 1, `the position over ${host}`);
      s.destroy();
    } finally {
      await server.close();
    }
  }
});
