// AIS NMEA over the network, three ways (default port 10110, the NMEA-over-IP convention):
//  - a TCP server that receivers and relays connect to and stream lines into;
//  - a UDP listener (AIS-catcher, rtl-ais, ship receivers: one or more lines per datagram);
//  - a TCP client that connects out to a remote feed (AIS-catcher, AISHub-style relay) and
//    reconnects with exponential back-off.
// Each connection / sender has its own decoder, so multi-sentence messages never mix across
// feeds. A connection that sends garbage stays served (each bad line is counted and skipped);
// one silent past the idle timeout is closed and counted (connectionsClosed{reason:'idle'}).
// The TCP server and the UDP listener serve only senders on their allow-list (AIS_ALLOW, default
// this host): anyone else's connection is closed and datagram dropped before a byte is decoded,
// counted (sendersRefused) and logged with the address. The TCP client trusts the relay it dials.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { log } from '../../log';
import { connectionsClosed, ingestConnections, sendersRefused } from '../metrics';
import type { IngestSink } from '../types';
import { AIS_ALLOW_DEFAULT, parseAddressAllow, type AddressAllow } from './allow';
import type { AisAssemblerOptions } from './assembler';
import { AisDecoder } from './decoder';
import { LineFramer } from './framer';
import type { IngestGate } from '../../pipeline/ingestGate';

export const AIS_DEFAULT_PORT = 10110;
const NEWLINE = Buffer.from('\n');

export interface AisListenerHandle {
  /** The port actually bound (server, UDP) or connected to (client). */
  port: number;
  close(): Promise<void>;
}

export interface AisTcpServerOptions extends AisAssemblerOptions {
  port?: number;
  host?: string;
  sink: IngestSink;
  /** Holds this connection's reading while the store is behind (server/pipeline/ingestGate.ts). */
  gate?: IngestGate;
  /** Who may connect (default: this host only, AIS_ALLOW_DEFAULT). */
  allow?: AddressAllow;
  /** Close a connection silent this long (default 5 min; 0 turns it off). */
  idleTimeoutMs?: number;
  /** Longest line accepted (default 1024 bytes); longer ones are rejected 'oversize' and skipped. */
  maxLineBytes?: number;
  /** Connections served at once (default 256); more are refused. */
  maxConnections?: number;
}

const REFUSAL_LOG_MS = 60_000; // one log line per refused address this often

/** Counts and logs (throttled per address) a sender the allow-list refuses. */
function refusals(transport: 'tcp' | 'udp') {
  const logged = new Map<string, number>();
  return (address: string | undefined) => {
    sendersRefused.inc({ protocol: 'ais', transport });
    const key = address ?? '?';
    const now = Date.now();
    if (now - (logged.get(key) ?? 0) < REFUSAL_LOG_MS) return;
    if (logged.size >= 4096) logged.clear(); // many addresses: bounded memory, a few more lines
    logged.set(key, now);
    log.warn({ protocol: 'ais', transport, address: key }, 'AIS sender refused: its address is not in AIS_ALLOW');
  };
}

/** A feed's line pipeline: framer → decoder, with the decoder's timeouts swept by the caller. */
function feed(sink: IngestSink, opts: AisAssemblerOptions, maxLineBytes: number) {
  const decoder = new AisDecoder({ ...opts, sink });
  const framer = new LineFramer(
    {
      line: (l) => decoder.push(l, Date.now()),
      oversize: (s) => decoder.oversize(s),
    },
    maxLineBytes,
  );
  return {
    decoder,
    data(chunk: Buffer) {
      try {
        framer.push(chunk);
      } catch {
        /* never throws: the framer and decoder count their own errors */
      }
    },
    end() {
      try {
        framer.end();
      } catch {
        /* ignore */
      }
      decoder.flush();
    },
  };
}

/** The TCP server receivers connect to. */
export async function startAisTcpServer(opts: AisTcpServerOptions): Promise<AisListenerHandle> {
  const idleMs = opts.idleTimeoutMs ?? 5 * 60_000;
  const maxLine = opts.maxLineBytes ?? 1024;
  const live = new Map<Socket, ReturnType<typeof feed>>();
  const allow = opts.allow ?? parseAddressAllow(AIS_ALLOW_DEFAULT);
  const refuse = refusals('tcp');

  const server = createServer((socket) => {
    if (!allow.allows(socket.remoteAddress)) {
      refuse(socket.remoteAddress);
      socket.on('error', () => {
        /* reset while closing */
      });
      socket.destroy();
      return;
    }
    const f = feed(opts.sink, opts, maxLine);
    live.set(socket, f);
    opts.gate?.track(socket);
    ingestConnections.inc({ protocol: 'ais' });
    if (idleMs > 0) socket.setTimeout(idleMs);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => f.data(chunk));
    socket.on('timeout', () => {
      connectionsClosed.inc({ protocol: 'ais', reason: 'idle' });
      socket.destroy();
    });
    socket.on('error', () => {
      /* reset by peer etc.: 'close' follows */
    });
    socket.on('close', () => {
      if (!live.delete(socket)) return;
      ingestConnections.dec({ protocol: 'ais' });
      f.end();
    });
  });
  server.maxConnections = opts.maxConnections ?? 256;
  server.on('error', () => {
    /* per-connection errors are handled on the sockets */
  });

  const sweep = setInterval(() => {
    for (const f of live.values()) f.decoder.expire(Date.now());
  }, 1000);
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? AIS_DEFAULT_PORT, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweep);
        server.close(() => resolve());
        for (const s of live.keys()) s.destroy();
      }),
  };
}

