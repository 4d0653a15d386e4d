// One JT/T 808 terminal connection, without the socket: bytes in (push), replies out (send),
// decoded fixes to the sink. The TCP listener wraps one of these per connection; tests and the
// bench drive it directly. Never throws on input bytes.
//
// Protocol choices where the standard leaves room (see README.md in this folder):
// - A terminal must authenticate (0x0102) before reporting. A location (0x0200 / 0x0704) before
//   that is answered 0x8001 result 1 (failure) -- the terminal keeps the fix and re-sends it,
//   typically as blind-area data after it has authenticated -- and its fixes are counted
//   rejected 'unauthenticated', never handed to the sink. requireAuth: false turns this off.
// - 0x0100 and 0x0102 bind the connection to that terminal; a frame with another phone number
//   on the same connection is rejected 'terminal_mismatch' and not answered.
// - Locations are answered result 0, never 4 (alarm ack): an alarm such as the emergency bit is
//   cleared on the device only when an operator acknowledges it, not by the platform's receipt.
// - Unsupported message ids are answered result 3; the terminal's own general response (0x0001)
//   is not answered.
// - Unpositioned fixes (status bit 1 clear) are not positions: counted ignored 'no_fix', or
//   'no_fix_alarm' when they carry alarm bits.
import type { PositionReport } from '../../../lib/domain';
import { framesDecoded } from '../metrics';
import type { IngestSink } from '../types';
import { encodeFrame, parseFrame, type Jt808Header } from './codec';
import { DEFAULT_MAX_FRAME_BYTES, Jt808Framer } from './framer';
import {
  MSG, RESULT, decodeAuth, decodeBatch, decodeLocation, decodeRegistration, encodeRegistrationResponseBody,
  type Jt808Location,
} from './messages';
import { jt808AlarmFlags } from './alarms';
import { Jt808TerminalRegistry } from './registry';

const PROTOCOL = 'jt808' as const;
const decodedCounter = framesDecoded.labels({ protocol: PROTOCOL });
const GENERAL_BODY = new Uint8Array(5);

export interface Jt808SessionOptions {
  sink: IngestSink;
  /** Where replies go (the socket). */
  send(bytes: Buffer): void;
  /** Called once when the connection should be closed (too much garbage). */
  close?(reason: 'garbage'): void;
  /** Shared by the connections of one listener; default a fresh one. */
  terminals?: Jt808TerminalRegistry;
  /** Default true. */
  requireAuth?: boolean;
  /** Largest unescaped frame, default 2048 (the standard's largest is 1041). */
  maxFrameBytes?: number;
  /** Sub-packages not completed within this are dropped, default 30 s. */
  subpackageTimeoutMs?: number;
  /** Garbage and refused bytes tolerated since the last good frame before close('garbage'); default 64 KiB. */
  maxJunkBytes?: number;
  now?: () => number;
}

/** Message ids we reassemble from sub-packages (the others are answered per packet, not buffered). */
const REASSEMBLED = new Set<number>([MSG.REGISTER, MSG.AUTH, MSG.LOCATION, MSG.LOCATION_BATCH]);
const MAX_PACKETS = 64;
const MAX_REASSEMBLY_BYTES = 64 * 1024;
const MAX_PENDING_REASSEMBLIES = 4;

interface Reassembly {
  total: number;
  parts: (Uint8Array | undefined)[];
  received: number;
  bytes: number;
  started: number;
}

export interface Jt808SessionStats {
  frames: number;
  positions: number;
  rejected: number;
  ignored: number;
  garbageBytes: number;
  /** Auth codes accepted only because acceptUnknownAuthCodes is on. */
  unknownAuthAccepted: number;
}

function sampleHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64)).toString('hex');
}

export class Jt808Session {
  /** The terminal this connection is bound to (after 0x0100 or 0x0102). */
  phone: string | undefined;
  authenticated = false;
  readonly stats: Jt808SessionStats = { frames: 0, positions: 0, rejected: 0, ignored: 0, garbageBytes: 0, unknownAuthAccepted: 0 };
  readonly terminals: Jt808TerminalRegistry;

  private readonly framer: Jt808Framer;
  private readonly requireAuth: boolean;
  private readonly subTimeout: number;
  private readonly maxJunk: number;
  private readonly now: () => number;
  private serial = 0;
  private keyPhone = '';
  private assetKey = '';
  private junk = 0;
  private closed = false;
  private readonly reassembly = new Map<string, Reassembly>();

