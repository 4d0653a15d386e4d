// Labelled journeys for the rules engine, as data (server/rules/scenarios/*.json): the places
// (demo-world routes and sites by code, or synthetic ones), the actors (a truck on a consignment,
// a vessel) with a plan the generator turns into fixes, and what must (and must not) be raised,
// with "must fire by" deadlines. This file holds the schema and the generator; evaluate.ts runs them.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { LonLat } from '../../lib/domain';
import { kmhToMs, knotsToKmh } from '../../lib/units';
import { bearingDeg, destination, distanceM, makePath, nearestOnPath, offsetM, pointAt, pointInRing, type Path } from '../sim/geometry';
import { Rng } from '../sim/random';
import { WORLD } from '../sim/world';
import { rect } from '../sim/world/shapes';
import { ALERT_TYPES } from './types';

/** A lon/lat box: [west, south, east, north]. */
type Box = [number, number, number, number];

const Pos = z.tuple([z.number().gte(-180).lte(180), z.number().gte(-90).lte(90)]);
const AreaSpec = z.union([
  z.object({ ring: z.array(Pos).min(3) }),
  z.object({ rect: z.object({ center: Pos, lengthM: z.number().positive(), widthM: z.number().positive(), bearing: z.number().default(0) }) }),
  // A rectangle beside a route: `km` along it, its centre `sideM` to the right (negative: left).
  z.object({ beside: z.object({ route: z.string(), km: z.number().nonnegative(), sideM: z.number(), lengthM: z.number().positive(), widthM: z.number().positive() }) }),
]);
type AreaSpec = z.infer<typeof AreaSpec>;

const Offset = z.union([z.number(), z.tuple([z.number(), z.number()])]);
const Step = z.union([
  z.object({ mark: z.string() }),
  z.object({ dwell: z.object({ min: z.number().positive(), speedKmh: z.number().nonnegative().default(0) }) }),
  z.object({
    drive: z.object({
      kmh: z.number().positive(),
      km: z.number().positive().optional(),
      toKm: z.number().nonnegative().optional(),
      min: z.number().positive().optional(),
      offsetM: Offset.default(0),
    }),
  }),
  z.object({ driveToEnd: z.object({ kmh: z.number().positive(), offsetM: Offset.default(0) }) }),
  z.object({ goto: z.object({ kmh: z.number().positive(), to: Pos.optional(), site: z.string().optional() }) }),
  z.object({ rejoin: z.object({ kmh: z.number().positive() }) }),
  z.object({ sail: z.object({ kn: z.number().positive(), to: Pos }) }),
  z.object({ drift: z.object({ min: z.number().positive(), kn: z.number().nonnegative(), bearing: z.number().default(0) }) }),
]);
type Step = z.infer<typeof Step>;

const Actor = z.object({
  kind: z.enum(['vehicle', 'vessel']),
  aisClass: z.enum(['A', 'B']).optional(),
  consignment: z
    .object({
      route: z.string(),
      origin: z.string().optional(), // site code; the route's `from` by default
      dest: z.string().optional(), // site code; the route's `to` by default
      departureMin: z.number().default(0),
      deadlineMin: z.number().positive(),
      expectedIntervalS: z.number().positive().optional(),
      status: z.enum(['planned', 'in_transit']).default('planned'),
    })
    .optional(),
  /** Where it starts: on a route (km along it) or at a position. Default: the consignment's route, km 0. */
  start: z.union([z.object({ route: z.string(), km: z.number().nonnegative().default(0) }), z.object({ at: Pos })]).optional(),
  startMin: z.number().nonnegative().default(0),
  intervalS: z.number().int().positive(),
  phaseS: z.number().int().nonnegative().default(0),
  noiseM: z.number().nonnegative().default(0),
  seed: z.number().int().default(1),
  reportSpeed: z.boolean().default(true),
  plan: z.array(Step).min(1),
  gaps: z.array(z.object({ fromMin: z.number(), min: z.number().positive() })).default([]),
  jumps: z.array(z.object({ atMin: z.number(), m: z.number().positive() })).default([]),
  alarms: z.array(z.object({ fromMin: z.number(), min: z.number().positive(), bits: z.number().int().nonnegative() })).default([]),
});
export type ActorSpec = z.infer<typeof Actor>;

