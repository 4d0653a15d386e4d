// What a database error says about whose fault it is.

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): the rows are at fault, not the server. */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/**
 * The server is away or going away (connection refused or lost, shutting down, starting up, out of
 * resources): the same statement may well work in a moment.
 */
export function isOutage(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && (/^(08|53|57P0)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(String((err as Error)?.message));
}
