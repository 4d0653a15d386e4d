// Runs the scenario library (server/rules/scenarios/*.json) through the real pipeline — Pipeline,
// AssetRegistry and PositionWriter on a PostGIS database, the geofences loaded from it, the rules
// engine attached with pipeline.addSink — feeding each fix in its own time and ticking the engine
// between fixes in that time, then scores what was raised against what each scenario expects:
// precision, recall and detection delay per alert type.
//
//   npx tsx server/rules/evaluate.ts            (DATABASE_URL, or the embedded PostGIS)
//
// A scenario's documents (transit declarations, gate passes, goods in and out, inspections) go
// through the real customs links at their time (scenarioLinks.ts), and the links' reconciliation
// runs on the scenario clock, so the links' alerts (GATE_MISMATCH, NOT_RECEIVED, UNDECLARED_OUT,
// INSPECTION_OVERDUE) are scored beside the engine's.
//
// Options: restartAt (0…1) exports the engine's state at that point of every scenario, builds a
// new engine and geofence index from scratch, imports the state and carries on, as after a restart.
// It applies to scenarios with documents too: the links keep nothing in memory (the receiver and
// the sweeps read the database), so only the engine restarts.
import type pg from 'pg';
import { isDeepStrictEqual } from 'node:util';
import { loadGeofences } from '../geofence/loader';
import type { GeofenceIndex } from '../geofence/index';
import { AssetRegistry } from '../pipeline/assetRegistry';
import { LatestState } from '../pipeline/latestState';
import { Pipeline } from '../pipeline/pipeline';
import { PositionWriter } from '../pipeline/positionWriter';
import { seedWorld } from '../sim/seed';
import { ZoneUnauthorised } from '../links/zone/unauthorised';
import { SWEEP_EVERY_MS } from '../links/runtime';
import { RulesEngine } from './engine';
import { loadScenarios, prepare, type PreparedScenario, type Scenario } from './scenario';
import { SCENARIO_DISTRICT, ScenarioLinks, type Heard, type HeardAlert } from './scenarioLinks';
import { rulesSink } from './sink';
import { ALERT_MAP_STATUS, ALERT_SEVERITY, ALERT_TYPES, type AlertType, type RuleEvent, type RulesConfig, type WatchedConsignment } from './types';

export interface EvalOptions {
  /** Restart the engine (export → new engine → import) at this fraction of each scenario's timeline. */
  restartAt?: number;
  config?: Partial<RulesConfig>;
}

/** An event with database ids replaced by actor names, so runs can be compared. */
export type NormalEvent = Record<string, unknown>;

export interface ScenarioResult {
  name: string;
  label: string;
  pass: boolean;
  failures: string[];
  fixes: number;
  stored: number;
  /** Problems storing the fixes (kept apart from the rules' verdict). */
  storage: string[];
  tp: { type: AlertType; delayS: number }[];
  fp: { type: AlertType; actors: string[]; time: string; why: string }[];
  fn: { type: AlertType; actors: string[] }[];
  events: NormalEvent[];
}

export interface TypeRow {
  type: AlertType;
  expected: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  meanDelayS: number | null;
  maxDelayS: number | null;
}

export interface Evaluation {
  results: ScenarioResult[];
  table: TypeRow[];
  precision: number;
  recall: number;
}

let runCounter = 0;

/** Evaluates scenarios on `pool` (a migrated database; the demo world is seeded if it is empty). */
export async function evaluate(pool: pg.Pool, scenarios: Scenario[] = loadScenarios(), opts: EvalOptions = {}): Promise<Evaluation> {
  await seedWorld(pool, () => {}, undefined, { bondedZones: false });
  const registry = new AssetRegistry(pool);
  await registry.load();
  const results: ScenarioResult[] = [];
  for (const spec of scenarios) {
    // A pipeline per scenario (one registry, as in the server), so a batch the database refuses
    // stays with the scenario that sent it.
    const latest = new LatestState(10);
    const writer = new PositionWriter(pool, { batchRows: 2000, flushMs: 60_000 });
    let simNow = 0;
    const pipeline = new Pipeline(registry, latest, writer, () => simNow);
    const ctx: { engine?: RulesEngine; sink: RuleEvent[] } = { sink: [] };
    const prepared = prepare(spec);
    const classes = new Map<string, 'A' | 'B' | undefined>(prepared.actors.map((a) => [a.name, a.spec.aisClass]));
    pipeline.addSink(
      rulesSink(
        () => ctx.engine!,
        (events) => ctx.sink.push(...events),
        {
          aisClassOf: (id) => classes.get(registry.byAssetId(id)?.label?.split('/')[1] ?? ''),
        },
      ),
    );
    results.push(await runScenario(pool, prepared, { pipeline, registry, writer, ctx, setNow: (t) => (simNow = t) }, opts));
  }
  return { results, ...score(results) };
}

