import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectionState, isCritical, storyOf, summaryEntries, type LinkDocument } from './linkDocuments';

let nextId = 1;
const doc = (system: string, time: number, summary: Record<string, unknown> = {}): LinkDocument => ({
  id: nextId++,
  system,
  messageId: `M${nextId}`,
  messageType: 'T',
  receivedAt: time + 500,
  sentAt: time,
  source: 'http:t',
  summary,
});

test('documents are told in the order a movement lives them, each system oldest first', () => {
  const gateOut = doc('gate', 3000, { direction: 'out' });
  const gateIn = doc('gate', 9000, { direction: 'in' });
  const story = storyOf([gateIn, doc('port-call', 100), doc('wms', 50), gateOut, doc('transit', 2000), doc('manifest', 1000)]);
  assert.deepEqual(
    story.map((g) => g.system),
    ['transit', 'manifest', 'gate', 'port-call', 'wms'],
  );
  assert.deepEqual(
    story.find((g) => g.system === 'gate')!.documents.map((d) => d.id),
    [gateOut.id, gateIn.id],
  );
  assert.deepEqual(storyOf([]), []);
});

test('a document without its own send time is placed by when it was received', () => {
  const late = { ...doc('gate', 5000), sentAt: null, receivedAt: 1000 };
  const early = doc('gate', 2000);
  assert.deepEqual(
    storyOf([early, late])[0]!.documents.map((d) => d.id),
    [late.id, early.id],
  );
});

test('summary entries: known keys in their order, then unknown keys as they came, empty ones left out', () => {
  const entries = summaryEntries({ remark: 'x', mismatch: [], plate: '沪A12345', status: 'released', weight: 0, site: '', decision: 'hold' });
  assert.deepEqual(entries, [
    ['status', 'released'],
    ['plate', '沪A12345'],
    ['decision', 'hold'],
    ['remark', 'x'],
    ['weight', 0],
  ]);
});

test('a hold or a mismatch is critical; a release with no mismatch is not', () => {
  assert.equal(isCritical(doc('gate', 0, { decision: 'hold' })), true);
  assert.equal(isCritical(doc('gate', 0, { decision: 'release', mismatch: ['plate'] })), true);
  assert.equal(isCritical(doc('gate', 0, { decision: 'manual', mismatch: 'eseal differs' })), true);
  assert.equal(isCritical(doc('gate', 0, { decision: 'release', mismatch: [] })), false);
  assert.equal(isCritical(doc('gate', 0, { decision: 'release', mismatch: '' })), false);
  assert.equal(isCritical(doc('transit', 0, { status: 'released' })), false);
});

test('inspection: none, flagged by a document without a result, closed by the latest result', () => {
  assert.deepEqual(inspectionState([doc('gate', 0)]), { state: 'none' });
  const flag = doc('inspection', 1000, { status: 'flagged' });
  assert.deepEqual(inspectionState([flag]), { state: 'flagged', since: 1000 });
  const result = doc('inspection', 2000, { result: 'passed' });
  assert.deepEqual(inspectionState([result, flag]), { state: 'done', result: 'passed', at: 2000 });
  // Flagged again after a result: open again.
  assert.deepEqual(inspectionState([flag, result, doc('inspection', 3000, {})]), { state: 'flagged', since: 3000 });
});
