// The baseline: how many position rows per second PostgreSQL itself takes on this machine: the
// same rows as the node stores (same columns, the indexes of positions copied with LIKE), in
// batches of the node's batch size through one connection, INSERT … SELECT FROM unnest(…) as the
// node's writer does but without its ledger entry. The node's stored/s reads against it as a ratio.
import type pg from 'pg';

export async function insertCeiling(pool: pg.Pool, opts: { seconds: number; batchRows: number; assets: number }): Promise<{ rowsPerS: number; rows: number }> {
  const client = await pool.connect();
  try {
    await client.query('CREATE TABLE load_baseline (LIKE positions INCLUDING DEFAULTS INCLUDING INDEXES)');
    const n = opts.batchRows;
    const a = new Array<number>(n);
    const t = new Array<number>(n);
    const x = new Array<number>(n);
    const y = new Array<number>(n);
    const sp = new Array<number>(n).fill(50);
    const c = new Array<number>(n).fill(90);
    const src = new Array<string>(n).fill('jt808');
    let rows = 0;
    const start = performance.now();
    const end = start + opts.seconds * 1000;
    while (performance.now() < end) {
      const now = Date.now();
      for (let i = 0; i < n; i++) {
        a[i] = 1 + ((rows + i) % opts.assets);
        t[i] = now;
        x[i] = 121 + ((rows + i) % 997) / 1000;
        y[i] = 30 + ((rows + i) % 991) / 1000;
      }
      await client.query(
        `INSERT INTO load_baseline (asset_id, time, geom, speed, course, source, batch)
         SELECT a, to_timestamp(t / 1000.0), ST_SetSRID(ST_MakePoint(x, y), 4326), sp, c, src, $8
         FROM unnest($1::int[], $2::float8[], $3::float8[], $4::float8[], $5::real[], $6::real[], $7::text[]) AS u(a, t, x, y, sp, c, src)`,
        [a, t, x, y, sp, c, src, rows],
      );
      rows += n;
    }
    const s = (performance.now() - start) / 1000;
    return { rowsPerS: Math.round(rows / s), rows };
  } finally {
    await client.query('DROP TABLE IF EXISTS load_baseline').catch(() => {});
    client.release();
  }
}
