// bench/geofence: fixes checked per second by the geofence engine with 10,000 active consignments
// (synthetic routes of 20–200 km across the Yangtze delta, corridors 300–1000 m) and 2,000 sites,
// against (a) a naive loop of turf calls over every corridor and site, and (b) one PostGIS query per
// fix (ST_DWithin on geography, index-assisted) on the same data, in the same run. Prints one JSON line.
//
// "A fix checked" = the distance to its own consignment's corridor, the sites it is in and the zones
// it is in (what the rules need per fix). The baselines answer the same question the naive way: every
// corridor the fix is in (which includes its own) and every site it is in; the engine's
// corridorsAt() answers exactly that too and is timed as well. Results are compared between all three.
//
// DATABASE_URL names a PostGIS server (a scratch database is made on it); without it, the embedded
// PostGIS is used. BENCH_ROUTES, BENCH_SITES, BENCH_FIXES, BENCH_TURF_FIXES, BENCH_PG_FIXES override sizes.
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { lineString, polygon } from '@turf/helpers';
import { pointToLineDistance } from '@turf/point-to-line-distance';
import type { LonLat } from '../lib/domain';
import { benchPostgis } from './postgis';
import { freshDatabase } from '../db/testing';
import { GeofenceIndex } from '../server/geofence/index';
import { loadGeofences } from '../server/geofence/loader';
import { RulesEngine } from '../server/rules/engine';
import { Rng } from '../server/sim/random';

const ROUTES = Number(process.env.BENCH_ROUTES ?? 10_000);
const SITES = Number(process.env.BENCH_SITES ?? 2_000);
const FIXES = Number(process.env.BENCH_FIXES ?? 300_000);
const TURF_FIXES = Number(process.env.BENCH_TURF_FIXES ?? 20); // ~4 s each at 10,000 routes
const PG_FIXES = Number(process.env.BENCH_PG_FIXES ?? 2_000);
const BOX = { minLon: 119.3, maxLon: 122.0, minLat: 30.0, maxLat: 32.4 }; // the Yangtze delta

const M_LAT = 111_195;
const mLon = (lat: number) => M_LAT * Math.cos((lat * Math.PI) / 180);
const rng = new Rng(20260302);

interface R {
  id: number;
  path: LonLat[];
  corridorM: number;
  cum: number[];
}
interface S {
  id: number;
  ring: LonLat[];
}

/** A route 20–200 km long that wanders like a road, a vertex every 0.5–2 km, kept in the box. */
function makeRoute(id: number): R {
  const length = rng.float(20_000, 200_000);
  let lon = rng.float(BOX.minLon + 0.2, BOX.maxLon - 0.2),
    lat = rng.float(BOX.minLat + 0.2, BOX.maxLat - 0.2);
  let heading = rng.float(0, 360);
  const path: LonLat[] = [[lon, lat]];
  const cum = [0];
  let s = 0;
  while (s < length) {
    const d = rng.float(500, 2000);
    heading += rng.float(-25, 25);
    let nx = lon + (d * Math.sin((heading * Math.PI) / 180)) / mLon(lat);
    let ny = lat + (d * Math.cos((heading * Math.PI) / 180)) / M_LAT;
    if (nx < BOX.minLon || nx > BOX.maxLon || ny < BOX.minLat || ny > BOX.maxLat) {
      heading += 180;
      nx = lon + (d * Math.sin((heading * Math.PI) / 180)) / mLon(lat);
      ny = lat + (d * Math.cos((heading * Math.PI) / 180)) / M_LAT;
    }
    lon = nx;
    lat = ny;
    path.push([lon, lat]);
    s += d;
    cum.push(s);
  }
  return { id, path, corridorM: Math.round(rng.float(300, 1000)), cum };
}

/** A rotated rectangle of 200–1500 m a side. */
function makeSite(id: number): S {
  const c: LonLat = [rng.float(BOX.minLon, BOX.maxLon), rng.float(BOX.minLat, BOX.maxLat)];
  const l = rng.float(200, 1500) / 2,
    w = rng.float(200, 1500) / 2,
    b = rng.float(0, Math.PI);
  const corner = (u: number, v: number): LonLat => [c[0] + (u * Math.cos(b) - v * Math.sin(b)) / mLon(c[1]), c[1] + (u * Math.sin(b) + v * Math.cos(b)) / M_LAT];
  const ring = [corner(-l, -w), corner(l, -w), corner(l, w), corner(-l, w)];
  return { id, ring: [...ring, ring[0]!] };
}

