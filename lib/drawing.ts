// The geometry being drawn on an admin map: the points a supervisor placed ("control points"),
// each with the road it was snapped to, and the path they make. Between two points snapped to the
// same road line the path follows that road; otherwise it is a straight segment. Pure functions, so
// the path is rebuilt the same way after a drag, an undo or an import.
export type Pos = [number, number];

export interface ControlPoint {
  pos: Pos;
  /** The road line the point was snapped to, with the segment index it fell on (none: not snapped). */
  road?: { line: Pos[]; index: number };
}

/** The same rendered road line (tiles hand out fresh objects, so compare by content). */
function sameLine(a: Pos[], b: Pos[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  const eq = (p: Pos, q: Pos) => p[0] === q[0] && p[1] === q[1];
  return eq(a[0]!, b[0]!) && eq(a[a.length - 1]!, b[b.length - 1]!) && eq(a[a.length >> 1]!, b[b.length >> 1]!);
}

/** The road between two points snapped to the same line, both ends included. */
function alongRoad(a: ControlPoint, b: ControlPoint): Pos[] | null {
  if (!a.road || !b.road || !sameLine(a.road.line, b.road.line)) return null;
  const line = a.road.line;
  const i = a.road.index;
  const j = b.road.index;
  if (i === j) return [a.pos, b.pos];
  return i < j ? [a.pos, ...line.slice(i + 1, j + 1), b.pos] : [a.pos, ...line.slice(j + 1, i + 1).reverse(), b.pos];
}

/** The path the control points make: straight segments, or the road where both ends are on it. */
export function pathOf(points: ControlPoint[]): Pos[] {
  const out: Pos[] = [];
  points.forEach((p, k) => {
    const road = k > 0 ? alongRoad(points[k - 1]!, p) : null;
    if (road) out.push(...road.slice(1));
    else out.push(p.pos);
  });
  // Rounded to ~1 cm and without repeats: the server refuses a path folded over itself.
  const rounded = out.map(([x, y]) => [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7] as Pos);
  return rounded.filter((p, k) => k === 0 || p[0] !== rounded[k - 1]![0] || p[1] !== rounded[k - 1]![1]);
}

/** A closed ring from polygon vertices (the first repeated at the end), or null under three. */
export function ringOf(points: ControlPoint[]): Pos[] | null {
  if (points.length < 3) return null;
  const ring = points.map((p) => p.pos);
  return [...ring, ring[0]!];
}
