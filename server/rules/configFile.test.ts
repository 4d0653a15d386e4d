import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRulesConfig } from './configFile';

const dir = mkdtempSync(join(tmpdir(), 'tw-rules-'));
const file = (body: unknown) => {
  const f = join(dir, `${Math.random()}.json`);
  writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body));
  return f;
};
const ids = new Map([
  ['R03', 3],
  ['R20', 20],
]);

test('a rules file sets thresholds, with per-route overrides by route code', () => {
  const c = loadRulesConfig(file({ deviationMinSpanS: 90, routes: { R03: { deviationMinSpanS: 120 } } }), ids);
  assert.equal(c.deviationMinSpanS, 90);
  assert.deepEqual(c.routes, { 3: { deviationMinSpanS: 120 } });
});

test('unknown settings, wrong types and bad JSON stop start-up with the path', () => {
  assert.throws(() => loadRulesConfig(file({ deviationMinSpan: 90 }), ids), /rules\.deviationMinSpan: not a rules setting/);
  assert.throws(() => loadRulesConfig(file({ deviationMinSpanS: 'ninety' }), ids), /rules\.deviationMinSpanS: expected a number/);
  assert.throws(() => loadRulesConfig(file({ deviationMinSpanS: -1 }), ids), /≥ 0/);
  assert.throws(() => loadRulesConfig(file({ routes: { R03: { stopMinS: 'long' } } }), ids), /rules\.routes\.R03\.stopMinS: /);
  assert.throws(() => loadRulesConfig(file({ routes: { R03: { corridorM: 900 } } }), ids), /rules\.routes\.R03\.corridorM: not a rules setting/);
  assert.throws(() => loadRulesConfig(file('{oops'), ids), /RULES_CONFIG_FILE/);
});

test('a route the database does not hold is a warning, not a failed start; the known ones still apply', () => {
  const warned: string[] = [];
  const c = loadRulesConfig(file({ routes: { R99: { stopMinS: 60 }, R20: { stopMinS: 900 } } }), ids, (m) => warned.push(m));
  assert.deepEqual(c.routes, { 20: { stopMinS: 900 } });
  assert.equal(warned.length, 1);
  assert.match(warned[0]!, /rules\.routes\.R99: no such route/);
});