  constructor(private readonly opts: Jt808SessionOptions) {
    this.terminals = opts.terminals ?? new Jt808TerminalRegistry();
    this.requireAuth = opts.requireAuth ?? true;
    this.subTimeout = opts.subpackageTimeoutMs ?? 30_000;
    this.maxJunk = opts.maxJunkBytes ?? 64 * 1024;
    this.now = opts.now ?? Date.now;
    this.framer = new Jt808Framer({
      frame: (content) => this.onFrame(content),
      reject: (reason, sample) => {
        this.junk += reason === 'oversize' ? this.framer.maxFrameBytes : sample.length;
        this.reject(reason, sample);
      },
      garbage: (bytes) => {
        this.junk += bytes;
        this.stats.garbageBytes += bytes;
        this.reject('garbage');
      },
    }, opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
  }

  /** Feed bytes as they arrive from the socket. */
  push(chunk: Uint8Array): void {
    if (this.closed) return;
    try {
      this.framer.push(chunk);
    } catch (err) {
      // Not expected: nothing below throws on input. Keep the process and the connection alive.
      this.reject('internal', undefined, String(err));
    }
    if (this.reassembly.size > 0) this.expire();
    if (this.junk + this.framer.pendingGarbage > this.maxJunk && !this.closed) {
      this.closed = true;
      this.opts.close?.('garbage');
    }
  }

  /** The connection ended: report what was cut short. */
  end(): void {
    this.framer.end();
    for (const key of this.reassembly.keys()) this.reject('subpackage_incomplete', undefined, key);
    this.reassembly.clear();
  }

  // ------------------------------------------------------------------ frames

  private onFrame(content: Uint8Array): void {
    try {
      this.handleFrame(content);
    } catch (err) {
      // Not expected (the decoders do not throw); a throwing sink must not cost the frames after it.
      this.reject('internal', content, String(err));
    }
  }

  private handleFrame(content: Uint8Array): void {
    const parsed = parseFrame(content, true); // the framer verified the check code
    if (!parsed.ok) {
      this.junk += content.length;
      this.reject(parsed.reason, content);
      return;
    }
    this.junk = 0;
    let { header, body } = parsed.frame;
    if (this.phone !== undefined && header.phone !== this.phone) {
      this.reject('terminal_mismatch', content);
      return;
    }
    if (header.packet) {
      const whole = this.subpackage(header, body);
      if (!whole) return;
      body = whole;
    }
    this.dispatch(header, body);
  }

  /** Collect a sub-package; the whole body when this one completes it, else undefined. */
  private subpackage(header: Jt808Header, body: Uint8Array): Uint8Array | undefined {
    const { total, index } = header.packet!;
    if (total < 1 || index < 1 || index > total) {
      this.reject('subpackage', body);
      this.general(header, RESULT.BAD_MESSAGE);
      return undefined;
    }
    if (!REASSEMBLED.has(header.msgId)) {
      this.ignored('unsupported');
      this.general(header, RESULT.NOT_SUPPORTED);
      return undefined;
    }
    if (total > MAX_PACKETS) {
      this.reject('subpackage_too_large');
      this.general(header, RESULT.FAILURE);
      return undefined;
    }
    const key = `${header.phone}:${header.msgId}`;
    let r = this.reassembly.get(key);
    if (r && r.total !== total) { this.reject('subpackage_incomplete', undefined, key); this.reassembly.delete(key); r = undefined; }
    if (!r) {
      if (this.reassembly.size >= MAX_PENDING_REASSEMBLIES) {
        const oldest = this.reassembly.keys().next().value!;
        this.reassembly.delete(oldest);
        this.reject('subpackage_incomplete', undefined, oldest);
      }
      r = { total, parts: new Array(total), received: 0, bytes: 0, started: this.now() };
      this.reassembly.set(key, r);
    }
    const prev = r.parts[index - 1];
    if (prev) r.bytes -= prev.length; else r.received++;
    r.parts[index - 1] = body.slice(); // copy: the frame view does not outlive this call
    r.bytes += body.length;
    if (r.bytes > MAX_REASSEMBLY_BYTES) {
      this.reassembly.delete(key);
      this.reject('subpackage_too_large');
      this.general(header, RESULT.FAILURE);
      return undefined;
    }
    if (r.received < total) {
      this.general(header, RESULT.OK); // packet received
      return undefined;
    }
    this.reassembly.delete(key);
    const whole = new Uint8Array(r.bytes);
    let o = 0;
    for (const p of r.parts) { whole.set(p!, o); o += p!.length; }
    return whole;
  }

  private expire(): void {
    const now = this.now();
    for (const [key, r] of this.reassembly) {
      if (now - r.started > this.subTimeout) {
        this.reassembly.delete(key);
        this.reject('subpackage_timeout', undefined, key);
      }
    }
  }

  private dispatch(h: Jt808Header, body: Uint8Array): void {
    switch (h.msgId) {
      case MSG.REGISTER: {
        const reg = decodeRegistration(body, h.edition);
        if (!reg) { this.reject('body', body); this.general(h, RESULT.BAD_MESSAGE); return; }
        this.phone ??= h.phone;
        const code = this.terminals.register(h.phone, reg);
        this.decoded();
        this.reply(h, MSG.REGISTER_RESPONSE, encodeRegistrationResponseBody(h.serial, 0, code));
        return;
      }
      case MSG.AUTH: {
        const auth = decodeAuth(body, h.edition);
        if (!auth) { this.reject('body', body); this.general(h, RESULT.BAD_MESSAGE); return; }
        this.phone ??= h.phone;
        const check = this.terminals.check(h.phone, auth.authCode);
        if (this.terminals.accepts(check)) {
          if (check === 'unknown') this.stats.unknownAuthAccepted++;
          this.authenticated = true;
          this.decoded();
          this.general(h, RESULT.OK);
        } else {
          this.authenticated = false;
          this.reject('auth');
          this.general(h, RESULT.FAILURE);
        }
        return;
      }
      case MSG.HEARTBEAT:
        this.decoded();
        this.general(h, RESULT.OK);
        return;
      case MSG.LOGOUT:
        this.authenticated = false;
        this.decoded();
        this.general(h, RESULT.OK);
        return;
      case MSG.LOCATION: {
        const loc = decodeLocation(body, 0, body.length, false);
        if (!loc) { this.reject('body', body); this.general(h, RESULT.BAD_MESSAGE); return; }
        if (!this.mayReport()) { this.reject('unauthenticated'); this.general(h, RESULT.FAILURE); return; }
        this.decoded();
        this.deliver(h, loc);
        this.general(h, RESULT.OK);
        return;
      }
      case MSG.LOCATION_BATCH: {
        const batch = decodeBatch(body, false);
        if (!batch || batch.locations.length === 0) { this.reject('body', body); this.general(h, RESULT.BAD_MESSAGE); return; }
        if (!this.mayReport()) {
          for (let i = 0; i < batch.locations.length; i++) this.reject('unauthenticated');
          this.general(h, RESULT.FAILURE);
          return;
        }
        this.decoded();
        for (const loc of batch.locations) {
          if (loc) this.deliver(h, loc);
          else this.reject('body');
        }
        this.general(h, RESULT.OK);
        return;
      }
      case MSG.TERMINAL_RESPONSE:
        this.ignored('terminal_response');
        return;
      default:
        this.ignored('unsupported');
        this.general(h, RESULT.NOT_SUPPORTED);
    }
  }

  private mayReport(): boolean {
    return this.authenticated || !this.requireAuth;
  }

  private deliver(h: Jt808Header, loc: Jt808Location): void {
    if (loc.problem) { this.reject(loc.problem); return; }
    // No fix: not a position (it would mask signal loss). Kept apart when it carries alarm bits,
    // which then have no way to the rules: PositionReport has no validity flag.
    if (!loc.positioned) { this.ignored(loc.alarm ? 'no_fix_alarm' : 'no_fix'); return; }
    if (h.phone !== this.keyPhone) { this.keyPhone = h.phone; this.assetKey = `tel:${h.phone}`; }
    const report: PositionReport = {
      assetKey: this.assetKey,
      kind: 'vehicle',
      source: 'jt808',
      time: loc.time,
      lon: loc.lon,
      lat: loc.lat,
      speed: loc.speed,
      alarm: jt808AlarmFlags(loc.alarm),
    };
    if (loc.course < 360) report.course = loc.course;
    const label = this.terminals.takeLabel(h.phone);
    if (label) report.label = label;
    this.stats.positions++;
    this.opts.sink.position(report);
  }

  // ------------------------------------------------------------------ replies and counting

  private reply(h: Jt808Header, msgId: number, body: Uint8Array): void {
    const serial = this.serial;
    this.serial = (this.serial + 1) & 0xffff;
    this.opts.send(encodeFrame({ msgId, phone: h.phone, serial, body, edition: h.edition, protocolVersion: h.protocolVersion }));
  }

  private general(h: Jt808Header, result: number): void {
    // A scratch body: encodeFrame copies it before returning.
    const b = GENERAL_BODY;
    b[0] = h.serial >> 8; b[1] = h.serial & 0xff; b[2] = h.msgId >> 8; b[3] = h.msgId & 0xff; b[4] = result;
    this.reply(h, MSG.SERVER_RESPONSE, b);
  }

  private decoded(): void {
    this.stats.frames++;
    decodedCounter.inc();
  }

  private ignored(kind: string): void {
    this.stats.ignored++; // the sink counts it in /metrics
    try { this.opts.sink.ignored(PROTOCOL, kind); } catch { /* a sink's bookkeeping must not stop decoding */ }
  }

  private reject(reason: string, sample?: Uint8Array, detail?: string): void {
    this.stats.rejected++; // the sink counts it in /metrics
    try { this.opts.sink.rejected(PROTOCOL, reason, detail ?? (sample ? sampleHex(sample) : undefined)); } catch { /* as above */ }
  }
}
