// Each rule's hysteresis on a small synthetic world: a straight 48 km route along 31°N (corridor
// 500 m) from site O to site D, a warehouse W inside the corridor, a restricted zone on the road.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GeofenceIndex, haversineM } from '../geofence/index';
import { RulesEngine } from './engine';
import type { AssetRef, RuleEvent, RulesConfig, WatchedConsignment } from './types';

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
const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);
const TRUCK: AssetRef = { id: 10, kind: 'vehicle' };

function world(): GeofenceIndex {
  const g = new GeofenceIndex();
  const path = Array.from({ length: 49 }, (_, i) => at(i));
  g.upsertRoute({ id: 1, code: 'R', path, corridorM: 500 });
  g.upsertSite({ id: 1, code: 'O', kind: 'port_terminal', area: square(0, 0, 600) });
  g.upsertSite({ id: 2, code: 'D', kind: 'warehouse', area: square(48, 0, 600) });
  g.upsertSite({ id: 3, code: 'W', kind: 'warehouse', area: square(20, 300, 300) });
  g.upsertZone({ id: 9, code: 'Z', kind: 'restricted', area: square(30, 3000, 400) }); // 3 km off the road
  return g;
}

const consignment = (over: Partial<WatchedConsignment> = {}): WatchedConsignment => ({
  id: 1,
  reference: 'C1',
  assetId: TRUCK.id,
  routeId: 1,
  originSiteId: 1,
  destSiteId: 2,
  departure: T0,
  deadline: T0 + 3 * 3_600_000,
  status: 'planned',
  expectedIntervalS: 10,
  ...over,
});

class Sim {
  t = T0;
  km = 0;
  north = 0;
  events: RuleEvent[] = [];
  constructor(
    public e: RulesEngine,
    public asset: AssetRef = TRUCK,
  ) {}
  /** One fix `dt` seconds after the last, at the current place. `speed: null` sends none. */
  fix(o: { speed?: number | null; alarm?: number; dt?: number; north?: number } = {}): RuleEvent[] {
    this.t += (o.dt ?? 10) * 1000;
    const [lon, lat] = at(this.km, o.north ?? this.north);
    const ev = this.e.onFix(this.asset, { time: this.t, lon, lat, speed: o.speed === null ? undefined : (o.speed ?? 60), alarm: o.alarm });
    this.events.push(...ev);
    return ev;
  }
  drive(n: number, kmh = 60, interval = 10): RuleEvent[] {
    const out: RuleEvent[] = [];
    for (let i = 0; i < n; i++) {
      this.km += ((kmh / 3.6) * interval) / 1000;
      out.push(...this.fix({ speed: kmh, dt: interval }));
    }
    return out;
  }
  stay(n: number, speed: number | null = 0, interval = 10): RuleEvent[] {
    const out: RuleEvent[] = [];
    for (let i = 0; i < n; i++) out.push(...this.fix({ speed, dt: interval }));
    return out;
  }
  tick(seconds: number): RuleEvent[] {
    const ev = this.e.tick(this.t + seconds * 1000);
    this.events.push(...ev);
    return ev;
  }
  /** Leaves the origin and drives to km 2. */
  depart(): void {
    this.stay(3);
    this.drive(12);
  }
}

const raised = (ev: RuleEvent[], type?: string) => ev.filter((e) => e.kind === 'raised' && (!type || e.alert.type === type));
const cleared = (ev: RuleEvent[], type?: string) => ev.filter((e) => e.kind === 'cleared' && (!type || e.type === type));
const statuses = (ev: RuleEvent[]) => ev.filter((e) => e.kind === 'status').map((e) => (e as { status: string }).status);

// Most tests teleport the carrier sideways between two fixes; the outlier check has its own test.
const TELEPORT: Partial<RulesConfig> = { vehicleMaxKmh: 1e9 };

function setup(config: Partial<RulesConfig> = {}, c: Partial<WatchedConsignment> = {}, geo = world()) {
  const e = new RulesEngine(geo, { ...TELEPORT, ...config });
  e.watch(consignment(c));
  return new Sim(e);
}

