// Bonded-zone crossings: a truck driving through a bonded zone in 50 m of GPS noise crosses in once
// and out once; one queuing at the gate crosses nothing; one first seen inside has not entered;
// vessels are not checked; the state survives export/import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GeofenceIndex } from '../geofence/index';
import { RulesEngine } from './engine';
import type { AssetRef, RuleEvent, ZoneCrossing } from './types';

const M_LAT = 111_195;
const M_LON = M_LAT * Math.cos((31 * Math.PI) / 180);
/** x metres east and y metres north of 121°E 31°N. */
const at = (x: number, y = 0): [number, number] => [121 + x / M_LON, 31 + y / M_LAT];
// The bonded zone: 1 km square from x = 1000 to 2000 m, y = -500 to 500 m.
const ZONE = [at(1000, -500), at(2000, -500), at(2000, 500), at(1000, 500), at(1000, -500)];
const T0 = Date.UTC(2026, 5, 1, 0, 0, 0);

function world(): GeofenceIndex {
  const g = new GeofenceIndex();
  g.upsertZone({ id: 7, code: 'WGQ-B', kind: 'bonded', area: ZONE });
  return g;
}

/** A small deterministic generator (mulberry32), for the noise. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fixes every `intervalS` along x from x0 to x1 at `kmh`, each displaced up to `noiseM` in a random direction. */
function drive(e: RulesEngine, asset: AssetRef, o: { x0: number; x1: number; kmh: number; intervalS: number; noiseM: number; seed: number; t0?: number }): RuleEvent[] {
  const r = rng(o.seed);
  const out: RuleEvent[] = [];
  const step = (o.kmh / 3.6) * o.intervalS * (o.x1 < o.x0 ? -1 : 1);
  let t = o.t0 ?? T0;
  for (let x = o.x0; step > 0 ? x <= o.x1 + 1e-9 : x >= o.x1 - 1e-9; x += step, t += o.intervalS * 1000) {
    const d = r() * o.noiseM,
      a = r() * 2 * Math.PI;
    const [lon, lat] = at(x + d * Math.cos(a), d * Math.sin(a));
    out.push(...e.onFix(asset, { time: t, lon, lat, speed: o.kmh }));
  }
  return out;
}

const crossings = (ev: RuleEvent[]) => ev.filter((e): e is ZoneCrossing => e.kind === 'zone_crossing');

test('a truck driving through a bonded zone in 50 m of noise enters once and leaves once', () => {
  for (let seed = 1; seed <= 20; seed++) {
    for (const kmh of [10, 30, 60]) {
      const e = new RulesEngine(world());
      const ev = drive(e, { id: 10, kind: 'vehicle' }, { x0: 0, x1: 3000, kmh, intervalS: 10, noiseM: 50, seed });
      const c = crossings(ev);
      assert.deepEqual(
        c.map((x) => x.direction),
        ['enter', 'leave'],
        `seed ${seed} at ${kmh} km/h`,
      );
      assert.equal(c[0]!.zoneId, 7);
      assert.equal(c[0]!.zoneCode, 'WGQ-B');
      assert.equal(c[0]!.assetId, 10);
      // Time: the first counted fix on the new side, so within a minute of the true crossing.
      const enterTrue = T0 + (1000 / (kmh / 3.6)) * 1000,
        leaveTrue = T0 + (2000 / (kmh / 3.6)) * 1000;
      assert.ok(c[0]!.time >= enterTrue && c[0]!.time <= enterTrue + 60_000, `enter at ${(c[0]!.time - enterTrue) / 1000} s`);
      assert.ok(c[1]!.time >= leaveTrue && c[1]!.time <= leaveTrue + 60_000, `leave at ${(c[1]!.time - leaveTrue) / 1000} s`);
      assert.deepEqual(
        ev.filter((x) => x.kind === 'raised'),
        [],
        'a bonded zone raises nothing by itself',
      );
    }
  }
});

test('a truck queuing at the gate (on the boundary, 50 m of noise, an hour) crosses nothing', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const e = new RulesEngine(world());
    drive(e, { id: 11, kind: 'vehicle' }, { x0: 0, x1: 990, kmh: 30, intervalS: 10, noiseM: 0, seed }); // up to the gate
    const r = rng(seed);
    const ev: RuleEvent[] = [];
    for (let i = 0; i < 360; i++) {
      const d = r() * 50,
        a = r() * 2 * Math.PI;
      const [lon, lat] = at(1000 + d * Math.cos(a), d * Math.sin(a));
      ev.push(...e.onFix({ id: 11, kind: 'vehicle' }, { time: T0 + 1_000_000 + i * 10_000, lon, lat, speed: 0 }));
    }
    assert.deepEqual(crossings(ev), [], `seed ${seed}`);
  }
});

test('first seen inside is no entry (leaving later is a crossing); vessels are not checked; the state survives a restart', () => {
  const e = new RulesEngine(world());
  const parked = drive(e, { id: 12, kind: 'vehicle' }, { x0: 1500, x1: 1500, kmh: 1, intervalS: 10, noiseM: 20, seed: 3 });
  for (let i = 0; i < 5; i++) parked.push(...e.onFix({ id: 12, kind: 'vehicle' }, { time: T0 + (i + 1) * 10_000, lon: at(1500)[0], lat: at(1500)[1], speed: 0 }));
  assert.deepEqual(crossings(parked), []);
  const saved = JSON.parse(JSON.stringify(e.exportState()));
  const restarted = new RulesEngine(world());
  restarted.importState(saved);
  const out = drive(restarted, { id: 12, kind: 'vehicle' }, { x0: 1500, x1: 3000, kmh: 30, intervalS: 10, noiseM: 0, seed: 1, t0: T0 + 100_000 });
  assert.deepEqual(
    crossings(out).map((c) => c.direction),
    ['leave'],
  );

  const v = new RulesEngine(world());
  assert.deepEqual(crossings(drive(v, { id: 20, kind: 'vessel' }, { x0: 0, x1: 3000, kmh: 20, intervalS: 10, noiseM: 0, seed: 1 })), []);
});

test('half-way in the zone when the engine restarts: the entry already counted is not repeated, the leave comes once', () => {
  const e = new RulesEngine(world());
  const first = drive(e, { id: 13, kind: 'vehicle' }, { x0: 0, x1: 1500, kmh: 30, intervalS: 10, noiseM: 0, seed: 1 });
  assert.deepEqual(
    crossings(first).map((c) => c.direction),
    ['enter'],
  );
  const restarted = new RulesEngine(world());
  restarted.importState(JSON.parse(JSON.stringify(e.exportState())));
  const t0 = T0 + (Math.floor(1500 / ((30 / 3.6) * 10)) + 1) * 10_000;
  const rest = drive(restarted, { id: 13, kind: 'vehicle' }, { x0: 1500 + (30 / 3.6) * 10, x1: 3000, kmh: 30, intervalS: 10, noiseM: 0, seed: 1, t0 });
  assert.deepEqual(
    crossings(rest).map((c) => c.direction),
    ['leave'],
  );
});
