// Whether a polygon is valid in the OGC sense (what PostGIS' ST_IsValid checks), with one reason
// a person can act on. Slightly stricter than OGC in one place: rings may not touch each other
// at all (OGC allows a single touching point), which no site needs.
// Planar, in degrees, like PostGIS' validity on geometry(Polygon, 4326).

type Pt = readonly [number, number];
type Ring = readonly (readonly number[])[];

/** Rings with less area than this (square degrees; about 1 m² at the equator) have none. */
export const MIN_RING_AREA_DEG2 = 1e-10;

/** Twice the signed area (shoelace). */
function doubleArea(ring: Pt[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return s;
}

const orient = (a: Pt, b: Pt, c: Pt) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
const within = (a: Pt, b: Pt, p: Pt) => Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);

/** Whether segments ab and cd share any point (crossing, touching or overlapping). */
function segmentsMeet(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const o1 = orient(a, b, c),
    o2 = orient(a, b, d),
    o3 = orient(c, d, a),
    o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && within(a, b, c)) || (o2 === 0 && within(a, b, d)) || (o3 === 0 && within(c, d, a)) || (o4 === 0 && within(c, d, b));
}

/** Whether p is strictly inside the ring (even-odd rule; p is known not to lie on it). */
function inside(p: Pt, ring: Pt[]): boolean {
  let odd = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const a = ring[i]!,
      b = ring[j]!;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) odd = !odd;
  }
  return odd;
}

/** Consecutive repeated positions are allowed (OGC) but say nothing; the checks run without them. */
function withoutRepeats(ring: Ring): Pt[] {
  const out: Pt[] = [];
  for (const p of ring) {
    const q = out.at(-1);
    if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push([p[0]!, p[1]!]);
  }
  return out;
}

interface Segment {
  ring: number;
  index: number;
  a: Pt;
  b: Pt;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/**
 * The first contact between two segments that should not meet: within a ring, any two that are
 * not neighbours, and neighbours that fold back on each other (a spike); across rings, any two.
 * Segments sorted by their west edge, each compared only with those whose boxes overlap.
 */
function firstContact(rings: Pt[][]): { ring: number; other: number; at: Pt } | null {
  const segs: Segment[] = [];
  rings.forEach((ring, r) => {
    for (let i = 0; i < ring.length - 1; i++) {
      const a = ring[i]!,
        b = ring[i + 1]!;
      segs.push({ ring: r, index: i, a, b, minX: Math.min(a[0], b[0]), maxX: Math.max(a[0], b[0]), minY: Math.min(a[1], b[1]), maxY: Math.max(a[1], b[1]) });
    }
  });
  segs.sort((s, t) => s.minX - t.minX);
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    for (let j = i + 1; j < segs.length && segs[j]!.minX <= s.maxX; j++) {
      const t = segs[j]!;
      if (t.minY > s.maxY || t.maxY < s.minY) continue;
      if (s.ring === t.ring) {
        const n = rings[s.ring]!.length - 1; // segments in this ring
        const gap = Math.abs(s.index - t.index);
        if (gap === 1 || gap === n - 1) {
          // Neighbours share one end; they may not run back over each other.
          const [first, second] = (t.index - s.index + n) % n === 1 ? [s, t] : [t, s];
          const u = [first.b[0] - first.a[0], first.b[1] - first.a[1]],
            v = [second.b[0] - second.a[0], second.b[1] - second.a[1]];
          if (u[0]! * v[1]! - u[1]! * v[0]! === 0 && u[0]! * v[0]! + u[1]! * v[1]! < 0) return { ring: s.ring, other: t.ring, at: first.b };
          continue;
        }
      }
      if (segmentsMeet(s.a, s.b, t.a, t.b)) return { ring: s.ring, other: t.ring, at: s.a };
    }
  }
  return null;
}

export interface PolygonLimits {
  maxVertices: number;
}

/** Null when the polygon (GeoJSON rings, closed, positions already range-checked) is valid; else why not. */
export function polygonProblem(coordinates: readonly Ring[], limits: PolygonLimits): string | null {
  const total = coordinates.reduce((n, r) => n + r.length, 0);
  if (total > limits.maxVertices) return `a polygon may have at most ${limits.maxVertices} positions (this one has ${total})`;
  const rings = coordinates.map(withoutRepeats);
  const name = (r: number) => (r === 0 ? 'the outer ring' : `hole ${r}`);
  for (const [r, ring] of rings.entries()) if (ring.length < 4) return `${name(r)} needs at least 3 distinct positions`;
  const contact = firstContact(rings);
  if (contact) {
    const where = `near ${contact.at[0]}, ${contact.at[1]}`;
    if (contact.ring === contact.other) return `${name(contact.ring)} intersects itself ${where}`;
    const [r1, r2] = [Math.min(contact.ring, contact.other), Math.max(contact.ring, contact.other)];
    return r1 === 0 ? `hole ${r2} crosses or touches the outer ring ${where}` : `holes ${r1} and ${r2} cross or touch ${where}`;
  }
  for (const [r, ring] of rings.entries()) if (Math.abs(doubleArea(ring)) / 2 < MIN_RING_AREA_DEG2) return `${name(r)} has no area`;
  // No ring meets another, so one position tells on which side a whole ring lies.
  const shell = rings[0]!;
  for (let h = 1; h < rings.length; h++) {
    if (!inside(rings[h]![0]!, shell)) return `hole ${h} lies outside the outer ring`;
    for (let k = 1; k < h; k++) {
      if (inside(rings[h]![0]!, rings[k]!) || inside(rings[k]![0]!, rings[h]!)) return `holes ${k} and ${h} overlap (one lies inside the other)`;
    }
  }
  return null;
}
