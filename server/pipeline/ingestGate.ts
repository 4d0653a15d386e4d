// Back-pressure from the store to the devices. When what is taken but not yet stored grows past a
// high-water mark (the database is slow or restarting, or the rules node is behind), the node stops
// reading its device sockets: TCP flow control then holds the fixes in the devices and the network
// (a JT/T 808 terminal keeps what it could not send and sends it later), instead of in our memory
// until something has to be dropped. Below the low-water mark the sockets are read again. HTTP
// senders get 503 with Retry-After meanwhile. UDP cannot be paused; it is read on (and the store's
// hard cap still bounds memory, counting what it drops).
import type { Socket } from 'node:net';
import { ingestHeld } from '../metrics';
import { log } from '../log';

export class IngestGate {
  private sockets = new Set<Socket>();
  private heldSince: number | undefined;

  constructor(
    private readonly highWater: number,
    private readonly lowWater: number,
  ) {}

  get held(): boolean {
    return this.heldSince !== undefined;
  }

  /** Follows a device connection: paused while the gate is held, read again when it opens. */
  track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    if (this.held) socket.pause();
  }

  /** Called with the backlog (rows taken and not stored, or fixes queued for the rules node). */
  update(backlog: number): void {
    if (!this.held && backlog >= this.highWater) {
      this.heldSince = Date.now();
      ingestHeld.set(1);
      log.warn({ backlog, sockets: this.sockets.size }, 'ingest held: the store is behind; device sockets paused');
      for (const s of this.sockets) s.pause();
    } else if (this.held && backlog <= this.lowWater) {
      log.info({ backlog, heldMs: Date.now() - this.heldSince! }, 'ingest released');
      this.heldSince = undefined;
      ingestHeld.set(0);
      for (const s of this.sockets) s.resume();
    }
  }
}
