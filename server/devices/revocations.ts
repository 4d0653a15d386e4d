// Device revocations and resets, process-wide: the REST handlers (bundled by Next, with their own
// module graph) and the listeners (the server's graph) share one emitter through globalThis, as
// server/context.ts shares the server's objects. A listener closes the connections of a device
// named here at once; its next login is checked against the database and refused.
import { EventEmitter } from 'node:events';

const KEY = Symbol.for('transitwatch.deviceRevocations');

function bus(): EventEmitter {
  const g = globalThis as Record<symbol, unknown>;
  let e = g[KEY] as EventEmitter | undefined;
  if (!e) {
    e = new EventEmitter();
    e.setMaxListeners(0);
    g[KEY] = e;
  }
  return e;
}

/** A device was revoked or its credential reset: end its sessions. */
export function announceRevoked(deviceId: number): void {
  bus().emit('revoked', deviceId);
}

/** Hear of revocations; returns the unsubscribe. */
export function onRevoked(fn: (deviceId: number) => void): () => void {
  bus().on('revoked', fn);
  return () => {
    bus().off('revoked', fn);
  };
}
