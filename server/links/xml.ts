// Reads a link message's text, XML or JSON, into one plain object shape, so that one zod schema per
// link validates both: element names as keys, attributes as `@Name`, an element with attributes
// and text as `{ '#text', '@Attr' }`, every value a string (the schema converts), namespace
// prefixes dropped. Elements that may repeat are always arrays (the link names them). The JSON form
// of a message is that same object.
//
// Customs messages carry no DTD: one that declares a DOCTYPE or an entity is refused before parsing,
// so entity expansion (billion laughs) and external entities (XXE) never start.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { invalid } from '../errors';
import type { MessageFormat } from './types';

/** The format of a message's text, from its first character. */
export function formatOf(text: string): MessageFormat {
  const first = text.trimStart()[0];
  if (first === '<') return 'xml';
  if (first === '{' || first === '[') return 'json';
  throw invalid('message: neither XML (<…) nor JSON ({…})');
}

/**
 * The message's root element as an object. `root` is the expected root element's name; `arrays`
 * names the elements that may repeat (by local name).
 */
export function readMessage(text: string, format: MessageFormat, root: string, arrays: readonly string[]): Record<string, unknown> {
  let top: unknown;
  if (format === 'json') {
    try {
      top = JSON.parse(text);
    } catch (err) {
      throw invalid(`message: not JSON (${(err as Error).message})`);
    }
  } else {
    if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw invalid('message: a DOCTYPE or ENTITY declaration is not allowed');
    const valid = XMLValidator.validate(text);
    if (valid !== true) throw invalid(`message: not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
    const repeat = new Set(arrays);
    top = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      ignoreDeclaration: true,
      ignorePiTags: true,
      processEntities: true,
      isArray: (name) => repeat.has(name),
    }).parse(text);
  }
  if (typeof top !== 'object' || top === null || Array.isArray(top)) throw invalid(`message: expected a ${root} object`);
  const rootValue = (top as Record<string, unknown>)[root];
  // JSON may give the root's content bare or under its name.
  const body = rootValue ?? (format === 'json' ? top : undefined);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid(`message: the root element must be <${root}>`);
  const out = { ...(body as Record<string, unknown>) };
  delete out['@xmlns'];
  return out;
}

/** A zod issue list as one line for the sender: `Head.MessageID: Required; …`. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || 'message'}: ${i.message}`)
    .join('; ');
}
