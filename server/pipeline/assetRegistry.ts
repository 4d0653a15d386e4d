// Maps a source's asset key (tel:…, mmsi:…) to the asset's row id, creating the asset on first sight.
import type pg from 'pg';
import type { AssetKind } from '../../lib/domain';

export interface AssetInfo {
  id: number;
  key: string;
  kind: AssetKind;
  label: string | null;
  /** Home district code, for assets that belong to one (jurisdiction); null otherwise. */
  district: string | null;
  /** AIS class of a vessel, when known. */
  aisClass?: 'A' | 'B' | null;
}

export class AssetRegistry {
  private byKey = new Map<string, AssetInfo>();
  private byId = new Map<number, AssetInfo>();
  private creating = new Map<string, Promise<AssetInfo>>();

  constructor(private pool: pg.Pool) {}

  async load(): Promise<void> {
    const { rows } = await this.pool.query<AssetInfo>('SELECT id, key, kind, label, district, ais_class AS "aisClass" FROM assets');
    for (const row of rows) this.remember(row);
  }

  get(key: string): AssetInfo | undefined {
    return this.byKey.get(key);
  }

  byAssetId(id: number): AssetInfo | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<AssetInfo> {
    return this.byId.values();
  }

  /** Creates (or finds, if another node made it) the asset for a key seen for the first time. */
  create(key: string, kind: AssetKind, label: string | undefined): Promise<AssetInfo> {
    let pending = this.creating.get(key);
    if (!pending) {
      pending = this.pool
        .query<AssetInfo>(
          `INSERT INTO assets (key, kind, label, mmsi, terminal)
           VALUES ($1, $2, $3, CASE WHEN $1 LIKE 'mmsi:%' THEN substr($1, 6) END,
                               CASE WHEN $1 LIKE 'tel:%' THEN substr($1, 5) END)
           ON CONFLICT (key) DO UPDATE SET updated_at = now()
           RETURNING id, key, kind, label, district, ais_class AS "aisClass"`,
          [key, kind, label ?? null],
        )
        .then(({ rows }) => this.remember(rows[0]!))
        .finally(() => this.creating.delete(key));
      this.creating.set(key, pending);
    }
    return pending;
  }

  remember(info: AssetInfo): AssetInfo {
    this.byKey.set(info.key, info);
    this.byId.set(info.id, info);
    return info;
  }
}
