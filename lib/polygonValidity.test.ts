// The polygon validity rule on its own (no database): what is valid stays valid; each kind of
// invalid polygon gets its reason. badInput.test.ts checks the same cases against PostGIS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { polygonProblem } from './polygonValidity';

const LIMITS = { maxVertices: 2_000 };
const square = (x: number, y: number, d: number) => [
  [x, y],
  [x + d, y],
  [x + d, y + d],
  [x, y + d],
  [x, y],
];

test('valid polygons: a square, one with holes, repeated and collinear positions (OGC allows both)', () => {
  assert.equal(polygonProblem([square(0, 0, 10)], LIMITS), null);
  assert.equal(polygonProblem([square(0, 0, 10), square(1, 1, 2), square(5, 5, 2)], LIMITS), null);
  assert.equal(
    polygonProblem(
      [
        [
          [0, 0],
          [5, 0],
          [5, 0],
          [10, 0],
          [10, 10],
          [0, 10],
          [0, 0],
        ],
      ],
      LIMITS,
    ),
    null,
  );
  // Clockwise as well as counter-clockwise.
  assert.equal(
    polygonProblem(
      [
        [
          [0, 0],
          [0, 10],
          [10, 10],
          [10, 0],
          [0, 0],
        ],
      ],
      LIMITS,
    ),
    null,
  );
});

test('attack: each invalid polygon is named for what is wrong with it', () => {
  assert.match(
    polygonProblem(
      [
        [
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
          [0, 0],
        ],
      ],
      LIMITS,
    )!,
    /outer ring intersects itself/,
  );
  assert.match(polygonProblem([square(0, 0, 10), square(20, 20, 1)], LIMITS)!, /hole 1 lies outside the outer ring/);
  assert.match(polygonProblem([square(0, 0, 10), square(1, 1, 8), square(2, 2, 1)], LIMITS)!, /holes 1 and 2 overlap/);
  assert.match(polygonProblem([square(0, 0, 10), square(1, 1, 3), square(2, 2, 3)], LIMITS)!, /holes 1 and 2 cross or touch/);
  assert.match(polygonProblem([square(0, 0, 10), square(5, 5, 10)], LIMITS)!, /hole 1 crosses or touches the outer ring/);
  assert.match(
    polygonProblem(
      [
        [
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
      ],
      LIMITS,
    )!,
    /needs at least 3 distinct positions/,
  );
  // A sliver: three positions all but in line (about 1e-7 m wide).
  assert.match(
    polygonProblem(
      [
        [
          [0, 0],
          [1, 1e-12],
          [2, 0],
          [0, 0],
        ],
      ],
      LIMITS,
    )!,
    /has no area/,
  );
  assert.match(polygonProblem([square(0, 0, 10)], { maxVertices: 4 })!, /at most 4 positions \(this one has 5\)/);
});
