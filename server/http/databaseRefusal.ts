// The backstop behind the checks at the edge: when PostgreSQL refuses a value (a data exception,
// SQLSTATE class 22: out of range, NUL in text, malformed input; or a CHECK constraint, 23514),
// the input was bad, so the client gets a 400 with the reason rather than a 500.
const CHECK_REASONS: Record<string, string> = {
  sites_area_valid: 'area: not a valid polygon (OGC: simple rings, holes inside the shell, some area)',
  zones_area_valid: 'geometry: not a valid polygon (OGC: simple rings, holes inside the shell, some area)',
};

export function databaseRefusal(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const { code, message, constraint } = err as { code?: unknown; message?: unknown; constraint?: unknown };
  if (typeof code !== 'string') return null;
  if (code === '23514') return (typeof constraint === 'string' && CHECK_REASONS[constraint]) || 'a value breaks a rule of the database';
  if (code.startsWith('22')) return `invalid value: ${String(message).slice(0, 200)}`;
  return null;
}
