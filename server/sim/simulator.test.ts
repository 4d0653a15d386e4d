import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineString, point } from '@turf/helpers';
import { pointToLineDistance } from '@turf/point-to-line-distance';
import { PositionReportSchema, type LonLat, type PositionReport } from '../../lib/domain';
import type { World } from './world/types';
import { buildFleet, type Fleet, type Truck, type TruckRun } from './fleet';
import { Simulator, simulatorReports } from './simulator';
import { length as turfLength } from '@turf/length';
import { along as turfAlong } from '@turf/along';
import { distance as turfDistance } from '@turf/distance';
import { makePath, pointAt, pointAtOffset, pointInRing, reversePath } from './geometry';

const square = (c: LonLat, h: number): LonLat[] => [
  [c[0] - h, c[1] - h],
  [c[0] + h, c[1] - h],
  [c[0] + h, c[1] + h],
  [c[0] - h, c[1] + h],
  [c[0] - h, c[1] - h],
];

/** Fixture: a port terminal A, a bonded zone B, one ~20 km route A→B (corridor 300 m), one ~50 km lane to A. */
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
    // ends in the water ~200 m off the terminal, as real approach lanes do: vessels moor on a short final leg into A
    {
      code: 'L1',
      nameZh: '进港航道',
      nameEn: 'Approach',
      port: 'A',
      path: [
        [122.0, 30.85],
        [121.8, 30.92],
        [121.6, 30.97],
        [121.5035, 30.9942],
      ],
      approximate: true,
    },
  ],
};
/** The same with a third site C about 1.6 km off the middle of the route, for 'wrongSite'. */
const WORLD3: World = {
  ...WORLD,
  sites: [...WORLD.sites, { code: 'C', nameZh: '监管仓库', nameEn: 'Warehouse', kind: 'warehouse', district: '2248', area: square([121.575, 31.045], 0.003), approximate: true }],
};

const NOW = Date.UTC(2025, 5, 2, 2, 0, 0);
const MIN = 60_000;
const HOURS = 4;
const KN = 1.852;

const ROUTE = lineString(WORLD.routes[0]!.path);
const LANE = lineString(WORLD.lanes[0]!.path);
const routeDist = (r: PositionReport) => pointToLineDistance(point([r.lon, r.lat]), ROUTE, { units: 'meters' });
const laneDist = (r: PositionReport) => pointToLineDistance(point([r.lon, r.lat]), LANE, { units: 'meters' });
/** The first of a list the test needs to be non-empty. */
function first<T>(list: readonly T[], what: string): T {
  assert.ok(list.length > 0, `no ${what}`);
  return list[0]!;
}
const inSite = (r: PositionReport, world = WORLD) => world.sites.some((s) => pointInRing([r.lon, r.lat], s.area));

interface Run {
  fleet: Fleet;
  reports: PositionReport[];
  byKey: Map<string, PositionReport[]>;
  ends: Array<{ truck: Truck; run: TruckRun; t: number }>;
  planned: Array<{ truck: Truck; run: TruckRun }>;
  starts: Array<{ truck: Truck; run: TruckRun; t: number }>;
  lastStep: number;
}

function simulate(world: World, seed: number, steps: (i: number) => number, until: number, trucks = 20, vessels = 12): Run {
  const fleet = buildFleet(world, { trucks, vessels, seed, now: NOW });
  const reports: PositionReport[] = [];
  const ends: Run['ends'] = [];
  const planned: Run['planned'] = [];
  const starts: Run['starts'] = [];
  const sim = new Simulator(world, fleet, (r) => reports.push(r), {
    onRunEnd: (truck, run, t) => ends.push({ truck, run, t }),
    onRunPlanned: (truck, run) => planned.push({ truck, run }),
    onRunStart: (truck, run, t) => starts.push({ truck, run, t }),
  });
  let t = NOW;
  let lastStep = t;
  for (let i = 0; t <= until; i++) {
    sim.step(t);
    // every report is stamped at or before the step that emitted it
    lastStep = t;
    t += steps(i);
  }
  const byKey = new Map<string, PositionReport[]>();
  for (const r of reports) {
    let a = byKey.get(r.assetKey);
    if (!a) byKey.set(r.assetKey, (a = []));
    a.push(r);
  }
  return { fleet, reports, byKey, ends, planned, starts, lastStep };
}

