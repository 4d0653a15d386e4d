// What a movement (consignment) is to the running server: the parts of its row that the rules,
// the live scope and the alert districts need. Open movements are held; ended ones are not.
import type { ConsignmentStatus } from '../../lib/domain';
import type { WatchedConsignment } from '../rules/types';

export const OPEN_STATUSES = ['planned', 'in_transit', 'overdue', 'diverted'] as const satisfies readonly ConsignmentStatus[];
/** A movement in one of these has ended: it leaves the index, the live scope and the rules. */
export const TERMINAL_STATUSES = ['arrived', 'closed', 'cancelled'] as const satisfies readonly ConsignmentStatus[];

export const isOpenStatus = (s: string): boolean => (OPEN_STATUSES as readonly string[]).includes(s);

/** An open movement: what the rules engine watches, plus the districts it touches (stored on save). */
export interface OpenMovement extends WatchedConsignment {
  districts: string[];
}

/** SQL columns that make an OpenMovement of a `consignments` row aliased `c` (times in ms). */
export const MOVEMENT_COLUMNS = `
  c.id, c.reference, c.asset_id AS "assetId", c.route_id AS "routeId", c.origin_site AS "originSiteId", c.dest_site AS "destSiteId",
  (extract(epoch FROM c.departure) * 1000)::float8 AS departure, (extract(epoch FROM c.deadline) * 1000)::float8 AS deadline,
  c.status, c.districts`;
