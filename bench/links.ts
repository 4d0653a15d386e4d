// bench/links: documents per second through each customs link (server/links/<system>/) against a
// plain INSERT of the same texts, in the same run. The documents tell the links' story for N
// movements: a vessel's manifest (MT1101, three bills with their containers), the transit
// declaration of one of its bills for a distinct truck, its release, an inspection flag, the origin
// gate's pass (out, matching: the movement departs), the destination gate's pass (in: arrives, one
// in ten a misread plate that is held with GATE_MISMATCH), the inspection result, the goods in at
// the destination's ledger, and an SAS121 passport into a bonded zone. Everything goes through
// app.links.receiver.receive() on a running app (parse, then one transaction: dedupe, keep the raw
// message, apply, summary, ledger entry; alerts after the commit).
//
// Each step runs twice over its own documents: one at a time (docs/s, p50/p99 per message), and 8
// in flight (the receiver runs transactions one at a time through the movement service; parsing
// and the post-commit work overlap). The baselines, same texts: one `INSERT INTO bench_raw (raw)`
// per document on the app's pool, and parse only (system.parse), with the time inside apply()
// measured apart, so the figures say where a document's time goes: parse, apply, and the rest
// of the transaction (dedupe, raw store, summary, ledger chain, commit). Prints one JSON line.
// DATABASE_URL names a PostGIS server (a scratch database is made on it); without it, the
// embedded PostGIS is used. BENCH_MOVEMENTS (default 200) movements per run, each way;
// BENCH_HISTORY (20,000) closed movements already in the database; BENCH_SQL=1 also lists, on
// stderr, the statements apply() spent most time in. timesInsert: a document's time through the
// link over a plain INSERT of it.
import type pg from 'pg';
import { buildGatherInfoXml } from '../server/links/gate/build';
import { buildInspectionFlag, buildInspectionResult } from '../server/links/inspection/build';
import { buildMT1101, containerNumber } from '../server/links/manifest/build';
import type { ReceiveResult } from '../server/links/receiver';
import { buildSiteLedgerXml } from '../server/links/site-ledger/build';
import { startLinkTestServer, type LinkTestServer } from '../server/links/testing';
import { buildTransitDeclaration, buildTransitRelease } from '../server/links/transit/build';
import type { LinkCaller, LinkSystem } from '../server/links/types';
import { formatOf } from '../server/links/xml';
import { buildSas121 } from '../server/links/zone/build';
import { benchPostgis } from './postgis';

const MOVEMENTS = Number(process.env.BENCH_MOVEMENTS ?? 200); // per run, each way (one at a time, 8 in flight)
const HISTORY = Number(process.env.BENCH_HISTORY ?? 20_000); // closed movements already there
const IN_FLIGHT = 8;
/** One destination-gate pass in this many reads another plate: held, GATE_MISMATCH. */
const MISREAD_EVERY = 10;
const MIN = 60_000;
const SQL_PROFILE = process.env.BENCH_SQL === '1';
const sqlTimes = new Map<string, { n: number; ms: number }>();

/** One bench case: a system's documents of one or more steps, timed together. */
interface Case {
  system: string;
  docs: number;
  seqMs: number;
  latencies: number[];
  flightDocs: number;
  flightMs: number;
  /** The texts of the one-at-a-time run, for the baselines. */
  texts: string[];
  /** ms inside system.apply(), one-at-a-time run. */
  applyMs: number;
  decisions: Record<string, number>;
}

