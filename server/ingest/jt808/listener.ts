// JT/T 808 TCP listener: one Jt808Session per connection. Idle connections are closed and counted
// (connectionsClosed 'idle'), as are connections that only send garbage ('garbage') and ones that
// stop reading our replies ('slow_reader'), and those of a device the authority says was revoked
// ('revoked'). Open connections are a gauge.
import net from 'node:net';
import { log } from '../../log';
import { connectionsClosed, ingestConnections } from '../metrics';
import type { IngestSink } from '../types';
import type { Jt808Authority } from './authority';
import { DEFAULT_MAX_FRAME_BYTES } from './framer';
import { Jt808TerminalRegistry } from './registry';
import { Jt808Session } from './session';
import type { IngestGate } from '../../pipeline/ingestGate';

export const JT808_DEFAULT_PORT = 6808;

export interface Jt808ServerOptions {
  sink: IngestSink;
  /** Holds this connection's reading while the store is behind (server/pipeline/ingestGate.ts). */
  gate?: IngestGate;
  /** Default 6808; 0 picks a free port. */
  port?: number;
  /** Default all interfaces. */
  host?: string;
  /** Close a connection silent this long; default 5 min (terminals heartbeat every 60 s by default). */
  idleTimeoutMs?: number;
  /** Largest unescaped frame; default 2048. */
  maxFrameBytes?: number;
  /** Locations only after 0x0102 authentication; default true. */
  requireAuth?: boolean;
  /**
   * Who may log in. The server passes the provisioned-devices store; without one an in-memory
   * Jt808TerminalRegistry (which registers any terminal: tests, bench and replays only).
   */
  authority?: Jt808Authority;
  /** Sub-packages not completed within this are dropped; default 30 s. */
  subpackageTimeoutMs?: number;
  /** Unacknowledged reply bytes before a connection counts as not reading; default 256 KiB. */
  maxPendingWriteBytes?: number;
}

export interface Jt808Server {
  port: number;
  authority: Jt808Authority;
  /** Open connections now. */
  connections(): number;
  close(): Promise<void>;
}

const PROTOCOL = 'jt808';

export function startJt808Server(opts: Jt808ServerOptions): Promise<Jt808Server> {
  const authority: Jt808Authority = opts.authority ?? new Jt808TerminalRegistry();
  const idleMs = opts.idleTimeoutMs ?? 5 * 60_000;
  const maxPending = opts.maxPendingWriteBytes ?? 256 * 1024;
  const sockets = new Set<net.Socket>();
  const sessions = new Map<Jt808Session, (reason: string) => void>();
  // A revoked (or reset) device loses its connections at once, not at its next login.
  const unsubscribe = authority.onRevoked?.((deviceId) => {
    for (const [session, closeWith] of sessions) if (session.identity?.deviceId === deviceId) closeWith('revoked');
  });

  const server = net.createServer((socket) => {
    sockets.add(socket);
    opts.gate?.track(socket);
    ingestConnections.inc({ protocol: PROTOCOL });
    socket.setNoDelay(true);
    let closedBy: string | undefined;
    const closeWith = (reason: string) => {
      if (closedBy) return;
      closedBy = reason;
      connectionsClosed.inc({ protocol: PROTOCOL, reason });
      socket.destroy();
    };
    const session = new Jt808Session({
      sink: opts.sink,
      authority,
      peer: `${socket.remoteAddress}:${socket.remotePort}`,
      requireAuth: opts.requireAuth ?? true,
      maxFrameBytes: opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      subpackageTimeoutMs: opts.subpackageTimeoutMs,
      send(bytes) {
        if (socket.destroyed || !socket.writable) return;
        socket.write(bytes);
        if (socket.writableLength > maxPending) closeWith('slow_reader');
      },
      close: (reason) => closeWith(reason),
    });
    sessions.set(session, closeWith);
    socket.setTimeout(idleMs, () => closeWith('idle'));
    socket.on('data', (chunk: Buffer) => session.push(chunk));
    socket.on('error', () => {
      /* reset by peer etc.: 'close' follows */
    });
    socket.on('close', () => {
      sockets.delete(socket);
      sessions.delete(session);
      ingestConnections.dec({ protocol: PROTOCOL });
      session.end();
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? JT808_DEFAULT_PORT, opts.host, () => {
      server.off('error', reject);
      server.on('error', (err) => log.warn({ err, protocol: PROTOCOL }, 'jt808 listener error'));
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        authority,
        connections: () => sockets.size,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe?.();
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