test('departure: planned → in_transit once the carrier is out of its origin; nothing is raised on a clean run', () => {
  const s = setup();
  s.stay(10);
  assert.equal(s.e.status(1), 'planned');
  s.drive(10);
  assert.equal(s.e.status(1), 'in_transit');
  s.drive(270, 80); // to km ~62 → through D at km 48
  assert.deepEqual(
    raised(s.events).map((e) => e.kind === 'raised' && e.alert.type),
    ['ARRIVED'],
  );
  assert.deepEqual(statuses(s.events), ['in_transit', 'arrived']);
});

test('ROUTE_DEVIATION: needs 2 outside fixes spanning 60 s; clears after 2 fixes inside 80 %', () => {
  const s = setup();
  s.depart();
  s.north = 700;
  assert.deepEqual(raised(s.drive(1)), [], 'one fix outside');
  assert.deepEqual(raised(s.drive(5)), [], 'six fixes, 50 s');
  const r = raised(s.drive(1), 'ROUTE_DEVIATION');
  assert.equal(r.length, 1, 'seven fixes, 60 s');
  const a = (r[0] as Extract<RuleEvent, { kind: 'raised' }>).alert;
  assert.equal(a.severity, 'critical');
  assert.ok(Math.abs((a.detail.distanceM as number) - 700) < 1);
  assert.equal(s.e.status(1), 'diverted');
  assert.deepEqual(raised(s.drive(20)), [], 'one alert per episode');
  s.north = 450; // inside the corridor but not within 80 %
  assert.deepEqual(cleared(s.drive(5)), []);
  s.north = 350;
  s.drive(1);
  s.north = 450;
  s.drive(1);
  s.north = 350;
  assert.deepEqual(cleared(s.drive(1)), [], 'the two fixes within 80 % must be consecutive');
  assert.equal(cleared(s.drive(1), 'ROUTE_DEVIATION').length, 1);
  assert.equal(s.e.status(1), 'in_transit');
  assert.deepEqual(statuses(s.events), ['in_transit', 'diverted', 'in_transit']);
});

test('ROUTE_DEVIATION: sparse fixes (60 s) raise on the second; a lone jump never raises', () => {
  const s = setup();
  s.depart();
  s.north = 900;
  s.drive(1, 60, 60);
  assert.equal(raised(s.drive(1, 60, 60), 'ROUTE_DEVIATION').length, 1);
  const s2 = setup();
  s2.depart();
  for (let i = 0; i < 5; i++) {
    s2.drive(3, 60, 60);
    s2.km += 1;
    s2.fix({ north: 800, dt: 60 }); // plausible at 60 s, but alone
  }
  s2.drive(3);
  assert.deepEqual(raised(s2.events, 'ROUTE_DEVIATION'), []);
});

test('plausibility: an 800 m jump 10 s after the last fix is ignored; two fixes that agree are believed', () => {
  const s = setup({ vehicleMaxKmh: 160 });
  s.depart();
  s.fix({ north: 800 }); // outlier: would be 250+ km/h
  s.fix({ north: 0 });
  s.fix({ north: 800 });
  assert.deepEqual(raised(s.events, 'ROUTE_DEVIATION'), []);
  // A real move (e.g. after a tracker swap): from the second agreeing fix on, the new place counts.
  s.north = 5000;
  s.km += 10;
  s.stay(10, 60);
  assert.equal(raised(s.events, 'ROUTE_DEVIATION').length, 1);
});

test('UNSCHEDULED_STOP: > 10 min slower than 3 km/h outside sites; one moving fix does not end it, two do', () => {
  const s = setup();
  s.depart();
  s.stay(61, 1); // the first slow fix, then 600 s
  assert.deepEqual(raised(s.events, 'UNSCHEDULED_STOP'), []);
  s.stay(1, 0);
  const r = raised(s.events, 'UNSCHEDULED_STOP');
  assert.equal(r.length, 1);
  assert.equal((r[0] as Extract<RuleEvent, { kind: 'raised' }>).alert.severity, 'warning');
  s.fix({ speed: 5 });
  s.stay(3, 0);
  assert.deepEqual(cleared(s.events), [], 'a single fix at speed is noise');
  s.drive(1);
  assert.equal(cleared(s.drive(1), 'UNSCHEDULED_STOP').length, 1);
  assert.equal(raised(s.events, 'UNSCHEDULED_STOP').length, 1, 'one per episode');
});

