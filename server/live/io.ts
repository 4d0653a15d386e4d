// The Socket.IO server as this app types it: one event map (lib/wire.ts) for server and browser,
// and the signed-in user on every socket (server/auth/socketAuth.ts).
import type { Server, Socket } from 'socket.io';
import type { AssetMeta, ClientToServer, ServerToClient } from '../../lib/wire';
import type { SocketData } from '../auth/socketAuth';

/** One node's part of a district's snapshot: its assets' frame and trails, and their labels. */
export interface SnapshotPart {
  frame: Buffer;
  trails: Buffer;
  meta: AssetMeta[];
}

/**
 * Between the nodes of a cluster (the Redis adapter carries them, and every room emit): a web node
 * asks the others for what a district sees when a client connects (server/live/hub.ts).
 */
export interface InterServerEvents {
  /** `null` from a node without the rules role (it holds no positions). */
  snapshot: (district: string, reply: (part: SnapshotPart | null) => void) => void;
}

export type LiveServer = Server<ClientToServer, ServerToClient<Buffer>, InterServerEvents, SocketData>;
export type LiveSocket = Socket<ClientToServer, ServerToClient<Buffer>, InterServerEvents, SocketData>;