/** A time: minutes from the scenario start, or a mark set by a plan step (plus minutes). */
const When = z.union([z.number(), z.object({ mark: z.string(), plusMin: z.number().default(0) })]);
type When = z.infer<typeof When>;

const Expect = z.object({
  type: z.enum(ALERT_TYPES),
  actor: z.string().optional(),
  actors: z.tuple([z.string(), z.string()]).optional(),
  /**
   * `from`: the moment the alert's definition is first met by the true (noise-free) journey, e.g. the
   * stop's start + 10 min; detection delay is measured from it. `by`: the "must fire by" deadline.
   * `earlyMin`: how much earlier than `from` a raise still counts (noise can show a condition early).
   */
  from: When,
  by: When,
  earlyMin: z.number().nonnegative().default(0),
  /** Must be cleared by then; `false`: must still be open at the end (SEAL_ALARM). */
  clearedBy: z.union([When, z.literal(false)]).optional(),
  /** An alert that names no vehicle (UNDECLARED_OUT: goods left a site) belongs to its site. */
  site: z.string().optional(),
});
export type ExpectSpec = z.infer<typeof Expect>;

/**
 * Documents: link messages (server/links/<system>/build.ts) the evaluator sends through the real
 * LinkReceiver at their time. Containers, e-seals and bills are named symbolically ("C1", "S1");
 * each run gets its own numbers. A `declaration` creates its actor's movement from the actor's
 * `consignment` (route, sites, deadline) instead of the evaluator storing it directly.
 */
const Doc = z.discriminatedUnion('doc', [
  z.object({
    doc: z.literal('declaration'),
    at: When,
    actor: z.string(),
    containers: z.array(z.string()).default([]),
    eseal: z.string().optional(),
    bills: z.array(z.string()).min(1).default(['B1']),
  }),
  z.object({ doc: z.literal('release'), at: When, actor: z.string() }),
  z.object({ doc: z.literal('writeoff'), at: When, actor: z.string() }),
  z.object({
    doc: z.literal('gate'),
    at: When,
    actor: z.string(),
    site: z.string(),
    direction: z.enum(['in', 'out']),
    /** What the camera reads: another actor's name (its plate), or any other name (a forged plate). Default: the actor's plate. */
    plate: z.string().optional(),
    /** Containers read; default: those the actor's declaration lists. */
    containers: z.array(z.string()).optional(),
    /** The e-seal read; default: the declared one; null: none read. */
    eseal: z.string().nullable().optional(),
    format: z.enum(['xml', 'json']).default('xml'),
  }),
  z.object({
    doc: z.literal('goods'),
    at: When,
    site: z.string(),
    direction: z.enum(['in', 'out']),
    /** Whose goods: the records name this actor's declared containers and its declaration. */
    actor: z.string().optional(),
    /** Containers (symbolic) instead of, or without, an actor's. */
    containers: z.array(z.string()).optional(),
  }),
  z.object({ doc: z.literal('inspectionFlag'), at: When, actor: z.string(), reason: z.string().default('risk profile hit'), site: z.string().optional() }),
  z.object({
    doc: z.literal('inspectionResult'),
    at: When,
    actor: z.string(),
    result: z.enum(['passed', 'issue', 'seal_replaced']),
    newSeal: z.string().optional(),
    format: z.enum(['xml', 'json']).default('xml'),
  }),
]);
export type DocSpec = z.infer<typeof Doc>;

