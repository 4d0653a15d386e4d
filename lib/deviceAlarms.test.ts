import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEVICE_ALARMS, alarmNames, alarmSet } from './deviceAlarms';

test('alarmSet and alarmNames: bit i is DEVICE_ALARMS[i]', () => {
  assert.equal(DEVICE_ALARMS.length, 32);
  assert.equal(alarmSet(), 0);
  assert.equal(alarmSet('emergency'), 1);
  assert.equal(alarmSet('illegal_door_open'), 0x80000000); // a u32, not a negative int
  assert.equal(alarmSet('main_power_off', 'gnss_antenna_cut'), (1 << 8) + (1 << 5));
  assert.deepEqual(alarmNames(0), []);
  assert.deepEqual(alarmNames(0x80000001), ['emergency', 'illegal_door_open']);
  assert.deepEqual(alarmNames(-1).length, 32); // read as a u32
  for (const [i, name] of DEVICE_ALARMS.entries()) assert.deepEqual(alarmNames(2 ** i), [name]);
});
