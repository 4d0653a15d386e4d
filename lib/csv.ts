// One CSV cell (RFC 4180 quoting) that a spreadsheet shows as text, never runs as a formula.
// OWASP "CSV injection": a cell starting with = + - @ (or tab / carriage return, which some
// programs skip before looking) is read as a formula, e.g. =HYPERLINK("http://evil", "click");
// a leading ' makes it text, and the cell is quoted so the ' stays with it.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  const s = value == null ? '' : String(value);
  if (FORMULA_START.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as CSV text, CRLF line ends (RFC 4180). */
export const csvRows = (rows: unknown[][]): string => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