export const ScenarioSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  label: z.string(),
  start: z.string().datetime(),
  endMin: z.number().positive().optional(),
  tickS: z.number().positive().default(10),
  sites: z
    .array(
      z.object({ code: z.string(), kind: z.enum(['port_terminal', 'bonded_zone', 'warehouse', 'inspection', 'border']), district: z.string().default('2200'), area: AreaSpec }),
    )
    .default([]),
  routes: z.array(z.object({ code: z.string(), from: z.string(), to: z.string(), corridorM: z.number().positive(), path: z.array(Pos).min(2) })).default([]),
  zones: z.array(z.object({ code: z.string(), kind: z.enum(['restricted', 'anchorage', 'bonded']).default('restricted'), area: AreaSpec })).default([]),
  /**
   * 核放单 passports for bonded zones (evaluate.ts stores them as the zone link would): from `at` on,
   * `actor` may cross `zone`'s boundary once in the direction `io` (in: enter, out: leave).
   */
  passports: z.array(z.object({ actor: z.string(), zone: z.string(), io: z.enum(['in', 'out']), at: When })).default([]),
  actors: z.record(z.string(), Actor),
  events: z.array(z.object({ at: When, kind: z.string(), actor: z.string(), site: z.string().optional() })).default([]),
  documents: z.array(Doc).default([]),
  expect: z.array(Expect),
  mustNot: z.array(z.enum(ALERT_TYPES)).default([]),
  finalStatus: z.record(z.string(), z.enum(['planned', 'in_transit', 'arrived', 'diverted', 'overdue'])).default({}),
  /** The status changes a consignment must go through, in order (and no others). */
  statuses: z.record(z.string(), z.array(z.enum(['planned', 'in_transit', 'arrived', 'diverted', 'overdue']))).default({}),
  /** The movement's status as stored at the end (documents move it: released, departed, arrived, written off). */
  movementStatus: z.record(z.string(), z.enum(['planned', 'in_transit', 'arrived', 'diverted', 'overdue', 'closed', 'cancelled'])).default({}),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

export interface GenFix {
  time: number;
  lon: number;
  lat: number;
  speed?: number;
  course?: number;
  alarm?: number;
}

/** A scenario made concrete: geometry resolved, fixes generated, times absolute (ms). */
export interface PreparedScenario {
  spec: Scenario;
  start: number;
  end: number;
  sites: { code: string; kind: string; district: string; ring: LonLat[] }[];
  routes: { code: string; from: string; to: string; corridorM: number; path: LonLat[] }[];
  zones: { code: string; kind: 'restricted' | 'anchorage' | 'bonded'; ring: LonLat[] }[];
  passports: { actor: string; zone: string; io: 'in' | 'out'; time: number }[];
  actors: { name: string; spec: ActorSpec; fixes: GenFix[] }[];
  events: { time: number; kind: string; actor: string; site?: string }[];
  /** In time order; times on whole seconds (gates write their pass times to the second). */
  documents: (DocSpec & { time: number })[];
  expect: { type: ExpectSpec['type']; actors: string[]; from: number; by: number; early: number; clearedBy?: number | false }[];
  /** Every mark (plan marks and ground truth), for reports. */
  marks: Map<string, number>;
}

const here = dirname(fileURLToPath(import.meta.url));
export const SCENARIO_DIR = join(here, 'scenarios');

