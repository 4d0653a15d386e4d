// The provisioned lower platforms as the JT/T 809 listener sees them (the jt809_platforms table):
// who may log in, with which keys, and which vehicles each may report. Logins read the table each
// time (a platform provisioned, revoked or re-keyed counts from its next login; revocation closes
// its links at once). Refusals are counted in tw_ingest_devices_refused_total{protocol="jt809"}
// and logged with the address, and answered with the standard 0x1002 results.
import type pg from 'pg';
import { log } from '../../log';
import { verifyPassword, dummyHash } from '../../auth/passwords';
import { devicesRefused } from '../../devices/metrics';
import type { Jt809CipherKeys } from './codec';
import type { Jt809Authority, Jt809LoginOutcome, Jt809PlatformIdentity, Jt809VehicleOutcome } from './authority';
import { onPlatformRevoked } from './links';
import { WARN_TYPES, type Jt809Login, type Jt809Warning } from './messages';

interface PlatformRow {
  id: number;
  access_code: string;
  user_id: string;
  password_hash: string;
  name: string;
  m1: string | null;
  ia1: string | null;
  ic1: string | null;
  allowed_address: string | null;
}

const FLUSH_MS = 5_000;
const LOG_EVERY_MS = 10_000;
const lastLog = new Map<string, number>();

export type Jt809Refusal = 'unprovisioned' | 'not_registered' | 'bad_secret' | 'bad_address';

function refuse(reason: Jt809Refusal, accessCode: number, address: string | undefined): void {
  devicesRefused.inc({ protocol: 'jt809', reason });
  const now = Date.now();
  if (now - (lastLog.get(reason) ?? 0) < LOG_EVERY_MS) return;
  lastLog.set(reason, now);
  log.warn({ protocol: 'jt809', reason, accessCode, address: address ?? 'unknown' }, 'platform refused');
}

const keysOf = (r: Pick<PlatformRow, 'm1' | 'ia1' | 'ic1'>): Jt809CipherKeys | undefined =>
  r.m1 === null || r.ia1 === null || r.ic1 === null ? undefined : { m1: Number(r.m1), ia1: Number(r.ia1), ic1: Number(r.ic1) };

const hostOf = (peer: string | undefined): string | undefined => peer?.replace(/:\d+$/, '').replace(/^::ffff:/, '');