test('geometry: lengths, interpolation and offsets in metres agree with turf (at 22° and 45° N)', () => {
  for (const lat of [22, 45]) {
    const coords: LonLat[] = [
      [113, lat],
      [113.2, lat + 0.1],
      [113.5, lat + 0.1],
      [113.6, lat - 0.2],
    ];
    const p = makePath(coords);
    const line = lineString(coords);
    assert.ok(Math.abs(p.length - turfLength(line, { units: 'meters' })) < 0.01);
    for (const f of [0, 0.13, 0.5, 0.77, 1]) {
      const q = pointAt(p, f * p.length);
      const t = turfAlong(line, f * p.length, { units: 'meters' }).geometry.coordinates;
      // straight-in-lon/lat segments (as drawn on the map and in PostGIS geometry) vs turf's great circles
      assert.ok(turfDistance([q.lon, q.lat], t, { units: 'meters' }) < 20, `along at ${f}`);
      for (const off of [150, -280, 2000]) {
        const o = pointAtOffset(p, f * p.length, off);
        const d = pointToLineDistance(point(o), line, { units: 'meters' });
        // offsets use the WGS84 ellipsoid, turf a sphere (≤ 0.5 % apart); segments are straight in lon/lat
        // here and great circles in turf (≤ ~10 m apart on these 20–35 km segments); at a vertex the
        // mitred offset is shorter
        assert.ok(d <= Math.abs(off) * 1.005 + 10 && d >= Math.abs(off) * 0.8, `offset ${off} at ${f}: ${d}`);
      }
    }
    assert.ok(Math.abs(reversePath(p).length - p.length) < 1e-6);
  }
});

const base = simulate(WORLD, 7, () => 1000, NOW + HOURS * 3_600_000);
const truckReports = (run: Run, pred: (t: Truck) => boolean) => run.fleet.trucks.filter(pred).map((t) => ({ t, rs: run.byKey.get(t.assetKey) ?? [] }));

test('every report validates and times increase per asset', () => {
  assert.ok(base.reports.length > 10_000, `${base.reports.length} reports`);
  for (const r of base.reports) {
    const p = PositionReportSchema.safeParse(r);
    assert.ok(p.success, JSON.stringify(r));
    assert.equal(r.source, 'sim');
    assert.ok(r.time <= base.lastStep);
  }
  for (const [, rs] of base.byKey) for (let i = 1; i < rs.length; i++) assert.ok(rs[i]!.time > rs[i - 1]!.time);
  for (const t of base.fleet.trucks) assert.ok((base.byKey.get(t.assetKey)?.length ?? 0) > 0, t.id);
  for (const v of base.fleet.vessels) assert.ok((base.byKey.get(v.assetKey)?.length ?? 0) > 0, v.id);
});

test('normal trucks stay within the corridor, report every 10–30 s, at plausible speeds', () => {
  const normal = truckReports(base, (t) => !t.script);
  assert.ok(normal.length >= 10);
  let moving = 0;
  let fast = 0;
  for (const { t, rs } of normal) {
    for (const r of rs) {
      const d = routeDist(r);
      assert.ok(d <= 300, `${t.id} ${d.toFixed(0)} m off the route`);
      assert.ok(r.speed! <= 110, `${t.id} ${r.speed} km/h`);
      if (r.speed! > 5) moving++;
      if (r.speed! > 60) fast++;
    }
    for (let i = 1; i < rs.length; i++) {
      const dt = rs[i]!.time - rs[i - 1]!.time;
      assert.ok(dt >= 10_000 && dt <= 30_000, `${t.id} interval ${dt}`);
    }
  }
  assert.ok(moving > 1000, `moving fixes ${moving}`);
  assert.ok(fast > 20, `expressway fixes ${fast}`);
});

test('trucks arrive, dwell and start the reverse route as a new consignment', () => {
  assert.ok(base.ends.length >= 10, `${base.ends.length} arrivals`);
  assert.ok(base.planned.length === base.ends.length);
  for (const { truck, run } of base.planned) {
    const prev = truck.runs[run.runNo - 1]!; // a planned run follows one
    assert.equal(run.reversed, !prev.reversed);
    assert.equal(run.originSite, prev.destSite);
    assert.notEqual(run.reference, prev.reference);
    assert.ok(run.departure >= prev.departure);
  }
  // a normal run ends inside its destination site, before the deadline
  for (const { truck, run, t } of base.ends) {
    if (truck.script) continue;
    const rs = base.byKey.get(truck.assetKey)!;
    const last = rs.filter((r) => r.time <= t).at(-1)!;
    assert.ok(t <= run.deadline, `${truck.id} arrived after its deadline`);
    assert.ok(last && (t - last.time > 30_000 || inSite(last)), `${truck.id} not in a site at arrival`);
  }
  assert.ok(base.starts.length > 0);
  const refs = new Set(base.fleet.trucks.flatMap((t) => t.runs.map((r) => r.reference)));
  assert.equal(
    refs.size,
    base.fleet.trucks.reduce((n, t) => n + t.runs.length, 0),
  );
});

