// Who may log in as a JT/T 809 lower platform, and which vehicles it may report. The session asks
// the authority at 0x1001 (login) and for each plate it has not yet resolved; positions are
// reported under the asset it returns, never under a plate the frame merely carries. The server
// uses the provisioned platforms (platformStore.ts, the jt809_platforms table); tests, the bench and
// replays may use the in-memory Jt809PlatformRegistry. Answers may be synchronous or a promise: the
// session holds the frames that follow until it has one, so their order is kept.
import { timingSafeEqual } from 'node:crypto';
import type { Jt809CipherKeys } from './codec';
import type { Jt809Login, Jt809Warning } from './messages';

/** A logged-in lower platform. */
export interface Jt809PlatformIdentity {
  id: number;
  accessCode: number;
  userId: number;
  name?: string;
  keys?: Jt809CipherKeys;
  /** Where the down-link may connect: the provisioned host, else only the main link's own address. */
  downLinkHost?: string;
}

export type Jt809LoginOutcome = { result: 0; platform: Jt809PlatformIdentity } | { result: 1 | 2 | 3 | 4 | 5 | 6 };

/** The asset a plate reports as, or why not. */
export type Jt809VehicleOutcome = { ok: true; assetKey: string; label?: string } | { ok: false; why: 'unknown_plate' | 'plate_not_allowed' };

type MaybePromise<T> = T | Promise<T>;

export interface Jt809Authority {
  /** The cipher keys of the platform with this access code, to open an encrypted 0x1001 (undefined: none or no such platform). */
  keys(accessCode: number): MaybePromise<Jt809CipherKeys | undefined>;
  /** 0x1001 under `accessCode` from `peer` (address:port). */
  login(accessCode: number, login: Jt809Login, peer?: string): MaybePromise<Jt809LoginOutcome>;
  /** Whether `platform` may report the vehicle with this plate, and as which asset. */
  vehicle(platform: Jt809PlatformIdentity, plate: string, color: number): MaybePromise<Jt809VehicleOutcome>;
  /** A 0x1402 alarm about a vehicle the platform may report (the timeline keeps it). */
  alarm?(platform: Jt809PlatformIdentity, vehicle: { assetKey: string; plate: string }, warning: Jt809Warning): void;
  /** Positions were accepted (last-contact bookkeeping; must be cheap). */
  contact?(platform: Jt809PlatformIdentity, peer?: string): void;
  /** Hear of platforms revoked, to close their links; returns the unsubscribe. */
  onRevoked?(fn: (platformId: number) => void): () => void;
}

/** The comparable form of a plate, as the database's plate_key(): no spaces, dots or dashes, upper case. */
export function plateKey(plate: string): string {
  return plate.replace(/[\s·•.-]/g, '').toUpperCase();
}

export interface RegistryPlatform {
  accessCode: number;
  userId: number;
  password: string;
  keys?: Jt809CipherKeys;
  /** Plates this platform may report (any form) → asset key; omitted: every plate, as `plate:<plate>`. */
  plates?: Record<string, string>;
}

/**
 * An in-memory authority for tests, the bench and replays (never the server's listener): the
 * platforms it is given, their plates. It refuses like the store: unknown access code 2, another
 * user id 3, wrong password 4.
 */
export class Jt809PlatformRegistry implements Jt809Authority {
  private readonly byCode = new Map<number, RegistryPlatform & { id: number }>();
  readonly alarms: { platform: number; assetKey: string; warning: Jt809Warning }[] = [];

  constructor(platforms: RegistryPlatform[]) {
    platforms.forEach((p, i) => this.byCode.set(p.accessCode, { ...p, id: i + 1 }));
  }

  keys(accessCode: number): Jt809CipherKeys | undefined {
    return this.byCode.get(accessCode)?.keys;
  }

  login(accessCode: number, login: Jt809Login): Jt809LoginOutcome {
    const p = this.byCode.get(accessCode);
    if (!p) return { result: 2 };
    if (p.userId !== login.userId) return { result: 3 };
    const a = Buffer.from(p.password.padEnd(8, '\0'));
    const b = Buffer.from(login.password.padEnd(8, '\0'));
    if (a.length !== b.length || !timingSafeEqual(a, b)) return { result: 4 };
    return { result: 0, platform: { id: p.id, accessCode, userId: p.userId, keys: p.keys } };
  }

  vehicle(platform: Jt809PlatformIdentity, plate: string): Jt809VehicleOutcome {
    const p = this.byCode.get(platform.accessCode);
    if (!p) return { ok: false, why: 'plate_not_allowed' };
    if (!p.plates) return { ok: true, assetKey: `plate:${plateKey(plate)}`, label: plate };
    for (const [k, key] of Object.entries(p.plates)) if (plateKey(k) === plateKey(plate)) return { ok: true, assetKey: key, label: plate };
    return { ok: false, why: 'plate_not_allowed' };
  }

  alarm(platform: Jt809PlatformIdentity, vehicle: { assetKey: string }, warning: Jt809Warning): void {
    this.alarms.push({ platform: platform.id, assetKey: vehicle.assetKey, warning });
  }
}
