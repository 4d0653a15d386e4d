// Writes link messages as XML (the demo's generator and the tests build realistic messages with
// it): nested plain objects become elements in the order given; undefined and null are left out;
// arrays repeat the element; text is escaped. Only what the links read back (server/links/xml.ts).

export type XmlValue = string | number | boolean | null | undefined | XmlTree | XmlTree[];
export interface XmlTree {
  [element: string]: XmlValue;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

function write(name: string, value: XmlValue, indent: string): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => write(name, v, indent)).join('');
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([k, v]) => write(k, v, `${indent}  `))
      .join('');
    return inner ? `${indent}<${name}>\n${inner}${indent}</${name}>\n` : `${indent}<${name}/>\n`;
  }
  return `${indent}<${name}>${escapeXml(String(value))}</${name}>\n`;
}

/** A whole message: the declaration, then `<root xmlns="…">` holding `body`. */
export function buildXml(root: string, namespace: string, body: XmlTree): string {
  const inner = Object.entries(body)
    .map(([k, v]) => write(k, v, '  '))
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${escapeXml(namespace)}">\n${inner}</${root}>\n`;
}
