// A small JT/T 808 terminal over a real TCP socket, for the simulator, replays and tests:
// connect, register, authenticate, send locations, read the server's replies.
//
//   const t = await Jt808Terminal.connect({ port, phone: '013912345678' });
//   await t.register({ plate: '沪A12345' });       // keeps the auth code from 0x8100
//   await t.authenticate();                        // → 0 (ok)
//   await t.sendLocation({ lat: 31.2, lon: 121.5, time: Date.now(), speed: 42 });
//   await t.close();
import net from 'node:net';
import { encodeFrame, parseFrame, type Jt808Edition, type Jt808Header } from './codec';
import { Jt808Framer } from './framer';
import {
  MSG,
  decodeGeneralResponse,
  decodeRegistrationResponse,
  encodeAuthBody,
  encodeBatchBody,
  encodeLocationBody,
  encodeRegistrationBody,
  type Jt808LocationInput,
  type Jt808RegistrationInput,
} from './messages';

export interface Jt808TerminalOptions {
  port: number;
  host?: string;
  /** Terminal phone number digits (up to 12 for 2013, 20 for 2019; left-padded with zeros). */
  phone: string;
  /** Default 2013. */
  edition?: Jt808Edition;
  /** How long to wait for a reply; default 5 s. */
  replyTimeoutMs?: number;
}

/** A frame the server sent. */
export interface Jt808Reply {
  header: Jt808Header;
  body: Uint8Array;
  /** For 0x8001: the general response fields. */
  general?: { replySerial: number; replyId: number; result: number };
  /** For 0x8100: the registration response fields. */
  registration?: { replySerial: number; result: number; authCode?: string };
}

interface Waiter {
  resolve(r: Jt808Reply): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class Jt808Terminal {
  /** The auth code from the last successful registration (or set it yourself). */
  authCode: string | undefined;
  /** The frames the server sent, in order (the last 256). */
  readonly received: Jt808Reply[] = [];
  readonly phone: string;
  readonly edition: Jt808Edition;
  private serial = 0;
  private readonly pending = new Map<number, Waiter>();
  private readonly nextWaiters: Waiter[] = [];
  private readonly framer: Jt808Framer;
  private readonly timeoutMs: number;
  private closedError: Error | undefined;

  private constructor(
    private readonly socket: net.Socket,
    opts: Jt808TerminalOptions,
  ) {
    this.phone = opts.phone;
    this.edition = opts.edition ?? 2013;
    this.timeoutMs = opts.replyTimeoutMs ?? 5000;
    this.framer = new Jt808Framer({
      frame: (content) => {
        const p = parseFrame(content);
        if (p.ok) this.onReply(p.frame.header, p.frame.body.slice());
      },
      reject: () => {},
      garbage: () => {},
    });
    socket.on('data', (chunk: Buffer) => this.framer.push(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  static connect(opts: Jt808TerminalOptions): Promise<Jt808Terminal> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port: opts.port, host: opts.host ?? '127.0.0.1' });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.setNoDelay(true);
        resolve(new Jt808Terminal(socket, opts));
      });
    });
  }

  /** Whether the server has closed the connection (or it failed). */
  get closed(): boolean {
    return this.closedError !== undefined;
  }

  /** Build a frame from this terminal (own serial counter). */
  frame(msgId: number, body?: Uint8Array, packet?: { total: number; index: number }): { serial: number; bytes: Buffer } {
    const serial = this.serial;
    this.serial = (this.serial + 1) & 0xffff;
    return { serial, bytes: encodeFrame({ msgId, phone: this.phone, serial, body, edition: this.edition, packet }) };
  }

  /** Send a message and wait for the server's reply to it (0x8001 or 0x8100 naming its serial). */
  request(msgId: number, body?: Uint8Array): Promise<Jt808Reply> {
    const { serial, bytes } = this.frame(msgId, body);
    const reply = this.awaitReply(serial);
    this.socket.write(bytes);
    return reply;
  }

  /** Wait for the reply naming terminal serial `serial`. */
  awaitReply(serial: number): Promise<Jt808Reply> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(serial);
        reject(new Error(`no reply to serial ${serial} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(serial, { resolve, reject, timer });
    });
  }

  /** The next frame the server sends, whatever it is. */
  nextFrame(): Promise<Jt808Reply> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.nextWaiters.splice(this.nextWaiters.indexOf(w), 1);
          reject(new Error(`no frame within ${this.timeoutMs} ms`));
        }, this.timeoutMs),
      };
      this.nextWaiters.push(w);
    });
  }

  /** Raw bytes onto the socket (garbage, hand-made frames, replays). */
  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** 0x0100; keeps the auth code on success. Returns the 0x8100 result and code. */
  async register(info: Jt808RegistrationInput = {}): Promise<{ result: number; authCode?: string }> {
    const r = await this.request(MSG.REGISTER, encodeRegistrationBody(info, this.edition));
    if (!r.registration) throw new Error(`expected 0x8100, got 0x${r.header.msgId.toString(16)}`);
    if (r.registration.result === 0) this.authCode = r.registration.authCode;
    return { result: r.registration.result, authCode: r.registration.authCode };
  }

  /** 0x0102 with the given code (default the one from registration). Returns the 0x8001 result. */
  async authenticate(code = this.authCode ?? '', extra: { imei?: string; softwareVersion?: string } = {}): Promise<number> {
    return this.result(await this.request(MSG.AUTH, encodeAuthBody(code, this.edition, extra.imei ?? '', extra.softwareVersion ?? '')));
  }

  async heartbeat(): Promise<number> {
    return this.result(await this.request(MSG.HEARTBEAT));
  }

  async sendLocation(fix: Jt808LocationInput): Promise<number> {
    return this.result(await this.request(MSG.LOCATION, encodeLocationBody(fix)));
  }

  /** 0x0704 (type 0 normal, 1 blind-area supplement). */
  async sendBatch(fixes: Jt808LocationInput[], type = 0): Promise<number> {
    return this.result(await this.request(MSG.LOCATION_BATCH, encodeBatchBody(fixes, type)));
  }

  async logout(): Promise<number> {
    return this.result(await this.request(MSG.LOGOUT));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) {
        resolve();
        return;
      }
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 1000).unref();
    });
  }

  private result(r: Jt808Reply): number {
    if (!r.general) throw new Error(`expected 0x8001, got 0x${r.header.msgId.toString(16)}`);
    return r.general.result;
  }

  private onReply(header: Jt808Header, body: Uint8Array): void {
    const reply: Jt808Reply = { header, body };
    let replySerial: number | undefined;
    if (header.msgId === MSG.SERVER_RESPONSE) {
      reply.general = decodeGeneralResponse(body) ?? undefined;
      replySerial = reply.general?.replySerial;
    } else if (header.msgId === MSG.REGISTER_RESPONSE) {
      reply.registration = decodeRegistrationResponse(body) ?? undefined;
      replySerial = reply.registration?.replySerial;
    }
    this.received.push(reply);
    if (this.received.length > 256) this.received.shift();
    const next = this.nextWaiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(reply);
    }
    if (replySerial !== undefined) {
      const w = this.pending.get(replySerial);
      if (w) {
        this.pending.delete(replySerial);
        clearTimeout(w.timer);
        w.resolve(reply);
      }
    }
  }

  private fail(err: Error): void {
    this.closedError ??= err;
    for (const w of this.pending.values()) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.pending.clear();
    for (const w of this.nextWaiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }
}
