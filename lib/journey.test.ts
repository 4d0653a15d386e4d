import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extendJourney, refreshFrom, type Journey, type JourneyFix } from './journey';

const journey = (from: number, to: number, fixes: JourneyFix[], eta: number | null): Journey => ({
  asset: { id: 1, key: 'plate:沪A1', kind: 'vehicle', label: '沪A1', plate: '沪A1', mmsi: null },
  consignment: null,
  route: null,
  sites: null,
  window: { from, to },
  track: { fixes, simplified: false, total: fixes.length },
  timeline: [],
  progress: eta === null ? null : { at: to, lon: 0, lat: 0, offRouteM: null, remainingM: null, recentSpeedKmh: null, eta },
});
const fix = (t: number): JourneyFix => [121, 31, t, 40, 0];

test('a refresh asks for what came after the last fix held, and joins it on once', () => {
  const held = journey(0, 20_000, [fix(0), fix(10_000), fix(20_000)], 1);
  assert.equal(refreshFrom(null), null);
  assert.equal(refreshFrom(journey(0, 5, [], null)), null);
  assert.equal(refreshFrom(held), 20_001);
  // The refresh's answer (?from=20001) — and a second, crossing refresh that brings the same fixes again.
  const since = journey(20_001, 40_000, [fix(30_000), fix(40_000)], 2);
  const once = extendJourney(held, since);
  assert.deepEqual(
    once.track.fixes.map((f) => f[2]),
    [0, 10_000, 20_000, 30_000, 40_000],
  );
  assert.equal(once.track.total, 5);
  assert.deepEqual(once.window, { from: 0, to: 40_000 });
  assert.equal(once.progress?.eta, 2, 'progress and timeline come from the refresh');
  // Timeline: the refresh's entries win (an alert acknowledged since); earlier entries it lacks stay.
  const gate = { time: 5_000, kind: 'event' as const, code: 'gate_out' };
  const alert = { time: 15_000, kind: 'alert' as const, code: 'SIGNAL_LOST', alertId: 7, state: 'open' as const };
  const withTimeline = extendJourney({ ...held, timeline: [gate, alert] }, { ...since, timeline: [{ ...alert, state: 'acknowledged' }] });
  assert.deepEqual(
    withTimeline.timeline.map((e) => `${e.code}:${e.state ?? ''}`),
    ['gate_out:', 'SIGNAL_LOST:acknowledged'],
  );
  const twice = extendJourney(once, since);
  assert.deepEqual(
    twice.track.fixes.map((f) => f[2]),
    [0, 10_000, 20_000, 30_000, 40_000],
  );
  assert.equal(twice.track.total, 5);
});
