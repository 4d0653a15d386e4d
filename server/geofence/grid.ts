// A dynamic uniform grid over lon/lat (a spatial hash): each item is listed in every cell its box
// covers, so a point query reads one cell. Items can be added and removed at any time, which a
// static packed index (Flatbush) cannot do without a rebuild; with fences of a few hundred metres
// to a few kilometres and cells of ~1 km, one cell holds a few dozen candidates at most.
// Items whose box would cover more than `maxCells` cells (a large restricted zone) are kept in a
// short list that every query also returns.

const OFF = 131_072; // 2^17: cell indices from -OFF … OFF-1 (≥ ±180° at cells down to 0.0014°)
const SPAN = 262_144; // 2^18

export class GridIndex {
  private cells = new Map<number, number[]>();
  private readonly inv: number;
  /** Items too large to list cell by cell; every query returns them. */
  readonly large = new Set<number>();

  constructor(
    readonly cellDeg: number,
    private readonly maxCells = 4096,
  ) {
    this.inv = 1 / cellDeg;
  }

  key(lon: number, lat: number): number {
    return (Math.floor(lon * this.inv) + OFF) * SPAN + (Math.floor(lat * this.inv) + OFF);
  }

  /** The items listed in the cell holding the point (boxes not checked), or undefined. */
  cell(lon: number, lat: number): readonly number[] | undefined {
    return this.cells.get(this.key(lon, lat));
  }

  get cellCount(): number {
    return this.cells.size;
  }

  insert(id: number, minX: number, minY: number, maxX: number, maxY: number): void {
    const x0 = Math.floor(minX * this.inv),
      x1 = Math.floor(maxX * this.inv);
    const y0 = Math.floor(minY * this.inv),
      y1 = Math.floor(maxY * this.inv);
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > this.maxCells) {
      this.large.add(id);
      return;
    }
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const k = (x + OFF) * SPAN + (y + OFF);
        const list = this.cells.get(k);
        if (list) list.push(id);
        else this.cells.set(k, [id]);
      }
    }
  }

  /** Removes an item inserted with the same box. */
  remove(id: number, minX: number, minY: number, maxX: number, maxY: number): void {
    if (this.large.delete(id)) return;
    const x0 = Math.floor(minX * this.inv),
      x1 = Math.floor(maxX * this.inv);
    const y0 = Math.floor(minY * this.inv),
      y1 = Math.floor(maxY * this.inv);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const k = (x + OFF) * SPAN + (y + OFF);
        const list = this.cells.get(k);
        if (!list) continue;
        const i = list.indexOf(id);
        if (i < 0) continue;
        list[i] = list[list.length - 1]!;
        list.pop();
        if (list.length === 0) this.cells.delete(k);
      }
    }
  }

  /** Calls `fn` for every item listed in a cell the box touches (an item may come more than once). */
  forBox(minX: number, minY: number, maxX: number, maxY: number, fn: (id: number) => void): void {
    const x0 = Math.floor(minX * this.inv),
      x1 = Math.floor(maxX * this.inv);
    const y0 = Math.floor(minY * this.inv),
      y1 = Math.floor(maxY * this.inv);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const list = this.cells.get((x + OFF) * SPAN + (y + OFF));
        if (list) for (let i = 0; i < list.length; i++) fn(list[i]!);
      }
    }
    for (const id of this.large) fn(id);
  }
}
