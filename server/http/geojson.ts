// GeoJSON geometry validation at the edge: RFC 7946 positions, closed rings, OGC-valid polygons
// (lib/polygonValidity.ts) and stated sizes, each refusal with its reason. The sites table holds
// the same rule as a CHECK constraint behind it (db/migrations/1700000001300_site_area_valid.sql).
import { z } from 'zod';
import { polygonProblem } from '@/lib/polygonValidity';

/**
 * Positions per polygon, all rings together. Sites are drawn or imported outlines (a port
 * terminal from OpenStreetMap has a few hundred); the limit also bounds the validity check,
 * whose worst case grows with the square of the count (about 20 ms at this limit).
 */
export const MAX_POLYGON_VERTICES = 2_000;
export const MAX_POLYGON_RINGS = 50;
export const MAX_LINESTRING_VERTICES = 20_000;

type Position2 = [number, number];

/** Why `p` is not [lon, lat] or [lon, lat, altitude] within range, or null. */
function positionProblem(p: unknown): string | null {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3) return 'a position is [lon, lat] or [lon, lat, altitude]';
  if (!p.every((c) => typeof c === 'number' && Number.isFinite(c))) return 'a coordinate must be a finite number';
  if (p[0] < -180 || p[0] > 180) return 'longitude must be within -180..180';
  if (p[1] < -90 || p[1] > 90) return 'latitude must be within -90..90';
  return null;
}

/**
 * A list of positions, kept as [lon, lat] (the columns are 2D). One function per list rather than
 * a zod schema per position: a route may carry 20,000 of them.
 */
function positions(min: number, max: number, tooFew: string, tooMany: string) {
  // What the document says of the list (the check itself is the function below).
  const documented = { type: 'array', minItems: min, maxItems: max, items: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 3 } } as const;
  return z
    .unknown()
    .meta({ override: documented })
    .transform((list, ctx): Position2[] => {
      const fail = (message: string, path: (string | number)[] = []) => {
        ctx.addIssue({ code: 'custom', message, path });
        return z.NEVER;
      };
      if (!Array.isArray(list)) return fail('a list of positions');
      if (list.length < min) return fail(tooFew);
      if (list.length > max) return fail(tooMany);
      const out: Position2[] = new Array(list.length);
      for (let i = 0; i < list.length; i++) {
        const problem = positionProblem(list[i]);
        if (problem) return fail(problem, [i]);
        out[i] = [list[i][0], list[i][1]];
      }
      return out;
    });
}

export const LineStringSchema = z
  .object({
    type: z.literal('LineString'),
    coordinates: positions(2, MAX_LINESTRING_VERTICES, 'a LineString needs at least 2 positions', `a LineString may have at most ${MAX_LINESTRING_VERTICES} positions`),
  })
  .refine((g) => g.coordinates.some((p) => p[0] !== g.coordinates[0]![0] || p[1] !== g.coordinates[0]![1]), 'a LineString needs two distinct positions');

const Ring = positions(
  4,
  MAX_POLYGON_VERTICES,
  'a ring needs at least 4 positions (3 corners and the first again)',
  `a polygon may have at most ${MAX_POLYGON_VERTICES} positions`,
).refine((ring) => ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1], 'a ring must be closed (its last position equal to its first)');

/** A ring that passed the checks above (zod goes on to the polygon's check even when one failed). */
const wellFormedRing = (ring: unknown): boolean =>
  Array.isArray(ring) &&
  ring.length >= 4 &&
  ring.every((p) => Array.isArray(p) && p.length === 2 && p.every(Number.isFinite)) &&
  ring[0][0] === ring.at(-1)[0] &&
  ring[0][1] === ring.at(-1)[1];

export const PolygonSchema = z
  .object({
    type: z.literal('Polygon'),
    coordinates: z.array(Ring).min(1, 'a polygon needs an outer ring').max(MAX_POLYGON_RINGS, `a polygon may have at most ${MAX_POLYGON_RINGS} rings`),
  })
  .superRefine((g, ctx) => {
    if (!g.coordinates.every(wellFormedRing)) return;
    const problem = polygonProblem(g.coordinates, { maxVertices: MAX_POLYGON_VERTICES });
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['coordinates'] });
  });

// Responses: GeoJSON as the server writes it (ST_AsGeoJSON), for the OpenAPI document and send().
const Position = z.array(z.number()).min(2).max(3);
export const GeometryOut = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('Point'), coordinates: Position }),
    z.object({ type: z.literal('LineString'), coordinates: z.array(Position) }),
    z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position))) }),
  ])
  .meta({ id: 'Geometry' });
export const PolygonOut = z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)) });
export const LineStringOut = z.object({ type: z.literal('LineString'), coordinates: z.array(Position) });

/** A GeoJSON Feature with `geometry` and `properties` as given (the id is the row's). */
export const FeatureOut = <G extends z.ZodType, P extends z.ZodType>(geometry: G, properties: P) =>
  z.object({ type: z.literal('Feature'), id: z.union([z.number().int(), z.string()]).optional(), geometry, properties });
export const FeatureCollectionOut = <F extends z.ZodType>(feature: F) => z.object({ type: z.literal('FeatureCollection'), features: z.array(feature) });