test('UNSCHEDULED_STOP: without reported speed, staying within 150 m; stop-and-go resets; inside a site it is not raised', () => {
  const s = setup();
  s.depart();
  for (let i = 0; i < 70; i++) s.fix({ speed: null, north: (i % 3) * 40 }); // 50 m jitter, 11+ min
  assert.equal(raised(s.events, 'UNSCHEDULED_STOP').length, 1);
  s.drive(3);
  assert.equal(cleared(s.events, 'UNSCHEDULED_STOP').length, 1);

  const jam = setup();
  jam.depart();
  for (let k = 0; k < 4; k++) {
    jam.stay(40, 0); // 400 s stopped
    jam.drive(6, 8); // a minute of crawling
  }
  assert.deepEqual(raised(jam.events, 'UNSCHEDULED_STOP'), []);

  const w = setup({ wrongSiteDwellS: 100_000 });
  w.depart();
  w.km = 20;
  w.north = 300; // inside warehouse W
  w.stay(80, 0);
  assert.deepEqual(raised(w.events, 'UNSCHEDULED_STOP'), []);
});

test('thresholds per route: an override for route 1 applies to its consignments only', () => {
  const s = setup({ routes: { 1: { stopMinS: 60, wrongSiteDwellS: 30 } } });
  s.depart();
  s.stay(8, 0);
  assert.equal(raised(s.events, 'UNSCHEDULED_STOP').length, 1, 'after 1 min on route 1');
  const other = setup({ routes: { 2: { stopMinS: 60 } } });
  other.depart();
  other.stay(8, 0);
  assert.deepEqual(raised(other.events), []);
});

test('SIGNAL_LOST: after max(3 × interval, 5 min) in fix time, raised once from tick at the crossing time, cleared by a fix with the gap', () => {
  const s = setup();
  s.depart();
  const last = s.t;
  assert.deepEqual(s.tick(299), []);
  const r = raised(s.tick(301), 'SIGNAL_LOST');
  assert.equal(r.length, 1);
  const a = (r[0] as Extract<RuleEvent, { kind: 'raised' }>).alert;
  assert.equal(a.time, last + 300_000, 'stamped when the threshold was crossed');
  assert.equal(a.mapStatus, 'stale');
  assert.deepEqual(s.tick(900), []);
  const c = cleared(s.drive(1, 60, 1200), 'SIGNAL_LOST');
  assert.equal(c.length, 1);
  assert.equal((c[0] as Extract<RuleEvent, { kind: 'cleared' }>).detail!.gapS, 1200);

  // The same without any tick: caught up when the next fix arrives, identical events.
  const q = setup();
  q.depart();
  const ev = q.drive(1, 60, 1200);
  assert.deepEqual(
    ev.filter((e) => e.kind !== 'status'),
    [...r, ...c],
  );

  // A slow reporter: 3 × 200 s = 10 min.
  const slow = setup({}, { expectedIntervalS: 200 });
  slow.depart();
  assert.deepEqual(slow.tick(599), []);
  assert.equal(raised(slow.tick(601), 'SIGNAL_LOST').length, 1);
  // Not before departure.
  const parked = setup();
  parked.stay(3);
  assert.deepEqual(parked.tick(3600), []);
});

