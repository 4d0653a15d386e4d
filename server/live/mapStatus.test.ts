// The map status owner: fed only by rule events, the worst open alert colours an asset; the hub
// combines that with the asset's motion. The expected colours are written out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AssetStatus } from '../../lib/domain';
import type { RuleEvent } from '../rules/types';
import { MapStatus, shownStatus } from './mapStatus';

const raised = (assetId: number, episode: string, severity: 'info' | 'warning' | 'critical', mapStatus: AssetStatus): RuleEvent =>
  ({
    kind: 'raised',
    alert: { type: 'ROUTE_DEVIATION', severity, mapStatus, assetId, time: 0, episode, detail: {} },
  }) as unknown as RuleEvent;
const cleared = (assetId: number, episode: string): RuleEvent => ({ kind: 'cleared', type: 'ROUTE_DEVIATION', assetId, episode, time: 0, detail: {} }) as unknown as RuleEvent;

test('the worst open alert colours the asset until it clears; info alerts do not colour; each change is told', () => {
  const told: number[] = [];
  const m = new MapStatus((id) => told.push(id));
  m.onRuleEvents([raised(1, 'stop', 'warning', 'warning')]);
  assert.equal(m.of(1), 'warning');
  m.onRuleEvents([raised(1, 'lost', 'warning', 'stale'), raised(1, 'dev', 'critical', 'critical'), raised(2, 'arr', 'info', 'normal')]);
  assert.equal(m.of(1), 'critical');
  assert.equal(m.of(2), null, 'an info alert leaves the asset as it moves');
  m.onRuleEvents([cleared(1, 'dev')]);
  assert.equal(m.of(1), 'warning', 'warning outranks stale');
  m.onRuleEvents([cleared(1, 'stop')]);
  assert.equal(m.of(1), 'stale');
  m.onRuleEvents([cleared(1, 'lost'), cleared(1, 'never-raised')]);
  assert.equal(m.of(1), null);
  assert.deepEqual(told, [1, 1, 1, 1, 1, 1], 'every raise and clear of a known episode re-sends the asset');
});

test('restored episodes colour again (info ones do not); released ones stop colouring', () => {
  const m = new MapStatus();
  m.restore([
    { episode: 'SEAL_ALARM/c7/1', type: 'SEAL_ALARM', assetId: 5, consignmentId: 7 },
    { episode: 'SIGNAL_LOST/c8/1', type: 'SIGNAL_LOST', assetId: 6, consignmentId: 8 },
    { episode: 'ARRIVED/c9', type: 'ARRIVED', assetId: 7, consignmentId: 9 },
  ]);
  assert.deepEqual([m.of(5), m.of(6), m.of(7)], ['critical', 'stale', null]);
  m.released([{ episode: 'SEAL_ALARM/c7/1', type: 'SEAL_ALARM', assetId: 5, consignmentId: 7 }]);
  assert.equal(m.of(5), null);
});

test('shown status: critical wins over lost sight; lost sight wins over a warning; else the alert, else the motion', () => {
  const cases: [AssetStatus | null, 'normal' | 'stopped' | 'stale', AssetStatus][] = [
    [null, 'normal', 'normal'],
    [null, 'stopped', 'stopped'],
    [null, 'stale', 'stale'],
    ['warning', 'normal', 'warning'],
    ['warning', 'stopped', 'warning'],
    ['warning', 'stale', 'stale'],
    ['critical', 'stale', 'critical'],
    ['critical', 'stopped', 'critical'],
    ['stale', 'normal', 'stale'],
    ['stale', 'stopped', 'stale'],
  ];
  for (const [alert, motion, want] of cases) assert.equal(shownStatus(alert, motion), want, `${alert} + ${motion}`);
});
