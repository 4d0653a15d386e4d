// advanceDeclaration (the one place a declaration's status and its movement's change) through a
// probe message, as the gate link will call it: arrival sets the movement's arrival time, a gate
// read twice changes nothing, a movement the rules moved on is not moved back, a step out of the
// flow is a conflict, each step is on the timeline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLinkTestServer, type LinkTestServer } from '../testing';
import type { LinkSystem } from '../types';
import { buildTransitCancel, buildTransitDeclaration, buildTransitRelease } from './build';
import { advanceDeclaration, type DeclarationStatus } from './progress';

let s: LinkTestServer;
let n = 0;
const probe: LinkSystem<{ consignment: number; to: DeclarationStatus; time: number }> = {
  name: 'gate',
  parse(text) {
    const o = JSON.parse(text) as { consignment: number; to: DeclarationStatus; time: number };
    return { messageId: `P-${++n}`, messageType: 'PROBE', doc: o };
  },
  async apply(ctx, msg) {
    const step = await advanceDeclaration(ctx, msg.doc.consignment, msg.doc.to, msg.doc.time, { gate: 'GATE-1' });
    return { summary: { step: step ? `${step.from}>${step.to}` : 'none' } };
  },
};
const step = async (consignment: number, to: DeclarationStatus, time = Date.now()) =>
  (await s.app.links.receiver.receive('gate', JSON.stringify({ consignment, to, time }), s.caller('2200', 'http:gate'))).summary.step;

async function released(preId: string): Promise<number> {
  const now = Date.now();
  const common = {
    preId,
    plate: '沪A12345',
    originCustoms: '2248',
    destCustoms: '2200',
    originSite: 'YS-TERM',
    destSite: 'WGQ-BZ',
    validTime: now + 8 * 3_600_000,
    bills: [{ billNo: `B${preId}` }],
  };
  const d = await s.app.links.receiver.receive('transit', buildTransitDeclaration({ ...common, messageId: `D-${preId}`, sentAt: now - 600_000 }), s.caller('2200'));
  await s.app.links.receiver.receive('transit', buildTransitRelease({ messageId: `R-${preId}`, sentAt: now - 500_000, preId, turnNo: `@${preId}` }), s.caller('2200'));
  return d.summary.movement as number;
}
const movement = async (id: number) => (await s.db.pool.query('SELECT status, arrived_at FROM consignments WHERE id = $1', [id])).rows[0];

before(async () => {
  s = await startLinkTestServer();
  s.app.links.receiver.register(probe as LinkSystem);
});
after(() => s.close());

test('departed then arrived: the movement follows, its arrival time is the gate time; the same step again changes nothing', async () => {
  const id = await released('PG-1');
  assert.equal(await step(id, 'departed'), 'released>departed');
  assert.equal((await movement(id)).status, 'in_transit');
  const at = Date.parse('2026-12-05T06:00:00Z');
  assert.equal(await step(id, 'arrived', at), 'departed>arrived');
  const m = await movement(id);
  assert.equal(m.status, 'arrived');
  assert.equal(m.arrived_at.getTime(), at);
  assert.equal(await step(id, 'arrived'), 'none');
  assert.equal(await step(id, 'departed'), 'none', 'a late origin gate-out after the arrival: already past');
  const ev = await s.db.pool.query(`SELECT kind, detail->>'gate' AS gate FROM events WHERE consignment_id = $1 ORDER BY id`, [id]);
  assert.deepEqual(
    ev.rows.map((e) => `${e.kind}${e.gate ? `@${e.gate}` : ''}`),
    ['trn_declared', 'trn_released', 'trn_departed@GATE-1', 'trn_arrived@GATE-1'],
  );
});

test('a movement the rules saw arrive is not moved back by a late departure gate read', async () => {
  const id = await released('PG-2');
  await s.app.movements.applyRuleStatus(id, 'arrived', Date.now());
  assert.equal(await step(id, 'departed'), 'released>departed');
  assert.equal((await movement(id)).status, 'arrived');
  assert.equal(await step(id, 'written_off'), 'departed>written_off');
  assert.equal((await movement(id)).status, 'closed');
});

test('a movement without a declaration: nothing to advance (null); out of the flow: a conflict', async () => {
  assert.equal(await step(999_999, 'departed'), 'none');
  const id = await released('PG-3');
  await s.app.links.receiver.receive('transit', buildTransitCancel({ messageId: 'C-PG-3', sentAt: Date.now() - 1000, preId: 'PG-3' }), s.caller('2200'));
  await assert.rejects(step(id, 'departed'), /declaration PG-3 is cancelled: it cannot become departed/);
  assert.equal((await movement(id)).status, 'cancelled');
});
