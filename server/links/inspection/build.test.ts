// build.ts → parse round-trips, as XML and as the JSON object the console sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInspectionFlag, buildInspectionResult, inspectionFlagObject } from './build';
import { parseInspection } from './inspection';

const sentAt = Date.parse('2026-12-05T10:15:00+08:00');

test('a built flag and result parse back, as XML and as JSON', () => {
  const flag = { messageId: 'I-1', sentAt, reference: '224820261000030001', reason: 'risk <A> & B', site: 'WGQ-BZ' };
  const want = { messageId: 'I-1', messageType: 'InspFlag', sentAt, doc: { kind: 'flag', reference: '224820261000030001', reason: 'risk <A> & B', site: 'WGQ-BZ' } };
  assert.deepEqual(parseInspection(buildInspectionFlag(flag), 'xml'), want);
  assert.deepEqual(parseInspection(JSON.stringify(inspectionFlagObject(flag)), 'json'), want);
  const result = parseInspection(
    buildInspectionResult({ messageId: 'I-2', sentAt, reference: '224820261000030001', result: 'seal_replaced', newSeal: 'ES2200004711', note: '重新施封' }),
    'xml',
  );
  assert.deepEqual(result, {
    messageId: 'I-2',
    messageType: 'InspResult',
    sentAt,
    doc: { kind: 'result', reference: '224820261000030001', result: 'seal_replaced', newSeal: 'ES2200004711', note: '重新施封' },
  });
  const passed = parseInspection(buildInspectionResult({ messageId: 'I-3', sentAt, reference: 'R', result: 'passed' }), 'xml');
  assert.deepEqual(passed.doc, { kind: 'result', reference: 'R', result: 'passed' });
});
