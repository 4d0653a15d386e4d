// The one owner of movement state (DESIGN.md, "Ownership and trust"). Creating, changing status,
// closing and cancelling a consignment happen here and nowhere else. Each change, in one place:
//  - writes the row, its audit record (with the user, or 'system') and chains the row in the ledger,
//    in one transaction;
//  - then updates the open-movement index, which the live hub's scopes and labels and the alert
//    districts read, re-scopes the asset on the live hub, and watches or unwatches it in the rules.
// A movement that ends (arrived, closed, cancelled) leaves the index at once, so the asset leaves the
// rooms that saw it only through that movement.
import type pg from 'pg';
import { withTransaction } from '../../db/transaction';
import type { ConsignmentStatus } from '../../lib/domain';
import { audit } from '../audit';
import type { SessionUser } from '../auth/sessions';
import { appendRowEntry } from '../ledger/ledger';
import { log } from '../log';
import type { WatchedConsignment } from '../rules/types';
import type { ConsignmentInput, EditMovementInput } from './bodies';
import { loadOpenMovements } from './loadOpenMovements';
import { MOVEMENT_COLUMNS, OPEN_STATUSES, isOpenStatus, type OpenMovement } from './movement';
import { DomainError } from '../errors';
import { MovementIndex } from './movementIndex';

/** Who else must hear of a change; connected once everything is built (see server/app.ts). */
export interface MovementFollowers {
  /** The live hub: recomputes who may see the asset; rooms that lost it are told it is gone. */
  live: { invalidate(assetId: number): void };
  /** The rules: watch an open movement; stop watching one that was closed or cancelled. */
  rules: { watch(m: WatchedConsignment): void; unwatch(consignmentId: number): void };
}

/** Audit records of changes no person made carry this name and no user id. */
export const SYSTEM_ACTOR = 'system';

export type EndAction = 'close' | 'cancel';
/** What the rules do after a change: watch it (anew), stop watching it, or nothing (they decided it). */
export type SettleRules = 'watch' | 'unwatch' | 'none';
const END_STATUS: Record<EndAction, ConsignmentStatus> = { close: 'closed', cancel: 'cancelled' };

/** What an edit may change (bodies.ts EditMovementBody). */
const EDITABLE = ['sealId', 'goods', 'carrier'] as const;
type Editable = Record<(typeof EDITABLE)[number], string | null>;

/** Who made a change: a person (with their id) or a system (no id: 'system', 'link:<source>'). */
export interface Actor {
  userId: number | null;
  username: string;
  ip: string | null;
}
const systemActor: Actor = { userId: null, username: SYSTEM_ACTOR, ip: null };

/** A movement a document declares (a transit declaration): ids already resolved by the link. */
export interface DeclaredMovement {
  reference: string;
  assetId: number;
  routeId: number;
  originSiteId: number;
  destSiteId: number;
  departure: number;
  deadline: number;
  sealId?: string | null;
  goods?: string | null;
  carrier?: string | null;
}

/**
 * The movement changes a partner system's message makes, inside that message's own transaction
 * (see MovementService.transact). Each change is audited and chained like every other; the index,
 * live scopes and rules follow once the transaction commits.
 */
export interface MovementTx {
  client: pg.PoolClient;
  /** Stores a declared movement as `planned`. A reference that exists is a conflict. */
  declare(actor: Actor, m: DeclaredMovement): Promise<OpenMovement>;
  /**
   * Moves a movement to the status a document decides: departed (in_transit), arrived, written off
   * (closed) or cancelled. An open movement may go anywhere; an arrived one only to closed or
   * cancelled; an ended one nowhere (conflict). The same status again changes nothing (null).
   */
  setStatus(actor: Actor, id: number, status: ConsignmentStatus, why: Record<string, unknown>): Promise<OpenMovement | null>;
}

