// Which consignment each asset is carrying now: loaded from PostGIS, kept current in memory.
import type pg from 'pg';

export interface ActiveConsignment {
  id: number;
  reference: string;
  assetId: number;
  routeId: number | null;
  status: string;
  districts: string[];
}

export class ConsignmentIndex {
  private byAsset = new Map<number, ActiveConsignment>();
  private byConsignment = new Map<number, ActiveConsignment>();

  async load(pool: pg.Pool): Promise<void> {
    const { rows } = await pool.query<ActiveConsignment>(
      `SELECT DISTINCT ON (asset_id) id, reference, asset_id AS "assetId", route_id AS "routeId", status, districts
       FROM consignments WHERE status IN ('planned', 'in_transit', 'overdue', 'diverted')
       ORDER BY asset_id, departure DESC`,
    );
    this.byAsset.clear();
    this.byConsignment.clear();
    for (const r of rows) this.set(r);
  }

  set(c: ActiveConsignment): void {
    const previous = this.byAsset.get(c.assetId);
    if (previous) this.byConsignment.delete(previous.id);
    this.byAsset.set(c.assetId, c);
    this.byConsignment.set(c.id, c);
  }

  forAsset(assetId: number): ActiveConsignment | undefined {
    return this.byAsset.get(assetId);
  }

  byId(id: number): ActiveConsignment | undefined {
    return this.byConsignment.get(id);
  }

  setStatus(id: number, status: string): void {
    const c = this.byId(id);
    if (c) c.status = status;
  }

  all(): IterableIterator<ActiveConsignment> {
    return this.byAsset.values();
  }
}
