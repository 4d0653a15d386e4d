// A simulated JT/T 809 lower platform (下级平台) over real sockets, for tests, the bench and demos:
// it connects the main link, logs in (0x1001), serves its down-link (the upper platform connects
// back with 0x9001 and the verify code; answered 0x9002, 0x9005 → 0x9006), answers the upper
// platform's 0x9205 / 0x9206 with 0x1205 / 0x1206 on the main link, and sends positions, backfills,
// alarms, heartbeats and the logout.
import net from 'node:net';
import { encodeFrame, guessEdition, parseFrame, type Jt809CipherKeys, type Jt809Edition, type Jt809Header } from './codec';
import { Jt809Framer } from './framer';
import {
  MSG,
  SUB,
  decodeExchange,
  decodeLoginResponse,
  decodeU32,
  encodeExchange,
  encodeHistoryLocation,
  encodeLogin,
  encodeLogout,
  encodePosition,
  encodeWarning,
  type Jt809PositionInput,
} from './messages';

export interface Jt809PlatformOptions {
  host?: string;
  port: number;
  accessCode: number;
  userId: number;
  password: string;
  edition?: Jt809Edition;
  /** Encrypt what we send with these (ENCRYPT_FLAG 1, a fresh key per frame). */
  keys?: Jt809CipherKeys;
  /** Serve a down-link (default true) on this host (default 127.0.0.1), port 0 = any. */
  downLink?: boolean;
  downLinkHost?: string;
  /** Claim this down-link address instead of our own (tests of the upper platform's refusal). */
  claimDownLinkIp?: string;
}

export interface Jt809Received {
  link: 'main' | 'down';
  header: Jt809Header;
  body: Uint8Array;
  /** For 0x9200: the vehicle and sub-type. */
  exchange?: { plate: string; color: number; dataType: number; data: Uint8Array };
}

export class Jt809Platform {
  readonly received: Jt809Received[] = [];
  verifyCode: number | undefined;
  downLinkPort = 0;
  private main: net.Socket | undefined;
  private downServer: net.Server | undefined;
  private readonly downSockets = new Set<net.Socket>();
  private sn = 0;
  private readonly waiters: { match: (r: Jt809Received) => boolean; resolve: (r: Jt809Received) => void }[] = [];
  readonly edition: Jt809Edition;

  constructor(private readonly opts: Jt809PlatformOptions) {
    this.edition = opts.edition ?? 2011;
  }

  /** Open the down-link server (unless turned off) and the main link. */
  async connect(): Promise<void> {
    if (this.opts.downLink !== false) {
      this.downServer = net.createServer((s) => this.serveDown(s));
      await new Promise<void>((r) => this.downServer!.listen(0, this.opts.downLinkHost ?? '127.0.0.1', r));
      this.downLinkPort = (this.downServer.address() as net.AddressInfo).port;
    }
    const main = net.connect({ host: this.opts.host ?? '127.0.0.1', port: this.opts.port });
    this.main = main;
    main.setNoDelay(true);
    this.attach(main, 'main');
    await new Promise<void>((resolve, reject) => {
      main.once('connect', resolve);
      main.once('error', reject);
    });
  }

  /** 0x1001 → the 0x1002 result (0 ok) and verify code. */
  async login(password = this.opts.password, userId = this.opts.userId): Promise<{ result: number; verifyCode: number }> {
    const body = encodeLogin(
      {
        userId,
        password,
        centerId: this.opts.accessCode,
        downLinkIp: this.opts.claimDownLinkIp ?? (this.opts.downLink === false ? '' : (this.opts.downLinkHost ?? '127.0.0.1')),
        downLinkPort: this.downLinkPort,
      },
      this.edition,
    );
    const reply = this.next((r) => r.link === 'main' && r.header.msgId === MSG.UP_CONNECT_RSP);
    this.send(MSG.UP_CONNECT_REQ, body);
    const r = decodeLoginResponse((await reply).body)!;
    this.verifyCode = r.verifyCode;
    return r;
  }

  position(plate: string, color: number, fix: Jt809PositionInput): void {
    this.send(MSG.UP_EXG_MSG, encodeExchange(plate, color, SUB.REAL_LOCATION, encodePosition(fix, this.edition)));
  }

  /** 0x1202 frame bytes without sending (the bench pre-encodes). */
  positionFrame(plate: string, color: number, fix: Jt809PositionInput): Buffer {
    return this.frame(MSG.UP_EXG_MSG, encodeExchange(plate, color, SUB.REAL_LOCATION, encodePosition(fix, this.edition)));
  }

  history(plate: string, color: number, fixes: Jt809PositionInput[]): void {
    this.send(MSG.UP_EXG_MSG, encodeExchange(plate, color, SUB.HISTORY_LOCATION, encodeHistoryLocation(fixes, this.edition)));
  }

