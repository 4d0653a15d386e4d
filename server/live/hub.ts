// The live hub: a snapshot when a client connects, then one coalesced binary frame per tick
// holding only the assets that changed. Each socket sits in the room of its user's district and
// receives only assets that district may see (DESIGN.md, Authorization): a frame never carries a
// foreign asset. Alerts go as their own small events at once, to the rooms that may see them.
// Who may see an asset comes from the movement service (its open movements) and its home district;
// its colour from the map status owner (alerts) combined with its motion (latest state).
import type { AlertRow } from '../../lib/alerts';
import type { AssetKind } from '../../lib/domain';
import { FRAME_DELTA, FRAME_SNAPSHOT, decodeFrame, decodeTrails, encodeFrame, encodeTrails, frameAsset, type AssetMeta, type FrameAsset, type SnapshotTrail } from '../../lib/wire';
import type { DistrictTree } from '../auth/districtTree';
import type { LiveServer, LiveSocket, SnapshotPart } from './io';
import { liveClients, liveFrameBytes, assetsTracked } from '../metrics';
import type { AssetRegistry } from '../pipeline/assetRegistry';
import type { AssetState, LatestState } from '../pipeline/latestState';
import { shownStatus, type MapStatus } from './mapStatus';
import { log } from '../log';

/** What the hub asks of the movement service: the asset's open movements. */
export interface MovementScope {
  /** Every district the asset's open movements touch. */
  districtsOfAsset(assetId: number): Iterable<string>;
  /** The movement it is on now (its label). */
  forAsset(assetId: number): { reference: string } | undefined;
}

export interface HubOptions {
  tickMs: number;
  staleAfterMs: Record<AssetKind, number>;
  /**
   * Several nodes share the rooms (the Socket.IO Redis adapter): a frame goes to a room whether or
   * not this node holds its sockets, and a connecting client's snapshot is gathered from every node.
   */
  cluster?: boolean;
}

export const roomOf = (district: string) => `d:${district}`;

export class LiveHub {
  private timer: NodeJS.Timeout | undefined;
  /** Per asset: the district codes whose users may see it (cached; see invalidate). */
  private scopes = new Map<number, Set<string>>();
  /** Per room: asset ids whose meta its clients have. */
  private announced = new Map<string, Set<number>>();

  constructor(
    private io: LiveServer,
    private latest: LatestState,
    private registry: AssetRegistry,
    private movements: MovementScope,
    private districts: DistrictTree,
    private mapStatus: MapStatus,
    private opts: HubOptions,
    private now: () => number = Date.now,
  ) {
    // Every node of a cluster answers a snapshot request (the adapter waits for all of them, until
    // its timeout): one without the rules role holds no positions and answers null.
    if (opts.cluster) this.io.on('snapshot', (district, reply) => reply(this.timer ? this.snapshotPart(district) : null));
  }

  /** Both halves on one node: what a single process does. */
  start(): void {
    this.serveClients();
    this.startTicks();
  }

  /** The web role: clients connect here and get their snapshot. */
  serveClients(): void {
    this.io.on('connection', (socket) => void this.onConnect(socket));
  }