/** Why a departure falls outside a route's approval period (有效期), or null when it is inside. */
export function routeValidityProblem(validFrom: Date | null, validUntil: Date | null, departure: number): string | null {
  if (validFrom && departure < validFrom.getTime()) return `is approved only from ${validFrom.toISOString()}`;
  if (validUntil && departure >= validUntil.getTime()) return `was approved only until ${validUntil.toISOString()}`;
  return null;
}

export class MovementService {
  private index = new MovementIndex();
  private followers: MovementFollowers | undefined;
  /** Writes run one at a time, so the index follows the rows in commit order. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private pool: pg.Pool) {}

  /** Fills the index from the database (the one loader). */
  async load(): Promise<number> {
    const open = await loadOpenMovements(this.pool);
    this.index.clear();
    for (const m of open) this.index.put(m);
    return open.length;
  }

  follow(followers: MovementFollowers): void {
    this.followers = followers;
  }

  // --- what others ask ---

  /** Every open movement (the rules watch these at start). */
  open(): OpenMovement[] {
    return [...this.index.all()];
  }

  get(id: number): OpenMovement | undefined {
    return this.index.get(id);
  }

  /** The open movement an asset is on now (its label on the map). */
  forAsset(assetId: number): OpenMovement | undefined {
    return this.index.current(assetId);
  }

  /** The districts every open movement of an asset touches (its live scope, with its home). */
  districtsOfAsset(assetId: number): string[] {
    return this.index.districtsOfAsset(assetId);
  }

  /** The districts an open movement touches (stamped on its alerts); undefined once it has ended. */
  districtsOf(consignmentId: number): string[] | undefined {
    return this.index.get(consignmentId)?.districts;
  }

  // --- changes ---

  /** A supervisor registers a movement: it must touch their jurisdiction, and so must the asset's home. */
  create(user: SessionUser, body: ConsignmentInput, ip: string): Promise<{ id: number; reference: string; districts: string[]; status: ConsignmentStatus }> {
    return this.serial(async () => {
      if (user.role !== 'supervisor') throw new DomainError('forbidden', 'needs the supervisor role');
      const saved = await withTransaction(this.pool, async (c) => {
        const r = (await c.query('SELECT id, from_site, to_site, valid_from, valid_until FROM routes WHERE code = $1', [body.route])).rows[0];
        if (!r) throw new DomainError('invalid', `route: no route ${body.route}`);
        const outside = routeValidityProblem(r.valid_from, r.valid_until, Date.parse(body.departure));
        if (outside) throw new DomainError('invalid', `route: ${body.route} ${outside}`);
        const a = (await c.query('SELECT id, district FROM assets WHERE key = $1', [body.asset])).rows[0];
        const districts: string[] = (await c.query('SELECT touched_districts($1, $2, $3) AS d', [r.from_site, r.to_site, r.id])).rows[0].d;
        const j = (
          await c.query(`SELECT is_hq($1) AS hq, $2::text[] && visible_districts($1) AS touches, coalesce($3::text = ANY (visible_districts($1)), false) AS home`, [
            user.district,
            districts,
            a?.district ?? null,
          ])
        ).rows[0];
        if (!j.hq && !j.touches) throw new DomainError('forbidden', 'the movement does not touch your jurisdiction');
        // Outside HQ, an unknown asset and another district's answer alike: no oracle for keys or homes.
        if (!j.hq && (!a || !j.home)) throw new DomainError('forbidden', `asset: ${body.asset} is not a vehicle of your jurisdiction (only HQ registers movements on others)`);
        if (!a) throw new DomainError('invalid', `asset: no asset ${body.asset}`);
        const status: ConsignmentStatus = Date.parse(body.departure) <= Date.now() ? 'in_transit' : 'planned';
        const { rows } = await c.query<OpenMovement>(
          `INSERT INTO consignments AS c (reference, seal_id, asset_id, origin_site, dest_site, route_id, departure, deadline, status, goods, carrier, districts)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT (reference) DO NOTHING RETURNING ${MOVEMENT_COLUMNS}`,
          [body.reference, body.sealId || null, a.id, r.from_site, r.to_site, r.id, body.departure, body.deadline, status, body.goods ?? null, body.carrier ?? null, districts],
        );
        const m = rows[0];
        if (!m) throw new DomainError('conflict', `reference: ${body.reference} exists`);
        await this.record(c, { userId: user.id, username: user.username, ip }, 'consignment_create', m.id, null, { ...body, districts, status });
        return m;
      });
      this.settle(undefined, saved, 'watch');
      return { id: saved.id, reference: saved.reference, districts: saved.districts, status: saved.status };
    });
  }

