// JT/T 809 TCP listener (the upper platform's main-link server): one Jt809Session per connection.
// Idle links are closed ('idle'; lower platforms send 0x1005 every minute or so), as are links that
// only send garbage, stop reading ('slow_reader'), log out or send the close notice, and those of a
// platform revoked ('revoked'). Open links are a gauge; logged-in ones are in jt809Links.
import net from 'node:net';
import { log } from '../../log';
import { connectionsClosed, ingestConnections } from '../metrics';
import type { IngestSink } from '../types';
import type { Jt809Authority, Jt809PlatformIdentity } from './authority';
import { DEFAULT_MAX_FRAME_BYTES } from './framer';
import { jt809Links } from './links';
import { Jt809Session, type Jt809SessionOptions } from './session';
import type { IngestGate } from '../../pipeline/ingestGate';

export const JT809_DEFAULT_PORT = 6809;

export interface Jt809ServerOptions {
  sink: IngestSink;
  /** Holds this connection's reading while the store is behind (server/pipeline/ingestGate.ts). */
  gate?: IngestGate;
  authority: Jt809Authority;
  /** Default 6809; 0 picks a free port. */
  port?: number;
  host?: string;
  /** Default 5 min. */
  idleTimeoutMs?: number;
  maxFrameBytes?: number;
  maxPendingWriteBytes?: number;
  /** Down-link options (false: never open one). */
  downLink?: Jt809SessionOptions['downLink'];
  onExchangeAck?(platform: Jt809PlatformIdentity, plate: string, dataType: number): void;
}

export interface Jt809Server {
  port: number;
  connections(): number;
  sessions(): Jt809Session[];
  close(): Promise<void>;
}

const PROTOCOL = 'jt809';

export function startJt809Server(opts: Jt809ServerOptions): Promise<Jt809Server> {
  const idleMs = opts.idleTimeoutMs ?? 5 * 60_000;
  const maxPending = opts.maxPendingWriteBytes ?? 256 * 1024;
  const sockets = new Set<net.Socket>();
  const sessions = new Map<Jt809Session, (reason: string) => void>();
  const unsubscribe = opts.authority.onRevoked?.((platformId) => {
    for (const [session, closeWith] of sessions) if (session.platform?.id === platformId) closeWith('revoked');
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
      socket.end();
      socket.setTimeout(1000, () => socket.destroy());
    };
    const session = new Jt809Session({
      sink: opts.sink,
      authority: opts.authority,
      peer: `${socket.remoteAddress}:${socket.remotePort}`,
      maxFrameBytes: opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      downLink: opts.downLink,
      send(bytes) {
        if (socket.destroyed || !socket.writable) return;
        socket.write(bytes);
        if (socket.writableLength > maxPending) closeWith('slow_reader');
      },
      close: (reason) => closeWith(reason),
      onLogin: (s) => jt809Links.add(s),
      onEnd: (s) => jt809Links.remove(s),
      onExchangeAck: opts.onExchangeAck,
    });
    sessions.set(session, closeWith);
    socket.setTimeout(idleMs, () => closeWith('idle'));
    socket.on('data', (chunk: Buffer) => session.push(chunk));
    socket.on('error', () => {
      /* 'close' follows */
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
    server.listen(opts.port ?? JT809_DEFAULT_PORT, opts.host, () => {
      server.off('error', reject);
      server.on('error', (err) => log.warn({ err, protocol: PROTOCOL }, 'jt809 listener error'));
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        connections: () => sockets.size,
        sessions: () => [...sessions.keys()],
        close: () =>
          new Promise<void>((done) => {
            unsubscribe?.();
            for (const s of sessions.keys()) s.notifyClosing();
            for (const s of sessions.keys()) s.end();
            // end(), not destroy(): the 0x9008 just written must reach the platform.
            for (const s of sockets) {
              s.end();
              setTimeout(() => s.destroy(), 500).unref();
            }
            server.close(() => done());
          }),
      });
    });
  });
}
