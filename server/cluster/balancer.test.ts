// The round-robin door over real TCP sockets: connections take turns over the backends, a backend
// that is down is skipped (the connection goes to the next one instead of being closed), and with
// every backend down the connection is closed and the error reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startBalancer } from './balancer';

/** A backend that answers every line with its name and the line. */
async function echo(name: string): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('data', (d) => s.write(`${name}:${d}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const b = await echo('dead');
  await b.close();
  return b.port;
}

/** Sends a line through the door; resolves with the answer, or with `closed` when the door closes the connection. */
function ask(port: number, line: string): Promise<string> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.on('error', () => {});
    c.once('data', (d) => {
      resolve(String(d));
      c.destroy();
    });
    c.once('close', () => resolve('closed'));
    c.write(line);
  });
}

test('connections take turns, and a backend that is down is skipped', async () => {
  const a = await echo('a');
  const b = await echo('b');
  const door = await startBalancer(0, '127.0.0.1', [a.port, b.port]);
  try {
    assert.deepEqual([await ask(door.port, 'x'), await ask(door.port, 'y')].sort(), ['a:x', 'b:y']);
    await b.close();
    for (let i = 0; i < 4; i++) assert.equal(await ask(door.port, `z${i}`), `a:z${i}`, 'the live backend takes every connection');
  } finally {
    await door.close();
    await a.close();
  }
});

test('with every backend down the connection is closed and the error reported', async () => {
  const errors: string[] = [];
  const door = await startBalancer(0, '127.0.0.1', [await deadPort(), await deadPort()], (m) => errors.push(m));
  try {
    assert.equal(await ask(door.port, 'x'), 'closed');
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /ECONNREFUSED/);
  } finally {
    await door.close();
  }
});