test("a 'deviate' truck leaves the corridor and comes back", () => {
  const { t, rs } = first(
    truckReports(base, (t) => t.script === 'deviate'),
    'a deviate truck',
  );
  let maxI = 0;
  rs.forEach((r, i) => {
    if (routeDist(r) > routeDist(rs[maxI]!)) maxI = i;
  });
  const max = routeDist(rs[maxI]!);
  assert.ok(max > 300 + 500, `${t.id} max ${max.toFixed(0)} m`);
  // every run of a scripted truck plays its script: look at each episode outside the corridor
  const episodes: number[] = [];
  let from = -1;
  let prev = -1;
  for (const r of rs) {
    if (routeDist(r) > 300) {
      if (from < 0) from = r.time;
      prev = r.time;
    } else if (from >= 0) {
      episodes.push((prev - from) / MIN);
      from = -1;
    }
  }
  assert.ok(episodes.length >= 1);
  for (const m of episodes) assert.ok(m >= 4 && m <= 25, `outside for ${m.toFixed(1)} min`);
  assert.ok(
    rs.slice(maxI).some((r) => routeDist(r) < 100),
    'comes back',
  );
});

test("a 'silent' truck has a gap of at least 10 minutes", () => {
  const { t, rs } = first(
    truckReports(base, (t) => t.script === 'silent'),
    'a silent truck',
  );
  let gap = 0;
  for (let i = 1; i < rs.length; i++) gap = Math.max(gap, rs[i]!.time - rs[i - 1]!.time);
  assert.ok(gap >= 10 * MIN && gap <= 31 * MIN, `${t.id} gap ${gap / MIN} min`);
});

test("a 'stop' truck stands ≥ 15 min outside any site", () => {
  const { t, rs } = first(
    truckReports(base, (t) => t.script === 'stop'),
    'a stop truck',
  );
  let best = 0;
  let from = -1;
  for (const r of rs) {
    if (r.speed! < 3 && !inSite(r)) {
      if (from < 0) from = r.time;
      best = Math.max(best, r.time - from);
    } else from = -1;
  }
  assert.ok(best >= 15 * MIN, `${t.id} longest stop ${best / MIN} min`);
});

test('no normal truck stands still outside a site for 10 minutes (jams are short)', () => {
  for (const { t, rs } of truckReports(base, (t) => !t.script)) {
    let from = -1;
    for (const r of rs) {
      if (r.speed! < 3 && !inSite(r)) {
        if (from < 0) from = r.time;
        assert.ok(r.time - from < 10 * MIN, `${t.id} stopped ${(r.time - from) / MIN} min`);
      } else from = -1;
    }
  }
});

test("a 'late' truck misses its deadline", () => {
  const late = base.fleet.trucks.find((t) => t.script === 'late')!;
  const end = base.ends.find((e) => e.truck === late);
  if (end) assert.ok(end.t > end.run.deadline + 10 * MIN, 'arrived too early');
  else assert.ok(base.lastStep > first(late.runs, 'a run').deadline, 'still under way before its deadline');
});

test("a 'wrongSite' truck dwells in another site", () => {
  const run = simulate(WORLD3, 11, () => 1000, NOW + 3 * 3_600_000, 10, 0);
  const truck = run.fleet.trucks.find((t) => t.script === 'wrongSite')!;
  const rs = run.byKey.get(truck.assetKey)!;
  const C = WORLD3.sites[2]!.area;
  const inC = rs.filter((r) => pointInRing([r.lon, r.lat], C));
  assert.ok(inC.length > 0, 'never in the wrong site');
  const dwell = (inC.at(-1)!.time - inC[0]!.time) / MIN;
  assert.ok(dwell >= 15, `in the wrong site ${dwell.toFixed(1)} min`);
});

