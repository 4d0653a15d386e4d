// Socket.IO connections need a live session (the same cookie as HTTP) and a same-origin page.
// A socket whose session ends is disconnected.
import type { LiveServer } from '../live/io';
import { SESSION_COOKIE, readCookie } from './cookies';
import type { SessionUser, Sessions } from './sessions';
import { sameOrigin } from '../http/guard';

export interface SocketData {
  user: SessionUser;
  token: string;
}

const RECHECK_MS = 60_000;

export function authenticateSockets(io: LiveServer, sessions: Sessions): void {
  io.use((socket, next) => {
    if (!sameOrigin(socket.request)) return next(new Error('cross-origin connection refused'));
    const token = readCookie(socket.request.headers.cookie, SESSION_COOKIE);
    sessions.resolve(token).then(
      (session) => {
        if (!session) return next(new Error('sign in first'));
        (socket.data as SocketData) = { user: session.user, token: token! };
        next();
      },
      (err: Error) => next(new Error(`session check failed: ${err.message}`)),
    );
  });
  const timer = setInterval(() => {
    for (const socket of io.sockets.sockets.values()) {
      const data = socket.data as SocketData | undefined;
      if (!data?.token) continue;
      sessions.resolve(data.token).then((s) => { if (!s) socket.disconnect(true); }, () => {});
    }
  }, RECHECK_MS);
  timer.unref();
  io.engine.on('close', () => clearInterval(timer));
}
