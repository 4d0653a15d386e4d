/**
 * The GSHHG river extraction on a small made-up GMT dump, and the committed file it wrote.
 *   node --import tsx --test scripts/extract-gshhg-rivers.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DETAIL_BBOX } from './build-basemap';
import { bankLines, extractRivers, featureCollectionText, joinSegments, KEPT_CLASSES, parseGmtRivers, riverKind, simplify, YANGTZE_BOX } from './extract-gshhg-rivers';

type Pos = [number, number];
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// Two bins of one class-1 river meeting at 121°E, a class-4 river, and an irrigation canal (class 10).
const DUMP = `> River Bin # 1, Level 1
120.5\t31.5
120.8\t31.6
121.0000000001\t31.7
> River Bin # 2, Level 1
121\t31.7
121.3\t31.6
> River Bin # 2, Level 4
121.1\t31.2
121.2\t31.25
> River Bin # 2, Level 10
121.1\t31.0
121.2\t31.05
`;

describe('extract-gshhg-rivers', () => {
  it('parses the segments of a gmt coast -M dump with their class', () => {
    const segs = parseGmtRivers(DUMP);
    assert.deepEqual(
      segs.map((s) => [s.cls, s.line.length]),
      [
        [1, 3],
        [1, 2],
        [4, 2],
        [10, 2],
      ],
    );
    assert.throws(() => parseGmtRivers('120 31\n'), /before the first segment header/);
  });

  it('joins segments cut at bin edges, keeps the chosen classes and names their kinds', () => {
    const out = extractRivers(DUMP);
    assert.deepEqual(
      out.map((f) => [f.properties.class, f.properties.kind, f.geometry.coordinates]),
      [
        [
          1,
          'major',
          [
            [120.5, 31.5],
            [120.8, 31.6],
            [121, 31.7],
            [121.3, 31.6],
          ],
        ],
        [
          4,
          'minor',
          [
            [121.1, 31.2],
            [121.2, 31.25],
          ],
        ],
      ],
    );
    assert.deepEqual(
      KEPT_CLASSES.map((c) => riverKind(c)),
      ['major', 'major', 'river', 'river', 'minor', 'canal', 'canal'],
    );
  });

  it('adds the lower Yangtze banks as class 0, without the stretches along the box edge', () => {
    const [w, , e] = YANGTZE_BOX;
    const banks = `> Shore Bin # 7, Level 1
${e}	32.1
${e}	32.0
120.5	31.95
120.2	31.9
${w}	31.9
`;
    assert.deepEqual(bankLines(banks), [
      [
        [e, 32.0],
        [120.5, 31.95],
        [120.2, 31.9],
        [w, 31.9],
      ],
    ]);
    const out = extractRivers('', banks);
    assert.deepEqual(
      out.map((f) => [f.properties.class, f.geometry.coordinates.length]),
      [[0, 4]],
    );
  });

  it('leaves a loop joined once and simplifies within the tolerance', () => {
    const loop: Pos[][] = [
      [
        [0, 0],
        [1, 0],
      ],
      [
        [1, 0],
        [0, 0],
      ],
    ];
    assert.equal(joinSegments(loop).length, 1);
    const wiggly: Pos[] = [
      [0, 0],
      [1, 0.0001],
      [2, 0],
      [3, 0.5],
      [4, 0],
    ];
    assert.deepEqual(simplify(wiggly, 0.001), [
      [0, 0],
      [2, 0],
      [3, 0.5],
      [4, 0],
    ]);
  });

  it('wrote geo/rivers-east-asia.geojson: inside the detail box, one feature per line, under 3 MB', () => {
    const text = readFileSync(join(root, 'geo', 'rivers-east-asia.geojson'), 'utf8');
    assert.ok(text.length < 3e6, `${text.length} bytes`);
    const fc = JSON.parse(text) as GeoJSON.FeatureCollection<GeoJSON.LineString, { class: number; kind: string }>;
    assert.equal(featureCollectionText(fc.features), text);
    const [w, s, e, n] = DETAIL_BBOX;
    const kinds = new Set<string>();
    for (const f of fc.features) {
      assert.equal(f.properties.kind, riverKind(f.properties.class));
      kinds.add(f.properties.kind);
      for (const [x, y] of f.geometry.coordinates as Pos[]) assert.ok(x >= w && x <= e && y >= s && y <= n, `${x},${y} in the detail box`);
    }
    assert.deepEqual([...kinds].sort(), ['canal', 'major', 'minor', 'river']);
  });
});