test('vessels stay within 300 m of their lane (but for the final leg to a berth), at plausible speeds and AIS rates', () => {
  const end = WORLD.lanes[0]!.path.at(-1)!;
  for (const v of base.fleet.vessels) {
    const rs = base.byKey.get(v.assetKey)!;
    for (const r of rs) {
      const d = laneDist(r);
      const berthing = turfDistance([r.lon, r.lat], end, { units: 'meters' }) < 1000;
      assert.ok(d <= 300 || berthing, `${v.id} ${d.toFixed(0)} m off the lane`);
      assert.ok(r.speed! <= 25 * KN, `${v.id} ${r.speed} km/h`);
      assert.ok(r.heading !== undefined);
    }
    for (let i = 1; i < rs.length; i++) {
      const dt = rs[i]!.time - rs[i - 1]!.time;
      assert.ok(dt >= 5000, `${v.id} interval ${dt}`);
      if (v.script !== 'dark') assert.ok(dt <= 190_000, `${v.id} interval ${dt}`);
    }
  }
  const container = base.fleet.vessels.find((v) => v.shipType === 'container' && !v.script);
  if (container) {
    const rs = base.byKey.get(container.assetKey)!;
    assert.ok(
      rs.some((r) => r.speed! > 11 * KN),
      'a container ship cruises above 11 kn',
    );
  }
});

test("a 'dark' vessel is silent for 20–60 min", () => {
  const dark = base.fleet.vessels.find((v) => v.script === 'dark')!;
  const rs = base.byKey.get(dark.assetKey)!;
  let gap = 0;
  for (let i = 1; i < rs.length; i++) gap = Math.max(gap, rs[i]!.time - rs[i - 1]!.time);
  assert.ok(gap >= 20 * MIN && gap <= 61 * MIN, `${dark.id} gap ${gap / MIN} min`);
});

test('moored vessels lie inside the port site; no two vessels but the pair look like a rendezvous', () => {
  const A = WORLD.sites[0]!.area;
  let moored = 0;
  for (const r of base.reports) {
    if (r.kind !== 'vessel' || r.speed! > 0.2 * KN) continue;
    if (pointInRing([r.lon, r.lat], A)) moored++;
  }
  assert.ok(moored > 50, `${moored} moored fixes in A`);
  const pairKeys = new Set(base.fleet.vessels.filter((v) => v.script === 'rendezvous').map((v) => v.assetKey));
  const keys = base.fleet.vessels.map((v) => v.assetKey);
  const idx = new Map<string, number>();
  const since = new Map<string, number>();
  for (let t = NOW; t <= base.lastStep; t += 60_000) {
    const slow: PositionReport[] = [];
    for (const k of keys) {
      const rs = base.byKey.get(k)!;
      let i = idx.get(k) ?? 0;
      while (i + 1 < rs.length && rs[i + 1]!.time <= t) i++;
      idx.set(k, i);
      const r = rs[i]!; // every vessel reported (first test)
      if (r.time <= t && t - r.time <= 200_000 && r.speed! < 2 * KN && !inSite(r)) slow.push(r);
    }
    const seen = new Set<string>();
    for (let i = 0; i < slow.length; i++)
      for (let j = i + 1; j < slow.length; j++) {
        const [a, b] = [slow[i]!, slow[j]!];
        if (pairKeys.has(a.assetKey) && pairKeys.has(b.assetKey)) continue;
        if (turfDistance([a.lon, a.lat], [b.lon, b.lat], { units: 'meters' }) >= 500) continue;
        const key = [a.assetKey, b.assetKey].sort().join('|');
        seen.add(key);
        if (!since.has(key)) since.set(key, t);
        assert.ok(t - since.get(key)! <= 15 * MIN, `${key} together for ${(t - since.get(key)!) / MIN} min`);
      }
    for (const k of [...since.keys()]) if (!seen.has(k)) since.delete(k);
  }
});

test('the rendezvous pair meets: within 500 m, both < 2 kn, for more than 15 min, away from sites', () => {
  const { a, b } = first(base.fleet.rendezvous, 'a rendezvous pair');
  const key = (id: string) => base.fleet.vessels.find((v) => v.id === id)!.assetKey;
  const ra = base.byKey.get(key(a))!;
  const rb = base.byKey.get(key(b))!;
  const latest = (rs: PositionReport[], t: number) => {
    let r: PositionReport | undefined;
    for (const x of rs) {
      if (x.time > t) break;
      r = x;
    }
    return r && t - r.time <= 200_000 ? r : undefined;
  };
  let best = 0;
  let from = -1;
  for (let t = NOW; t <= base.lastStep; t += 30_000) {
    const pa = latest(ra, t);
    const pb = latest(rb, t);
    const ok =
      pa &&
      pb &&
      pa.speed! < 2 * KN &&
      pb.speed! < 2 * KN &&
      !inSite(pa) &&
      !inSite(pb) &&
      pointToLineDistance(
        point([pa.lon, pa.lat]),
        lineString([
          [pb.lon, pb.lat],
          [pb.lon + 1e-9, pb.lat],
        ]),
        { units: 'meters' },
      ) < 500;
    if (ok) {
      if (from < 0) from = t;
      best = Math.max(best, t - from);
    } else from = -1;
  }
  assert.ok(best > 15 * MIN, `together for ${best / MIN} min`);
});

