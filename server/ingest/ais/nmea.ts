// NMEA 0183 sentence layer for AIS: `!AIVDM` / `!AIVDO` (any talker: `!BSVDM`, `!ABVDM`, …),
// checksum checked, with an optional NMEA 4.0 tag block in front
// (`\s:station,c:1700000000*hh\!AIVDM,…`, its own checksum checked). Text before the first
// `\` or `!` (a logger's timestamp) and comma-separated fields after the checksum
// (`…*5B,s36310,d-081,T59.0` from USCG receivers) are allowed and skipped.

export interface TagBlock {
  /** `s:` source (receiving station). */
  source?: string;
  /** `c:` receive time as ms since epoch (the tag gives seconds, or ms when it is ≥ 1e11). */
  time?: number;
  /** `g:` sentence group: this line's number, the group's size and its id. */
  group?: { num: number; count: number; id: string };
}

export interface VdmSentence {
  talker: string; // 'AI', 'BS', 'AB', …
  formatter: 'VDM' | 'VDO';
  fragmentCount: number;
  fragmentNumber: number;
  /** Sequential message id ('' when none: single-sentence messages). */
  messageId: string;
  channel: string;
  payload: string;
  fill: number;
  tag?: TagBlock;
}

export type SentenceResult =
  | { kind: 'vdm'; sentence: VdmSentence }
  | { kind: 'blank' }
  /** A well-formed NMEA sentence of another kind ($GPRMC, $AIALR, …). */
  | { kind: 'other'; formatter: string }
  | { kind: 'error'; reason: 'checksum' | 'format'; detail: string };

const BACKSLASH = 92;
const BANG = 33;
const DOLLAR = 36;

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Whether the XOR of the characters in [from, star) equals the two hex digits after `star` ('nohex' when they are not hex). */
function checksumOk(s: string, from: number, star: number): boolean | 'nohex' {
  const h = hexDigit(s.charCodeAt(star + 1));
  const l = hexDigit(s.charCodeAt(star + 2));
  if (h < 0 || l < 0) return 'nohex';
  let x = 0;
  for (let i = from; i < star; i++) x ^= s.charCodeAt(i);
  return x === h * 16 + l;
}

const err = (reason: 'checksum' | 'format', detail: string): SentenceResult => ({ kind: 'error', reason, detail });

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0;
}

function parseTagBlock(s: string, from: number, to: number): TagBlock | SentenceResult {
  const star = s.lastIndexOf('*', to);
  if (star < from) return err('format', 'tag block without checksum');
  if (star + 3 !== to) return err('format', 'tag block checksum malformed');
  const ok = checksumOk(s, from, star);
  if (ok === 'nohex') return err('format', 'tag block checksum malformed');
  if (!ok) return err('checksum', 'tag block checksum mismatch');
  const tag: TagBlock = {};
  if (star === from) return tag;
  for (const field of s.slice(from, star).split(',')) {
    const colon = field.indexOf(':');
    if (colon !== 1) return err('format', 'tag block field malformed');
    const value = field.slice(2);
    switch (field.charCodeAt(0)) {
      case 99: {
        // c: unix time, seconds or ms
        if (!/^\d{1,16}(\.\d{1,6})?$/.test(value)) return err('format', 'tag block c: is not a time');
        const n = Number(value);
        tag.time = Math.round(n >= 1e11 ? n : n * 1000);
        break;
      }
      case 115: // s: source
        if (value.length === 0 || value.length > 64) return err('format', 'tag block s: malformed');
        tag.source = value;
        break;
      case 103: {
        // g: group, "num-count-id"
        const m = /^(\d{1,2})-(\d{1,2})-(\w{1,16})$/.exec(value);
        if (m) tag.group = { num: Number(m[1]), count: Number(m[2]), id: m[3]! };
        break;
      }
      default: // d: destination, n: line count, r: relative time, t: text
        break;
    }
  }
  return tag;
}

