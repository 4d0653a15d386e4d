import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LonLat } from '../../lib/domain';
import type { World } from './world/types';
import { buildFleet, checkWorld, consignmentsAt, deadlineFor, indexWorld, planRun, TRUCK_SCRIPTS } from './fleet';

const square = (c: LonLat, h: number): LonLat[] => [
  [c[0] - h, c[1] - h],
  [c[0] + h, c[1] - h],
  [c[0] + h, c[1] + h],
  [c[0] - h, c[1] + h],
  [c[0] - h, c[1] - h],
];

/** A small Shanghai-like fixture: a port terminal, a bonded zone, one ~20 km route, one lane. */
const WORLD: World = {
  districts: [
    { code: '0000', nameZh: '海关总署', nameEn: 'GACC', level: 'hq', parent: null, area: { type: 'Polygon', coordinates: [square([121.6, 31.0], 1)] }, approximate: true },
    {
      code: '2200',
      nameZh: '上海海关',
      nameEn: 'Shanghai Customs',
      level: 'direct',
      parent: '0000',
      area: { type: 'Polygon', coordinates: [square([121.6, 31.0], 0.8)] },
      approximate: true,
    },
    {
      code: '2248',
      nameZh: '洋山海关',
      nameEn: 'Yangshan Customs',
      level: 'office',
      parent: '2200',
      area: { type: 'Polygon', coordinates: [square([121.6, 31.0], 0.5)] },
      approximate: true,
    },
  ],
  sites: [
    { code: 'A', nameZh: '港区', nameEn: 'Port', kind: 'port_terminal', district: '2248', area: square([121.5, 31.0], 0.004), approximate: true },
    { code: 'B', nameZh: '保税区', nameEn: 'Bonded zone', kind: 'bonded_zone', district: '2248', area: square([121.68, 31.08], 0.004), approximate: true },
  ],
  routes: [
    {
      code: 'R1',
      nameZh: '港区—保税区',
      nameEn: 'Port to bonded zone',
      from: 'A',
      to: 'B',
      corridorM: 300,
      path: [
        [121.5, 31.0],
        [121.53, 31.04],
        [121.6, 31.07],
        [121.68, 31.08],
      ],
      approximate: true,
    },
  ],
  lanes: [
    {
      code: 'L1',
      nameZh: '进港航道',
      nameEn: 'Approach',
      port: 'A',
      path: [
        [122.0, 30.85],
        [121.8, 30.92],
        [121.6, 30.97],
        [121.502, 30.999],
      ],
      approximate: true,
    },
  ],
};

const NOW = Date.UTC(2025, 5, 2, 2, 0, 0);

test('buildFleet is deterministic for a seed and differs for another seed', () => {
  const a = buildFleet(WORLD, { trucks: 40, vessels: 20, seed: 42, now: NOW });
  const b = buildFleet(WORLD, { trucks: 40, vessels: 20, seed: 42, now: NOW });
  assert.deepEqual(a, b);
  const c = buildFleet(WORLD, { trucks: 40, vessels: 20, seed: 43, now: NOW });
  assert.notDeepEqual(
    a.trucks.map((t) => t.plate),
    c.trucks.map((t) => t.plate),
  );
});

test('trucks: identities, consignments and scripts', () => {
  const f = buildFleet(WORLD, { trucks: 300, vessels: 0, seed: 1, now: NOW });
  assert.equal(f.trucks.length, 300);
  const plates = new Set(f.trucks.map((t) => t.plate));
  const terms = new Set(f.trucks.map((t) => t.terminal));
  assert.equal(plates.size, 300);
  assert.equal(terms.size, 300);
  for (const t of f.trucks) {
    assert.match(t.plate, /^沪[A-HJ-NP-Z]·[0-9A-HJ-NP-Z]{5}$/, t.plate); // origin district 2248 → Shanghai plates
    assert.match(t.terminal, /^0\d{11}$/);
    assert.equal(t.assetKey, `tel:${t.terminal}`);
    assert.ok(t.fixIntervalS >= 10 && t.fixIntervalS <= 30);
    assert.ok(t.gpsNoiseM >= 10 && t.gpsNoiseM <= 30);
    assert.match(t.carrier, /^上海.+公司$/);
    assert.equal(t.runs.length, 1);
    const r = t.runs[0]!;
    assert.match(r.reference, /^ZG2200\d{4}\d{9}$/);
    assert.match(r.seal, /^SL\d{10}$/);
    assert.ok(r.deadline > r.departure);
    assert.equal(r.deadline, deadlineFor(r.departure, indexWorld(WORLD).routes.get('R1')!.fwd.length));
    assert.equal(r.originSite, r.reversed ? 'B' : 'A');
    assert.equal(r.destSite, r.reversed ? 'A' : 'B');
    assert.ok(r.goods.length > 0);
  }
  const refs = new Set(f.trucks.map((t) => t.runs[0]!.reference));
  assert.equal(refs.size, 300);
  const scripted = f.trucks.filter((t) => t.script);
  assert.ok(scripted.length >= 5 && scripted.length <= 0.04 * 300, `scripted ${scripted.length}`);
  for (const s of TRUCK_SCRIPTS)
    assert.ok(
      scripted.some((t) => t.script === s),
      s,
    );
  // departures spread: some not yet left, most on the road
  const planned = f.trucks.filter((t) => t.runs[0]!.departure > NOW).length;
  assert.ok(planned > 20 && planned < 120, `planned ${planned}`);
  const cs = consignmentsAt(f, NOW);
  assert.equal(cs.length, 300);
  assert.equal(cs.filter((c) => c.status === 'planned').length, planned);
});