  /**
   * A supervisor closes (supervision done) or cancels (declaration withdrawn) an open movement they
   * may see. Not visible: not_found; already ended: conflict.
   */
  end(user: SessionUser, id: number, action: EndAction, reason: string, ip: string): Promise<{ id: number; status: ConsignmentStatus }> {
    return this.change(user, id, ip, async (c, seen, who) => {
      const status = END_STATUS[action];
      const { rows } = await c.query<OpenMovement>(`UPDATE consignments c SET status = $2, updated_at = now() WHERE c.id = $1 RETURNING ${MOVEMENT_COLUMNS}`, [id, status]);
      await this.record(c, who, `consignment_${action}`, id, { status: seen.status }, { status, reason });
      return { after: rows[0]!, rules: 'unwatch' as const, result: { id, status } };
    });
  }

  /**
   * A supervisor corrects an open movement's seal number, goods or carrier name (bodies.ts says
   * why only these). Only the fields that differ are written and audited; none: nothing is written.
   */
  edit(user: SessionUser, id: number, body: EditMovementInput, ip: string): Promise<{ id: number; changed: string[] }> {
    return this.change(user, id, ip, async (c, seen, who) => {
      const now = (await c.query<Editable>('SELECT seal_id AS "sealId", goods, carrier FROM consignments WHERE id = $1', [id])).rows[0]!;
      const wanted: Editable = {
        sealId: body.sealId === undefined ? now.sealId : body.sealId || null,
        goods: body.goods === undefined ? now.goods : body.goods || null,
        carrier: body.carrier === undefined ? now.carrier : body.carrier || null,
      };
      const changed = EDITABLE.filter((k) => wanted[k] !== now[k]);
      if (changed.length === 0) return { after: seen, rules: 'none' as const, result: { id, changed } };
      const { rows } = await c.query<OpenMovement>(
        `UPDATE consignments c SET seal_id = $2, goods = $3, carrier = $4, updated_at = now() WHERE c.id = $1 RETURNING ${MOVEMENT_COLUMNS}`,
        [id, wanted.sealId, wanted.goods, wanted.carrier],
      );
      const pick = (e: Editable) => Object.fromEntries(changed.map((k) => [k, e[k]]));
      await this.record(c, who, 'consignment_edit', id, pick(now), { ...pick(wanted), ...(body.reason ? { reason: body.reason } : {}) });
      return { after: rows[0]!, rules: 'none' as const, result: { id, changed } };
    });
  }

  /**
   * A supervisor gives an open movement more time: a deadline later than the one it has, with a
   * reason. The rules watch it again with the new deadline, which ends an OVERDUE episode that the
   * old deadline raised (RulesEngine.watch); past the new one too, OVERDUE is raised afresh.
   */
  extendDeadline(user: SessionUser, id: number, deadline: string, reason: string, ip: string): Promise<{ id: number; deadline: string }> {
    return this.change(user, id, ip, async (c, seen, who) => {
      const next = Date.parse(deadline);
      if (!(next > seen.deadline)) throw new DomainError('invalid', `deadline: must be later than the current one (${new Date(seen.deadline).toISOString()})`);
      const { rows } = await c.query<OpenMovement>(
        `UPDATE consignments c SET deadline = to_timestamp($2 / 1000.0), updated_at = now() WHERE c.id = $1 RETURNING ${MOVEMENT_COLUMNS}`,
        [id, next],
      );
      const after = rows[0]!;
      await this.record(c, who, 'consignment_extend', id, { deadline: new Date(seen.deadline).toISOString() }, { deadline: new Date(after.deadline).toISOString(), reason });
      return { after, rules: 'watch' as const, result: { id, deadline: new Date(after.deadline).toISOString() } };
    });
  }

