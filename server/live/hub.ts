// The live hub: a snapshot when a client connects, then one coalesced binary frame per tick
// holding only the assets that changed. Alerts (later) go as their own small events at once.
import type { Server, Socket } from 'socket.io';
import type { AssetKind } from '../../lib/domain';
import { FRAME_DELTA, FRAME_SNAPSHOT, encodeFrame, encodeTrails, type AssetMeta, type FrameAsset } from '../../lib/wire';
import { liveClients, liveFrameBytes, assetsTracked } from '../metrics';
import type { AssetRegistry } from '../pipeline/assetRegistry';
import type { ConsignmentIndex } from '../pipeline/consignmentIndex';
import type { LatestState } from '../pipeline/latestState';

const ROOM_ALL = 'all';

export interface HubOptions {
  tickMs: number;
  staleAfterMs: Record<AssetKind, number>;
}

export class LiveHub {
  private timer: NodeJS.Timeout | undefined;
  private announced = new Set<number>(); // asset ids whose meta the clients have

  constructor(
    private io: Server,
    private latest: LatestState,
    private registry: AssetRegistry,
    private consignments: ConsignmentIndex,
    private opts: HubOptions,
    private now: () => number = Date.now,
  ) {}

  start(): void {
    this.io.on('connection', (socket) => this.onConnect(socket));
    this.timer = setInterval(() => this.tick(), this.opts.tickMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  meta(id: number): AssetMeta {
    const a = this.registry.byAssetId(id);
    const c = this.consignments.forAsset(id);
    return { id, kind: a?.kind ?? 'vehicle', label: a?.label ?? null, key: a?.key ?? String(id), consignment: c?.reference ?? null };
  }

  /** Re-sends an asset's label line (e.g. when it starts a new consignment). */
  reannounce(id: number): void {
    if (this.announced.has(id)) this.io.to(ROOM_ALL).emit('assets', [this.meta(id)]);
  }

  private onConnect(socket: Socket): void {
    liveClients.inc();
    socket.on('disconnect', () => liveClients.dec());
    void socket.join(ROOM_ALL);
    const states = [...this.latest.assets.values()];
    const trails = states.map((s) => ({ id: s.id, points: s.trail }));
    socket.emit('snapshot', {
      frame: Buffer.from(encodeFrame(FRAME_SNAPSHOT, this.now(), states as FrameAsset[])),
      trails: Buffer.from(encodeTrails(trails)),
      meta: states.map((s) => this.meta(s.id)),
      tickMs: this.opts.tickMs,
    });
    for (const s of states) this.announced.add(s.id);
  }

  /** One tick: mark stale assets, then send the changed ones as one frame. */
  tick(): void {
    const now = this.now();
    this.latest.markStale(now, this.opts.staleAfterMs);
    assetsTracked.set(this.latest.assets.size);
    const ids = this.latest.takeDirty();
    if (ids.length === 0) return;
    const fresh = ids.filter((id) => !this.announced.has(id));
    if (fresh.length) {
      this.io.to(ROOM_ALL).emit('assets', fresh.map((id) => this.meta(id)));
      for (const id of fresh) this.announced.add(id);
    }
    const changed: FrameAsset[] = [];
    for (const id of ids) {
      const s = this.latest.assets.get(id);
      if (s) changed.push(s);
    }
    const frame = Buffer.from(encodeFrame(FRAME_DELTA, now, changed));
    liveFrameBytes.inc(frame.byteLength);
    this.io.to(ROOM_ALL).emit('delta', frame);
  }
}
