// One JT/T 808 terminal connection, without the socket: bytes in (push), replies out (send),
// decoded fixes to the sink. The TCP listener wraps one of these per connection; tests and the
// bench drive it directly. Never throws on input bytes.
//
// Who may log in is the authority's to say (authority.ts): 0x0100 and 0x0102 are answered from
// it, and fixes are reported under the identity (asset) it returns, never under a number the
// frame merely carries. While it is deciding (a database lookup), the frames that follow wait,
// in order, so a location sent right behind its 0x0102 is judged after it.
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
import { MSG, RESULT, decodeAuth, decodeBatch, decodeLocation, decodeRegistration, encodeRegistrationResponseBody, type Jt808Location } from './messages';
import type { Jt808Authority, Jt808Identity } from './authority';
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
  /** Who may log in (shared by the connections of a listener); default an in-memory Jt808TerminalRegistry. */
  authority?: Jt808Authority;
  /** The remote address:port, for the authority's log lines. */
  peer?: string;
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
/** Frames held while the authority decides; more are refused 'backlog' (a terminal waits for its reply). */
const MAX_HELD_FRAMES = 128;

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
  /** Logins accepted without a record of the code (the in-memory registry's acceptUnknownAuthCodes). */
  unknownAuthAccepted: number;
}

function sampleHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64)).toString('hex');
}

export class Jt808Session {
  /** The terminal this connection is bound to (after 0x0100 or 0x0102). */
  phone: string | undefined;
  /** What the authority said this terminal is, after a successful 0x0102; undefined before and after logout. */
  identity: Jt808Identity | undefined;
  readonly stats: Jt808SessionStats = { frames: 0, positions: 0, rejected: 0, ignored: 0, garbageBytes: 0, unknownAuthAccepted: 0 };
  readonly authority: Jt808Authority;

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
  private pendingLabel: string | undefined;
  /** The authority is deciding: frames wait in `held`. */
  private deciding = false;
  private readonly held: Uint8Array[] = [];

  constructor(private readonly opts: Jt808SessionOptions) {
    this.authority = opts.authority ?? new Jt808TerminalRegistry();
    this.requireAuth = opts.requireAuth ?? true;
    this.subTimeout = opts.subpackageTimeoutMs ?? 30_000;
    this.maxJunk = opts.maxJunkBytes ?? 64 * 1024;
    this.now = opts.now ?? Date.now;
    this.framer = new Jt808Framer(
      {
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
      },
      opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    );
  }

  get authenticated(): boolean {
    return this.identity !== undefined;
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
    if (this.deciding) {
      if (this.held.length >= MAX_HELD_FRAMES) {
        this.reject('backlog');
        return;
      }
      this.held.push(content.slice()); // copy: the framer's view does not outlive this call
      return;
    }
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
    const { header } = parsed.frame;
    let { body } = parsed.frame; // replaced by the whole body when a sub-package completes it
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
    if (r && r.total !== total) {
      this.reject('subpackage_incomplete', undefined, key);
      this.reassembly.delete(key);
      r = undefined;
    }
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
    if (prev) r.bytes -= prev.length;
    else r.received++;
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
    for (const p of r.parts) {
      whole.set(p!, o);
      o += p!.length;
    }
    return whole;
  }