  alarm(plate: string, color: number, w: { type: number; time: number; info: string }): void {
    const data = encodeWarning({ ...w, plate, color }, this.edition);
    const body = this.edition === 2011 ? encodeExchange(plate, color, SUB.WARN_ADPT_INFO, data) : encodeExchange('', 0, SUB.WARN_ADPT_INFO, data, false);
    this.send(MSG.UP_WARN_MSG, body);
  }

  async heartbeat(): Promise<Jt809Received> {
    const reply = this.next((r) => r.link === 'main' && r.header.msgId === MSG.UP_LINKTEST_RSP);
    this.send(MSG.UP_LINKTEST_REQ, new Uint8Array(0));
    return reply;
  }

  async logout(): Promise<Jt809Received> {
    const reply = this.next((r) => r.link === 'main' && r.header.msgId === MSG.UP_DISCONNECT_RSP);
    this.send(MSG.UP_DISCONNECT_REQ, encodeLogout(this.opts.userId, this.opts.password));
    return reply;
  }

  /** Raw bytes on the main link. */
  write(bytes: Uint8Array): void {
    this.main?.write(bytes);
  }

  send(msgId: number, body: Uint8Array): void {
    this.main?.write(this.frame(msgId, body));
  }

  /** The next message (already received or to come) that matches. */
  next(match: (r: Jt809Received) => boolean): Promise<Jt809Received> {
    const seen = this.received.find(match);
    if (seen) {
      this.received.splice(this.received.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Close both links (the main link first, as a platform going away would). */
  async close(): Promise<void> {
    await new Promise<void>((r) => {
      if (!this.main || this.main.destroyed) return r();
      this.main.once('close', () => r());
      this.main.destroy();
    });
    for (const s of this.downSockets) s.destroy();
    await new Promise<void>((r) => (this.downServer ? this.downServer.close(() => r()) : r()));
  }

  private frame(msgId: number, body: Uint8Array): Buffer {
    const sn = this.sn;
    this.sn = (this.sn + 1) >>> 0;
    const encrypt = this.opts.keys ? { key: (sn * 2654435761 + 12345) >>> 0 || 1, keys: this.opts.keys } : undefined;
    return encodeFrame({ msgId, sn, centerId: this.opts.accessCode, body, edition: this.edition, encrypt });
  }

  private serveDown(socket: net.Socket): void {
    this.downSockets.add(socket);
    socket.on('close', () => this.downSockets.delete(socket));
    this.attach(socket, 'down');
  }

  private attach(socket: net.Socket, link: 'main' | 'down'): void {
    const framer = new Jt809Framer({
      frame: (content) => {
        const parsed = parseFrame(content, this.edition ?? guessEdition(content), true);
        if (!parsed.ok) return;
        const r: Jt809Received = { link, header: parsed.frame.header, body: parsed.frame.body.slice() };
        if (r.header.msgId === MSG.DOWN_EXG_MSG) {
          const x = decodeExchange(r.body);
          if (x) r.exchange = { ...x, data: x.data.slice() };
        }
        this.onMessage(socket, r);
      },
      reject: () => {},
      garbage: () => {},
    });
    socket.on('data', (c: Buffer) => framer.push(c));
    socket.on('error', () => {});
  }

  private onMessage(socket: net.Socket, r: Jt809Received): void {
    const answer = (msgId: number, body: Uint8Array) => socket.write(this.frame(msgId, body));
    if (r.link === 'down') {
      if (r.header.msgId === MSG.DOWN_CONNECT_REQ) answer(MSG.DOWN_CONNECT_RSP, Uint8Array.of(decodeU32(r.body) === this.verifyCode ? 0 : 1));
      else if (r.header.msgId === MSG.DOWN_LINKTEST_REQ) answer(MSG.DOWN_LINKTEST_RSP, new Uint8Array(0));
      else if (r.header.msgId === MSG.DOWN_DISCONNECT_REQ) answer(MSG.DOWN_DISCONNECT_RSP, new Uint8Array(0));
    }
    // Requests to start / stop a vehicle's positions are acknowledged on the main link.
    if (r.exchange && (r.exchange.dataType === SUB.DOWN_RETURN_STARTUP || r.exchange.dataType === SUB.DOWN_RETURN_END)) {
      const ack = r.exchange.dataType === SUB.DOWN_RETURN_STARTUP ? SUB.RETURN_STARTUP_ACK : SUB.RETURN_END_ACK;
      this.send(MSG.UP_EXG_MSG, encodeExchange(r.exchange.plate, r.exchange.color, ack, new Uint8Array(0)));
    }
    const w = this.waiters.findIndex((x) => x.match(r));
    if (w >= 0) this.waiters.splice(w, 1)[0]!.resolve(r);
    else this.received.push(r);
  }
}
