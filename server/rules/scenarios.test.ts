// The scenario library through the real pipeline (and, for the documents, the real customs links)
// on a fresh PostGIS database: every scenario must pass, with precision = recall = 1; and a restart half-way (state exported, a new engine and
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
    'GATE_MISMATCH',
    'NOT_RECEIVED',
    'UNDECLARED_OUT',
    'INSPECTION_OVERDUE',
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

// The documents went through the real link receiver: each one stored as a link message (a refused
// one fails its scenario), three times over (the straight run and the two restarted ones). The
// evaluator stores bonded-zone passports itself (system 'zone'): they are not documents.
test('every document of the library went through the customs links', async () => {
  const documents = scenarios.reduce((n, s) => n + s.documents.length, 0);
  assert.ok(documents > 0);
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM link_messages WHERE source = 'scenario' AND system <> 'zone'`);
  assert.equal(rows[0]!.n, documents * 3);
});

// Every fix went into PostGIS too, door-open alarms (JT/T 808 bit 31) included.
test('every fix the pipeline accepted is stored', () => {
  const short = straight.results.filter((r) => r.storage.length).map((r) => `${r.name}: ${r.storage.join('; ')}`);
  assert.deepEqual(short, []);
  assert.ok(straight.results.every((r) => r.stored === r.fixes && r.fixes > 0));
});
