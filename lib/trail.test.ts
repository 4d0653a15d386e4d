import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trailBreaks } from './trail';

test('a trail breaks after a long silence or an impossible jump, not on ordinary driving', () => {
  assert.equal(trailBreaks(121, 31, 0, 121.005, 31, 20_000), false, '480 m in 20 s');
  assert.equal(trailBreaks(121, 31, 0, 121, 31, 11 * 60_000), true, '11 min gap');
  assert.equal(trailBreaks(121, 31, 0, 121.2, 31, 30_000), true, '19 km jump');
});