test('OVERDUE at the deadline (by tick), status overdue, cleared on arrival', () => {
  const s = setup({}, { deadline: T0 + 20 * 60_000 });
  s.depart();
  s.drive(60);
  const r = raised(s.tick(20 * 60), 'OVERDUE');
  assert.equal(r.length, 1);
  assert.equal((r[0] as Extract<RuleEvent, { kind: 'raised' }>).alert.time, T0 + 20 * 60_000);
  assert.equal(s.e.status(1), 'overdue');
  s.drive(300, 90);
  assert.equal(cleared(s.events, 'OVERDUE').length, 1);
  assert.equal(raised(s.events, 'ARRIVED').length, 1);
  assert.deepEqual(statuses(s.events), ['in_transit', 'overdue', 'arrived']);
});

test('WRONG_SITE: dwell > 2 min in a site that is not the destination; one fix outside does not end it, two do', () => {
  const s = setup();
  s.depart();
  s.km = 20;
  s.north = 300;
  s.stay(12, 0); // 110 s after entering
  assert.deepEqual(raised(s.events, 'WRONG_SITE'), []);
  s.stay(2, 0);
  const r = raised(s.events, 'WRONG_SITE');
  assert.equal(r.length, 1);
  assert.equal((r[0] as Extract<RuleEvent, { kind: 'raised' }>).alert.detail.siteCode, 'W');
  s.fix({ north: 0 });
  s.stay(2, 0);
  assert.deepEqual(cleared(s.events), []);
  s.north = 0;
  s.drive(1);
  assert.equal(cleared(s.drive(1), 'WRONG_SITE').length, 1);
});

test('WRONG_SITE and the origin: not while loading; re-entering after leaving counts (configurable)', () => {
  const s = setup();
  s.stay(60, 0); // 10 min in the origin before leaving
  assert.deepEqual(raised(s.events), []);
  s.drive(12);
  s.km = 0;
  s.stay(20, 0);
  assert.equal(raised(s.events, 'WRONG_SITE').length, 1);
  assert.equal((raised(s.events, 'WRONG_SITE')[0] as Extract<RuleEvent, { kind: 'raised' }>).alert.detail.origin, true);

  const lenient = setup({ originReentryIsWrong: false });
  lenient.stay(3);
  lenient.drive(12);
  lenient.km = 0;
  lenient.stay(20, 0);
  assert.deepEqual(raised(lenient.events, 'WRONG_SITE'), []);

  // Watched as in transit while still in the yard: no wrong site for the origin either.
  const early = setup({}, { status: 'in_transit' });
  early.stay(30, 0);
  assert.deepEqual(raised(early.events), []);
});

test('ARRIVED clears what is open, completes the consignment, and nothing follows', () => {
  const s = setup();
  s.depart();
  s.north = 900;
  s.drive(10);
  assert.equal(raised(s.events, 'ROUTE_DEVIATION').length, 1);
  s.north = 0;
  s.km = 47.9;
  s.stay(2);
  assert.equal(raised(s.events, 'ARRIVED').length, 1);
  assert.equal(cleared(s.events, 'ROUTE_DEVIATION').length, 1);
  assert.equal(s.e.status(1), 'arrived');
  s.stay(200, 0);
  s.tick(86_400);
  assert.equal(raised(s.events).length, 2);
  assert.deepEqual(statuses(s.events), ['in_transit', 'diverted', 'arrived']);
});

