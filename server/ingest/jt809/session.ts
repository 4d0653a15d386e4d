// One JT/T 809 main link (主链路) from a lower platform, without the socket: bytes in (push),
// replies out (send), decoded fixes to the sink. The TCP listener wraps one per connection; tests
// and the bench drive it directly. Never throws on input bytes.
//
// - The edition (2011 / 2019) is learned from the 0x1001 body length and kept for the link.
// - Nothing but 0x1001 is taken before a successful login: other frames are counted rejected
//   'unauthenticated' and not answered. After login, a frame under another access code is
//   rejected 'terminal_mismatch'.
// - Each plate is resolved once (and again after 5 min) through the authority: a plate the platform
//   may not report (not in its list or district) or that is no vehicle of ours is counted ignored
//   'plate_not_allowed' / 'unknown_plate' and its fixes are not stored. While the authority
//   decides, the frames behind wait in order (at most 1024, then 'backlog').
// - 0x1202 / 0x1203 positions go to the sink under the asset; unpositioned fixes are ignored
//   'no_fix'; implausible ones rejected 'time' / 'coordinates' / 'speed'; coordinates the platform
//   encrypted (the position's own ENCRYPT byte, not the frame's) rejected 'encrypted'.
// - 0x1402 alarms go to the authority (the asset's timeline), for allowed plates only.
import type { PositionReport } from '../../../lib/domain';
import { framesDecoded } from '../metrics';
import type { IngestSink } from '../types';
import { jt808AlarmFlags } from '../jt808/alarms';
import { encodeFrame, guessEdition, jt809Cipher, parseFrame, type Jt809Edition, type Jt809Header } from './codec';
import { DEFAULT_MAX_FRAME_BYTES, Jt809Framer } from './framer';
import {
  APPLY_RESULT,
  LOGIN_RESULT,
  MSG,
  SUB,
  decodeExchange,
  decodeHistoryLocation,
  decodeLogin,
  decodeRealLocation,
  decodeVehicleRegistration,
  decodeWarnMsg,
  decodeWarning,
  encodeExchange,
  encodeLoginResponse,
  type Jt809Login,
  type Jt809Position,
} from './messages';
import { plateKey, type Jt809Authority, type Jt809PlatformIdentity, type Jt809VehicleOutcome } from './authority';
import { Jt809DownLink } from './downlink';
import { randomBytes } from 'node:crypto';

const PROTOCOL = 'jt809' as const;
const decodedCounter = framesDecoded.labels({ protocol: PROTOCOL });
const MAX_HELD_FRAMES = 1024;
const PLATE_TTL_MS = 5 * 60_000;
/** Plates remembered per link; past this the memory starts again (a platform naming endless plates costs lookups, not memory). */
const MAX_PLATES = 20_000;
const EMPTY = new Uint8Array(0);

export interface Jt809SessionOptions {
  sink: IngestSink;
  authority: Jt809Authority;
  /** Where replies go (the socket). */
  send(bytes: Buffer): void;
  /** Close the connection (logout, close notice, garbage). */
  close?(reason: 'garbage' | 'logout' | 'closelink'): void;
  /** The remote address:port. */
  peer?: string;
  maxFrameBytes?: number;
  /** Garbage tolerated since the last good frame before close('garbage'); default 64 KiB. */
  maxJunkBytes?: number;
  /** Open the down-link after login (default true when a peer is known). */
  downLink?: boolean | { heartbeatMs?: number; retryMs?: number; connectTimeoutMs?: number };
  /** A login succeeded / the link ended: for the registry of live links. */
  onLogin?(session: Jt809Session): void;
  onEnd?(session: Jt809Session): void;
  /** A 0x1205 / 0x1206 acknowledgement of our 0x9205 / 0x9206 for this plate. */
  onExchangeAck?(platform: Jt809PlatformIdentity, plate: string, dataType: number): void;
  now?: () => number;
}

