// The district hierarchy in memory, for the live hub: which rooms may see an asset.
// Same rule as visible_districts() in SQL: a user sees what touches their district or one below it,
// i.e. a user's district is the code itself or an ancestor of a code the asset touches.
import type pg from 'pg';

export class DistrictTree {
  private parent = new Map<string, string | null>();
  private level = new Map<string, string>();

  async load(pool: pg.Pool): Promise<void> {
    const { rows } = await pool.query<{ code: string; parent: string | null; level: string }>('SELECT code, parent, level FROM districts');
    this.parent.clear();
    for (const r of rows) {
      this.parent.set(r.code, r.parent);
      this.level.set(r.code, r.level);
    }
  }

  has(code: string): boolean {
    return this.parent.has(code);
  }

  isHq(code: string): boolean {
    return this.level.get(code) === 'hq';
  }

  /** The codes that may see something touching `codes`: each code and its ancestors, plus HQ. */
  viewersOf(codes: Iterable<string | null | undefined>): Set<string> {
    const out = new Set<string>();
    for (const [code, level] of this.level) if (level === 'hq') out.add(code);
    for (let c of codes) {
      while (c && !out.has(c) && this.parent.has(c)) {
        out.add(c);
        c = this.parent.get(c);
      }
    }
    return out;
  }
}