test('SEAL_ALARM: a rising door-open bit once per episode, never auto-cleared, ended by acknowledge; seal events too', () => {
  const DOOR = 0x80000000;
  const s = setup();
  s.stay(3, 0, 10);
  s.fix({ speed: 0, alarm: DOOR }); // loading at the origin
  s.fix({ speed: 0, alarm: 0 });
  assert.deepEqual(raised(s.events), []);
  s.depart();
  s.fix({ alarm: 0x2 }); // overspeed: not a seal alarm
  assert.deepEqual(raised(s.events), []);
  s.fix({ alarm: DOOR | 0x2 });
  s.fix({ alarm: DOOR });
  s.fix({ alarm: 0 });
  s.fix({ alarm: DOOR });
  const r = raised(s.events, 'SEAL_ALARM');
  assert.equal(r.length, 1, 'one episode until acknowledged');
  const ep = (r[0] as Extract<RuleEvent, { kind: 'raised' }>).alert.episode;
  s.drive(100);
  s.tick(86_400);
  assert.deepEqual(cleared(s.events, 'SEAL_ALARM'), [], 'never cleared by the engine');
  assert.deepEqual(s.e.onEvent({ kind: 'seal_cut', time: s.t, assetId: TRUCK.id }), [], 'folded into the open episode');
  assert.equal(cleared(s.e.acknowledge(ep, s.t), 'SEAL_ALARM').length, 1);
  s.fix({ alarm: DOOR }); // still set: no new edge
  assert.equal(raised(s.events, 'SEAL_ALARM').length, 1);
  s.fix({ alarm: 0 });
  s.fix({ alarm: DOOR });
  assert.equal(raised(s.events, 'SEAL_ALARM').length, 2, 'a new edge after acknowledgement is a new episode');

  const g = setup();
  g.depart();
  const ev = g.e.onEvent({ kind: 'seal_opened', time: g.t + 1000, consignmentId: 1, siteId: 3 });
  assert.equal(raised(ev, 'SEAL_ALARM').length, 1);
  assert.deepEqual(g.e.onEvent({ kind: 'gate_in', time: g.t + 2000, consignmentId: 1 }), []);
  // A late (out-of-order) fix that carries the alarm still raises it.
  const late = setup();
  late.depart();
  const t = late.t;
  late.fix();
  assert.equal(raised(late.e.onFix(TRUCK, { time: t - 5000, lon: at(1)[0], lat: at(1)[1], alarm: DOOR }), 'SEAL_ALARM').length, 1);
});

test('ZONE_ENTRY: two fixes inside to enter, two outside to leave; anchorage zones raise nothing', () => {
  const geo = world();
  geo.upsertZone({ id: 9, code: 'Z', kind: 'restricted', area: square(30, 0, 400) }); // moved onto the road: live
  const s = setup({}, {}, geo);
  s.depart();
  s.km = 29.7;
  s.fix();
  s.km = 30;
  s.fix();
  s.km = 31;
  s.fix();
  assert.deepEqual(raised(s.events, 'ZONE_ENTRY'), [], 'a single fix inside');
  s.km = 30;
  s.stay(1, 60);
  const r = raised(s.stay(1, 60), 'ZONE_ENTRY');
  assert.equal(r.length, 1);
  assert.equal((r[0] as Extract<RuleEvent, { kind: 'raised' }>).alert.consignmentId, 1);
  s.km = 31;
  s.stay(1, 60);
  assert.deepEqual(cleared(s.events, 'ZONE_ENTRY'), []);
  assert.equal(cleared(s.stay(1, 60), 'ZONE_ENTRY').length, 1);

  const g = world();
  g.upsertZone({ id: 9, code: 'Z', kind: 'anchorage', area: square(30, 0, 400) });
  const e = new RulesEngine(g);
  const v = new Sim(e, { id: 77, kind: 'vessel' });
  v.km = 30;
  v.stay(10, 0);
  assert.deepEqual(raised(v.events), []);
});

test('AIS_GAP: by class and speed (class A moving 5 min, class B slow 30 min); cleared when it transmits, with the gap', () => {
  const e = new RulesEngine(new GeofenceIndex());
  const a = new Sim(e, { id: 50, kind: 'vessel', aisClass: 'A' });
  a.km = 100;
  a.stay(3, 22); // 12 kn
  assert.deepEqual(a.tick(299), []);
  const r = raised(a.tick(301), 'AIS_GAP');
  assert.equal(r.length, 1);
  assert.equal((r[0] as Extract<RuleEvent, { kind: 'raised' }>).alert.detail.thresholdS, 300);
  const c = cleared(a.fix({ speed: 22, dt: 900 }), 'AIS_GAP');
  assert.equal((c[0] as Extract<RuleEvent, { kind: 'cleared' }>).detail!.gapS, 900);

  const b = new Sim(e, { id: 51, kind: 'vessel', aisClass: 'B' });
  b.km = 200;
  b.stay(3, 1.5);
  const mine = (ev: RuleEvent[]) => ev.filter((x) => x.kind === 'raised' && x.alert.assetId === 51);
  assert.deepEqual(mine(b.tick(1799)), []);
  assert.equal(mine(b.tick(1801)).length, 1);
  // Vehicles have no AIS_GAP.
  const t = new Sim(e, { id: 52, kind: 'vehicle' });
  t.stay(3);
  assert.deepEqual(
    t.tick(86_400).filter((x) => x.kind === 'raised' && x.alert.assetId === 52),
    [],
  );
});