interface Rig {
  pipeline: Pipeline;
  registry: AssetRegistry;
  writer: PositionWriter;
  ctx: { engine?: RulesEngine; sink: RuleEvent[] };
  setNow: (t: number) => void;
}

async function runScenario(pool: pg.Pool, sc: PreparedScenario, rig: Rig, opts: EvalOptions): Promise<ScenarioResult> {
  const run = `${++runCounter}`;
  const tag = `${sc.spec.name}#${run}`;
  const failures: string[] = [];

  // Places: synthetic sites and routes go into the database like any other; zones through the API.
  const siteIds = new Map<string, number>();
  for (const s of sc.sites) {
    const { rows } = await pool.query(
      `INSERT INTO sites (code, name_zh, name_en, kind, district, area)
       VALUES ($1, $1, $1, $2, $3, ST_SetSRID(ST_GeomFromGeoJSON($4), 4326)) RETURNING id`,
      [`${tag}:${s.code}`, s.kind, s.district, JSON.stringify({ type: 'Polygon', coordinates: [s.ring] })],
    );
    siteIds.set(s.code, rows[0].id);
  }
  const siteId = async (code: string): Promise<number> => {
    const own = siteIds.get(code);
    if (own !== undefined) return own;
    const { rows } = await pool.query('SELECT id FROM sites WHERE code = $1', [code]);
    if (!rows[0]) throw new Error(`${sc.spec.name}: no site ${code}`);
    siteIds.set(code, rows[0].id);
    return rows[0].id;
  };
  const routeIds = new Map<string, number>();
  for (const r of sc.routes) {
    const { rows } = await pool.query(
      `INSERT INTO routes (code, name_zh, name_en, from_site, to_site, corridor_m, path, corridor)
       SELECT $1, $1, $1, $2, $3, $4::float8, p.g, ST_Buffer(p.g::geography, $4::float8)::geometry
       FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($5), 4326) AS g) p RETURNING id`,
      [`${tag}:${r.code}`, await siteId(r.from), await siteId(r.to), r.corridorM, JSON.stringify({ type: 'LineString', coordinates: r.path })],
    );
    routeIds.set(r.code, rows[0].id);
  }
  const routeInfo = async (code: string) => {
    const own = routeIds.get(code);
    const { rows } =
      own !== undefined
        ? await pool.query('SELECT id, from_site, to_site FROM routes WHERE id = $1', [own])
        : await pool.query('SELECT id, from_site, to_site FROM routes WHERE code = $1', [code]);
    if (!rows[0]) throw new Error(`${sc.spec.name}: no route ${code}`);
    return rows[0] as { id: number; from_site: number; to_site: number };
  };
  // Bonded zones go into the database (the passport check reads them there); the others only into the index.
  const bondedIds = new Map<string, number>();
  for (const z of sc.zones) {
    if (z.kind !== 'bonded') continue;
    const { rows } = await pool.query(
      `INSERT INTO zones (code, name_zh, name_en, kind, district, area) VALUES ($1, $2, $2, 'bonded', '2200', ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)) RETURNING id`,
      [`${tag}:${z.code}`, z.code, JSON.stringify({ type: 'Polygon', coordinates: [z.ring] })],
    );
    bondedIds.set(z.code, rows[0].id);
  }
  const buildGeo = async (): Promise<GeofenceIndex> => {
    const { index } = await loadGeofences(pool);
    sc.zones.forEach((z, i) => z.kind !== 'bonded' && index.upsertZone({ id: 1000 + i, code: z.code, kind: z.kind, area: z.ring }));
    return index;
  };

  // Actors: assets registered, consignments stored, then watched.
  const actorOf = new Map<number, string>();
  const consOf = new Map<number, string>();
  const assets = new Map<string, { id: number; key: string; kind: 'vehicle' | 'vessel'; cid?: number }>();
  const watched: WatchedConsignment[] = [];
  const plates = new Map<string, string>();
  // Documents go through the real links; their movements are watched as the server watches them.
  const links: ScenarioLinks = new ScenarioLinks(
    pool,
    run,
    tag,
    {
      plate: (actor) => plates.get(actor),
      reference: (actor): string | undefined => (assets.get(actor)?.cid !== undefined && !links.hasDeclaration(actor) ? `${tag}/${actor}` : undefined),
      consignment: (actor) => {
        const c = sc.actors.find((a) => a.name === actor)?.spec.consignment;
        return c && { route: routeIds.has(c.route) ? `${tag}:${c.route}` : c.route, origin: c.origin, dest: c.dest, deadline: sc.start + c.deadlineMin * 60_000 };
      },
      owns: (a) => (a.consignmentId !== null ? consOf.has(a.consignmentId) : a.assetId !== null && actorOf.has(a.assetId)),
    },
    {
      watch: (m) => {
        // A declaration created this movement: it is the actor's, watched from now on (and after a restart).
        const actor = actorOf.get(m.assetId);
        if (actor && !consOf.has(m.id)) {
          consOf.set(m.id, actor);
          assets.get(actor)!.cid = m.id;
          watched.push(m);
        }
        return rig.ctx.engine!.watch(m);
      },
      unwatch: (id) => rig.ctx.engine!.unwatch(id),
      onEvent: (e) => rig.ctx.engine!.onEvent(e),
    },
  );
  links.plan(sc.documents);
  let n = 0;
  for (const a of sc.actors) {
    const num = String(++n).padStart(2, '0');
    const key = a.spec.kind === 'vessel' ? `mmsi:4${String(run).padStart(6, '0')}${num}` : `tel:09${String(run).padStart(8, '0')}${num}`;
    const info = await rig.registry.create(key, a.spec.kind, `${sc.spec.name}/${a.name}`);
    actorOf.set(info.id, a.name);
    // Vehicles get a plate (passports, declarations and gates name their vehicle by it) and a home
    // in the district whose systems send the documents.
    if (a.spec.kind === 'vehicle') {
      plates.set(a.name, `SC${run}X${num}`);
      await pool.query('UPDATE assets SET plate = $2, district = $3 WHERE id = $1', [info.id, `SC${run}X${num}`, SCENARIO_DISTRICT]);
    }
    const entry: { id: number; key: string; kind: 'vehicle' | 'vessel'; cid?: number } = { id: info.id, key, kind: a.spec.kind };
    const c = a.spec.consignment;
    // A declared movement is created by its transit declaration, on the timeline.
    if (c && !links.hasDeclaration(a.name)) {
      const r = await routeInfo(c.route);
      const origin = c.origin ? await siteId(c.origin) : r.from_site;
      const dest = c.dest ? await siteId(c.dest) : r.to_site;
      const departure = sc.start + c.departureMin * 60_000;
      const deadline = sc.start + c.deadlineMin * 60_000;
      // `districts` (authorization only) from the two sites' own districts: touched_districts() would
      // plan ST_Intersects on a GiST index, which the embedded PostGIS refuses once its schema has
      // been dropped and re-created in the same session (the test databases there share one).
      const { rows } = await pool.query(
        `INSERT INTO consignments (reference, asset_id, origin_site, dest_site, route_id, departure, deadline, status, districts)
         VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0), to_timestamp($7 / 1000.0), $8,
                 ARRAY(SELECT DISTINCT district FROM sites WHERE id IN ($3, $4) ORDER BY district)) RETURNING id`,
        [`${tag}/${a.name}`, info.id, origin, dest, r.id, departure, deadline, c.status],
      );
      entry.cid = rows[0].id;
      consOf.set(rows[0].id, a.name);
      watched.push({
        id: rows[0].id,
        reference: `${tag}/${a.name}`,
        assetId: info.id,
        routeId: r.id,
        originSiteId: origin,
        destSiteId: dest,
        departure,
        deadline,
        status: c.status,
        expectedIntervalS: c.expectedIntervalS,
      });
    }
    assets.set(a.name, entry);
  }

  const newEngine = async (state?: unknown): Promise<RulesEngine> => {
    const engine = new RulesEngine(await buildGeo(), opts.config);
    if (state !== undefined) engine.importState(state);
    // As the server does at start: watch every open consignment, with its status as stored.
    const { rows } = await pool.query<{ id: number; status: WatchedConsignment['status'] }>('SELECT id, status FROM consignments WHERE id = ANY($1)', [watched.map((w) => w.id)]);
    const stored = new Map(rows.map((r) => [r.id, r.status]));
    for (const w of watched) engine.watch({ ...w, status: stored.get(w.id) ?? w.status });
    return engine;
  };
  rig.ctx.engine = await newEngine();

  // The timeline: every fix and event in time order; ticks every tickS between them.
  type Item = {
    time: number;
    fix?: { actor: string; f: PreparedScenario['actors'][number]['fixes'][number] };
    event?: PreparedScenario['events'][number];
    passport?: PreparedScenario['passports'][number];
    doc?: PreparedScenario['documents'][number];
  };
  const items: Item[] = [];
  for (const a of sc.actors) for (const f of a.fixes) items.push({ time: f.time, fix: { actor: a.name, f } });
  for (const e of sc.events) items.push({ time: e.time, event: e });
  for (const p of sc.passports) items.push({ time: p.time, passport: p });
  for (const d of sc.documents) items.push({ time: d.time, doc: d });
  items.sort((x, y) => x.time - y.time);
  const events: Heard[] = [];
  // Bonded-zone crossings go to the real passport check (server/links/zone/unauthorised.ts), its
  // alerts taken as the engine's are.
  const checked: RuleEvent[] = [];
  const zoneCheck = new ZoneUnauthorised(
    pool,
    {
      raiseExternal: async (a) => {
        const { type, assetId, time, lon, lat, detail, episode } = a;
        checked.push({
          kind: 'raised',
          alert: {
            type,
            severity: ALERT_SEVERITY[type],
            mapStatus: ALERT_MAP_STATUS[type],
            assetId: assetId!,
            time,
            lon: lon ?? undefined,
            lat: lat ?? undefined,
            detail,
            episode,
          },
        });
        return null;
      },
      clearExternal: async () => {},
    },
    { restore: () => {}, released: () => {} },
  );
  const take = async (list: Heard[]) => {
    for (const e of list) {
      events.push(e);
      // As the alert service does: the movement follows the status (arrived_at too, which the inspection check reads).
      if (e.kind === 'status') await links.movements.applyRuleStatus(e.consignmentId, e.status, e.time);
      if (e.kind === 'zone_crossing') {
        zoneCheck.onRuleEvents([e]);
        await zoneCheck.idle();
        events.push(...checked.splice(0));
      }
    }
  };
  // A passport as the zone link stores one: its message, then the passport, valid from its time.
  let passportN = 0;
  const declare = async (p: PreparedScenario['passports'][number]) => {
    const a = assets.get(p.actor);
    const zoneId = bondedIds.get(p.zone);
    if (!a || zoneId === undefined) throw new Error(`${sc.spec.name}: a passport for ${p.actor} in ${p.zone}: no such vehicle or bonded zone`);
    const no = `${tag}/P${++passportN}`;
    const { rows } = await pool.query(
      `INSERT INTO link_messages (system, message_id, message_type, format, via, source, district, raw, raw_sha256)
       VALUES ('zone', $1, 'SAS121', 'json', 'demo', 'scenario', '2200', $2, sha256(convert_to($2, 'UTF8'))) RETURNING id`,
      [no, JSON.stringify(p)],
    );
    await pool.query(
      `INSERT INTO zone_passports (passport_no, type, io, plate, asset_id, zone_id, zone_code, district, message, created_at)
       SELECT $1, 2, $2, a.plate, a.id, $3, $4, '2200', $5, to_timestamp($6 / 1000.0) FROM assets a WHERE a.id = $7`,
      [no, p.io, zoneId, p.zone, rows[0].id, p.time, a.id],
    );
  };
  const tickMs = sc.spec.tickS * 1000;
  let nextTick = sc.start + tickMs;
  // The links' reconciliation, every SWEEP_EVERY_MS as in the server, where the scenario has documents.
  let nextSweep = sc.documents.length ? sc.start + SWEEP_EVERY_MS : Infinity;
  const tickUntil = async (t: number) => {
    for (;;) {
      const next = Math.min(nextTick, nextSweep);
      if (next >= t) break;
      rig.setNow(next);
      if (next === nextTick) {
        await take(rig.ctx.engine!.tick(nextTick));
        nextTick += tickMs;
      }
      if (next === nextSweep) {
        await links.sweep(nextSweep);
        await take(links.take());
        nextSweep += SWEEP_EVERY_MS;
      }
    }
  };
  const restartIndex = opts.restartAt !== undefined ? Math.floor(items.length * opts.restartAt) : -1;
  let fixesFed = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (i === restartIndex) {
      const saved = JSON.parse(JSON.stringify(rig.ctx.engine!.exportState()));
      rig.ctx.engine = await newEngine(saved);
    }
    await tickUntil(it.time);
    rig.setNow(it.time);
    if (it.fix) {
      const a = assets.get(it.fix.actor)!;
      const f = it.fix.f;
      rig.ctx.sink = [];
      const r = rig.pipeline.ingest({
        assetKey: a.key,
        kind: a.kind,
        source: 'replay',
        time: f.time,
        lon: f.lon,
        lat: f.lat,
        ...(f.speed !== undefined ? { speed: f.speed } : {}),
        ...(f.course !== undefined ? { course: f.course } : {}),
        ...(f.alarm !== undefined ? { alarm: f.alarm } : {}),
      });
      if (!r.ok) failures.push(`fix of ${it.fix.actor} at ${iso(f.time)} rejected by the pipeline: ${r.reason}`);
      else fixesFed++;
      await take(rig.ctx.sink);
    } else if (it.passport) {
      await declare(it.passport);
    } else if (it.doc) {
      const refused = await links.send(it.doc);
      if (refused) failures.push(refused);
      await take(links.take());
    } else if (it.event) {
      const a = assets.get(it.event.actor)!;
      await take(
        rig.ctx.engine!.onEvent({
          kind: it.event.kind,
          time: it.event.time,
          assetId: a.id,
          consignmentId: a.cid,
          ...(it.event.site ? { siteId: await siteId(it.event.site) } : {}),
        }),
      );
    }
  }
  await tickUntil(sc.end + 1);
  await links.movements.drain();
  // The scenario's bonded zones leave the database (the next scenario's fences must not hold them).
  if (bondedIds.size) await pool.query('DELETE FROM zones WHERE id = ANY($1)', [[...bondedIds.values()]]);

  // Every fix went through the real pipeline into PostGIS.
  await rig.writer.flush();
  const ids = [...assets.values()].map((a) => a.id);
  const {
    rows: [{ n: stored }],
  } = await pool.query('SELECT count(*)::int AS n FROM positions WHERE asset_id = ANY($1)', [ids]);
  const storage: string[] = [];
  if (stored !== fixesFed) storage.push(`PositionWriter stored ${stored} of the ${fixesFed} positions the pipeline accepted`);

  // Score.
  // An alert on no vehicle (goods that left a site) is its site's: `@<site>`.
  const actorsOf = (a: HeardAlert): string[] => {
    const names = [a.assetId === null ? `@${String(a.detail.site)}` : (actorOf.get(a.assetId) ?? `asset${a.assetId}`)];
    if (a.type === 'RENDEZVOUS' && typeof a.detail.otherAssetId === 'number') names.push(actorOf.get(a.detail.otherAssetId) ?? '?');
    return names.sort();
  };
  const raised = events.filter((e): e is Extract<Heard, { kind: 'raised' }> => e.kind === 'raised').map((e) => e.alert);
  const cleared = new Map<string, number>();
  for (const e of events) if (e.kind === 'cleared') cleared.set(e.episode, e.time);
  const seenEpisodes = new Set<string>();
  for (const a of raised) {
    if (seenEpisodes.has(a.episode)) failures.push(`episode ${a.episode} raised twice`);
    seenEpisodes.add(a.episode);
  }
  const tp: ScenarioResult['tp'] = [];
  const fp: ScenarioResult['fp'] = [];
  const fn: ScenarioResult['fn'] = [];
  const used = new Set<HeardAlert>();
  for (const e of sc.expect) {
    const want = [...e.actors].sort().join('+');
    const hit = raised.find((a) => !used.has(a) && a.type === e.type && actorsOf(a).join('+') === want && a.time >= e.from - e.early && a.time <= e.by);
    if (!hit) {
      fn.push({ type: e.type, actors: e.actors });
      const near = raised.find((a) => a.type === e.type && actorsOf(a).join('+') === want);
      failures.push(`missed ${e.type} of ${want} in [${iso(e.from)}, ${iso(e.by)}]${near ? ` (raised at ${iso(near.time)})` : ''}`);
      continue;
    }
    used.add(hit);
    tp.push({ type: e.type, delayS: Math.round((hit.time - e.from) / 100) / 10 });
    const c = cleared.get(hit.episode);
    if (e.clearedBy === false) {
      if (c !== undefined) failures.push(`${e.type} of ${want} was cleared at ${iso(c)}; it must stay open`);
    } else if (e.clearedBy !== undefined) {
      if (c === undefined) failures.push(`${e.type} of ${want} was never cleared (by ${iso(e.clearedBy)})`);
      else if (c > e.clearedBy) failures.push(`${e.type} of ${want} cleared at ${iso(c)}, after ${iso(e.clearedBy)}`);
    }
  }
  for (const a of raised) {
    if (used.has(a)) continue;
    const why = sc.spec.mustNot.includes(a.type) ? 'must not fire' : 'not expected';
    fp.push({ type: a.type, actors: actorsOf(a), time: iso(a.time), why });
    failures.push(`unexpected ${a.type} of ${actorsOf(a).join('+')} at ${iso(a.time)} (${why}): ${JSON.stringify(a.detail)}`);
  }
  for (const [actor, want] of Object.entries(sc.spec.statuses)) {
    const cid = assets.get(actor)?.cid;
    const got = events.filter((e) => e.kind === 'status' && e.consignmentId === cid).map((e) => (e as { status: string }).status);
    if (!isDeepStrictEqual(got, want)) failures.push(`statuses of ${actor}: ${got.join(' → ') || 'none'}, expected ${want.join(' → ')}`);
  }
  for (const [actor, status] of Object.entries(sc.spec.finalStatus)) {
    const cid = assets.get(actor)?.cid;
    const got = cid !== undefined ? rig.ctx.engine!.status(cid) : undefined;
    if (got !== status) failures.push(`final status of ${actor}: ${got}, expected ${status}`);
  }
  for (const [actor, status] of Object.entries(sc.spec.movementStatus)) {
    const cid = assets.get(actor)?.cid;
    const got = cid === undefined ? 'no movement' : (await pool.query<{ status: string }>('SELECT status FROM consignments WHERE id = $1', [cid])).rows[0]?.status;
    if (got !== status) failures.push(`stored status of ${actor}'s movement: ${got}, expected ${status}`);
  }

  // Events with ids replaced by names, for comparing runs.
  const name = (id: unknown) => (typeof id === 'number' ? (actorOf.get(id) ?? consOf.get(id) ?? id) : id);
  const normEpisode = (ep: string) =>
    links
      .episode(ep)
      .replace(/\bc(\d+)\b/g, (_, id) => `c:${consOf.get(Number(id))}`)
      .replace(/\ba(\d+)\b/g, (_, id) => `a:${actorOf.get(Number(id))}`)
      .replace(/\bs(\d+)\b/g, 's:site')
      .replace(/\bz(\d+)\b/g, 'z:zone');
  const norm = events.map((e): NormalEvent => {
    if (e.kind === 'status') return { ...e, consignmentId: consOf.get(e.consignmentId) };
    if (e.kind === 'cleared') {
      const detail = e.detail && {
        ...e.detail,
        ...(e.detail.siteId !== undefined ? { siteId: 'site' } : {}),
        ...(e.detail.otherAssetId !== undefined ? { otherAssetId: name(e.detail.otherAssetId) } : {}),
      };
      return {
        ...e,
        assetId: name(e.assetId),
        consignmentId: e.consignmentId && consOf.get(e.consignmentId),
        episode: normEpisode(e.episode),
        ...(detail ? { detail: links.normalise(detail) } : {}),
      };
    }
    if (e.kind === 'zone_crossing') return { ...e, assetId: name(e.assetId), zoneId: 'zone', zoneCode: e.zoneCode.replace(/^[a-z0-9-]+#\d+:/, '') };
    const a = e.alert;
    const detail = {
      ...a.detail,
      ...(typeof a.detail.siteCode === 'string' ? { siteCode: a.detail.siteCode.replace(/^[a-z0-9-]+#\d+:/, ''), siteId: 'site' } : {}),
      ...(a.detail.otherAssetId !== undefined ? { otherAssetId: name(a.detail.otherAssetId) } : {}),
      ...(Array.isArray(a.detail.assetIds) ? { assetIds: a.detail.assetIds.map(name) } : {}),
      ...(a.detail.routeId !== undefined ? { routeId: 'route' } : {}),
      ...(a.type === 'ZONE_UNAUTHORISED' ? { zoneId: 'zone', zoneCode: String(a.detail.zoneCode).replace(/^[a-z0-9-]+#\d+:/, ''), plate: 'plate' } : {}),
    };
    return {
      kind: 'raised',
      alert: { ...a, assetId: name(a.assetId), consignmentId: a.consignmentId && consOf.get(a.consignmentId), episode: normEpisode(a.episode), detail: links.normalise(detail) },
    };
  });
  return {
    name: sc.spec.name,
    label: sc.spec.label,
    pass: failures.length === 0,
    failures,
    fixes: fixesFed,
    stored,
    storage,
    tp,
    fp,
    fn,
    events: norm,
  };
}

function score(results: ScenarioResult[]): { table: TypeRow[]; precision: number; recall: number } {
  const table: TypeRow[] = [];
  let TP = 0,
    FP = 0,
    FN = 0;
  for (const type of ALERT_TYPES) {
    const tps = results.flatMap((r) => r.tp.filter((x) => x.type === type));
    const fps = results.reduce((s, r) => s + r.fp.filter((x) => x.type === type).length, 0);
    const fns = results.reduce((s, r) => s + r.fn.filter((x) => x.type === type).length, 0);
    TP += tps.length;
    FP += fps;
    FN += fns;
    const delays = tps.map((x) => x.delayS);
    table.push({
      type,
      expected: tps.length + fns,
      tp: tps.length,
      fp: fps,
      fn: fns,
      precision: tps.length + fps ? tps.length / (tps.length + fps) : 1,
      recall: tps.length + fns ? tps.length / (tps.length + fns) : 1,
      meanDelayS: delays.length ? Math.round((delays.reduce((s, x) => s + x, 0) / delays.length) * 10) / 10 : null,
      maxDelayS: delays.length ? Math.round(Math.max(...delays) * 10) / 10 : null,
    });
  }
  return { table, precision: TP + FP ? TP / (TP + FP) : 1, recall: TP + FN ? TP / (TP + FN) : 1 };
}

/** The evaluation as text: one line per scenario, then the per-type table. */
export function formatEvaluation(ev: Evaluation): string {
  const lines: string[] = [];
  for (const r of ev.results) {
    lines.push(`${r.pass ? 'PASS' : 'FAIL'}  ${r.name.padEnd(28)} ${String(r.fixes).padStart(5)} fixes  ${r.label}`);
    for (const f of r.failures) lines.push(`        ${f}`);
    for (const f of r.storage) lines.push(`        storage: ${f}`);
  }
  lines.push('');
  const head = ['type', 'expected', 'TP', 'FP', 'FN', 'precision', 'recall', 'mean delay s', 'max delay s'];
  const rows = ev.table.map((t) => [t.type, t.expected, t.tp, t.fp, t.fn, t.precision.toFixed(2), t.recall.toFixed(2), t.meanDelayS ?? '–', t.maxDelayS ?? '–'].map(String));
  rows.push(['all', '', '', '', '', ev.precision.toFixed(2), ev.recall.toFixed(2), '', '']);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  lines.push(fmt(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(fmt));
  return lines.join('\n');
}

/** Whether two runs raised, cleared and changed status identically. */
export function sameEvents(a: ScenarioResult, b: ScenarioResult): boolean {
  return isDeepStrictEqual(a.events, b.events);
}

const iso = (t: number) => new Date(t).toISOString().slice(11, 19);

// CLI
if (import.meta.url === `file://${process.argv[1]}`) {
  const { freshDatabase } = await import('../../db/testing');
  const { startEmbeddedPostgis } = await import('../../db/embedded');
  let stop: (() => Promise<void>) | undefined;
  if (!process.env.DATABASE_URL) {
    const e = await startEmbeddedPostgis('./data/evaluate', 0, (m) => console.error(m));
    process.env.DATABASE_URL = e.url;
    process.env.TW_TEST_EMBEDDED = '1';
    stop = e.stop;
  }
  const db = await freshDatabase();
  let code = 0;
  try {
    const ev = await evaluate(db.pool);
    console.log(formatEvaluation(ev));
    code = ev.results.every((r) => r.pass) && ev.precision === 1 && ev.recall === 1 ? 0 : 1;
  } finally {
    await db.drop();
    await stop?.();
  }
  process.exit(code);
}
