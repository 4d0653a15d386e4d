// A spatial hash over the vessels that are rendezvous candidates (slow, away from sites): cell →
// ids, so a vessel looks for company in its 3×3 neighbourhood instead of among every vessel.

/** Cell indices are offset to stay positive, then packed as column × ROW_SPAN + row in one number. */
const CELL_INDEX_OFFSET = 131_072;
const ROW_SPAN = 262_144;

export class SlowVesselGrid {
  private idsByCell = new Map<number, Set<number>>();
  private cellById = new Map<number, number>();

  constructor(private cellDeg: number) {}

  cellOf(lon: number, lat: number): number {
    const perDeg = 1 / this.cellDeg;
    return (Math.floor(lon * perDeg) + CELL_INDEX_OFFSET) * ROW_SPAN + (Math.floor(lat * perDeg) + CELL_INDEX_OFFSET);
  }

  /** Puts a vessel in a cell, or takes it out of the grid (cell undefined). */
  place(id: number, cell: number | undefined): void {
    const old = this.cellById.get(id);
    if (old === cell) return;
    if (old !== undefined) {
      const ids = this.idsByCell.get(old);
      ids?.delete(id);
      if (ids && ids.size === 0) this.idsByCell.delete(old);
      this.cellById.delete(id);
    }
    if (cell !== undefined) {
      let ids = this.idsByCell.get(cell);
      if (!ids) this.idsByCell.set(cell, (ids = new Set()));
      ids.add(id);
      this.cellById.set(id, cell);
    }
  }

  /** The ids in a cell and its eight neighbours, cell by cell (west to east, south to north). */
  *around(cell: number): Generator<number> {
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const ids = this.idsByCell.get(cell + dx * ROW_SPAN + dy);
        if (ids) yield* ids;
      }
    }
  }

  clear(): void {
    this.idsByCell.clear();
    this.cellById.clear();
  }
}
