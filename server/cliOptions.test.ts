import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readOptions } from './cliOptions';

test('readOptions: value flags keyed without dashes, switches set to 1', () => {
  assert.deepEqual(readOptions(['--name', 'a', '--list', '--district', '2200'], ['--name', '--district'], ['--list']), { opts: { name: 'a', list: '1', district: '2200' } });
});

test('readOptions: an unknown flag, a missing value or a repeated flag is named', () => {
  assert.deepEqual(readOptions(['--nope', 'x'], ['--name']), { bad: '--nope' });
  assert.deepEqual(readOptions(['--name'], ['--name']), { bad: '--name' });
  assert.deepEqual(readOptions(['--name', 'a', '--name', 'b'], ['--name']), { bad: '--name' });
  assert.deepEqual(readOptions(['--list', '--list'], [], ['--list']), { bad: '--list' });
  assert.deepEqual(readOptions(['a', 'b'], ['--name']), { bad: 'a' });
});