export interface AisUdpListenerOptions extends AisAssemblerOptions {
  port?: number;
  host?: string;
  sink: IngestSink;
  /** Whose datagrams are read (default: this host only, AIS_ALLOW_DEFAULT). */
  allow?: AddressAllow;
  maxLineBytes?: number;
  /** Senders remembered at once, each with its own decoder (default 1024; the least recent goes). */
  maxSenders?: number;
}

/** UDP: each datagram holds one or more lines; each sender (address:port) has its own decoder. */
export async function startAisUdpListener(opts: AisUdpListenerOptions): Promise<AisListenerHandle> {
  const host = opts.host ?? '0.0.0.0';
  const maxLine = opts.maxLineBytes ?? 1024;
  const maxSenders = opts.maxSenders ?? 1024;
  const senders = new Map<string, { f: ReturnType<typeof feed>; seen: number }>();
  const socket: UdpSocket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
  const allow = opts.allow ?? parseAddressAllow(AIS_ALLOW_DEFAULT);
  const refuse = refusals('udp');

  socket.on('message', (msg, rinfo) => {
    if (!allow.allows(rinfo.address)) return refuse(rinfo.address);
    const key = `${rinfo.address}:${rinfo.port}`;
    let s = senders.get(key);
    if (s) {
      senders.delete(key); // re-insert: the map stays in least-recent-first order
    } else {
      if (senders.size >= maxSenders) {
        const [oldKey, old] = senders.entries().next().value as [string, { f: ReturnType<typeof feed> }];
        senders.delete(oldKey);
        old.f.decoder.flush();
      }
      s = { f: feed(opts.sink, opts, maxLine), seen: 0 };
    }
    s.seen = Date.now();
    senders.set(key, s);
    s.f.data(msg);
    s.f.data(NEWLINE); // a datagram ends its last line
  });
  socket.on('error', () => {
    /* ICMP errors and the like: keep listening */
  });

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, s] of senders) {
      s.f.decoder.expire(now);
      if (now - s.seen > 10 * 60_000 && s.f.decoder.pending === 0) senders.delete(key);
    }
  }, 1000);
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.port ?? AIS_DEFAULT_PORT, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    port: socket.address().port,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweep);
        for (const s of senders.values()) s.f.decoder.flush();
        senders.clear();
        socket.close(() => resolve());
      }),
  };
}

export interface AisTcpClientOptions extends AisAssemblerOptions {
  host: string;
  port: number;
  sink: IngestSink;
  /** Holds this connection's reading while the store is behind (server/pipeline/ingestGate.ts). */
  gate?: IngestGate;
  /** Reconnect after a silence this long (default 2 min; 0 turns it off). */
  idleTimeoutMs?: number;
  maxLineBytes?: number;
  /** First reconnect delay (default 1 s), doubled after each failure up to maxBackoffMs (default 60 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Progress for the log: connected, lost, retrying in N ms. */
  onEvent?: (event: { kind: 'connected' | 'disconnected' | 'retry'; detail?: string; delayMs?: number }) => void;
}

export interface AisTcpClientHandle extends AisListenerHandle {
  /** Whether the feed is connected now. */
  readonly connected: boolean;
  /** Connections made so far (the first and every reconnect). */
  readonly connections: number;
}

/** Connects to a remote feed and keeps connecting: back-off doubles per failed try, capped, with ±20 % jitter. */
export async function startAisTcpClient(opts: AisTcpClientOptions): Promise<AisTcpClientHandle> {
  const idleMs = opts.idleTimeoutMs ?? 2 * 60_000;
  const maxLine = opts.maxLineBytes ?? 1024;
  const initial = opts.initialBackoffMs ?? 1000;
  const cap = opts.maxBackoffMs ?? 60_000;
  let backoff = initial;
  let closed = false;
  let socket: Socket | null = null;
  let connected = false;
  let connections = 0;
  let timer: NodeJS.Timeout | null = null;
  let current: ReturnType<typeof feed> | null = null;

  const sweep = setInterval(() => current?.decoder.expire(Date.now()), 1000);
  sweep.unref();

  const schedule = () => {
    if (closed) return;
    const delay = Math.round(backoff * (0.8 + Math.random() * 0.4));
    opts.onEvent?.({ kind: 'retry', delayMs: delay });
    backoff = Math.min(backoff * 2, cap);
    timer = setTimeout(open, delay);
  };

  function open(): void {
    timer = null;
    if (closed) return;
    const s = connect({ host: opts.host, port: opts.port });
    socket = s;
    opts.gate?.track(s);
    const f = feed(opts.sink, opts, maxLine);
    let up = false;
    s.on('connect', () => {
      up = true;
      connected = true;
      connections++;
      current = f;
      ingestConnections.inc({ protocol: 'ais' });
      if (idleMs > 0) s.setTimeout(idleMs);
      opts.onEvent?.({ kind: 'connected' });
    });
    s.on('data', (chunk: Buffer) => {
      backoff = initial; // a feed that talks is healthy: the next loss retries quickly
      f.data(chunk);
    });
    s.on('timeout', () => {
      connectionsClosed.inc({ protocol: 'ais', reason: 'idle' });
      s.destroy();
    });
    s.on('error', () => {
      /* 'close' follows */
    });
    s.on('close', () => {
      if (socket === s) socket = null;
      if (up) {
        connected = false;
        if (current === f) current = null;
        ingestConnections.dec({ protocol: 'ais' });
        f.end();
        opts.onEvent?.({ kind: 'disconnected' });
      }
      schedule();
    });
  }

  open();
  return {
    port: opts.port,
    get connected() {
      return connected;
    },
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        clearInterval(sweep);
        if (timer) clearTimeout(timer);
        const s = socket;
        if (!s || s.destroyed) return resolve();
        s.once('close', () => resolve());
        s.destroy();
      }),
  };
}