interface Movement {
  preId: string;
  plate: string;
  voyage: string;
  bills: { billNo: string; containers: { no: string; seal: string }[] }[];
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
const round = (v: number, digits = 0) => Number(v.toFixed(digits));

/**
 * Trucks 沪B00001 … in Shanghai (2200), one per movement; their past: BENCH_HISTORY closed movements
 * on the route over the last 90 days (the links look movements up among all of them); and the
 * bonded zone over Waigaoqiao.
 */
async function seed(pool: pg.Pool, trucks: number): Promise<void> {
  await pool.query(
    `INSERT INTO assets (key, kind, label, plate, terminal, district)
     SELECT 'tel:0138' || lpad(n::text, 8, '0'), 'vehicle', p, p, '0138' || lpad(n::text, 8, '0'), '2200'
     FROM (SELECT n, '沪B' || lpad(n::text, 5, '0') AS p FROM generate_series(1, $1) n) s`,
    [trucks],
  );
  await pool.query(
    `INSERT INTO consignments (reference, seal_id, asset_id, origin_site, dest_site, route_id, departure, deadline, status, arrived_at, districts)
     SELECT 'HIST' || lpad(i::text, 9, '0'), 'SL' || lpad(i::text, 10, '0'), (SELECT min(id) FROM assets WHERE plate LIKE '沪B%') + i % $2,
            r.from_site, r.to_site, r.id, now() - interval '91 days' + i * (interval '90 days' / $1), now() - interval '91 days' + i * (interval '90 days' / $1) + interval '6 h',
            'closed', now() - interval '91 days' + i * (interval '90 days' / $1) + interval '3 h', touched_districts(r.from_site, r.to_site, r.id)
     FROM generate_series(1, $1) i, routes r WHERE r.code = 'YS-WGQ'`,
    [HISTORY, trucks],
  );
  await pool.query(
    `INSERT INTO zones (code, name_zh, name_en, kind, district, area_code, area)
     VALUES ('WGQ-FTZ', '外高桥保税区', 'Waigaoqiao Free Trade Zone', 'bonded', '2200', '2218', ST_MakeEnvelope(121.58, 31.33, 121.62, 31.36, 4326))`,
  );
}

/** The movements of one run (`run` 0: one at a time, 1: in flight), their vessels' bills and containers. */
function plan(run: number): Movement[] {
  return Array.from({ length: MOVEMENTS }, (_, i) => {
    const n = run * MOVEMENTS + i;
    const bills = Array.from({ length: 3 }, (_, b) => ({
      billNo: `COSU${String(n).padStart(7, '0')}${b}`,
      containers: Array.from({ length: 1 + ((n + b) % 2) }, (_, k) => ({
        no: containerNumber(['CSQU', 'TGHU', 'MSCU'][b]!, n * 2 + k),
        seal: `CN${String(n * 10 + b * 2 + k).padStart(8, '0')}`,
      })),
    }));
    return { preId: `22482026${String(n).padStart(10, '0')}`, plate: `沪B${String(n + 1).padStart(5, '0')}`, voyage: `${String(n).padStart(4, '0')}E`, bills };
  });
}

/** The documents of each step for a run's movements, in the story's order. */
function steps(run: number, ms: Movement[], now: number) {
  const id = (kind: string, i: number) => `BENCH-${run}-${kind}-${String(i).padStart(6, '0')}`;
  const carried = (m: Movement) => m.bills[0]!;
  const misread = (i: number) => i % MISREAD_EVERY === MISREAD_EVERY - 1;
  const gate = (m: Movement, i: number, direction: 'in' | 'out') => {
    const b = carried(m);
    const plate = direction === 'in' && misread(i) ? m.plate.slice(0, -1) + String((Number(m.plate.slice(-1)) + 3) % 10) : m.plate;
    return buildGatherInfoXml({
      site: direction === 'out' ? 'YS-TERM' : 'WGQ-BZ',
      channel: `${direction === 'out' ? 'E' : 'I'}-0${1 + (i % 4)}`,
      direction,
      seqNo: id(direction === 'out' ? 'GATE-E' : 'GATE-I', i),
      time: now - (direction === 'out' ? 90 : 30) * MIN + i,
      plate,
      tagPlate: m.plate,
      containers: b.containers.map((k) => k.no),
      eseal: b.containers[0]!.seal,
      grossKg: 15_000 + 18_000 * b.containers.length,
      vehicleKg: 15_000,
    });
  };
  return [
    {
      system: 'manifest',
      texts: ms.map((m, i) =>
        buildMT1101({
          messageId: id('MFT', i),
          sendTime: now - 180 * MIN,
          vessel: { imo: '9000001', name: 'COSCO TEST', journeyId: m.voyage, typeCode: '1' },
          unloadingPort: 'CNSHA/2248',
          arrivalDate: now,
          bills: m.bills.map((b) => ({
            billNo: b.billNo,
            grossMassKg: 18_000 * b.containers.length,
            items: [{ goods: '电子元器件 electronic components', hs: '85423900' }],
            containers: b.containers.map((k) => ({ containerNo: k.no, sizeType: '45G1', fullness: '5', seals: [{ no: k.seal, agency: 'CA' }] })),
          })),
        }),
      ),
    },
    {
      system: 'transit',
      texts: ms.map((m, i) =>
        buildTransitDeclaration({
          messageId: id('TRN-D', i),
          sentAt: now - 120 * MIN + i,
          preId: m.preId,
          plate: m.plate,
          originCustoms: '2248',
          destCustoms: '2200',
          originSite: 'YS-TERM',
          destSite: 'WGQ-BZ',
          validTime: now + 24 * 60 * MIN,
          contractorName: '上海集装箱运输有限公司',
          bills: [{ billNo: carried(m).billNo, shipId: 'UN9000001', voyageNo: m.voyage }],
          containers: carried(m).containers.map((k) => ({ containerNo: k.no, model: '45G1', sealNo: k.seal })),
        }),
      ),
    },
    {
      system: 'transit',
      label: 'transit-release',
      texts: ms.map((m, i) => buildTransitRelease({ messageId: id('TRN-R', i), sentAt: now - 110 * MIN + i, preId: m.preId, turnNo: `@2248${String(i).padStart(11, '0')}` })),
    },
    {
      system: 'inspection',
      texts: ms.map((m, i) => buildInspectionFlag({ messageId: id('INS-F', i), sentAt: now - 100 * MIN + i, reference: m.preId, reason: '风险布控 risk profile hit' })),
    },
    { system: 'gate', texts: ms.map((m, i) => gate(m, i, 'out')) },
    { system: 'gate', texts: ms.map((m, i) => gate(m, i, 'in')) },
    {
      system: 'inspection',
      texts: ms.map((m, i) =>
        buildInspectionResult({ messageId: id('INS-R', i), sentAt: now - 25 * MIN + i, reference: m.preId, result: 'passed', note: '查验正常 nothing found' }),
      ),
    },
    {
      system: 'site-ledger',
      // Goods in for the movements that came in through the gate (the held ones are the officers' now).
      texts: ms.flatMap((m, i) =>
        misread(i)
          ? []
          : [
              buildSiteLedgerXml({
                messageId: id('WMS', i),
                site: 'WGQ-BZ',
                records: carried(m).containers.map((k) => ({
                  direction: 'in' as const,
                  container: k.no,
                  bill: carried(m).billNo,
                  reference: m.preId,
                  packages: 400,
                  weightKg: 18_000,
                  time: now - 20 * MIN + i,
                })),
              }),
            ],
      ),
    },
    {
      system: 'zone',
      texts: ms.map((m, i) =>
        buildSas121(
          {
            passportNo: `Z2218I${String(run * MOVEMENTS + i).padStart(18, '0')}`,
            type: 2,
            bindType: 2,
            relatedType: 3,
            relatedNo: carried(m).billNo,
            io: 'in',
            masterCustoms: '2218',
            plate: m.plate,
            containers: carried(m).containers.map((k) => k.no),
            grossWt: 18_000 * carried(m).containers.length,
            totalWt: 15_000 + 18_000 * carried(m).containers.length,
            declaredAt: now - 15 * MIN,
            goods: [{ name: '电子元器件', hsCode: '8542390000', qty: 400, unit: '007', grossWt: 18_000, netWt: 17_200 }],
          },
          { messageId: id('SAS', i), sendTime: now - 15 * MIN + i },
        ),
      ),
    },
  ];
}

/** Times apply() of a registered system (the receiver holds this same object). */
function timeApply(system: LinkSystem, onDone: (ms: number) => void): void {
  const apply = system.apply.bind(system);
  system.apply = async (ctx, msg) => {
    const t = performance.now();
    const query = ctx.client.query;
    if (SQL_PROFILE) {
      // Each statement apply() runs, timed by its first line (BENCH_SQL=1).
      ctx.client.query = (async (...args: Parameters<typeof query>) => {
        const q = performance.now();
        try {
          return await (query as (...a: unknown[]) => Promise<unknown>).apply(ctx.client, args);
        } finally {
          const key = `${system.name}: ${String(typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text)
            .replace(/\s+/g, ' ')
            .slice(0, 110)}`;
          const e = sqlTimes.get(key) ?? { n: 0, ms: 0 };
          e.n++;
          e.ms += performance.now() - q;
          sqlTimes.set(key, e);
        }
      }) as typeof query;
    }
    try {
      return await apply(ctx, msg);
    } finally {
      ctx.client.query = query;
      onDone(performance.now() - t);
    }
  };
}

async function main() {
  const postgis = await benchPostgis();
  const s: LinkTestServer = await startLinkTestServer((pool) => seed(pool, 2 * MOVEMENTS), { LINKS_DIR: 'off' });
  const pool = s.app.db.pool;
  const receiver = s.app.links.receiver;
  const caller: LinkCaller = s.caller('2200', 'http:bench-2200');
  const systems = new Map(receiver.list().map((x) => [x.name, x]));
  let applyMs = 0;
  for (const x of systems.values()) timeApply(x, (ms) => (applyMs += ms));
  await pool.query('CREATE TABLE bench_raw (id bigserial PRIMARY KEY, raw text NOT NULL)');
  await pool.query('ANALYZE');

  const now = Date.now();
  const runs = [0, 1].map((run) => steps(run, plan(run), now));
  const cases = new Map<string, Case>();
  const check = (c: Case, r: ReceiveResult) => {
    if (r.status !== 'applied') throw new Error(`${c.system}: ${r.messageId} was ${r.status}`);
  };
  /** The gate's decisions in the one-at-a-time run. */
  const tally = (c: Case, r: ReceiveResult) => {
    check(c, r);
    const d = r.summary.decision;
    if (typeof d === 'string') c.decisions[d] = (c.decisions[d] ?? 0) + 1;
  };
  for (let k = 0; k < runs[0]!.length; k++) {
    const one = runs[0]![k]!;
    const label = 'label' in one && one.label ? one.label : one.system;
    const c: Case = cases.get(label) ?? { system: one.system, docs: 0, seqMs: 0, latencies: [], flightDocs: 0, flightMs: 0, texts: [], applyMs: 0, decisions: {} };
    cases.set(label, c);
    console.error(`${label}: ${one.texts.length} one at a time, ${runs[1]![k]!.texts.length} with ${IN_FLIGHT} in flight…`);

    applyMs = 0;
    let t0 = performance.now();
    for (const text of one.texts) {
      const t = performance.now();
      tally(c, await receiver.receive(one.system, text, caller));
      c.latencies.push(performance.now() - t);
    }
    c.seqMs += performance.now() - t0;
    c.applyMs += applyMs;
    c.docs += one.texts.length;
    c.texts.push(...one.texts);

    const many = runs[1]![k]!.texts;
    let next = 0;
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < many.length) check(c, await receiver.receive(one.system, many[next++]!, caller));
      }),
    );
    c.flightMs += performance.now() - t0;
    c.flightDocs += many.length;
  }

  // Baselines on the same texts: a plain INSERT each (one at a time, and 8 in flight), parse only.
  const insertAll = async (texts: string[], inFlight: number) => {
    let next = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < texts.length) await pool.query('INSERT INTO bench_raw (raw) VALUES ($1)', [texts[next++]!]);
      }),
    );
    return performance.now() - t;
  };
  const parseOnly = (system: LinkSystem, texts: string[]) => {
    // At least one pass over the texts, and 300 ms, so that the small ones are timed too.
    let n = 0;
    const t = performance.now();
    do {
      for (const text of texts) system.parse(text, formatOf(text));
      n += texts.length;
    } while (performance.now() - t < 300);
    return (performance.now() - t) / n;
  };

  const out: Record<string, unknown> = {};
  let insertMs = 0,
    insertFlightMs = 0,
    allDocs = 0,
    allLinkMs = 0;
  for (const [label, c] of cases) {
    const sorted = [...c.latencies].sort((a, b) => a - b);
    const insMs = await insertAll(c.texts, 1);
    insertFlightMs += await insertAll(c.texts, IN_FLIGHT);
    insertMs += insMs;
    allDocs += c.docs;
    allLinkMs += c.seqMs;
    const parseEach = parseOnly(systems.get(c.system as never)!, c.texts);
    const each = c.seqMs / c.docs;
    const applyEach = c.applyMs / c.docs;
    out[label] = {
      docs: c.docs,
      docsPerS: round((c.docs / c.seqMs) * 1000),
      p50Ms: round(pct(sorted, 50), 2),
      p99Ms: round(pct(sorted, 99), 2),
      inFlight8DocsPerS: round((c.flightDocs / c.flightMs) * 1000),
      parseOnlyPerS: round(1000 / parseEach),
      insertPerS: round((c.docs / insMs) * 1000),
      timesInsert: round(c.seqMs / insMs, 1),
      avgKB: round(c.texts.reduce((a, t) => a + Buffer.byteLength(t), 0) / c.docs / 1024, 1),
      // Where a document's time goes (ms, one at a time): parse, inside apply(), the rest of the
      // receive (dedupe, raw store, summary, ledger entry, commit, post-commit follow).
      msEach: { parse: round(parseEach, 3), apply: round(applyEach, 2), rest: round(each - applyEach - parseEach, 2) },
      ...(Object.keys(c.decisions).length && { decisions: c.decisions }),
    };
  }
  if (SQL_PROFILE) {
    for (const [k, v] of [...sqlTimes].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
      console.error(`${v.ms.toFixed(0).padStart(7)} ms ${String(v.n).padStart(6)}× ${(v.ms / v.n).toFixed(2)} ms  ${k}`);
  }
  const totalDocs = [...cases.values()].reduce((a, c) => a + c.docs, 0);
  console.log(
    JSON.stringify({
      bench: 'links',
      database: postgis.database,
      movements: MOVEMENTS,
      history: HISTORY,
      inFlight: IN_FLIGHT,
      systems: out,
      insertPerS: round((totalDocs / insertMs) * 1000),
      insertInFlight8PerS: round((totalDocs / insertFlightMs) * 1000),
      allLinksDocsPerS: round((allDocs / allLinkMs) * 1000),
      allLinksTimesInsert: round(allLinkMs / insertMs, 1),
    }),
  );
  await s.close();
  await postgis.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