/** A point `s` metres along a route, moved `side` metres east-ish (a lateral offset good enough for a bench). */
function along(r: R, s: number, side: number): LonLat {
  let i = 1;
  while (i < r.cum.length - 1 && r.cum[i]! < s) i++;
  const f = Math.min(1, Math.max(0, (s - r.cum[i - 1]!) / (r.cum[i]! - r.cum[i - 1]!)));
  const a = r.path[i - 1]!,
    b = r.path[i]!;
  const lon = a[0] + f * (b[0] - a[0]),
    lat = a[1] + f * (b[1] - a[1]);
  // perpendicular to the segment
  const dx = (b[0] - a[0]) * mLon(lat),
    dy = (b[1] - a[1]) * M_LAT,
    len = Math.hypot(dx, dy) || 1;
  return [lon + ((dy / len) * side) / mLon(lat), lat + ((-dx / len) * side) / M_LAT];
}

async function main() {
  const postgis = await benchPostgis();
  const routes = Array.from({ length: ROUTES }, (_, i) => makeRoute(i + 1));
  const sites = Array.from({ length: SITES }, (_, i) => makeSite(i + 1));
  const segments = routes.reduce((n, r) => n + r.path.length - 1, 0);

  // The same data into PostGIS.
  const db = await freshDatabase();
  const pool = db.pool;
  await pool.query(`INSERT INTO districts (code, name_zh, name_en, level, parent, area)
    VALUES ('0000', '总署', 'HQ', 'hq', NULL, ST_Multi(ST_MakeEnvelope(110, 20, 130, 40, 4326)))`);
  for (let i = 0; i < sites.length; i += 1000) {
    const part = sites.slice(i, i + 1000);
    await pool.query(
      `INSERT INTO sites (id, code, name_zh, name_en, kind, district, area)
       SELECT u.id, 'B' || u.id, 'B' || u.id, 'B' || u.id, 'warehouse', '0000', ST_SetSRID(ST_GeomFromGeoJSON(u.g), 4326)
       FROM unnest($1::int[], $2::text[]) AS u(id, g)`,
      [part.map((s) => s.id), part.map((s) => JSON.stringify({ type: 'Polygon', coordinates: [s.ring] }))],
    );
  }
  for (let i = 0; i < routes.length; i += 500) {
    const part = routes.slice(i, i + 500);
    // The corridor polygon is not used by the queries here: a planar buffer keeps the load quick.
    await pool.query(
      `INSERT INTO routes (id, code, name_zh, name_en, from_site, to_site, corridor_m, path, corridor)
       SELECT u.id, 'BR' || u.id, 'BR' || u.id, 'BR' || u.id, 1, 2, u.c, p.g, ST_Buffer(p.g, u.c / 100000.0)
       FROM unnest($1::int[], $2::float8[], $3::text[]) AS u(id, c, g), LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(u.g), 4326) AS g) p`,
      [part.map((r) => r.id), part.map((r) => r.corridorM), part.map((r) => JSON.stringify({ type: 'LineString', coordinates: r.path }))],
    );
  }
  await pool.query('ANALYZE routes; ANALYZE sites');

  // The engine's index, loaded the way the server loads it.
  let t = performance.now();
  const { index: geo } = await loadGeofences(pool);
  const loadMs = performance.now() - t;
  t = performance.now();
  const built = new GeofenceIndex();
  for (const r of routes) built.upsertRoute({ id: r.id, path: r.path, corridorM: r.corridorM });
  for (const s of sites) built.upsertSite({ id: s.id, code: `B${s.id}`, kind: 'warehouse', area: s.ring });
  const buildMs = performance.now() - t;
  for (let z = 0; z < 50; z++) geo.upsertZone({ id: z + 1, kind: 'restricted', area: makeSite(100_000 + z).ring });

  // Fixes: on a random consignment's route, up to 1.5 corridor widths off it; 2 % inside a site.
  const fixes = Array.from({ length: Math.max(FIXES, PG_FIXES, TURF_FIXES) }, () => {
    if (rng.chance(0.02)) {
      const s = sites[rng.int(0, sites.length - 1)]!;
      const c = s.ring[0]!,
        d = s.ring[2]!;
      return { route: routes[rng.int(0, routes.length - 1)]!.id, p: [(c[0] + d[0]) / 2, (c[1] + d[1]) / 2] as LonLat };
    }
    const r = routes[rng.int(0, routes.length - 1)]!;
    return { route: r.id, p: along(r, rng.float(0, r.cum[r.cum.length - 1]!), rng.float(-1.5, 1.5) * r.corridorM) };
  });

  // (engine) own corridor + sites + zones per fix.
  let sink = 0;
  const runEngine = (n: number) => {
    for (let i = 0; i < n; i++) {
      const f = fixes[i]!;
      const d = geo.distanceToRoute(f.route, f.p[0], f.p[1])!;
      sink += d.metres + geo.sitesAt(f.p[0], f.p[1]).length + geo.zonesAt(f.p[0], f.p[1]).length;
    }
  };
  runEngine(20_000); // warm up
  t = performance.now();
  runEngine(FIXES);
  const engineRate = FIXES / ((performance.now() - t) / 1000);

  // (engine) every corridor and site the fix is in: the baselines' question.
  const engineAnswer = (p: LonLat) => ({
    corridors: geo.corridorsAt(p[0], p[1]).sort((a, b) => a - b),
    sites: geo
      .sitesAt(p[0], p[1])
      .map((s) => s.id)
      .sort((a, b) => a - b),
  });
  for (let i = 0; i < 20_000; i++) engineAnswer(fixes[i]!.p);
  t = performance.now();
  for (let i = 0; i < FIXES; i++) sink += engineAnswer(fixes[i]!.p).corridors.length;
  const corridorsRate = FIXES / ((performance.now() - t) / 1000);

  // (a) naive turf: pointToLineDistance against every route, booleanPointInPolygon against every site.
  const lines = routes.map((r) => ({ id: r.id, c: r.corridorM, line: lineString(r.path) }));
  const polys = sites.map((s) => ({ id: s.id, poly: polygon([s.ring]) }));
  let turfDisagree = 0;
  t = performance.now();
  for (let i = 0; i < TURF_FIXES; i++) {
    const p = fixes[i]!.p;
    const corridors = lines.filter((l) => pointToLineDistance(p, l.line, { units: 'meters' }) <= l.c).map((l) => l.id);
    const inSites = polys.filter((s) => booleanPointInPolygon(p, s.poly)).map((s) => s.id);
    const mine = engineAnswer(p);
    if (corridors.join() !== mine.corridors.join() || inSites.join() !== mine.sites.join()) turfDisagree++;
  }
  const turfRate = TURF_FIXES / ((performance.now() - t) / 1000);

  // (b) PostGIS: one query per fix (geometry box prefilter on the GiST index, then geography ST_DWithin).
  const SQL = `
    WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g)
    SELECT (SELECT ST_Distance(r.path::geography, p.g::geography) FROM routes r WHERE r.id = $3) AS own,
           (SELECT coalesce(array_agg(r.id ORDER BY r.id), '{}') FROM routes r
             WHERE r.path && ST_Expand(p.g, 0.012) AND ST_DWithin(r.path::geography, p.g::geography, r.corridor_m)) AS corridors,
           (SELECT coalesce(array_agg(s.id ORDER BY s.id), '{}') FROM sites s WHERE ST_Intersects(s.area, p.g)) AS sites
    FROM p`;
  for (let i = 0; i < 50; i++) await pool.query(SQL, [fixes[i]!.p[0], fixes[i]!.p[1], fixes[i]!.route]);
  let pgDisagree = 0,
    pgEdgeOnly = 0,
    ownWorst = 0; // own distance: |engine − PostGIS| beyond the sphere/spheroid 0.5 %
  t = performance.now();
  const pgRows: { own: number; corridors: number[]; sites: number[] }[] = [];
  for (let i = 0; i < PG_FIXES; i++) {
    const f = fixes[i]!;
    const { rows } = await pool.query(SQL, [f.p[0], f.p[1], f.route]);
    pgRows.push(rows[0]);
  }
  const pgRate = PG_FIXES / ((performance.now() - t) / 1000);
  pgRows.forEach((row, i) => {
    const f = fixes[i]!;
    const mine = engineAnswer(f.p);
    const own = geo.distanceToRoute(f.route, f.p[0], f.p[1])!.metres;
    ownWorst = Math.max(ownWorst, Math.abs(own - row.own) - 0.005 * row.own);
    if (row.corridors.join() !== mine.corridors.join() || row.sites.join() !== mine.sites.join()) {
      pgDisagree++;
      // Geography measures on the spheroid, the engine on the mean sphere (≤ 0.5 % apart):
      // a disagreement is explained when the fix is that close to the corridor's edge.
      const diff = [...row.corridors.filter((id) => !mine.corridors.includes(id)), ...mine.corridors.filter((id) => !row.corridors.includes(id))];
      if (
        row.sites.join() === mine.sites.join() &&
        diff.every((id) => {
          const d = geo.distanceToRoute(id, f.p[0], f.p[1])!.metres;
          const c = geo.route(id)!.corridorM;
          return Math.abs(d - c) <= 0.005 * c;
        })
      )
        pgEdgeOnly++;
    }
  });

  // The whole rules engine: 10,000 watched consignments, carriers reporting every 10 s along their routes.
  const engine = new RulesEngine(geo);
  const T0 = Date.UTC(2026, 2, 2);
  for (const r of routes) {
    engine.watch({
      id: r.id,
      reference: `C${r.id}`,
      assetId: r.id,
      routeId: r.id,
      originSiteId: -1,
      destSiteId: -2,
      departure: T0,
      deadline: T0 + 86_400_000,
      status: 'in_transit',
      expectedIntervalS: 10,
    });
  }
  const start = routes.map((r) => rng.float(0, r.cum[r.cum.length - 1]! * 0.5));
  const rounds = Math.max(3, Math.round(FIXES / ROUTES / 2));
  const feed: { id: number; time: number; lon: number; lat: number; speed: number }[] = [];
  for (let k = 0; k < rounds; k++) {
    routes.forEach((r, i) => {
      const p = along(r, start[i]! + k * 200, rng.float(-50, 50));
      feed.push({ id: r.id, time: T0 + k * 10_000 + i, lon: p[0], lat: p[1], speed: 72 });
    });
  }
  let events = 0;
  const warm = Math.min(feed.length - ROUTES, 2 * ROUTES); // the first two rounds warm up the JIT, untimed
  let timed = 0;
  for (let i = 0; i < feed.length; i++) {
    if (i === warm) t = performance.now();
    const f = feed[i]!;
    events += engine.onFix({ id: f.id, kind: 'vehicle' }, f).length;
    if (i % ROUTES === ROUTES - 1) events += engine.tick(f.time).length; // and a tick per round
    if (i >= warm) timed++;
  }
  const rulesRate = timed / ((performance.now() - t) / 1000);
  t = performance.now();
  const state = JSON.stringify(engine.exportState());
  const exportMs = performance.now() - t;

  // Per-operation cost of the exact tests, ours against turf's.
  const opRate = (n: number, fn: (i: number) => void) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    return n / ((performance.now() - t0) / 1000);
  };
  const OPS = Math.min(20_000, fixes.length);
  const ownLines = fixes.slice(0, OPS).map((f) => lineString(routes[f.route - 1]!.path));
  const turfOwnRate = opRate(OPS, (i) => (sink += pointToLineDistance(fixes[i]!.p, ownLines[i]!, { units: 'meters' })));
  const ourOwnRate = opRate(OPS, (i) => (sink += geo.distanceToRoute(fixes[i]!.route, fixes[i]!.p[0], fixes[i]!.p[1])!.metres));
  const turfPipRate = opRate(200_000, (i) => (sink += booleanPointInPolygon(fixes[i % fixes.length]!.p, polys[i % polys.length]!.poly) ? 1 : 0));
  const ourPipRate = opRate(200_000, (i) => (sink += geo.inSite(sites[i % sites.length]!.id, fixes[i % fixes.length]!.p[0], fixes[i % fixes.length]!.p[1]) ? 1 : 0));

  const r0 = (x: number) => Math.round(x);
  console.log(
    JSON.stringify({
      bench: 'geofence',
      database: postgis.database,
      routes: ROUTES,
      sites: SITES,
      segments,
      zones: 50,
      index: { loadFromPostgisMs: r0(loadMs), buildMs: r0(buildMs), ...geo.stats() },
      engineFixesPerSec: r0(engineRate),
      engineCorridorsAtPerSec: r0(corridorsRate),
      rulesEngineFixesPerSec: r0(rulesRate),
      rulesEvents: events,
      stateExport: { bytes: state.length, ms: r0(exportMs) },
      naiveTurf: { fixes: TURF_FIXES, fixesPerSec: Math.round(turfRate * 10) / 10, disagreements: turfDisagree },
      postgis: {
        fixes: PG_FIXES,
        fixesPerSec: r0(pgRate),
        disagreements: pgDisagree,
        explainedByEdge: pgEdgeOnly,
        ownDistanceBeyondSpheroidM: Number(Math.max(0, ownWorst).toFixed(3)),
      },
      speedup: { vsNaiveTurf: r0(engineRate / turfRate), vsPostgis: r0(engineRate / pgRate) },
      perOp: {
        ownRouteDistance: { engine: r0(ourOwnRate), turf: r0(turfOwnRate) },
        pointInPolygon: { engine: r0(ourPipRate), turf: r0(turfPipRate) },
      },
      goal: { fixesPerSec: 100_000, met: engineRate >= 100_000 && rulesRate >= 100_000 },
      checksum: Math.round(sink) % 1000,
    }),
  );
  await db.drop();
  await postgis.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
