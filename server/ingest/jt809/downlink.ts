// The down-link (从链路): after a lower platform logs in on the main link, the upper platform
// connects back to the down-link address it gave in 0x1001 and logs in with 0x9001 and the verify
// code of the 0x1002 reply; 0x9002 result 0 opens it. It is kept with 0x9005 / 0x9006 and carries
// the upper platform's requests (0x9200 …). When it cannot be opened, or drops, the main link's
// session is told (it sends 0x9007 on the main link, as the standard says) and it is tried again
// after retryMs, for as long as the main link lives. Work on the main link never waits for it.
import net from 'node:net';
import { encodeFrame, guessEdition, parseFrame, type Jt809Edition } from './codec';
import { Jt809Framer } from './framer';
import { DOWN_DISCONNECT_REASON, MSG, encodeU32 } from './messages';

export interface Jt809DownLinkOptions {
  host: string;
  port: number;
  verifyCode: number;
  centerId: number;
  edition: Jt809Edition;
  /** 0x9005 every this often; default 60 s. */
  heartbeatMs?: number;
  /** Try again this long after a failure; default 30 s. */
  retryMs?: number;
  /** Give up a connect or a 0x9001 answer after this; default 10 s. */
  connectTimeoutMs?: number;
  /** Opened (0x9002 result 0). */
  opened?(): void;
  /** Could not open (reason 0) or dropped (reason 1), or refused by 0x9002 (reason 2). */
  lost?(reason: number): void;
}

export class Jt809DownLink {
  private socket: net.Socket | undefined;
  private isOpen = false;
  private stopped = false;
  private sn = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private readonly framer: Jt809Framer;

  constructor(private readonly opts: Jt809DownLinkOptions) {
    this.framer = new Jt809Framer({ frame: (c) => this.onFrame(c), reject: () => {}, garbage: () => {} });
  }

  get open(): boolean {
    return this.isOpen;
  }

  start(): void {
    if (this.stopped || this.socket) return;
    const socket = net.connect({ host: this.opts.host, port: this.opts.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setTimeout(this.opts.connectTimeoutMs ?? 10_000, () => socket.destroy());
    let failedReason: number = DOWN_DISCONNECT_REASON.CANNOT_CONNECT;
    socket.on('connect', () => {
      failedReason = DOWN_DISCONNECT_REASON.DISCONNECTED;
      socket.write(this.frame(MSG.DOWN_CONNECT_REQ, encodeU32(this.opts.verifyCode)));
    });
    socket.on('data', (chunk: Buffer) => this.framer.push(chunk));
    socket.on('error', () => {
      /* 'close' follows */
    });
    socket.on('close', () => {
      const wasOpen = this.isOpen;
      this.isOpen = false;
      this.socket = undefined;
      clearInterval(this.heartbeat);
      this.framer.end();
      if (this.stopped) return;
      this.opts.lost?.(wasOpen ? DOWN_DISCONNECT_REASON.DISCONNECTED : failedReason);
      this.retry = setTimeout(() => this.start(), this.opts.retryMs ?? 30_000);
      this.retry.unref();
    });
  }

  /** Send on the down-link; false when it is not open. */
  send(msgId: number, body: Uint8Array): boolean {
    if (!this.isOpen || !this.socket) return false;
    this.socket.write(this.frame(msgId, body));
    return true;
  }

  /** Close for good (the main link ended): 0x9003 first when open. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    if (this.socket) {
      if (this.isOpen) this.socket.end(this.frame(MSG.DOWN_DISCONNECT_REQ, encodeU32(this.opts.verifyCode)));
      else this.socket.destroy();
      this.socket.setTimeout(2000, () => this.socket?.destroy());
    }
    this.isOpen = false;
  }

  private frame(msgId: number, body: Uint8Array): Buffer {
    const sn = this.sn;
    this.sn = (this.sn + 1) >>> 0;
    return encodeFrame({ msgId, sn, centerId: this.opts.centerId, body, edition: this.opts.edition });
  }

  private onFrame(content: Uint8Array): void {
    const parsed = parseFrame(content, this.opts.edition ?? guessEdition(content), true);
    if (!parsed.ok) return;
    const { header, body } = parsed.frame;
    if (header.msgId === MSG.DOWN_CONNECT_RSP) {
      if (body[0] === 0) {
        this.isOpen = true;
        this.socket?.setTimeout(0);
        this.heartbeat = setInterval(() => this.socket?.write(this.frame(MSG.DOWN_LINKTEST_REQ, new Uint8Array(0))), this.opts.heartbeatMs ?? 60_000);
        this.heartbeat.unref();
        this.opts.opened?.();
      } else {
        this.opts.lost?.(DOWN_DISCONNECT_REASON.OTHER);
        this.stopped = true; // a refused verify code will not get better by retrying
        this.socket?.destroy();
      }
    }
    // 0x9004 and 0x9006 need no action: the socket's life is what counts.
  }
}
