// The path a request names once its structure is resolved: percent-encoded dots and slashes
// decoded, backslashes read as slashes, empty and "." segments dropped, ".." applied. The guard
// decides on this form, so `/_next/static/../../console` is judged as `/console`, not as a
// public static file. Other escapes (%5B, Chinese) are left as they are: they name a segment,
// they do not move between segments.

export type NormalPath = { ok: true; path: string } | { ok: false; reason: string };

const STRUCTURAL_ESCAPE = /%(2e|2f|5c)/gi;
const DOUBLE_ENCODED = /%25(2e|2f|5c)/i;

export function normalPath(raw: string): NormalPath {
  if (!raw.startsWith('/')) return { ok: false, reason: 'the path must start with /' };
  // %252e is a dot to whatever decodes twice (a proxy, then a framework): no one needs it.
  if (DOUBLE_ENCODED.test(raw)) return { ok: false, reason: 'the path holds a double-encoded dot or slash' };
  const decoded = raw.replace(STRUCTURAL_ESCAPE, (m) => ({ '2e': '.', '2f': '/', '5c': '\\' })[m.slice(1).toLowerCase()]!);
  const out: string[] = [];
  for (const segment of decoded.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return { ok: false, reason: 'the path leads above /' };
      out.pop();
    } else {
      out.push(segment);
    }
  }
  // A trailing slash is kept: Next redirects /x/ to /x itself, after the guard has judged /x/.
  const trailing = raw.length > 1 && /(\/|\\|%2f|%5c)$/i.test(raw) && out.length > 0 ? '/' : '';
  return { ok: true, path: `/${out.join('/')}${trailing}` };
}