test('with a land test, vessels keep their offsets at sea where the lane runs along a coast', () => {
  // "land" north of the lane's middle segment, from 120 m off its centre line
  const [a, b] = [WORLD.lanes[0]!.path[1]!, WORLD.lanes[0]!.path[2]!];
  const kx = 95_500;
  const ky = 110_900;
  const isLand = (p: LonLat) => {
    if (p[0] < 121.62 || p[0] > 121.78) return false;
    const ex = (b[0] - a[0]) * kx;
    const ey = (b[1] - a[1]) * ky;
    const px = (p[0] - a[0]) * kx;
    const py = (p[1] - a[1]) * ky;
    const left = (ex * py - ey * px) / Math.hypot(ex, ey); // > 0: left of the inbound direction (north here)
    return left > 120;
  };
  const fleet = buildFleet(WORLD, { trucks: 0, vessels: 30, seed: 21, now: NOW });
  const reports: PositionReport[] = [];
  const sim = new Simulator(WORLD, fleet, (r) => reports.push(r), { isLand });
  for (let t = NOW; t <= NOW + 3 * 3_600_000; t += 2000) sim.step(t);
  let near = 0;
  for (const r of reports) {
    assert.ok(!isLand([r.lon, r.lat]), `${r.label} on land at ${r.lon},${r.lat}`);
    if (r.lon > 121.62 && r.lon < 121.78) near++;
  }
  assert.ok(near > 100, `${near} fixes along the coast`);
});

test('irregular steps give the same kind of track (time-based, not tick-based)', () => {
  let x = 1;
  const run = simulate(
    WORLD,
    7,
    () => {
      x = (x * 48271) % 2147483647;
      return 200 + (x % 9000); // 0.2–9.2 s
    },
    NOW + 2 * 3_600_000,
  );
  for (const r of run.reports) assert.ok(PositionReportSchema.safeParse(r).success);
  for (const { t, rs } of truckReports(run, (t) => !t.script)) {
    for (let i = 1; i < rs.length; i++) {
      const dt = rs[i]!.time - rs[i - 1]!.time;
      assert.ok(dt >= 10_000 && dt <= 30_000, `${t.id} interval ${dt}`);
    }
    for (const r of rs) assert.ok(routeDist(r) <= 300);
  }
});

test('simulatorReports yields the same reports as a Simulator stepped the same way', () => {
  const f1 = buildFleet(WORLD, { trucks: 6, vessels: 4, seed: 3, now: NOW });
  const f2 = buildFleet(WORLD, { trucks: 6, vessels: 4, seed: 3, now: NOW });
  const a = [...simulatorReports(WORLD, f1, NOW, NOW + 30 * MIN, 1000)];
  const b: PositionReport[] = [];
  const sim = new Simulator(WORLD, f2, (r) => b.push(r));
  for (let t = NOW; t <= NOW + 30 * MIN; t += 1000) sim.step(t);
  assert.deepEqual(a, b);
  assert.ok(a.length > 100);
});

test('cost per step: 300 trucks + 150 vessels at 1 Hz (printed, not asserted)', () => {
  const fleet = buildFleet(WORLD, { trucks: 300, vessels: 150, seed: 99, now: NOW });
  let n = 0;
  const sim = new Simulator(WORLD, fleet, () => n++);
  const t0 = performance.now();
  sim.step(NOW); // start + warm-up
  const warm = performance.now() - t0;
  const steps = 3600;
  const t1 = performance.now();
  for (let i = 1; i <= steps; i++) sim.step(NOW + i * 1000);
  const per = (performance.now() - t1) / steps;
  console.log(`# simulator: 300 trucks + 150 vessels: start ${warm.toFixed(1)} ms, ${per.toFixed(3)} ms/step at 1 Hz over 1 h, ${(n / steps).toFixed(1)} reports/s`);
});