  /**
   * The rules role: one frame per room per tick from this node's latest state, and this node's part
   * of the snapshots other nodes gather.
   */
  startTicks(): void {
    this.timer = setInterval(() => this.tick(), this.opts.tickMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The districts that may see an asset: those its open movements touch and its home, with their ancestors. */
  scopeOf(id: number): Set<string> {
    let s = this.scopes.get(id);
    if (!s) {
      s = this.districts.viewersOf([...this.movements.districtsOfAsset(id), this.registry.byAssetId(id)?.district]);
      this.scopes.set(id, s);
    }
    return s;
  }

  meta(id: number): AssetMeta {
    const a = this.registry.byAssetId(id);
    const c = this.movements.forAsset(id);
    return { id, kind: a?.kind ?? 'vehicle', label: a?.label ?? null, key: a?.key ?? String(id), consignment: c?.reference ?? null };
  }

  /**
   * An asset's movement or home changed: recompute who may see it, tell rooms that lost it that
   * it is gone, and send its label line to the rooms that have it.
   */
  invalidate(id: number): void {
    const before = this.scopes.get(id);
    this.scopes.delete(id);
    const after = this.scopeOf(id);
    for (const code of before ?? []) {
      if (after.has(code)) continue;
      this.announced.get(roomOf(code))?.delete(id);
      this.io.to(roomOf(code)).emit('gone', [id]);
    }
    const m = this.meta(id);
    for (const code of after) {
      if (this.announced.get(roomOf(code))?.has(id)) this.io.to(roomOf(code)).emit('assets', [m]);
    }
    this.latest.touch(id); // the rooms that gained it get it in the next frame
  }

  /**
   * Sends an alert (or a change to one) at once to every room that may see it: by the districts
   * stamped on it (as REST decides), else by its asset's scope.
   */
  emitAlert(event: 'alert' | 'alert_update', alert: AlertRow, assetId: number): void {
    const stamped = Array.isArray(alert.districts) ? alert.districts : null;
    const rooms = [...(stamped ? this.districts.viewersOf(stamped) : this.scopeOf(assetId))].map(roomOf);
    if (rooms.length) this.io.to(rooms).emit(event, alert);
  }

  /** An asset as a frame carries it: its motion, coloured by its open alerts. */
  private frameAsset(s: AssetState): FrameAsset {
    return { id: s.id, kind: s.kind, lon: s.lon, lat: s.lat, time: s.time, speed: s.speed, course: s.course, status: shownStatus(this.mapStatus.of(s.id), s.motion) };
  }

  /**
   * What a district's users see of this node's assets now; its room is then counted as told their
   * labels (the ticks send labels only to rooms that lack them).
   */
  snapshotPart(district: string): SnapshotPart {
    const states = [...this.latest.assets.values()].filter((s) => this.scopeOf(s.id).has(district));
    const room = roomOf(district);
    const seen = this.announced.get(room) ?? new Set<number>();
    for (const s of states) seen.add(s.id);
    this.announced.set(room, seen);
    return {
      frame: Buffer.from(
        encodeFrame(
          FRAME_SNAPSHOT,
          this.now(),
          states.map((s) => this.frameAsset(s)),
        ),
      ),
      trails: Buffer.from(encodeTrails(states.map((s) => ({ id: s.id, points: s.trail })))),
      meta: states.map((s) => this.meta(s.id)),
    };
  }

  /** Every node's part of a district's snapshot (a node that does not answer in time is left out). */
  private gatherSnapshot(district: string): Promise<SnapshotPart[]> {
    const own = this.timer ? [this.snapshotPart(district)] : [];
    return new Promise((resolve) => {
      // The adapter calls back once every other node has answered, or its timeout passed (with the
      // replies it has).
      this.io.serverSideEmit('snapshot', district, (err: Error | null, parts: (SnapshotPart | null)[]) => {
        if (err) log.warn({ err: err.message }, 'live: a node did not send its part of a snapshot');
        resolve([...own, ...(parts ?? []).filter((p): p is SnapshotPart => p !== null)]);
      });
    });
  }

  private async onConnect(socket: LiveSocket): Promise<void> {
    const { user } = socket.data;
    liveClients.inc();
    socket.on('disconnect', () => liveClients.dec());
    // Rooms are the server's to assign; a client asking for another is told no.
    socket.on('join', (_room: unknown, ack?: unknown) => {
      if (typeof ack === 'function') ack({ error: 'rooms are assigned by the server from your jurisdiction' });
    });
    // Joined first, so no frame sent while the snapshot is gathered is missed (a repeat is harmless).
    await socket.join(roomOf(user.district));
    const parts = this.opts.cluster ? await this.gatherSnapshot(user.district) : [this.snapshotPart(user.district)];
    if (socket.disconnected) return;
    socket.emit('snapshot', { ...mergeParts(parts, this.now()), tickMs: this.opts.tickMs });
  }

  /** One tick: mark stale assets, then send each room the changed assets it may see, as one frame. */
  tick(): void {
    const now = this.now();
    this.latest.markStale(now, this.opts.staleAfterMs);
    assetsTracked.set(this.latest.assets.size);
    const ids = this.latest.takeDirty();
    if (ids.length === 0) return;
    const rooms = this.io.sockets.adapter.rooms;
    const buckets = new Map<string, FrameAsset[]>();
    for (const id of ids) {
      const s = this.latest.assets.get(id);
      if (!s) continue;
      let state: FrameAsset | undefined; // built once, for the first room that listens
      for (const code of this.scopeOf(id)) {
        const room = roomOf(code);
        if (!this.opts.cluster && !rooms.get(room)?.size) continue;
        let list = buckets.get(room);
        if (!list) buckets.set(room, (list = []));
        list.push((state ??= this.frameAsset(s)));
      }
    }
    for (const [room, list] of buckets) {
      let seen = this.announced.get(room);
      if (!seen) this.announced.set(room, (seen = new Set()));
      const fresh = list.filter((s) => !seen.has(s.id));
      if (fresh.length) {
        this.io.to(room).emit(
          'assets',
          fresh.map((s) => this.meta(s.id)),
        );
        for (const s of fresh) seen.add(s.id);
      }
      const frame = Buffer.from(encodeFrame(FRAME_DELTA, now, list));
      liveFrameBytes.inc(frame.byteLength);
      this.io.to(room).emit('delta', frame);
    }
  }
}

/** One snapshot from the parts of several nodes (one part: as it is). */
function mergeParts(parts: SnapshotPart[], now: number): SnapshotPart {
  if (parts.length === 1) return parts[0]!;
  const assets: FrameAsset[] = [];
  const trails: SnapshotTrail[] = [];
  const meta: AssetMeta[] = [];
  for (const p of parts) {
    const c = decodeFrame(p.frame);
    for (let i = 0; i < c.count; i++) assets.push(frameAsset(c, i));
    trails.push(...decodeTrails(p.trails));
    meta.push(...p.meta);
  }
  return { frame: Buffer.from(encodeFrame(FRAME_SNAPSHOT, now, assets)), trails: Buffer.from(encodeTrails(trails)), meta };
}
