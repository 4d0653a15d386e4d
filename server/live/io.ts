// The Socket.IO server as this app types it: one event map (lib/wire.ts) for server and browser,
// and the signed-in user on every socket (server/auth/socketAuth.ts).
import type { Server, Socket } from 'socket.io';
import type { ClientToServer, ServerToClient } from '../../lib/wire';
import type { SocketData } from '../auth/socketAuth';

/** No events travel between server nodes of their own (the Redis adapter carries room emits). */
export type InterServerEvents = Record<string, never>;

export type LiveServer = Server<ClientToServer, ServerToClient<Buffer>, InterServerEvents, SocketData>;
export type LiveSocket = Socket<ClientToServer, ServerToClient<Buffer>, InterServerEvents, SocketData>;
