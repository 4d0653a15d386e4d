// The scenario library through the real pipeline on a fresh PostGIS database: every scenario must
// pass, with precision = recall = 1; and a restart half-way (state exported, a new engine and
// geofence index built, the state imported) must give exactly the same alerts as an uninterrupted run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { evaluate, formatEvaluation, type Evaluation } from './evaluate';
import { loadScenarios } from './scenario';

let db: TestDatabase;
let straight: Evaluation;
const scenarios = loadScenarios();

before(async () => {
  db = await freshDatabase();
  straight = await evaluate(db.pool, scenarios);
});
after(async () => {
  await db.drop();
});

test('the library covers the journeys of the issue', () => {
  assert.ok(scenarios.length >= 18, `${scenarios.length} scenarios`);
  const types = new Set(scenarios.flatMap((s) => s.expect.map((e) => e.type)));
  for (const t of [
    'ROUTE_DEVIATION',
    'UNSCHEDULED_STOP',
    'SIGNAL_LOST',
    'OVERDUE',
    'WRONG_SITE',
    'ARRIVED',
    'SEAL_ALARM',
    'AIS_GAP',
    'RENDEZVOUS',
    'ZONE_ENTRY',
    'ZONE_UNAUTHORISED',
  ]) {
    assert.ok(types.has(t as never), `a scenario expects ${t}`);
  }
});

test('every scenario passes through the real pipeline; precision = recall = 1', (t) => {
  for (const line of formatEvaluation(straight).split('\n')) t.diagnostic(line);
  const failed = straight.results.filter((r) => !r.pass);
  assert.deepEqual(
    failed.map((r) => `${r.name}: ${r.failures.join('; ')}`),
    [],
  );
  assert.equal(straight.precision, 1);
  assert.equal(straight.recall, 1);
  for (const row of straight.table) {
    assert.equal(row.precision, 1, row.type);
    assert.equal(row.recall, 1, row.type);
  }
});

for (const at of [0.5, 0.8]) {
  test(`a restart at ${at * 100} % of each scenario changes nothing (no episode repeated or lost)`, async () => {
    const restarted = await evaluate(db.pool, scenarios, { restartAt: at });
    for (const [i, r] of restarted.results.entries()) {
      assert.ok(r.pass, `${r.name}: ${r.failures.join('; ')}`);
      assert.deepEqual(r.events, straight.results[i]!.events, r.name);
    }
  });
}

// Every fix went into PostGIS too, door-open alarms (JT/T 808 bit 31) included.
test('every fix the pipeline accepted is stored', () => {
  const short = straight.results.filter((r) => r.storage.length).map((r) => `${r.name}: ${r.storage.join('; ')}`);
  assert.deepEqual(short, []);
  assert.ok(straight.results.every((r) => r.stored === r.fixes && r.fixes > 0));
});
