// An id from a route handler's path (`/api/consignments/{id}`): the one check every [id] route uses.
import { ID_RULE, idOrUndefined } from '@/lib/params';
import { ApiError } from './api';

/** `raw` as an id (lib/params.ts), else 400 naming the parameter. */
export function parseId(raw: string, name = 'id'): number {
  const id = idOrUndefined(raw);
  if (id === undefined) throw new ApiError(400, `${name}: ${ID_RULE}`);
  return id;
}