/** Parses one line (its line terminator may still be on it). Never throws. */
export function parseSentence(line: string): SentenceResult {
  let start = 0;
  let end = line.length;
  while (start < end && isSpace(line.charCodeAt(start))) start++;
  while (end > start && isSpace(line.charCodeAt(end - 1))) end--;
  if (start === end) return { kind: 'blank' };
  const s = start === 0 && end === line.length ? line : line.slice(start, end);

  let i = 0;
  let c = s.charCodeAt(0);
  if (c !== BACKSLASH && c !== BANG && c !== DOLLAR) {
    // A prefix (e.g. a logger's timestamp): the sentence starts at the first `\` or `!`.
    const a = s.indexOf('\\');
    const b = s.indexOf('!');
    i = a < 0 ? b : b < 0 ? a : Math.min(a, b);
    if (i < 0) return err('format', 'no NMEA sentence start');
    c = s.charCodeAt(i);
  }
  let tag: TagBlock | undefined;
  if (c === BACKSLASH) {
    const close = s.indexOf('\\', i + 1);
    if (close < 0) return err('format', 'unterminated tag block');
    const t = parseTagBlock(s, i + 1, close);
    if ('kind' in t) return t;
    tag = t;
    i = close + 1;
    c = s.charCodeAt(i);
  }
  if (c !== BANG && c !== DOLLAR) return err('format', 'no NMEA sentence start');
  const star = s.indexOf('*', i + 1);
  if (star < 0) return err('checksum', 'no checksum');
  if (star + 3 > s.length) return err('checksum', 'checksum truncated');
  if (star + 3 < s.length && s.charCodeAt(star + 3) !== 44 /* , */) return err('format', 'text after the checksum');
  const ok = checksumOk(s, i + 1, star);
  if (ok === 'nohex') return err('checksum', 'checksum is not hex');
  if (!ok) return err('checksum', 'checksum mismatch');

  const f = s.slice(i + 1, star).split(',');
  const address = f[0]!;
  const formatter = address.slice(2);
  if (address.length !== 5 || (formatter !== 'VDM' && formatter !== 'VDO')) {
    if (/^[A-Z0-9]{4,6}$/.test(address)) return { kind: 'other', formatter: address.slice(-3) };
    return err('format', 'not an NMEA address field');
  }
  const talker = address.slice(0, 2);
  if (!/^[A-Z0-9]{2}$/.test(talker)) return err('format', 'bad talker id');
  if (f.length !== 7) return err('format', `${f.length} fields, VDM has 7`);
  const [, countText, numText, messageId, channel, payload, fillText] = f as [string, string, string, string, string, string, string];
  if (countText.length !== 1 || numText.length !== 1 || fillText.length !== 1) return err('format', 'fragment or fill field malformed');
  const fragmentCount = countText.charCodeAt(0) - 48;
  const fragmentNumber = numText.charCodeAt(0) - 48;
  const fill = fillText.charCodeAt(0) - 48;
  if (fragmentCount < 1 || fragmentCount > 9 || fragmentNumber < 1 || fragmentNumber > fragmentCount) return err('format', 'fragment number out of range');
  if (fill < 0 || fill > 5) return err('format', 'fill bits out of range');
  if (messageId.length > 3 || !/^\d*$/.test(messageId)) return err('format', 'sequential message id malformed');
  if (channel.length > 2 || !/^[A-Z0-9]*$/.test(channel)) return err('format', 'channel malformed');
  const sentence: VdmSentence = {
    talker,
    formatter,
    fragmentCount,
    fragmentNumber,
    messageId,
    channel,
    payload,
    fill,
  };
  if (tag) sentence.tag = tag;
  return { kind: 'vdm', sentence };
}

/** The NMEA checksum of `body` (the text between `!`/`$`/`\` and `*`) as two hex digits: for building test sentences. */
export function nmeaChecksum(body: string): string {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i);
  return x.toString(16).toUpperCase().padStart(2, '0');
}

/** Builds `!AIVDM,…*hh` (and a tag block when given): for tests and tools. */
export function buildSentence(
  fields: { talker?: string; formatter?: 'VDM' | 'VDO'; count: number; num: number; id?: string; channel?: string; payload: string; fill: number },
  tag?: string,
): string {
  const body = `${fields.talker ?? 'AI'}${fields.formatter ?? 'VDM'},${fields.count},${fields.num},${fields.id ?? ''},${fields.channel ?? 'A'},${fields.payload},${fields.fill}`;
  const sentence = `!${body}*${nmeaChecksum(body)}`;
  return tag === undefined ? sentence : `\\${tag}*${nmeaChecksum(tag)}\\${sentence}`;
}
