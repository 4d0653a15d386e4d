// The open-movement index: an asset on more than one open movement is seen by every district they
// touch, and is labelled with the one under way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MovementIndex } from './movementIndex';
import type { OpenMovement } from './movement';

const m = (id: number, assetId: number, status: OpenMovement['status'], departure: number, districts: string[]): OpenMovement => ({
  id,
  reference: `R${id}`,
  assetId,
  routeId: 1,
  originSiteId: 1,
  destSiteId: 2,
  departure,
  deadline: departure + 1,
  status,
  districts,
});

test('an asset on two open movements: the union of their districts; labelled with the one under way; removal leaves the other', () => {
  const ix = new MovementIndex();
  ix.put(m(1, 10, 'in_transit', 1000, ['2248']));
  ix.put(m(2, 10, 'planned', 5000, ['2218', '2200']));
  ix.put(m(3, 11, 'planned', 100, ['3100']));
  assert.deepEqual(ix.districtsOfAsset(10).sort(), ['2200', '2218', '2248']);
  assert.equal(ix.current(10)?.id, 1, 'under way beats planned, even one that leaves later');
  ix.remove(1);
  assert.deepEqual(ix.districtsOfAsset(10).sort(), ['2200', '2218']);
  assert.equal(ix.current(10)?.id, 2);
  ix.put(m(2, 11, 'in_transit', 5000, ['2218'])); // the movement moved to another carrier
  assert.deepEqual(ix.districtsOfAsset(10), []);
  assert.equal(ix.current(10), undefined);
  assert.equal(ix.current(11)?.id, 2);
  assert.deepEqual(ix.districtsOfAsset(11).sort(), ['2218', '3100']);
  assert.equal(ix.size, 2);
});