export function loadScenarios(dir = SCENARIO_DIR): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const parsed = ScenarioSchema.safeParse(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      if (!parsed.success) throw new Error(`${f}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return parsed.data;
    });
}

export function prepare(spec: Scenario): PreparedScenario {
  const start = Date.parse(spec.start);
  const routes = new Map<string, { code: string; from: string; to: string; corridorM: number; path: LonLat[] }>();
  for (const r of WORLD.routes) routes.set(r.code, { code: r.code, from: r.from, to: r.to, corridorM: r.corridorM, path: r.path });
  const ownRoutes = spec.routes.map((r) => ({ ...r, path: r.path as LonLat[] }));
  for (const r of ownRoutes) routes.set(r.code, r);
  const paths = new Map<string, Path>();
  const pathOf = (code: string): Path => {
    let p = paths.get(code);
    if (!p) {
      const r = routes.get(code);
      if (!r) throw new Error(`${spec.name}: no route ${code}`);
      paths.set(code, (p = makePath(r.path)));
    }
    return p;
  };
  const ringOf = (a: AreaSpec): LonLat[] => {
    if ('ring' in a) return a.ring as LonLat[];
    if ('rect' in a) return rect(a.rect.center as LonLat, a.rect.lengthM, a.rect.widthM, a.rect.bearing);
    const p = pathOf(a.beside.route);
    const q = pointAt(p, a.beside.km * 1000);
    const c = offsetM(q.lon, q.lat, q.nx * a.beside.sideM, q.ny * a.beside.sideM);
    return rect(c, a.beside.lengthM, a.beside.widthM, q.bearing);
  };
  const sites = spec.sites.map((s) => ({ code: s.code, kind: s.kind, district: s.district, ring: ringOf(s.area) }));
  const siteRing = (code: string): LonLat[] => {
    const own = sites.find((s) => s.code === code);
    if (own) return own.ring;
    const w = WORLD.sites.find((s) => s.code === code);
    if (!w) throw new Error(`${spec.name}: no site ${code}`);
    return w.area;
  };
  const zones = spec.zones.map((z) => ({ code: z.code, kind: z.kind, ring: ringOf(z.area) }));

  const marks = new Map<string, number>();
  const setMark = (m: string, t: number) => {
    if (marks.has(m)) throw new Error(`${spec.name}: mark ${m} set twice`);
    marks.set(m, t);
  };
  const actors = Object.entries(spec.actors).map(([name, a]) => {
    // Ground truth from the noise-free track: when it enters and leaves each site it could meet,
    // and when it leaves its corridor and comes back within 80 % of it.
    const codes = new Set<string>([...WORLD.sites.map((x) => x.code), ...sites.map((x) => x.code)]);
    const rings = zones.map((z) => ({ code: z.code, ring: z.ring }));
    const c = a.consignment;
    let corridor: { path: Path; halfM: number } | undefined;
    if (c) {
      const r = routes.get(c.route)!;
      codes.add(c.origin ?? r.from).add(c.dest ?? r.to);
      corridor = { path: pathOf(c.route), halfM: r.corridorM };
    }
    for (const step of a.plan) if ('goto' in step && step.goto.site) codes.add(step.goto.site);
    const withBox = (x: { code: string; ring: LonLat[] }): { code: string; ring: LonLat[]; box: Box } => ({
      ...x,
      box: [Math.min(...x.ring.map((q) => q[0])), Math.min(...x.ring.map((q) => q[1])), Math.max(...x.ring.map((q) => q[0])), Math.max(...x.ring.map((q) => q[1]))],
    });
    const truth = { sites: [...[...codes].map((code) => ({ code, ring: siteRing(code) })), ...rings].map(withBox), corridor };
    return { name, spec: a, fixes: generate(name, a, start, pathOf, siteRing, setMark, truth) };
  });
  const at = (w: When): number => {
    if (typeof w === 'number') return start + w * 60_000;
    const m = marks.get(w.mark);
    if (m === undefined) throw new Error(`${spec.name}: no mark ${w.mark}`);
    return m + w.plusMin * 60_000;
  };
  // The scenario ends at endMin (fixes after it are dropped) or a minute after the last fix.
  const lastFix = Math.max(...actors.map((a) => a.fixes[a.fixes.length - 1]?.time ?? start));
  const end = spec.endMin !== undefined ? start + spec.endMin * 60_000 : lastFix + 60_000;
  for (const a of actors) a.fixes = a.fixes.filter((f) => f.time <= end);
  return {
    spec,
    start,
    end,
    sites,
    routes: ownRoutes,
    zones,
    actors,
    events: spec.events.map((e) => ({ time: at(e.at), kind: e.kind, actor: e.actor, site: e.site })),
    passports: spec.passports.map((p) => ({ actor: p.actor, zone: p.zone, io: p.io, time: at(p.at) })),
    documents: spec.documents.map((d) => ({ ...d, time: Math.round(at(d.at) / 1000) * 1000 })).sort((x, y) => x.time - y.time),
    expect: spec.expect.map((e) => ({
      type: e.type,
      actors: e.actors ?? [e.site !== undefined ? `@${e.site}` : (e.actor ?? Object.keys(spec.actors)[0]!)],
      from: at(e.from),
      by: at(e.by),
      early: e.earlyMin * 60_000,
      clearedBy: e.clearedBy === false ? false : e.clearedBy === undefined ? undefined : at(e.clearedBy),
    })),
    marks,
  };
}

/** Simulates an actor second by second along its plan, then samples fixes with noise, gaps, jumps and alarms. */
function generate(
  name: string,
  a: ActorSpec,
  scenarioStart: number,
  pathOf: (code: string) => Path,
  siteRing: (code: string) => LonLat[],
  mark: (name: string, time: number) => void,
  truth: { sites: { code: string; ring: LonLat[]; box: Box }[]; corridor?: { path: Path; halfM: number } },
): GenFix[] {
  const t0 = scenarioStart + a.startMin * 60_000;
  const lon: number[] = [],
    lat: number[] = [],
    spd: number[] = [],
    crs: number[] = [];
  const routeCode = a.start && 'route' in a.start ? a.start.route : a.consignment?.route;
  let path = routeCode ? pathOf(routeCode) : undefined;
  let s = a.start && 'route' in a.start ? a.start.km * 1000 : 0;
  let off = 0;
  let pos: LonLat;
  if (a.start && 'at' in a.start) pos = a.start.at as LonLat;
  else if (path) {
    const q = pointAt(path, s);
    pos = [q.lon, q.lat];
  } else throw new Error(`actor ${name}: give a start or a consignment route`);
  let course = 0;
  const push = (kmh: number) => {
    lon.push(pos[0]);
    lat.push(pos[1]);
    spd.push(kmh);
    crs.push(course);
  };
  const onRoute = (sNew: number, offNew: number) => {
    const q = pointAt(path!, sNew);
    const p: LonLat = offsetM(q.lon, q.lat, q.nx * offNew, q.ny * offNew);
    if (p[0] !== pos[0] || p[1] !== pos[1]) course = bearingDeg(pos, p);
    pos = p;
  };
  const straight = (to: LonLat, mps: number, kmh: number) => {
    for (let guard = 0; guard < 86_400; guard++) {
      const d = distanceM(pos, to);
      if (d <= mps) {
        if (d > 0) course = bearingDeg(pos, to);
        pos = to;
        push(kmh);
        return;
      }
      course = bearingDeg(pos, to);
      pos = destination(pos, course, mps);
      push(kmh);
    }
  };
  push(0);
  for (const step of a.plan as Step[]) {
    if ('mark' in step) mark(step.mark, t0 + (lon.length - 1) * 1000);
    else if ('dwell' in step) {
      const n = Math.round(step.dwell.min * 60);
      const mps = step.dwell.speedKmh / 3.6;
      for (let i = 0; i < n; i++) {
        if (mps > 0 && path) {
          s = Math.min(path.length, s + mps);
          onRoute(s, off);
        }
        push(step.dwell.speedKmh);
      }
    } else if ('drive' in step || 'driveToEnd' in step) {
      if (!path) throw new Error(`actor ${name}: drive needs a route`);
      const d = 'drive' in step ? step.drive : { ...step.driveToEnd, km: undefined, toKm: undefined, min: undefined };
      const mps = d.kmh / 3.6;
      const sEnd = d.toKm !== undefined ? d.toKm * 1000 : d.km !== undefined ? s + d.km * 1000 : d.min !== undefined ? s + mps * d.min * 60 : path.length;
      const target = Math.min(path.length, sEnd);
      const [o0, o1] = Array.isArray(d.offsetM) ? d.offsetM : [off, d.offsetM];
      // Forward, or back along the route when the target lies behind.
      const sStart = s;
      const dir = target >= s ? 1 : -1;
      const span = Math.max(1, Math.abs(target - sStart));
      while (dir * (target - s) > 1e-6) {
        s = dir > 0 ? Math.min(target, s + mps) : Math.max(target, s - mps);
        off = o0 + ((o1 - o0) * Math.abs(s - sStart)) / span;
        onRoute(s, off);
        push(d.kmh);
      }
      off = o1;
    } else if ('goto' in step) {
      const to = step.goto.to ? (step.goto.to as LonLat) : ringCentre(siteRing(step.goto.site!));
      straight(to, step.goto.kmh / 3.6, step.goto.kmh);
    } else if ('rejoin' in step) {
      if (!path) throw new Error(`actor ${name}: rejoin needs a route`);
      const n = nearestOnPath(path, pos);
      s = n.along;
      off = 0;
      const q = pointAt(path, s);
      straight([q.lon, q.lat], step.rejoin.kmh / 3.6, step.rejoin.kmh);
    } else if ('sail' in step) {
      path = undefined;
      straight(step.sail.to as LonLat, kmhToMs(knotsToKmh(step.sail.kn)), knotsToKmh(step.sail.kn));
    } else if ('drift' in step) {
      path = undefined;
      const mps = kmhToMs(knotsToKmh(step.drift.kn));
      course = step.drift.bearing;
      for (let i = 0, n = Math.round(step.drift.min * 60); i < n; i++) {
        if (mps > 0) pos = destination(pos, step.drift.bearing, mps);
        push(knotsToKmh(step.drift.kn));
      }
    }
  }

  // Ground-truth marks: `<actor>.enter.<site>`, `<actor>.leave.<site>`, `<actor>.out`, `<actor>.in80`
  // (a second occurrence gets `.2`, and so on).
  const count = new Map<string, number>();
  const truthMark = (m: string, sec: number) => {
    const k = (count.get(m) ?? 0) + 1;
    count.set(m, k);
    mark(k === 1 ? `${name}.${m}` : `${name}.${m}.${k}`, t0 + sec * 1000);
  };
  const inside = truth.sites.map(() => false);
  let out = false;
  for (let sec = 0; sec < lon.length; sec++) {
    const p: LonLat = [lon[sec]!, lat[sec]!];
    truth.sites.forEach((site, i) => {
      const b = site.box;
      const now = p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3] && pointInRing(p, site.ring);
      if (now !== inside[i]) {
        if (now || sec > 0) truthMark(`${now ? 'enter' : 'leave'}.${site.code}`, sec);
        inside[i] = now;
      }
    });
    if (truth.corridor) {
      const d = nearestOnPath(truth.corridor.path, p).distance;
      if (!out && d > truth.corridor.halfM) {
        out = true;
        truthMark('out', sec);
      } else if (out && d <= 0.8 * truth.corridor.halfM) {
        out = false;
        truthMark('in80', sec);
      }
    }
  }

  const rng = new Rng(a.seed);
  const fixes: GenFix[] = [];
  const gapShift = a.startMin * 60; // gaps, jumps and alarms are in scenario minutes
  const jumpAt = new Map(a.jumps.map((j) => [Math.round((j.atMin * 60 - gapShift - a.phaseS) / a.intervalS) * a.intervalS + a.phaseS, j.m]));
  for (let sec = a.phaseS; sec < lon.length; sec += a.intervalS) {
    const scen = sec + gapShift;
    if (a.gaps.some((g) => scen >= g.fromMin * 60 && scen < (g.fromMin + g.min) * 60)) continue;
    let p: LonLat = [lon[sec]!, lat[sec]!];
    if (a.noiseM > 0) {
      const r = a.noiseM * Math.sqrt(rng.next());
      const th = rng.next() * 2 * Math.PI;
      p = offsetM(p[0], p[1], r * Math.cos(th), r * Math.sin(th));
    }
    const jump = jumpAt.get(sec);
    if (jump) p = destination(p, (crs[sec]! + 90) % 360, jump);
    const alarm = a.alarms.length ? (a.alarms.find((al) => scen >= al.fromMin * 60 && scen < (al.fromMin + al.min) * 60)?.bits ?? 0) : undefined;
    fixes.push({
      time: t0 + sec * 1000,
      lon: round7(p[0]),
      lat: round7(p[1]),
      ...(a.reportSpeed ? { speed: Math.round(spd[sec]! * 10) / 10 } : {}),
      course: (Math.round(crs[sec]! * 10) / 10) % 360,
      ...(alarm !== undefined ? { alarm } : {}),
    });
  }
  return fixes;
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

function ringCentre(ring: readonly LonLat[]): LonLat {
  const n = ring.length - 1;
  let x = 0,
    y = 0;
  for (let i = 0; i < n; i++) {
    x += ring[i]![0];
    y += ring[i]![1];
  }
  return [x / n, y / n];
}
