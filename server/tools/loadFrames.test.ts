// The load generator's frames go through the real decoders (JT/T 808 session, AIS decoder) and
// come out as the fixes it sent; the send log finds each fix's send time from what a live frame
// carries (fix time, lat, lon), also when several fixes of a terminal share one second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AisDecoder } from '../ingest/ais';
import { encodeFrame } from '../ingest/jt808/codec';
import { MSG, encodeAuthBody } from '../ingest/jt808/messages';
import { Jt808TerminalRegistry } from '../ingest/jt808/registry';
import { Jt808Session } from '../ingest/jt808/session';
import { recordingSink } from '../ingest/jt808/testing';
import { SendLog, aisFixLine, e6, jt808FixFrame } from './loadFrames';

const SECOND = Date.UTC(2026, 11, 6, 1, 2, 3);

test('JT/T 808 fixes of one second, told apart by position, are decoded as sent and found in the send log', () => {
  const rec = recordingSink();
  const phone = '013912340001';
  const session = new Jt808Session({ sink: rec.sink, authority: new Jt808TerminalRegistry({ acceptUnknownAuthCodes: true }), send: () => {} });
  session.push(encodeFrame({ msgId: MSG.AUTH, phone, serial: 0, body: encodeAuthBody('load') }));
  const log = new SendLog(8);
  const sent: { lat: number; lon: number; at: number }[] = [];
  for (let n = 0; n < 5; n++) {
    const fix = { lon: 121.5, lat: 31.2 + n * 1e-6, time: SECOND + n * 150, speed: 60, course: 90 };
    session.push(jt808FixFrame(phone, n + 1, fix));
    log.record(fix.time, e6(fix.lat), e6(fix.lon), 1000 + n);
    sent.push({ lat: fix.lat, lon: fix.lon, at: 1000 + n });
  }
  assert.deepEqual(rec.rejectCounts(), {});
  assert.equal(rec.positions.length, 5);
  rec.positions.forEach((p, n) => {
    assert.equal(p.time, SECOND, 'whole seconds on the wire');
    assert.equal(e6(p.lat), e6(sent[n]!.lat));
    assert.equal(log.find(p.time, p.lat, p.lon), sent[n]!.at);
  });
  assert.equal(log.find(SECOND, 31.3, 121.5), undefined, 'a fix never sent is not found');
});

test('the send log forgets the oldest fixes past its capacity', () => {
  const log = new SendLog(2);
  for (let n = 0; n < 3; n++) log.record(SECOND, e6(30 + n * 1e-6), e6(120), n);
  assert.equal(log.find(SECOND, 30, 120), undefined);
  assert.equal(log.find(SECOND, 30 + 2e-6, 120), 2);
});

test('an AIS line carries its send time in ms as the fix time', () => {
  const rec = recordingSink();
  const decoder = new AisDecoder({ sink: rec.sink });
  const sentMs = SECOND + 123;
  const line = aisFixLine('413000001', { lon: 122.1, lat: 30.5, time: sentMs, speed: 18.52, course: 45 }, sentMs);
  assert.ok(line.endsWith('\n'));
  decoder.push(line.trimEnd(), SECOND + 5000);
  assert.deepEqual(rec.rejectCounts(), {});
  assert.equal(rec.positions.length, 1);
  const p = rec.positions[0]!;
  assert.equal(p.assetKey, 'mmsi:413000001');
  assert.equal(p.time, sentMs);
  assert.ok(Math.abs(p.lat - 30.5) < 1e-5 && Math.abs(p.lon - 122.1) < 1e-5);
  assert.ok(Math.abs(p.speed! - 18.52) < 0.2);
});
