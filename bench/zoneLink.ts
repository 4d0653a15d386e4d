// bench/zoneLink: SAS121 passports per second through the zone link (parse, one transaction: dedupe,
// keep the raw message, zone and vehicle lookups, the passport row, its timeline event, two ledger
// entries) against, as the baseline in the same run, a plain INSERT of the same passport rows,
// alternating in rounds so both see the same table size. Prints one JSON line.
// DATABASE_URL names a PostGIS server (a scratch database is made on it); without it, the embedded PostGIS is used.
import type pg from 'pg';
import { startLinkTestServer } from '../server/links/testing';
import { buildSas121 } from '../server/links/zone/build';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000); // each way
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

async function seed(pool: pg.Pool): Promise<void> {
  await pool.query(
    `INSERT INTO zones (code, name_zh, name_en, kind, district, area_code, area)
     VALUES ('WGQ-FTZ', '外高桥保税区', 'Waigaoqiao Free Trade Zone', 'bonded', '2200', '2218', ST_MakeEnvelope(121.58, 31.33, 121.62, 31.36, 4326))`,
  );
}

async function main() {
  const s = await startLinkTestServer(seed, { LINKS_DIR: 'off' });
  const pool = s.db.pool;
  const caller = s.caller('2200');
  const now = Date.now();
  let n = 0;
  const passportNo = () => `Z2218I${String(++n).padStart(18, '0')}`;
  const zoneId = (await pool.query(`SELECT id FROM zones WHERE code = 'WGQ-FTZ'`)).rows[0].id;
  let linkMs = 0,
    baselineMs = 0,
    messageId = 0;
  const perRound = Math.ceil(MESSAGES / ROUNDS);
  for (let r = 0; r < ROUNDS; r++) {
    const texts = Array.from({ length: perRound }, () =>
      buildSas121(
        { passportNo: passportNo(), type: 2, bindType: 2, io: 'in', masterCustoms: '2218', plate: '沪A12345', containers: ['TGHU1234567'], grossWt: 18000, totalWt: 34000 },
        { messageId: `BENCH-${n}`, sendTime: now },
      ),
    );
    let t = performance.now();
    for (const text of texts) messageId = (await s.app.links.receiver.receive('zone', text, caller)).id;
    linkMs += performance.now() - t;

    const rows = Array.from({ length: perRound }, passportNo);
    t = performance.now();
    for (const no of rows) {
      await pool.query(
        `INSERT INTO zone_passports (passport_no, type, bind_type, io, plate, containers, gross_wt, total_wt, zone_id, zone_code, master_customs, district, message)
         VALUES ($1, 2, 2, 'in', '沪A12345', '{TGHU1234567}', 18000, 34000, $2, 'WGQ-FTZ', '2218', '2200', $3)`,
        [no, zoneId, messageId],
      );
    }
    baselineMs += performance.now() - t;
  }
  const messages = perRound * ROUNDS;
  console.log(
    JSON.stringify({
      bench: 'zoneLink',
      messages,
      linkPerS: Math.round((messages / linkMs) * 1000),
      baselineInsertPerS: Math.round((messages / baselineMs) * 1000),
      linkMsEach: Math.round((linkMs / messages) * 100) / 100,
      baselineMsEach: Math.round((baselineMs / messages) * 100) / 100,
    }),
  );
  await s.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