export class Jt809PlatformStore implements Jt809Authority {
  private contacts = new Map<number, { at: number; address?: string }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pool: pg.Pool) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  async keys(accessCode: number): Promise<Jt809CipherKeys | undefined> {
    const { rows } = await this.pool.query<PlatformRow>(`SELECT m1, ia1, ic1 FROM jt809_platforms WHERE access_code = $1 AND revoked_at IS NULL`, [accessCode]);
    return rows[0] ? keysOf(rows[0]) : undefined;
  }

  async login(accessCode: number, login: Jt809Login, peer?: string): Promise<Jt809LoginOutcome> {
    const { rows } = await this.pool.query<PlatformRow>(`SELECT * FROM jt809_platforms WHERE access_code = $1 AND revoked_at IS NULL`, [accessCode]);
    const p = rows[0];
    if (!p) {
      await verifyPassword(await dummyHash(), login.password); // the same time as a known platform
      refuse('unprovisioned', accessCode, peer);
      return { result: 2 }; // 接入码不正确
    }
    const mark = (state: 'logged_in' | 'refused') =>
      this.pool
        .query(`UPDATE jt809_platforms SET state = $2, state_at = now(), last_address = $3${state === 'logged_in' ? ', last_login = now()' : ''} WHERE id = $1`, [
          p.id,
          state,
          peer ?? null,
        ])
        .catch((err: Error) => log.error({ err: err.message }, 'jt809 platform state update failed'));
    if (Number(p.user_id) !== login.userId) {
      refuse('not_registered', accessCode, peer);
      await mark('refused');
      return { result: 3 }; // 用户没有注册
    }
    if (!(await verifyPassword(p.password_hash, login.password))) {
      refuse('bad_secret', accessCode, peer);
      await mark('refused');
      return { result: 4 }; // 密码错误
    }
    if (p.allowed_address !== null && hostOf(peer) !== p.allowed_address) {
      refuse('bad_address', accessCode, peer);
      await mark('refused');
      return { result: 1 }; // IP 地址不正确
    }
    await mark('logged_in');
    const platform: Jt809PlatformIdentity = { id: p.id, accessCode, userId: login.userId, name: p.name };
    const keys = keysOf(p);
    if (keys) platform.keys = keys;
    if (p.allowed_address) platform.downLinkHost = p.allowed_address;
    return { result: 0, platform };
  }

  async vehicle(platform: Jt809PlatformIdentity, plate: string): Promise<Jt809VehicleOutcome> {
    const { rows } = await this.pool.query(
      `SELECT a.id, a.key, a.label,
              CASE WHEN p.allowed_plates IS NOT NULL THEN plate_key(a.plate) = ANY (p.allowed_plates)
                   ELSE a.district = ANY (visible_districts(p.district)) END AS allowed
       FROM assets a, jt809_platforms p
       WHERE p.id = $1 AND p.revoked_at IS NULL AND a.kind = 'vehicle' AND plate_key(a.plate) = plate_key($2)
       ORDER BY a.id LIMIT 1`,
      [platform.id, plate],
    );
    const a = rows[0];
    if (!a) return { ok: false, why: 'unknown_plate' };
    if (!a.allowed) return { ok: false, why: 'plate_not_allowed' };
    await this.pool.query(`INSERT INTO jt809_vehicles (platform_id, asset_id) VALUES ($1, $2) ON CONFLICT (platform_id, asset_id) DO UPDATE SET last_seen = now()`, [
      platform.id,
      a.id,
    ]);
    return { ok: true, assetKey: a.key, label: a.label ?? plate };
  }

  /** A 0x1402 alarm becomes a 'platform_alarm' event on the vehicle's timeline (not an alert: see README). */
  alarm(platform: Jt809PlatformIdentity, vehicle: { assetKey: string; plate: string }, w: Jt809Warning): void {
    const type = WARN_TYPES[w.type];
    const time = Number.isFinite(w.time) && w.time > 0 ? new Date(w.time) : new Date();
    this.pool
      .query(
        `INSERT INTO events (time, kind, asset_id, plate, detail, source)
         SELECT $1, 'platform_alarm', a.id, $3, $4, $5 FROM assets a WHERE a.key = $2`,
        [
          time,
          vehicle.assetKey,
          vehicle.plate,
          JSON.stringify({ warnType: `0x${w.type.toString(16).padStart(4, '0')}`, name: type?.name ?? 'unknown', zh: type?.zh ?? null, info: w.info.slice(0, 500) }),
          `jt809:${platform.accessCode}`,
        ],
      )
      .catch((err: Error) => log.error({ err: err.message }, 'jt809 alarm event insert failed'));
  }

  contact(platform: Jt809PlatformIdentity, peer?: string): void {
    this.contacts.set(platform.id, { at: Date.now(), address: peer });
  }

  onRevoked(fn: (platformId: number) => void): () => void {
    return onPlatformRevoked(fn);
  }

  async flush(): Promise<void> {
    if (this.contacts.size === 0) return;
    const batch = [...this.contacts];
    this.contacts.clear();
    await this.pool
      .query(`UPDATE jt809_platforms p SET last_contact = c.at FROM unnest($1::int[], $2::timestamptz[]) AS c(id, at) WHERE p.id = c.id`, [
        batch.map(([id]) => id),
        batch.map(([, c]) => new Date(c.at)),
      ])
      .catch((err: Error) => log.error({ err: err.message }, 'jt809 last contact update failed'));
  }
}