test('planRun: later runs get new, unique references and seals', () => {
  const f = buildFleet(WORLD, { trucks: 3, vessels: 0, seed: 5, now: NOW });
  const t = f.trucks[0]!;
  const r1 = planRun(WORLD, f.seed, t, 1, NOW + 3_600_000, !t.runs[0]!.reversed);
  const r1b = planRun(WORLD, f.seed, t, 1, NOW + 3_600_000, !t.runs[0]!.reversed);
  assert.deepEqual(r1, r1b);
  assert.notEqual(r1.reference, t.runs[0]!.reference);
  assert.notEqual(r1.seal, t.runs[0]!.seal);
  assert.equal(r1.originSite, t.runs[0]!.destSite);
  assert.equal(r1.runNo, 1);
});

test('vessels: identities, classes, scripts', () => {
  const f = buildFleet(WORLD, { trucks: 0, vessels: 150, seed: 9, now: NOW });
  assert.equal(f.vessels.length, 150);
  assert.equal(new Set(f.vessels.map((v) => v.mmsi)).size, 150);
  assert.equal(new Set(f.vessels.map((v) => v.name)).size, 150);
  let classA = 0;
  for (const v of f.vessels) {
    assert.match(v.mmsi, /^(412|413|414|477|563|636|353)\d{6}$/);
    assert.equal(v.assetKey, `mmsi:${v.mmsi}`);
    assert.match(v.name, /^[A-Z0-9 ]+$/);
    if (v.cls === 'A') {
      classA++;
      assert.match(v.imo!, /^\d{7}$/);
      let sum = 0;
      for (let i = 0; i < 6; i++) sum += Number(v.imo![i]) * (7 - i);
      assert.equal(sum % 10, Number(v.imo![6]), 'IMO check digit');
    } else assert.equal(v.imo, undefined);
    if (v.shipType === 'fishing') assert.ok(v.cruiseKn >= 3 && v.cruiseKn <= 8);
    if (v.shipType === 'container') assert.ok(v.cruiseKn >= 12 && v.cruiseKn <= 18);
  }
  assert.ok(classA / 150 > 0.75 && classA / 150 < 0.95, `class A share ${classA / 150}`);
  assert.ok(
    f.vessels.some((v) => !v.mmsi.startsWith('41')),
    'some foreign flags',
  );
  assert.ok(
    f.vessels.some((v) => /^(ZHONG GU|XIN HAI|HUA HANG|MIN HAI|JIN HAI|HAI FENG|CHANG HANG|ZHONG YUAN|NING HUA|HU HAI|XIN MING ZHOU|DONG FANG|HAI YANG|YU HAI) \d+$/.test(v.name)),
    'pinyin names',
  );
  assert.equal(f.rendezvous.length, 1);
  const { a, b } = f.rendezvous[0]!;
  const va = f.vessels.find((v) => v.id === a)!;
  const vb = f.vessels.find((v) => v.id === b)!;
  assert.equal(va.partner, b);
  assert.equal(vb.partner, a);
  assert.equal(va.laneCode, vb.laneCode);
  assert.ok(f.vessels.filter((v) => v.script === 'dark').length >= 1);
  assert.ok(f.vessels.some((v) => v.startState === 'anchored'));
});

test('checkWorld flags routes and lanes that do not end inside their sites', () => {
  assert.deepEqual(checkWorld(WORLD), []);
  const bad: World = {
    ...WORLD,
    routes: [{ ...WORLD.routes[0]!, path: [...WORLD.routes[0]!.path.slice(0, -1), [121.7, 31.1]] }],
    lanes: [{ ...WORLD.lanes[0]!, path: WORLD.lanes[0]!.path.slice(0, -1) }],
  };
  const w = checkWorld(bad);
  assert.equal(w.length, 2);
  assert.equal(w[0], 'route R1: does not end inside B');
  assert.match(w[1]!, /^lane L1: ends \d+ m from A$/);
});
