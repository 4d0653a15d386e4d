// The protocol → domain mapping of alarm flags: the rules see domain flags, never JT/T 808 bits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alarmNames } from '../../../lib/deviceAlarms';
import { JT808_ALARM_BITS, jt808AlarmFlags } from './alarms';

test('jt808AlarmFlags: each Table 24 bit raises the domain flag of the same name', () => {
  // From the standard's table, written out here rather than read from the code under test.
  const table: [number, string][] = [
    [0, 'emergency'],
    [7, 'main_power_undervoltage'],
    [8, 'main_power_off'],
    [20, 'area_in_out'],
    [23, 'route_deviation'],
    [28, 'illegal_displacement'],
    [31, 'illegal_door_open'],
  ];
  for (const [bit, name] of table) assert.deepEqual(alarmNames(jt808AlarmFlags(2 ** bit)), [name], `bit ${bit}`);
  for (let bit = 0; bit < 32; bit++) assert.deepEqual(alarmNames(jt808AlarmFlags(2 ** bit)), [JT808_ALARM_BITS[bit]]);
});

test('jt808AlarmFlags: no bits, all bits, and a DWORD read as a signed int', () => {
  assert.equal(jt808AlarmFlags(0), 0);
  assert.equal(jt808AlarmFlags(0xffffffff), 0xffffffff);
  assert.equal(jt808AlarmFlags(-0x80000000), 0x80000000);
  assert.equal(jt808AlarmFlags(0x7e7d7e7d), 0x7e7d7e7d);
});