  /**
   * Apply the authority's answer now when it has one, else when it comes, holding the frames that
   * arrive meanwhile and running them afterwards in order.
   */
  private settle<T>(answer: T | Promise<T>, apply: (value: T) => void, failed: () => void): void {
    if (!(answer instanceof Promise)) {
      apply(answer);
      return;
    }
    this.deciding = true;
    answer
      .then(apply, (err: unknown) => {
        this.reject('internal', undefined, String(err));
        failed();
      })
      .catch((err: unknown) => this.reject('internal', undefined, String(err)))
      .finally(() => {
        this.deciding = false;
        while (!this.deciding && this.held.length > 0) this.onFrame(this.held.shift()!);
      });
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
        if (!reg) {
          this.reject('body', body);
          this.general(h, RESULT.BAD_MESSAGE);
          return;
        }
        this.phone ??= h.phone;
        this.decoded();
        this.settle(
          this.authority.register(h.phone, reg, this.opts.peer),
          (out) => {
            if (out.result !== 0) this.reject('register');
            this.reply(h, MSG.REGISTER_RESPONSE, encodeRegistrationResponseBody(h.serial, out.result, out.result === 0 ? out.authCode : undefined));
          },
          () => this.general(h, RESULT.FAILURE),
        );
        return;
      }
      case MSG.AUTH: {
        const auth = decodeAuth(body, h.edition);
        if (!auth) {
          this.reject('body', body);
          this.general(h, RESULT.BAD_MESSAGE);
          return;
        }
        this.phone ??= h.phone;
        this.identity = undefined; // a new attempt: nothing is reported until it succeeds
        const refused = () => {
          this.reject('auth');
          this.general(h, RESULT.FAILURE);
        };
        this.settle(
          this.authority.authenticate(h.phone, auth.authCode, this.opts.peer),
          (out) => {
            if (!out.ok) {
              refused();
              return;
            }
            this.identity = out.identity;
            this.pendingLabel = out.identity.label;
            if (out.identity.unverified) this.stats.unknownAuthAccepted++;
            this.decoded();
            this.general(h, RESULT.OK);
          },
          () => this.general(h, RESULT.FAILURE),
        );
        return;
      }
      case MSG.HEARTBEAT:
        this.decoded();
        this.general(h, RESULT.OK);
        return;
      case MSG.LOGOUT:
        this.identity = undefined;
        this.decoded();
        this.general(h, RESULT.OK);
        return;
      case MSG.LOCATION: {
        const loc = decodeLocation(body, 0, body.length, false);
        if (!loc) {
          this.reject('body', body);
          this.general(h, RESULT.BAD_MESSAGE);
          return;
        }
        if (!this.mayReport()) {
          this.reject('unauthenticated');
          this.general(h, RESULT.FAILURE);
          return;
        }
        this.decoded();
        this.deliver(h, loc);
        this.contact();
        this.general(h, RESULT.OK);
        return;
      }
      case MSG.LOCATION_BATCH: {
        const batch = decodeBatch(body, false);
        if (!batch || batch.locations.length === 0) {
          this.reject('body', body);
          this.general(h, RESULT.BAD_MESSAGE);
          return;
        }
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
        this.contact();
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
    return this.identity !== undefined || !this.requireAuth;
  }

  private contact(): void {
    if (!this.identity) return;
    try {
      this.authority.contact?.(this.identity, this.opts.peer);
    } catch {
      /* bookkeeping must not stop decoding */
    }
  }

  private deliver(h: Jt808Header, loc: Jt808Location): void {
    if (loc.problem) {
      this.reject(loc.problem);
      return;
    }
    // No fix: not a position (it would mask signal loss). Kept apart when it carries alarm bits,
    // which then have no way to the rules: PositionReport has no validity flag.
    if (!loc.positioned) {
      this.ignored(loc.alarm ? 'no_fix_alarm' : 'no_fix');
      return;
    }
    // The asset is the authority's answer; only with requireAuth: false does the header's number name it.
    let assetKey = this.identity?.assetKey;
    if (assetKey === undefined) {
      if (h.phone !== this.keyPhone) {
        this.keyPhone = h.phone;
        this.assetKey = `tel:${h.phone}`;
      }
      assetKey = this.assetKey;
    }
    const report: PositionReport = {
      assetKey,
      kind: 'vehicle',
      source: 'jt808',
      time: loc.time,
      lon: loc.lon,
      lat: loc.lat,
      speed: loc.speed,
      alarm: jt808AlarmFlags(loc.alarm),
    };
    if (loc.course < 360) report.course = loc.course;
    if (this.pendingLabel) {
      report.label = this.pendingLabel;
      this.pendingLabel = undefined;
    }
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
    b[0] = h.serial >> 8;
    b[1] = h.serial & 0xff;
    b[2] = h.msgId >> 8;
    b[3] = h.msgId & 0xff;
    b[4] = result;
    this.reply(h, MSG.SERVER_RESPONSE, b);
  }

  private decoded(): void {
    this.stats.frames++;
    decodedCounter.inc();
  }

  private ignored(kind: string): void {
    this.stats.ignored++; // the sink counts it in /metrics
    try {
      this.opts.sink.ignored(PROTOCOL, kind);
    } catch {
      /* a sink's bookkeeping must not stop decoding */
    }
  }

  private reject(reason: string, sample?: Uint8Array, detail?: string): void {
    this.stats.rejected++; // the sink counts it in /metrics
    try {
      this.opts.sink.rejected(PROTOCOL, reason, detail ?? (sample ? sampleHex(sample) : undefined));
    } catch {
      /* as above */
    }
  }
}
