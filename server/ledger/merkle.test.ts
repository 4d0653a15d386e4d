import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { MerkleBuilder, merkleRoot } from './merkle';

const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

// RFC 6962 §2.1, written the way the RFC states it.
function rfc6962(d: Buffer[]): Buffer {
  if (d.length === 1) return sha(Buffer.from([0]), d[0]!);
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return sha(Buffer.from([1]), rfc6962(d.slice(0, k)), rfc6962(d.slice(k)));
}

// Level by level, an odd last node promoted unchanged.
function levels(d: Buffer[]): Buffer {
  let level: Buffer[] = d.map((x) => sha(Buffer.from([0]), x));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? sha(Buffer.from([1]), level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

test('the streaming root equals RFC 6962 and the level-by-level tree with odd nodes promoted', () => {
  for (let n = 1; n <= 70; n++) {
    const leaves = Array.from({ length: n }, (_, i) => sha(Buffer.from(`entry ${i}`)));
    const b = new MerkleBuilder();
    leaves.forEach((l) => b.add(l));
    assert.equal(b.count, n);
    assert.equal(b.root(), rfc6962(leaves).toString('hex'), `n=${n}`);
    assert.equal(b.root(), levels(leaves).toString('hex'), `n=${n}`);
  }
  assert.equal(merkleRoot([]), undefined);
});

test('RFC 6962 reference vectors (Certificate Transparency)', () => {
  const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
  const roots = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];
  roots.forEach((root, i) => assert.equal(merkleRoot(leaves.slice(0, i + 1)), root, `size ${i + 1}`));
});
