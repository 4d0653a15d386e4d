// Merkle root over ledger entry hashes, as in RFC 6962 §2.1 (Certificate Transparency):
// leaf = SHA-256(0x00 ‖ entry hash), node = SHA-256(0x01 ‖ left ‖ right); an odd node at the end
// of a level is PROMOTED unchanged to the next level (never duplicated), which gives the same
// tree as RFC 6962's split at the largest power of two below n. The inputs are raw 32-byte
// hashes read from the database, so JavaScript and SQL cannot disagree about them.
//
// MerkleBuilder takes the leaves one at a time and keeps O(log n) nodes, so a verifier can
// stream millions of entries through it.
import { createHash } from 'node:crypto';

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

const leafHash = (data: Uint8Array): Buffer => createHash('sha256').update(LEAF).update(data).digest();
const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer => createHash('sha256').update(NODE).update(left).update(right).digest();

export class MerkleBuilder {
  // Perfect subtrees, left to right, sizes strictly decreasing powers of two.
  private stack: { size: number; hash: Buffer }[] = [];
  private n = 0;

  get count(): number {
    return this.n;
  }

  add(data: Uint8Array): void {
    let node = { size: 1, hash: leafHash(data) };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.size === node.size) {
      const left = this.stack.pop()!;
      node = { size: left.size * 2, hash: nodeHash(left.hash, node.hash) };
    }
    this.stack.push(node);
    this.n++;
  }

  /** The root (hex) of the leaves added so far; undefined when there are none. */
  root(): string | undefined {
    if (this.stack.length === 0) return undefined;
    let h = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) h = nodeHash(this.stack[i]!.hash, h);
    return h.toString('hex');
  }
}

export function merkleRoot(leaves: Iterable<Uint8Array>): string | undefined {
  const b = new MerkleBuilder();
  for (const l of leaves) b.add(l);
  return b.root();
}
