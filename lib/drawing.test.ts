import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathOf, ringOf, type ControlPoint, type Pos } from './drawing';

const road: Pos[] = [
  [121, 31],
  [121.1, 31],
  [121.2, 31.1],
  [121.3, 31.1],
];

test('points snapped to the same road follow it, in either direction; others are joined straight', () => {
  const a: ControlPoint = { pos: [121.05, 31], road: { line: road, index: 0 } };
  const b: ControlPoint = { pos: [121.25, 31.1], road: { line: road.map((p) => [...p] as Pos), index: 2 } };
  assert.deepEqual(pathOf([a, b]), [
    [121.05, 31],
    [121.1, 31],
    [121.2, 31.1],
    [121.25, 31.1],
  ]);
  assert.deepEqual(pathOf([b, a]), [
    [121.25, 31.1],
    [121.2, 31.1],
    [121.1, 31],
    [121.05, 31],
  ]);
  const free: ControlPoint = { pos: [121.5, 31.5] };
  assert.deepEqual(pathOf([a, b, free]), [
    [121.05, 31],
    [121.1, 31],
    [121.2, 31.1],
    [121.25, 31.1],
    [121.5, 31.5],
  ]);
});

test('two points on one segment of a road, a repeated point, and a polygon ring', () => {
  const a: ControlPoint = { pos: [121.01, 31], road: { line: road, index: 0 } };
  const b: ControlPoint = { pos: [121.09, 31], road: { line: road, index: 0 } };
  assert.deepEqual(pathOf([a, b, { pos: [121.09, 31] }]), [
    [121.01, 31],
    [121.09, 31],
  ]);
  assert.equal(ringOf([a, b]), null);
  assert.deepEqual(ringOf([a, b, { pos: [121.05, 31.05] }]), [
    [121.01, 31],
    [121.09, 31],
    [121.05, 31.05],
    [121.01, 31],
  ]);
});