export interface Jt809SessionStats {
  frames: number;
  positions: number;
  rejected: number;
  ignored: number;
  garbageBytes: number;
}

function sampleHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64)).toString('hex');
}

export class Jt809Session {
  edition: Jt809Edition | undefined;
  platform: Jt809PlatformIdentity | undefined;
  verifyCode = 0;
  downLink: Jt809DownLink | undefined;
  readonly stats: Jt809SessionStats = { frames: 0, positions: 0, rejected: 0, ignored: 0, garbageBytes: 0 };

  private readonly framer: Jt809Framer;
  private readonly maxJunk: number;
  private readonly now: () => number;
  private sn = 0;
  private junk = 0;
  private closed = false;
  private deciding = false;
  private readonly held: Uint8Array[] = [];
  private readonly plates = new Map<string, { outcome: Jt809VehicleOutcome; at: number }>();
  private labelled = new Set<string>();

  constructor(private readonly opts: Jt809SessionOptions) {
    this.maxJunk = opts.maxJunkBytes ?? 64 * 1024;
    this.now = opts.now ?? Date.now;
    this.framer = new Jt809Framer(
      {
        frame: (content) => this.onFrame(content),
        reject: (reason, sample) => {
          this.junk += sample.length;
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
    return this.platform !== undefined;
  }

  push(chunk: Uint8Array): void {
    if (this.closed) return;
    try {
      this.framer.push(chunk);
    } catch (err) {
      this.reject('internal', undefined, String(err));
    }
    if (this.junk + this.framer.pendingGarbage > this.maxJunk && !this.closed) this.closeWith('garbage');
  }

  /** The connection ended. */
  end(): void {
    this.framer.end();
    this.downLink?.stop();
    this.downLink = undefined;
    if (this.platform) this.opts.onEnd?.(this);
  }

  /**
   * Ask the platform to start (0x9205, reason manual) or stop (0x9206) sending one vehicle's
   * positions. Down-link when open, else the main link. False when not logged in.
   */
  requestPositions(plate: string, color: number, start: boolean): boolean {
    if (!this.platform || this.closed) return false;
    const dataType = start ? SUB.DOWN_RETURN_STARTUP : SUB.DOWN_RETURN_END;
    const body = encodeExchange(plate, color, dataType, Uint8Array.of(0x01)); // 人工指定交换 / manual
    if (this.downLink?.send(MSG.DOWN_EXG_MSG, body)) return true;
    this.reply(MSG.DOWN_EXG_MSG, body);
    return true;
  }

  /** We are shutting down: tell the platform (0x9008, reason 0 gateway restart) before the link closes. */
  notifyClosing(): void {
    if (!this.platform || this.closed) return;
    const body = Uint8Array.of(0x00);
    if (!this.downLink?.send(MSG.DOWN_CLOSELINK_INFORM, body)) this.reply(MSG.DOWN_CLOSELINK_INFORM, body);
  }

  // ------------------------------------------------------------------ frames

  private onFrame(content: Uint8Array): void {
    if (this.deciding) {
      if (this.held.length >= MAX_HELD_FRAMES) this.reject('backlog');
      else this.held.push(content.slice());
      return;
    }
    try {
      this.handleFrame(content);
    } catch (err) {
      this.reject('internal', content, String(err));
    }
  }

  private handleFrame(content: Uint8Array): void {
    const edition = this.edition ?? guessEdition(content);
    const parsed = parseFrame(content, edition, true);
    if (!parsed.ok) {
      this.reject(parsed.reason, content);
      return;
    }
    this.junk = 0;
    const h = parsed.frame.header;
    let body = parsed.frame.body;
    if (h.msgId === MSG.UP_CONNECT_REQ) {
      this.login(h, body);
      return;
    }
    const p = this.platform;
    if (!p) {
      this.reject('unauthenticated', content);
      return;
    }
    if (h.centerId !== p.accessCode) {
      this.reject('terminal_mismatch', content);
      return;
    }
    if (h.encrypt === 1) {
      if (!p.keys) {
        this.reject('encrypted', content);
        return;
      }
      body = jt809Cipher(body, h.key, p.keys);
    }
    this.dispatch(h, body, p);
  }

  private login(h: Jt809Header, sealed: Uint8Array): void {
    const open = (keys: Parameters<typeof jt809Cipher>[2] | undefined): Jt809Login | null => {
      const body = h.encrypt === 1 ? (keys ? jt809Cipher(sealed, h.key, keys) : null) : sealed;
      return body ? decodeLogin(body, h.edition) : null;
    };
    const refuse = (result: number) => {
      this.reject('auth');
      this.platform = undefined;
      this.reply(MSG.UP_CONNECT_RSP, encodeLoginResponse(result, 0), h);
    };
    if (h.encrypt !== 1) {
      this.decide(h, open(undefined));
      return;
    }
    this.settle(
      this.opts.authority.keys(h.centerId),
      (keys) => {
        const login = open(keys);
        if (!login && !keys) refuse(LOGIN_RESULT.BAD_ACCESS_CODE);
        else this.decide(h, login);
      },
      () => refuse(LOGIN_RESULT.OTHER),
    );
  }

  private decide(h: Jt809Header, login: Jt809Login | null): void {
    if (!login) {
      this.reject('body');
      this.reply(MSG.UP_CONNECT_RSP, encodeLoginResponse(LOGIN_RESULT.OTHER, 0), h);
      return;
    }
    this.decoded();
    this.settle(
      this.opts.authority.login(h.centerId, login, this.opts.peer),
      (out) => {
        if (out.result !== 0) {
          this.reject('auth');
          this.platform = undefined;
          this.reply(MSG.UP_CONNECT_RSP, encodeLoginResponse(out.result, 0), h);
          return;
        }
        this.edition = h.edition;
        this.platform = out.platform;
        this.verifyCode = randomBytes(4).readUInt32BE(0) || 1;
        this.plates.clear();
        this.reply(MSG.UP_CONNECT_RSP, encodeLoginResponse(0, this.verifyCode), h);
        this.opts.onLogin?.(this);
        this.openDownLink(out.platform, login);
      },
      () => this.reply(MSG.UP_CONNECT_RSP, encodeLoginResponse(LOGIN_RESULT.OTHER, 0), h),
    );
  }

  /**
   * Connect back to the down-link address, but only to the platform's provisioned host or, without
   * one, the address the main link came from: a login must not make us connect anywhere it names.
   */
  private openDownLink(platform: Jt809PlatformIdentity, login: Jt809Login): void {
    const want = this.opts.downLink ?? this.opts.peer !== undefined;
    if (!want || this.closed) return;
    this.downLink?.stop();
    this.downLink = undefined;
    const peerHost = this.opts.peer?.replace(/:\d+$/, '').replace(/^::ffff:/, '');
    const allowed = platform.downLinkHost ?? peerHost;
    if (!login.downLinkIp || login.downLinkPort === 0 || login.downLinkIp !== allowed) {
      this.ignored('downlink_refused');
      this.reply(MSG.DOWN_DISCONNECT_INFORM, Uint8Array.of(0x02)); // other reason
      return;
    }
    const o = typeof want === 'object' ? want : {};
    this.downLink = new Jt809DownLink({
      host: login.downLinkIp,
      port: login.downLinkPort,
      verifyCode: this.verifyCode,
      centerId: platform.accessCode,
      edition: this.edition ?? 2011,
      ...o,
      lost: (reason) => {
        this.ignored('downlink_lost');
        if (!this.closed) this.reply(MSG.DOWN_DISCONNECT_INFORM, Uint8Array.of(reason));
      },
    });
    this.downLink.start();
  }

  /** Apply the authority's answer now when it has one, else when it comes, holding the frames meanwhile. */
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

  private dispatch(h: Jt809Header, body: Uint8Array, p: Jt809PlatformIdentity): void {
    switch (h.msgId) {
      case MSG.UP_LINKTEST_REQ:
        this.decoded();
        this.reply(MSG.UP_LINKTEST_RSP, EMPTY, h);
        return;
      case MSG.UP_DISCONNECT_REQ:
        this.decoded();
        this.reply(MSG.UP_DISCONNECT_RSP, EMPTY, h);
        this.closeWith('logout');
        return;
      case MSG.UP_CLOSELINK_INFORM:
        this.decoded();
        this.closeWith('closelink');
        return;
      case MSG.UP_DISCONNECT_INFORM:
      case MSG.DOWN_LINKTEST_RSP:
        this.decoded();
        return;
      case MSG.UP_EXG_MSG:
        this.exchange(h, body, p);
        return;
      case MSG.UP_WARN_MSG:
        this.warning(h, body, p);
        return;
      default:
        this.ignored('unsupported');
    }
  }

  private exchange(h: Jt809Header, body: Uint8Array, p: Jt809PlatformIdentity): void {
    const x = decodeExchange(body);
    if (!x) {
      this.reject('body', body);
      return;
    }
    switch (x.dataType) {
      case SUB.REAL_LOCATION: {
        const pos = decodeRealLocation(x.data, h.edition);
        if (!pos) {
          this.reject('body', body);
          return;
        }
        this.decoded();
        this.withVehicle(p, x.plate, x.color, (v) => this.deliver(v, x.plate, [pos]));
        return;
      }
      case SUB.HISTORY_LOCATION: {
        const ps = decodeHistoryLocation(x.data, h.edition);
        if (!ps) {
          this.reject('body', body);
          return;
        }
        this.decoded();
        this.withVehicle(p, x.plate, x.color, (v) => this.deliver(v, x.plate, ps));
        return;
      }
      case SUB.REGISTER:
        if (!decodeVehicleRegistration(x.data, h.edition)) this.reject('body', body);
        else {
          this.decoded();
          this.ignored('registration');
        }
        return;
      case SUB.RETURN_STARTUP_ACK:
      case SUB.RETURN_END_ACK:
        this.decoded();
        this.ignored('exchange_ack');
        this.opts.onExchangeAck?.(p, x.plate, x.dataType);
        return;
      case SUB.APPLY_FOR_MONITOR_STARTUP:
        // A lower platform asking us for a vehicle's positions: customs data is not handed out.
        this.decoded();
        this.ignored('apply_refused');
        this.reply(MSG.DOWN_EXG_MSG, encodeExchange(x.plate, x.color, SUB.DOWN_APPLY_FOR_MONITOR_STARTUP_ACK, this.applyAck(h, x.dataType, APPLY_RESULT.NO_DATA)), h);
        return;
      case SUB.APPLY_FOR_MONITOR_END:
        this.decoded();
        this.ignored('apply_refused');
        this.reply(MSG.DOWN_EXG_MSG, encodeExchange(x.plate, x.color, SUB.DOWN_APPLY_FOR_MONITOR_END_ACK, this.applyAck(h, x.dataType, 0)), h);
        return;
      default:
        this.ignored('unsupported');
    }
  }

  /** 0x9207 / 0x9208 body: 2019 names the request (type, SN) before the result. */
  private applyAck(h: Jt809Header, dataType: number, result: number): Uint8Array {
    if (h.edition === 2011) return Uint8Array.of(result);
    const b = new Uint8Array(7);
    const dv = new DataView(b.buffer);
    dv.setUint16(0, dataType);
    dv.setUint32(2, h.sn >>> 0);
    b[6] = result;
    return b;
  }

  private warning(h: Jt809Header, body: Uint8Array, p: Jt809PlatformIdentity): void {
    const x = decodeWarnMsg(body, h.edition);
    if (!x) {
      this.reject('body', body);
      return;
    }
    if (x.dataType !== SUB.WARN_ADPT_INFO) {
      this.decoded();
      this.ignored('unsupported');
      return;
    }
    const w = decodeWarning(x.data, h.edition);
    if (!w) {
      this.reject('body', body);
      return;
    }
    this.decoded();
    const plate = h.edition === 2011 ? x.plate : (w.plate ?? '');
    const color = h.edition === 2011 ? x.color : (w.color ?? 0);
    this.withVehicle(p, plate, color, (v) => {
      try {
        this.opts.authority.alarm?.(p, { assetKey: v.assetKey, plate }, w);
      } catch (err) {
        this.reject('internal', undefined, String(err));
      }
    });
  }

  /** Run `onAllowed` with the plate's asset when the platform may report it; else count it ignored. */
  private withVehicle(p: Jt809PlatformIdentity, plate: string, color: number, onAllowed: (v: { assetKey: string; label?: string }) => void): void {
    const key = plateKey(plate);
    const apply = (outcome: Jt809VehicleOutcome) => {
      if (outcome.ok) onAllowed(outcome);
      else this.ignored(outcome.why);
    };
    if (!key) {
      this.ignored('unknown_plate');
      return;
    }
    const cached = this.plates.get(key);
    if (cached && this.now() - cached.at < PLATE_TTL_MS) {
      apply(cached.outcome);
      return;
    }
    this.settle(
      this.opts.authority.vehicle(p, plate, color),
      (outcome) => {
        if (this.plates.size >= MAX_PLATES) this.plates.clear();
        this.plates.set(key, { outcome, at: this.now() });
        apply(outcome);
      },
      () => {},
    );
  }

  private deliver(v: { assetKey: string; label?: string }, plate: string, positions: Jt809Position[]): void {
    let any = false;
    for (const pos of positions) {
      if (pos.problem) {
        this.reject(pos.problem);
        continue;
      }
      if (!pos.positioned) {
        this.ignored('no_fix');
        continue;
      }
      const report: PositionReport = {
        assetKey: v.assetKey,
        kind: 'vehicle',
        source: 'jt809',
        time: pos.time,
        lon: pos.lon,
        lat: pos.lat,
        speed: pos.speed,
        alarm: jt808AlarmFlags(pos.alarm),
      };
      if (pos.course < 360) report.course = pos.course;
      if (!this.labelled.has(v.assetKey)) {
        if (this.labelled.size >= MAX_PLATES) this.labelled.clear();
        this.labelled.add(v.assetKey);
        report.label = (v.label ?? plate).slice(0, 64);
      }
      this.stats.positions++;
      any = true;
      this.opts.sink.position(report);
    }
    if (any && this.platform) {
      try {
        this.opts.authority.contact?.(this.platform, this.opts.peer);
      } catch {
        /* bookkeeping must not stop decoding */
      }
    }
  }

  // ------------------------------------------------------------------ replies and counting

  private reply(msgId: number, body: Uint8Array, h?: Jt809Header): void {
    if (this.closed) return;
    const sn = this.sn;
    this.sn = (this.sn + 1) >>> 0;
    const centerId = this.platform?.accessCode ?? h?.centerId ?? 0;
    this.opts.send(encodeFrame({ msgId, sn, centerId, body, edition: h?.edition ?? this.edition ?? 2011 }));
  }

  private closeWith(reason: 'garbage' | 'logout' | 'closelink'): void {
    if (this.closed) return;
    this.closed = true;
    this.downLink?.stop();
    this.downLink = undefined;
    this.opts.close?.(reason);
  }

  private decoded(): void {
    this.stats.frames++;
    decodedCounter.inc();
  }

  private ignored(kind: string): void {
    this.stats.ignored++;
    try {
      this.opts.sink.ignored(PROTOCOL, kind);
    } catch {
      /* a sink's bookkeeping must not stop decoding */
    }
  }

  private reject(reason: string, sample?: Uint8Array, detail?: string): void {
    this.stats.rejected++;
    try {
      this.opts.sink.rejected(PROTOCOL, reason, detail ?? (sample ? sampleHex(sample) : undefined));
    } catch {
      /* as above */
    }
  }
}
