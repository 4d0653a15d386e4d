// Socket.IO connections need a live session (the same cookie as HTTP) and a same-origin page.
// A socket whose session ends is disconnected at once: each socket sits in a room of its session
// and one of its user, and Sessions tells us of every sign-out, expiry, kiosk revoke and change of
// rights. A periodic recheck catches what another process (the CLI) ended in the database.
import type { LiveServer } from '../live/io';
import { SESSION_COOKIE, readCookie } from './cookies';
import type { SessionUser, Sessions } from './sessions';
import { sameOrigin } from '../http/guard';

export interface SocketData {
  user: SessionUser;
  token: string;
  sessionId: string;
}

const RECHECK_MS = 30_000;

export const sessionRoom = (sessionId: string) => `s:${sessionId}`;
export const userRoom = (userId: number) => `u:${userId}`;

export function authenticateSockets(io: LiveServer, sessions: Sessions): void {
  io.use((socket, next) => {
    if (!sameOrigin(socket.request)) return next(new Error('cross-origin connection refused'));
    const token = readCookie(socket.request.headers.cookie, SESSION_COOKIE);
    sessions.resolve(token).then(
      (session) => {
        if (!session || sessions.wasEnded(session.id)) return next(new Error('sign in first'));
        (socket.data as SocketData) = { user: session.user, token: token!, sessionId: session.id };
        next();
      },
      (err: Error) => next(new Error(`session check failed: ${err.message}`)),
    );
  });
  // Registered before the live hub's handler, so a socket is in its session's rooms before it
  // gets a snapshot; one whose session ended while it was being let in goes at once.
  io.on('connection', (socket) => {
    const data = socket.data as SocketData;
    void socket.join([sessionRoom(data.sessionId), userRoom(data.user.id)]);
    // After the other connection handlers, so the hub sees this socket's disconnect too.
    if (sessions.wasEnded(data.sessionId)) process.nextTick(() => socket.disconnect(true));
  });
  const stopListening = sessions.onEnded(({ sessionIds, userIds }) => {
    const rooms = [...sessionIds.map(sessionRoom), ...userIds.map(userRoom)];
    if (rooms.length) io.in(rooms).disconnectSockets(true);
  });
  const timer = setInterval(() => {
    for (const socket of io.sockets.sockets.values()) {
      const data = socket.data as SocketData | undefined;
      if (!data?.token) continue;
      sessions.resolve(data.token).then(
        (s) => {
          if (!s) socket.disconnect(true);
        },
        () => {},
      );
    }
  }, RECHECK_MS);
  timer.unref();
  io.engine.on('close', () => {
    clearInterval(timer);
    stopListening();
  });
}
