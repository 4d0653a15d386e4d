// A rules_state row saved by the engine before it was split into one file per rule
// (fixtures/rulesState.v1.json, written by that engine) still imports, exports unchanged, and its
// open episodes end as they would have: deployed databases hold such rows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GeofenceIndex } from '../geofence/index';
import { RulesEngine } from './engine';
import type { RuleEvent } from './types';

// The world the fixture was made in: a 48 km route along 31°N from O to D, warehouse W beside it,
// restricted zone Z 3 km north of km 30.
const M_LAT = 111_195;
const M_LON = M_LAT * Math.cos((31 * Math.PI) / 180);
const at = (km: number, northM = 0): [number, number] => [121 + (km * 1000) / M_LON, 31 + northM / M_LAT];
const square = (km: number, northM: number, sideM: number): [number, number][] => {
  const [x, y] = at(km, northM);
  const dx = sideM / 2 / M_LON,
    dy = sideM / 2 / M_LAT;
  return [
    [x - dx, y - dy],
    [x + dx, y - dy],
    [x + dx, y + dy],
    [x - dx, y + dy],
    [x - dx, y - dy],
  ];
};
function world(): GeofenceIndex {
  const g = new GeofenceIndex();
  g.upsertRoute({ id: 1, code: 'R', path: Array.from({ length: 49 }, (_, i) => at(i)), corridorM: 500 });
  g.upsertSite({ id: 1, code: 'O', kind: 'port_terminal', area: square(0, 0, 600) });
  g.upsertSite({ id: 2, code: 'D', kind: 'warehouse', area: square(48, 0, 600) });
  g.upsertSite({ id: 3, code: 'W', kind: 'warehouse', area: square(20, 300, 300) });
  g.upsertZone({ id: 9, code: 'Z', kind: 'restricted', area: square(30, 3000, 400) });
  return g;
}
const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;
const saved: unknown = JSON.parse(readFileSync(new URL('./fixtures/rulesState.v1.json', import.meta.url), 'utf8'));

// How the fixture was made: truck 10 (consignment 1, O → D) left O, drove 2 km, ran 1.2 km north of
// the road from 160 s to 270 s (the door-open flag on its last two fixes); truck 11 entered Z at
// 270 s; vessels 20 and 21 lay 300 m apart at 1 kn from 270 s for 20 min; vessel 22 fell silent at
// 270 s; then tick(1470 s).
function restored(): RulesEngine {
  const e = new RulesEngine(world());
  e.importState(saved);
  e.watch({ id: 1, reference: 'C1', assetId: 10, routeId: 1, originSiteId: 1, destSiteId: 2, departure: T0, deadline: s(3 * 3600), status: 'diverted', expectedIntervalS: 10 });
  return e;
}

test('an exported state of the old engine imports and exports unchanged', () => {
  const bare = new RulesEngine(world());
  bare.importState(saved);
  assert.deepEqual(JSON.parse(JSON.stringify(bare.exportState())), saved);
  const e = restored();
  assert.equal(e.status(1), 'diverted');
  assert.deepEqual(
    e
      .openEpisodes()
      .map((x) => x.episode)
      .sort(),
    [
      `AIS_GAP/a22/${s(270)}`,
      `RENDEZVOUS/a20-a21/${s(270) + 1}`,
      `ROUTE_DEVIATION/c1/${s(170)}`, // the first fix off the road was a 1.2 km jump in 10 s: an outlier until the second agreed
      `SEAL_ALARM/c1/${s(260)}`,
      `SIGNAL_LOST/c1/${s(270)}`,
      `ZONE_ENTRY/a11/z9/${s(270)}`,
    ],
  );
});

test('the open episodes of an old state end as they would have', () => {
  const e = restored();
  const ev: RuleEvent[] = [];
  const fix = (id: number, kind: 'vehicle' | 'vessel', sec: number, km: number, north: number, speed: number) =>
    ev.push(...e.onFix({ id, kind, ...(kind === 'vessel' ? { aisClass: 'A' as const } : {}) }, { time: s(sec), lon: at(km, north)[0], lat: at(km, north)[1], speed }));
  const cleared = (type: string) => ev.filter((x): x is Extract<RuleEvent, { kind: 'cleared' }> => x.kind === 'cleared' && x.type === type);

  fix(10, 'vehicle', 1480, 4.2, 0, 60); // back on the road after 1,210 s without a fix
  fix(10, 'vehicle', 1490, 4.4, 0, 60);
  assert.equal(cleared('SIGNAL_LOST')[0]?.detail?.gapS, 1210);
  const back = cleared('ROUTE_DEVIATION');
  assert.equal(back.length, 1);
  assert.ok(Math.abs((back[0]!.detail!.maxDistanceM as number) - 1200) < 5, `max ${back[0]!.detail!.maxDistanceM}`);
  assert.deepEqual(
    ev.filter((x) => x.kind === 'status').map((x) => x.kind === 'status' && x.status),
    ['in_transit'],
  );

  fix(21, 'vessel', 1480, 101, 0, 1.852); // 1 km from vessel 20, whose last fix (1,440 s) is fresh
  assert.equal(cleared('RENDEZVOUS')[0]?.detail?.durationS, 1480 - 270 - 0.001);

  fix(22, 'vessel', 1500, 150, 0, 22);
  assert.equal(cleared('AIS_GAP')[0]?.detail?.gapS, 1500 - 270);

  fix(11, 'vehicle', 1480, 31, 0, 50);
  assert.equal(cleared('ZONE_ENTRY').length, 0, 'one fix outside is not leaving');
  fix(11, 'vehicle', 1490, 31.1, 0, 50);
  assert.equal(cleared('ZONE_ENTRY')[0]?.detail?.durationS, 1490 - 270);

  ev.push(...e.acknowledge(`SEAL_ALARM/c1/${s(260)}`, s(1500)));
  assert.deepEqual(cleared('SEAL_ALARM')[0]?.detail, { reason: 'acknowledged', reports: 1 });
  assert.deepEqual(e.openEpisodes(), []);
  assert.equal(ev.filter((x) => x.kind === 'raised').length, 0);
});
