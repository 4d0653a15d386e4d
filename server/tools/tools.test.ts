// The feed-debugging commands on real captures: decode prints one JSON object per message or
// rejected input; replay sends a capture to a real listener.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMALLCHI } from '../ingest/jt809/fixtures';
import { decodeCommand } from './decode';
import { replayCommand } from './replay';

const dir = mkdtempSync(join(tmpdir(), 'tw-tools-'));

test('decode ais: messages with plain fields, and rejected lines with the reason', async () => {
  const file = join(dir, 'ais.nmea');
  writeFileSync(file, ['!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C', '!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*00', 'hello'].join('\n'));
  const out: Record<string, unknown>[] = [];
  assert.equal(await decodeCommand('ais', file, (l) => out.push(JSON.parse(l))), 0);
  assert.equal(out.length, 3);
  assert.equal(out[0]!.kind, 'message');
  assert.equal(out[0]!.type, 1);
  assert.equal(typeof out[0]!.lat, 'number');
  assert.equal(out[1]!.kind, 'rejected');
  assert.equal(out[1]!.reason, 'checksum');
  assert.equal(out[2]!.kind, 'rejected');
});

test('decode jt808: a hex frame per line; junk is named', async () => {
  const file = join(dir, 'jt808.hex');
  // A real heartbeat frame (Traccar's JT/T 808 test set, terminal 043048325465), then junk.
  writeFileSync(file, '7e0002000004304832546500b7ca7e\nzz-not-hex\n');
  const out: Record<string, unknown>[] = [];
  await decodeCommand('jt808', file, (l) => out.push(JSON.parse(l)));
  assert.equal(out.length, 2);
  assert.ok(JSON.stringify(out[0]).includes('0x0002'));
  assert.equal(out[1]!.kind, 'rejected');
  assert.equal(await decodeCommand('nmea2000', file, () => {}), 2, 'an unknown protocol is a usage error');
});

test('decode jt809: real frames (SmallChi/JT809 test vectors), a 2019 position, a bad CRC and junk, each named', async () => {
  const file = join(dir, 'jt809.hex');
  const bad = SMALLCHI.login2011.slice(0, -6) + '0000' + '5D';
  writeFileSync(file, `${SMALLCHI.login2011}\n${SMALLCHI.location2019}\n${bad}\nzz-not-hex\n`);
  const out: Record<string, unknown>[] = [];
  await decodeCommand('jt809', file, (l) => out.push(JSON.parse(l)));
  assert.equal(out.length, 4);
  assert.equal(out[0]!.msgId, '0x1001');
  assert.equal((out[0]!.login as { password: string }).password, '********', 'a password is never printed');
  assert.equal(out[1]!.edition, 2019);
  assert.equal((out[1]!.position as { lon: number }).lon, 112.414833);
  assert.deepEqual([out[2]!.ok, out[2]!.error], [false, 'checksum']);
  assert.equal(out[3]!.kind, 'rejected');
});

test('replay sends every line of a capture to a TCP listener', async () => {
  const file = join(dir, 'replay.nmea');
  const lines = Array.from({ length: 50 }, (_, i) => `!AIVDM,1,1,,A,line${i},0*00`);
  writeFileSync(file, lines.join('\n'));
  let received = '';
  const server = createServer((s) => s.on('data', (d) => (received += d.toString())));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const said: string[] = [];
  assert.equal(await replayCommand([file, '--to', `tcp://127.0.0.1:${port}`, '--rate', '0'], (l) => said.push(l)), 0);
  await new Promise((r) => setTimeout(r, 100));
  server.close();
  assert.deepEqual(received.trim().split('\r\n'), lines);
  assert.equal(JSON.parse(said[0]!).sent, 50);
  assert.equal(await replayCommand([file], () => {}), 2, 'no --to is a usage error');
});
