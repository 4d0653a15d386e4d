// The one loader of open movements (at start, and again after a restart): the index, the rules'
// watch list and the live scopes are all filled from what this returns.
import type { Queryable } from '../ledger/ledger';
import { MOVEMENT_COLUMNS, OPEN_STATUSES, type OpenMovement } from './movement';

export async function loadOpenMovements(db: Queryable): Promise<OpenMovement[]> {
  const { rows } = await db.query<OpenMovement>(`SELECT ${MOVEMENT_COLUMNS} FROM consignments c WHERE c.status = ANY($1::text[]) ORDER BY c.departure, c.id`, [OPEN_STATUSES]);
  return rows;
}