  /**
   * Trans-shipment (换车转运): the goods go on another vehicle of the supervisor's jurisdiction (HQ:
   * any) of the same kind. The movement's asset becomes the new one; the hand-over is kept
   * (consignment_handovers) so the track is the old vehicle's until now and the new one's after.
   * Settling re-scopes both assets on the live hub, and the rules move the watch to the new one.
   * Outside HQ an unknown key and another district's vehicle answer alike (forbidden): no oracle.
   */
  handOver(user: SessionUser, id: number, assetKey: string, reason: string, ip: string): Promise<{ id: number; asset: string; at: string }> {
    return this.change(user, id, ip, async (c, seen, who) => {
      const a = (await c.query('SELECT id, key, kind, label, plate, district FROM assets WHERE key = $1', [assetKey])).rows[0];
      const j = (await c.query('SELECT is_hq($1) AS hq, coalesce($2::text = ANY (visible_districts($1)), false) AS home', [user.district, a?.district ?? null])).rows[0];
      if (!j.hq && (!a || !j.home)) throw new DomainError('forbidden', `asset: ${assetKey} is not a vehicle of your jurisdiction`);
      if (!a) throw new DomainError('invalid', `asset: no asset ${assetKey}`);
      const old = (await c.query('SELECT id, key, kind, label, plate FROM assets WHERE id = $1', [seen.assetId])).rows[0];
      if (a.id === old.id) throw new DomainError('invalid', `asset: the movement is already on ${assetKey}`);
      if (a.kind !== old.kind) throw new DomainError('invalid', `asset: a ${old.kind} movement goes over to another ${old.kind}, not a ${a.kind}`);
      const at = (
        await c.query<{ time: Date }>(
          `INSERT INTO consignment_handovers (consignment_id, from_asset, to_asset, leg_start)
           SELECT c.id, c.asset_id, $2, coalesce(c.handed_over_at, c.departure) FROM consignments c WHERE c.id = $1 RETURNING time`,
          [id, a.id],
        )
      ).rows[0]!.time;
      const { rows } = await c.query<OpenMovement>(
        `UPDATE consignments c SET asset_id = $2, handed_over_at = $3, updated_at = now() WHERE c.id = $1 RETURNING ${MOVEMENT_COLUMNS}`,
        [id, a.id, at],
      );
      const carrier = (x: { key: string; label: string | null; plate: string | null }) => ({ asset: x.key, label: x.label, plate: x.plate });
      await this.record(c, who, 'consignment_handover', id, carrier(old), { ...carrier(a), reason, at: at.toISOString() });
      return { after: rows[0]!, rules: 'watch' as const, result: { id, asset: a.key as string, at: at.toISOString() } };
    });
  }

  /**
   * One supervisor's change of one open movement: the role, then the row locked, then whether the
   * user may see it (not_found) and whether it is still open (conflict); `work` writes, audits and
   * says what the rules must do; after the commit it settles.
   */
  private change<R>(
    user: SessionUser,
    id: number,
    ip: string,
    work: (c: pg.PoolClient, seen: OpenMovement, who: Actor) => Promise<{ after: OpenMovement; rules: 'watch' | 'unwatch' | 'none'; result: R }>,
  ): Promise<R> {
    return this.serial(async () => {
      if (user.role !== 'supervisor') throw new DomainError('forbidden', 'needs the supervisor role');
      const done = await withTransaction(this.pool, async (c) => {
        // Lock the row first (a function's result cannot be locked), then ask whether the user may see it.
        await c.query('SELECT 1 FROM consignments WHERE id = $1 FOR UPDATE', [id]);
        const seen = (await c.query<OpenMovement>(`SELECT ${MOVEMENT_COLUMNS} FROM visible_consignments($1) c WHERE c.id = $2`, [user.district, id])).rows[0];
        if (!seen) throw new DomainError('not_found', 'no such consignment');
        if (!isOpenStatus(seen.status)) throw new DomainError('conflict', `the movement has already ended (${seen.status})`);
        return { seen, ...(await work(c, seen, { userId: user.id, username: user.username, ip })) };
      });
      if (done.after !== done.seen) this.settle(done.seen, done.after, done.rules);
      return done.result;
    });
  }

