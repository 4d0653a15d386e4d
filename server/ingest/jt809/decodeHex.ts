// Frame → plain JSON, for the CLI (`transitwatch decode jt809 FILE|-`), logs and debugging. A hex
// stream (several frames, garbage between them) as a platform sent it; each frame's edition is
// judged from the frame alone (guessEdition). Encrypted bodies are shown as such unless keys are
// given. Never throws.
import { guessEdition, jt809Cipher, msgIdHex, parseFrame, type Jt809CipherKeys, type Jt809Edition } from './codec';
import { Jt809Framer } from './framer';
import {
  LOGIN_RESULT_NAMES,
  MSG,
  MSG_NAMES,
  SUB,
  SUB_NAMES,
  WARN_TYPES,
  decodeExchange,
  decodeHistoryLocation,
  decodeLogin,
  decodeLoginResponse,
  decodeRealLocation,
  decodeVehicleRegistration,
  decodeWarnMsg,
  decodeWarning,
  type Jt809Position,
} from './messages';

export type Jt809Decoded =
  ({ ok: true; msgId: string; name: string } & Record<string, unknown>) | ({ ok: false; error: string; hex?: string; bytes?: number } & Record<string, unknown>);

const iso = (t: number | undefined): string | null => (t === undefined || !Number.isFinite(t) ? null : new Date(t).toISOString());

function position(p: Jt809Position): Record<string, unknown> {
  const { time, ...rest } = p;
  return { time: iso(time), ...rest };
}

function body(msgId: number, b: Uint8Array, edition: Jt809Edition): Record<string, unknown> {
  switch (msgId) {
    case MSG.UP_CONNECT_REQ: {
      const l = decodeLogin(b, edition);
      return l ? { login: { ...l, password: '********' } } : { error: 'body' };
    }
    case MSG.UP_CONNECT_RSP: {
      const r = decodeLoginResponse(b);
      return r ? { result: r.result, resultName: LOGIN_RESULT_NAMES[r.result] ?? 'unknown', verifyCode: r.verifyCode } : { error: 'body' };
    }
    case MSG.UP_EXG_MSG:
    case MSG.DOWN_EXG_MSG:
    case MSG.UP_WARN_MSG: {
      const x = msgId === MSG.UP_WARN_MSG ? decodeWarnMsg(b, edition) : decodeExchange(b);
      if (!x) return { error: 'body' };
      const out: Record<string, unknown> = { dataType: msgIdHex(x.dataType), dataName: SUB_NAMES[x.dataType] ?? 'unknown' };
      if (x.plate) Object.assign(out, { plate: x.plate, color: x.color });
      if (x.dataType === SUB.REAL_LOCATION) {
        const p = decodeRealLocation(x.data, edition);
        out.position = p ? position(p) : null;
      } else if (x.dataType === SUB.HISTORY_LOCATION) {
        const ps = decodeHistoryLocation(x.data, edition);
        out.positions = ps ? ps.map(position) : null;
      } else if (x.dataType === SUB.REGISTER) out.registration = decodeVehicleRegistration(x.data, edition);
      else if (x.dataType === SUB.WARN_ADPT_INFO) {
        const w = decodeWarning(x.data, edition);
        out.warning = w
          ? { ...w, time: iso(w.time), startTime: iso(w.startTime), endTime: iso(w.endTime), typeName: WARN_TYPES[w.type]?.name ?? 'unknown', typeZh: WARN_TYPES[w.type]?.zh }
          : null;
      } else out.data = Buffer.from(x.data).toString('hex');
      return out;
    }
    default:
      return b.length ? { body: Buffer.from(b).toString('hex') } : {};
  }
}

/** One frame's unescaped content → JSON. */
export function describeFrame(content: Uint8Array, keys?: Jt809CipherKeys): Jt809Decoded {
  const edition = guessEdition(content);
  const parsed = parseFrame(content, edition, true);
  if (!parsed.ok) return { ok: false, error: parsed.reason, hex: Buffer.from(content.subarray(0, 64)).toString('hex') };
  const h = parsed.frame.header;
  const head = {
    ok: true as const,
    msgId: msgIdHex(h.msgId),
    name: MSG_NAMES[h.msgId] ?? 'unknown',
    edition,
    sn: h.sn,
    accessCode: h.centerId,
    version: h.version,
    ...(h.time !== undefined && { time: iso(h.time) }),
  };
  if (h.encrypt === 1 && !keys) return { ...head, encrypted: true, key: h.key };
  const b = h.encrypt === 1 ? jt809Cipher(parsed.frame.body, h.key, keys!) : parsed.frame.body;
  return { ...head, ...(h.encrypt === 1 && { encrypted: true }), ...body(h.msgId, b, edition) };
}

/** A hex stream → one object per frame and per rejected run. */
export function decodeHexStream(hex: string, keys?: Jt809CipherKeys): Jt809Decoded[] {
  const clean = hex.replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return [{ ok: false, error: 'not_hex' }];
  const out: Jt809Decoded[] = [];
  const framer = new Jt809Framer({
    frame: (c) => {
      try {
        out.push(describeFrame(c, keys));
      } catch (err) {
        out.push({ ok: false, error: 'body', detail: String(err) });
      }
    },
    reject: (reason, sample) => out.push({ ok: false, error: reason, hex: Buffer.from(sample).toString('hex') }),
    garbage: (bytes) => out.push({ ok: false, error: 'garbage', bytes }),
  });
  framer.push(Buffer.from(clean, 'hex'));
  framer.end();
  return out;
}