test('RENDEZVOUS: two slow vessels within 500 m for > 15 min away from sites; they part beyond 600 m; not near a site, not if fast', () => {
  const g = world();
  const e = new RulesEngine(g);
  const a = new Sim(e, { id: 60, kind: 'vessel', aisClass: 'A' });
  const b = new Sim(e, { id: 61, kind: 'vessel', aisClass: 'A' });
  a.km = 100;
  b.km = 100.3; // 300 m
  const both = (n: number, sa = 1, sb = 1) => {
    for (let i = 0; i < n; i++) {
      a.fix({ speed: sa, dt: 30 });
      b.t = a.t;
      b.fix({ speed: sb, dt: 0.001 });
    }
  };
  both(30); // 15 min
  assert.deepEqual(raised([...a.events, ...b.events], 'RENDEZVOUS'), []);
  both(2);
  const r = raised([...a.events, ...b.events], 'RENDEZVOUS');
  assert.equal(r.length, 1);
  const alert = (r[0] as Extract<RuleEvent, { kind: 'raised' }>).alert;
  assert.equal(alert.assetId, 60);
  assert.equal(alert.detail.otherAssetId, 61);
  b.km = 100.55; // 550 m: still together
  both(5);
  assert.deepEqual(cleared([...a.events, ...b.events]), []);
  b.km = 101; // 1 km: parted
  both(1, 1, 10);
  assert.equal(cleared([...a.events, ...b.events], 'RENDEZVOUS').length, 1);
  assert.equal(raised([...a.events, ...b.events], 'RENDEZVOUS').length, 1);

  // Close but under way (5 kn): ships passing or in convoy.
  const f1 = new Sim(e, { id: 64, kind: 'vessel' });
  const f2 = new Sim(e, { id: 65, kind: 'vessel' });
  f1.km = 150;
  f2.km = 150.2;
  for (let i = 0; i < 40; i++) {
    f1.fix({ speed: 9.3, dt: 30 });
    f2.t = f1.t;
    f2.fix({ speed: 9.3, dt: 0.001 });
  }
  assert.deepEqual(raised([...f1.events, ...f2.events], 'RENDEZVOUS'), []);

  // Beside a site (W at km 20): a normal wait, not a meeting at sea.
  const c = new Sim(e, { id: 62, kind: 'vessel' });
  const d = new Sim(e, { id: 63, kind: 'vessel' });
  c.km = 20.2;
  d.km = 20.5;
  for (let i = 0; i < 40; i++) {
    c.fix({ speed: 0, dt: 30 });
    d.t = c.t;
    d.fix({ speed: 0, dt: 0.001 });
  }
  assert.deepEqual(raised([...c.events, ...d.events], 'RENDEZVOUS'), []);
});

