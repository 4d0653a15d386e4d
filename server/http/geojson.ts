// GeoJSON geometry validation at the edge (RFC 7946 positions, closed rings, sane sizes).
import { z } from 'zod';
import * as turf from '@turf/turf';

const Position = z.tuple([z.number().finite().gte(-180).lte(180), z.number().finite().gte(-90).lte(90)]).rest(z.number().finite());

export const LineStringSchema = z
  .object({ type: z.literal('LineString'), coordinates: z.array(Position).min(2, 'a LineString needs at least 2 positions').max(20_000) })
  .refine((g) => g.coordinates.some((p, i) => i > 0 && (p[0] !== g.coordinates[0]![0] || p[1] !== g.coordinates[0]![1])), 'a LineString needs two distinct positions');

export const PolygonSchema = z
  .object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position).min(4, 'a ring needs at least 4 positions').max(20_000)).min(1).max(50) })
  .refine((g) => g.coordinates.every((ring) => ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1]), 'every ring must be closed (first position = last)')
  .refine((g) => turf.kinks(turf.polygon(g.coordinates as number[][][])).features.length === 0, 'the polygon intersects itself');
