// closeLabels: every way prom-client takes labels records an unlisted value as 'other'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { closeLabels } from './metricLabels';

const series = async (r: Registry) =>
  (await r.metrics())
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .sort();

test('listed values are kept, anything else is counted as other, through inc, labels(), set, observe and startTimer', async () => {
  const r = new Registry();
  const c = closeLabels(new Counter({ name: 'c_total', help: 'c', labelNames: ['protocol', 'reason'] as const, registers: [r] }), { protocol: ['ais'], reason: ['checksum'] });
  c.inc({ protocol: 'ais', reason: 'checksum' });
  c.inc({ protocol: 'ais', reason: 'x"} 1\nevil_total 9' }, 2);
  c.labels('ais', 'attacker-1').inc();
  c.labels({ protocol: 'nope', reason: 'checksum' }).inc();
  c.inc({ protocol: 'ais', reason: 'attacker-2' });
  const g = closeLabels(new Gauge({ name: 'g', help: 'g', labelNames: ['protocol'] as const, registers: [r] }), { protocol: ['ais'] });
  g.set({ protocol: 'attacker' }, 5);
  g.inc({ protocol: 'ais' });
  const h = closeLabels(new Histogram({ name: 'h', help: 'h', labelNames: ['kind'] as const, buckets: [1], registers: [r] }), { kind: ['audit'] });
  h.observe({ kind: 'attacker' }, 0.5);
  h.startTimer({ kind: 'audit' })({ kind: 'attacker-3' });
  assert.deepEqual(await series(r), [
    'c_total{protocol="ais",reason="checksum"} 1',
    'c_total{protocol="ais",reason="other"} 4',
    'c_total{protocol="other",reason="checksum"} 1',
    'g{protocol="ais"} 1',
    'g{protocol="other"} 5',
    'h_bucket{le="+Inf",kind="other"} 2',
    'h_bucket{le="1",kind="other"} 2',
    'h_count{kind="other"} 2',
    'h_sum{kind="other"} ' + (await h.get()).values.find((v) => v.metricName === 'h_sum')!.value,
  ]);
});

test('a metric with a label and no list of values is a programming error, caught at start-up', () => {
  assert.throws(() => closeLabels(new Counter({ name: 'd_total', help: 'd', labelNames: ['a', 'b'] as const, registers: [] }), { a: ['x'] }), /label "b"/);
});