test('RENDEZVOUS scales: 3,000 slow vessels spread over the delta, checked through a spatial hash', () => {
  const e = new RulesEngine(new GeofenceIndex());
  const n = 3000;
  let events = 0;
  for (let round = 0; round < 10; round++) {
    for (let i = 0; i < n; i++) {
      const lon = 122 + ((i * 7919) % 1000) / 1000,
        lat = 30 + ((i * 104729) % 1000) / 1000; // ~100 m apart at the closest
      events += e.onFix({ id: 1000 + i, kind: 'vessel' }, { time: T0 + round * 60_000 + i, lon, lat, speed: 0.5 }).length;
    }
  }
  // Speed is bench:geofence's to measure (no timing assertion in a unit test).
  assert.equal(events, 0, '10 minutes together is no rendezvous yet');
  // The hash found every candidate pair a brute-force scan finds (within 500 m; nothing moved).
  const pos = (i: number) => [122 + ((i * 7919) % 1000) / 1000, 30 + ((i * 104729) % 1000) / 1000] as const;
  const want: string[] = [];
  for (let i = 0; i < n; i++) {
    const [x1, y1] = pos(i);
    for (let j = i + 1; j < n; j++) {
      const [x2, y2] = pos(j);
      if (haversineM(x1, y1, x2, y2) <= 500) want.push(`${1000 + i}-${1000 + j}`);
    }
  }
  assert.ok(want.length > 100, `${want.length} close pairs in the data`);
  assert.deepEqual(
    e
      .exportState()
      .pairs.map((p) => `${p.a}-${p.b}`)
      .sort(),
    want.sort(),
  );
});

test('state survives a restart: export mid-episode, import into a new engine, carry on with the same episodes', () => {
  const run = (restart: boolean) => {
    const s = setup({}, { deadline: T0 + 15 * 60_000 });
    s.depart();
    s.north = 900;
    s.drive(10);
    s.km = 20;
    s.north = 300;
    s.stay(15, 0); // wrong site W, open
    s.fix({ alarm: 0x80000000 });
    if (restart) {
      const saved = JSON.parse(JSON.stringify(s.e.exportState()));
      const fresh = new RulesEngine(world());
      fresh.importState(saved);
      fresh.watch(consignment({ deadline: T0 + 15 * 60_000, status: 'diverted' }));
      s.e = fresh;
    }
    s.tick(600);
    s.north = 0;
    s.drive(50);
    s.fix({ alarm: 0x80000000 });
    return s.events;
  };
  const straight = run(false);
  assert.ok(raised(straight, 'ROUTE_DEVIATION').length === 1 && raised(straight, 'WRONG_SITE').length === 1 && raised(straight, 'OVERDUE').length === 1);
  assert.deepEqual(run(true), straight);
  assert.throws(() => new RulesEngine(world()).importState({ version: 2 }));
});

test('route thresholds set at run time apply from the next tick, and removing them restores the defaults', () => {
  const s = setup({}, { expectedIntervalS: undefined }); // the route's interval applies: 3 × 30 s < 5 min → 300 s
  s.depart();
  s.e.setRouteRules(1, { signalLostMinS: 60, signalLostFactor: 1, expectedIntervalS: 30 });
  assert.deepEqual(s.tick(59), []);
  assert.equal(raised(s.tick(61), 'SIGNAL_LOST').length, 1, 'the new route threshold, without a new engine');
  const q = setup({ routes: { 1: { signalLostMinS: 60 } } }, { expectedIntervalS: undefined });
  q.depart();
  q.e.setRouteRules(1, undefined);
  assert.deepEqual(q.tick(299), [], 'the file’s route entry removed: the global 5 min again');
  assert.equal(raised(q.tick(301), 'SIGNAL_LOST').length, 1);
});

test('SIGNAL_LOST: a device’s expected interval replaces the route’s for its asset only', () => {
  const s = setup({}, { expectedIntervalS: undefined });
  s.e.setReportInterval(TRUCK.id, 600); // 3 × 600 s = 30 min
  s.depart();
  assert.deepEqual(s.tick(1799), []);
  assert.equal(raised(s.tick(1801), 'SIGNAL_LOST').length, 1);
  const other = setup({}, { expectedIntervalS: undefined });
  other.e.setReportInterval(TRUCK.id + 1, 600);
  other.depart();
  assert.equal(raised(other.tick(301), 'SIGNAL_LOST').length, 1, 'another asset’s setting does not apply');
  const unset = setup({}, { expectedIntervalS: undefined });
  unset.e.setReportInterval(TRUCK.id, 600);
  unset.e.setReportInterval(TRUCK.id, undefined);
  unset.depart();
  assert.equal(raised(unset.tick(301), 'SIGNAL_LOST').length, 1, 'unset: the threshold again');
});