  /** The rules engine decided a status (departed, diverted, overdue, arrived). An ended movement stays ended. */
  applyRuleStatus(id: number, status: ConsignmentStatus, time: number): Promise<void> {
    return this.serial(async () => {
      const changed = await withTransaction(this.pool, async (c) => {
        const before = (await c.query<{ status: string }>('SELECT status FROM consignments WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!before || !isOpenStatus(before.status) || before.status === status) return null;
        const { rows } = await c.query<OpenMovement>(
          `UPDATE consignments c SET status = $2, updated_at = now(),
                  arrived_at = CASE WHEN $2 = 'arrived' THEN to_timestamp($3 / 1000.0) ELSE c.arrived_at END
           WHERE c.id = $1 RETURNING ${MOVEMENT_COLUMNS}`,
          [id, status, time],
        );
        await this.record(c, systemActor, 'consignment_status', id, { status: before.status }, { status, time, by: 'rules' });
        return rows[0]!;
      });
      // The engine decided this itself: it needs no watch or unwatch (an arrived movement it keeps
      // until an open SEAL_ALARM on it is acknowledged).
      if (changed) this.settle(this.index.get(id), changed, 'none');
    });
  }

  /** Closes every open movement as the system (the demo feed starts its fleet afresh). */
  closeAllSystem(reason: string): Promise<number> {
    return this.serial(async () => {
      const ended = await withTransaction(this.pool, async (c) => {
        const { rows } = await c.query<OpenMovement>(
          `UPDATE consignments c SET status = 'closed', updated_at = now() WHERE c.status = ANY($1::text[]) RETURNING ${MOVEMENT_COLUMNS}`,
          [OPEN_STATUSES],
        );
        if (rows.length === 0) return rows;
        await audit(c, { userId: null, username: SYSTEM_ACTOR, action: 'consignment_close_all', entity: 'consignment', after: { ids: rows.map((r) => r.id), reason } });
        for (const r of rows) await appendRowEntry(c, 'consignment', 'consignments', r.id);
        return rows;
      });
      for (const m of ended) this.settle(this.index.get(m.id), m, 'unwatch');
      return ended.length;
    });
  }

  /**
   * Runs a partner system's message as one transaction that may change movements (links/). The
   * changes settle (index, live, rules) only after the commit; on a rollback nothing follows.
   */
  transact<T>(fn: (tx: MovementTx) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      const staged: { before: OpenMovement | undefined; after: OpenMovement }[] = [];
      const result = await withTransaction(this.pool, (client) =>
        fn({
          client,
          declare: async (actor, d) => {
            const { rows } = await client.query<OpenMovement>(
              `INSERT INTO consignments AS c (reference, seal_id, asset_id, origin_site, dest_site, route_id, departure, deadline, status, goods, carrier, districts)
               VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7 / 1000.0), to_timestamp($8 / 1000.0), 'planned', $9, $10, touched_districts($4, $5, $6))
               ON CONFLICT (reference) DO NOTHING RETURNING ${MOVEMENT_COLUMNS}`,
              [d.reference, d.sealId ?? null, d.assetId, d.originSiteId, d.destSiteId, d.routeId, d.departure, d.deadline, d.goods ?? null, d.carrier ?? null],
            );
            const m = rows[0];
            if (!m) throw new DomainError('conflict', `reference: ${d.reference} exists`);
            await this.record(client, actor, 'consignment_declare', m.id, null, { ...d, status: m.status, districts: m.districts });
            staged.push({ before: undefined, after: m });
            return m;
          },
          setStatus: async (actor, id, status, why) => {
            const before = (await client.query<{ status: string }>('SELECT status FROM consignments WHERE id = $1 FOR UPDATE', [id])).rows[0];
            if (!before) throw new DomainError('not_found', 'no such consignment');
            if (before.status === status) return null;
            const allowed = isOpenStatus(before.status) || (before.status === 'arrived' && (status === 'closed' || status === 'cancelled'));
            if (!allowed) throw new DomainError('conflict', `the movement has already ended (${before.status})`);
            const { rows } = await client.query<OpenMovement>(
              `UPDATE consignments c SET status = $2, updated_at = now(),
                      arrived_at = CASE WHEN $2 = 'arrived' THEN coalesce(to_timestamp($3 / 1000.0), now()) ELSE c.arrived_at END
               WHERE c.id = $1 RETURNING ${MOVEMENT_COLUMNS}`,
              [id, status, typeof why.time === 'number' ? why.time : null],
            );
            await this.record(client, actor, 'consignment_status', id, { status: before.status }, { status, ...why });
            const after = rows[0]!;
            staged.push({ before: this.index.get(id), after });
            return after;
          },
        }),
      );
      for (const { before, after } of staged) this.settle(before, after, isOpenStatus(after.status) ? 'watch' : 'unwatch');
      return result;
    });
  }

