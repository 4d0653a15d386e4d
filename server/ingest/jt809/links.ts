// The live main links by platform id: the one place the request API (0x9205 / 0x9206) finds the
// link to a lower platform. Filled by the listener's sessions on login, emptied when they end.
// Process-wide through globalThis: the REST handlers (bundled by Next, their own module graph)
// and the listener (the server's graph) must see one map, as in server/devices/revocations.ts.
import { EventEmitter } from 'node:events';
import type { Jt809Session } from './session';

const KEY = Symbol.for('transitwatch.jt809Links');
const g = globalThis as Record<symbol, unknown>;
const live = (g[KEY] ??= new Map<number, Jt809Session>()) as Map<number, Jt809Session>;
const REVOKE_KEY = Symbol.for('transitwatch.jt809Revocations');
const revocations = (g[REVOKE_KEY] ??= new EventEmitter().setMaxListeners(0)) as EventEmitter;

/** A platform was revoked: its links close at once. */
export function announcePlatformRevoked(platformId: number): void {
  revocations.emit('revoked', platformId);
}
export function onPlatformRevoked(fn: (platformId: number) => void): () => void {
  revocations.on('revoked', fn);
  return () => {
    revocations.off('revoked', fn);
  };
}

export const jt809Links = {
  add(session: Jt809Session): void {
    if (session.platform) live.set(session.platform.id, session);
  },
  remove(session: Jt809Session): void {
    if (session.platform && live.get(session.platform.id) === session) live.delete(session.platform.id);
  },
  get(platformId: number): Jt809Session | undefined {
    return live.get(platformId);
  },
  ids(): number[] {
    return [...live.keys()];
  },
};
