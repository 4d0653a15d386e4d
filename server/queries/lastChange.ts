// "Who changed it, when": the newest audit record of an object, for the admin lists. A lateral
// subquery on audit_log by (entity, entity_id); the entity id is stored as text.
/** SQL for `LEFT JOIN LATERAL (${LAST_CHANGE('route', 'r.code')}) ch ON true`, giving ch.username and ch.at (served by the audit_log_entity index). */
export function LAST_CHANGE(entity: string, idExpr: string): string {
  if (!/^[a-z_]+$/.test(entity)) throw new Error(`entity name ${entity}`);
  return `SELECT a.username, a.time AS at FROM audit_log a WHERE a.entity = '${entity}' AND a.entity_id = (${idExpr})::text ORDER BY a.id DESC LIMIT 1`;
}