  // --- one place for the consequences ---

  /** Audits a change and chains the row as it now stands (the ledger appends come last). */
  private async record(c: pg.ClientBase, who: Actor, action: string, id: number, before: unknown, after: unknown): Promise<void> {
    await audit(c, { userId: who.userId, username: who.username, action, entity: 'consignment', entityId: id, before: before ?? undefined, after, ip: who.ip });
    await appendRowEntry(c, 'consignment', 'consignments', id);
  }

  /** After a commit: the index, the live scope of the asset(s), the rules. */
  private settle(before: OpenMovement | undefined, after: OpenMovement, rules: SettleRules): void {
    const open = isOpenStatus(after.status);
    if (open) this.index.put(after);
    else this.index.remove(after.id);
    const f = this.followers;
    if (!f) return;
    try {
      if (before && before.assetId !== after.assetId) f.live.invalidate(before.assetId);
      f.live.invalidate(after.assetId);
      if (rules === 'watch' && open) f.rules.watch(after);
      else if (rules === 'unwatch' || (rules === 'watch' && !open)) f.rules.unwatch(after.id);
    } catch (err) {
      log.error({ err: (err as Error).message, consignment: after.id }, 'a movement change did not reach every follower');
    }
    this.announce?.(after.id, rules);
  }

  // --- other nodes of a cluster (server/cluster/) ---

  private announce: ((id: number, rules: SettleRules) => void) | undefined;

  /** Tells the other nodes of each change settled here (they refresh it from the database). */
  announceTo(announce: (id: number, rules: SettleRules) => void): void {
    this.announce = announce;
  }

  /** Another node changed a movement: read it as committed and settle it here, without announcing it again. */
  refresh(id: number, rules: SettleRules): Promise<void> {
    return this.serial(async () => {
      const row = (await this.pool.query<OpenMovement>(`SELECT ${MOVEMENT_COLUMNS} FROM consignments c WHERE c.id = $1`, [id])).rows[0];
      if (!row) return;
      const announce = this.announce;
      this.announce = undefined;
      try {
        this.settle(this.index.get(id), row, rules);
      } finally {
        this.announce = announce;
      }
    });
  }

  /** Resolves once the writes under way have settled (before the pool closes). */
  async drain(): Promise<void> {
    await this.writes;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writes.then(fn);
    this.writes = run.catch(() => {});
    return run;
  }
}
