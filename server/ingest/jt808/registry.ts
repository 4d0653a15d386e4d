// An in-memory Jt808Authority for tests, the bench and replays: it registers ANY terminal that
// asks (0x0100 always gets a code), so it must never face the outside. The server authenticates
// against provisioned devices instead (server/devices/jt808Authority.ts).
//
// It remembers the auth codes it issued and the plate each terminal registered with (given as
// the label of its first report after authentication). Shared by all connections of a listener.
//
// Auth codes are derived: HMAC-SHA256(secret, phone), 12 hex digits. With a configured secret
// (`authSecret`) a code survives restarts; without one a random secret is drawn per process.
// A presented code is:
//   'ok'       it is the code we would issue this phone;
//   'mismatch' we issued this phone a code in this process and this is not it;
//   'unknown'  we have no record of this phone (registered before a restart with another secret,
//              or with another platform): accepted only when acceptUnknownAuthCodes is true.
import { createHmac, randomBytes } from 'node:crypto';
import type { Jt808AuthOutcome, Jt808Authority, Jt808RegisterOutcome } from './authority';
import type { Jt808Registration } from './messages';

export type AuthCheck = 'ok' | 'mismatch' | 'unknown';

export interface Jt808TerminalRegistryOptions {
  /** Secret the auth codes derive from; default a random one per process. */
  authSecret?: string | Uint8Array;
  /** Accept a code we have no record of (see above). Default false. */
  acceptUnknownAuthCodes?: boolean;
  /** Terminals remembered (oldest forgotten first). Default 200,000. */
  maxTerminals?: number;
  /** Issue codes another way (e.g. from the asset table); replaces the HMAC derivation. */
  authCodeFor?: (phone: string) => string;
}

interface Entry {
  registration: Jt808Registration;
  /** Plate not yet given as a label. */
  pendingLabel?: string;
}

export class Jt808TerminalRegistry implements Jt808Authority {
  readonly acceptUnknownAuthCodes: boolean;
  private readonly secret: string | Uint8Array;
  private readonly max: number;
  private readonly issued = new Map<string, Entry>();
  private readonly customCode: ((phone: string) => string) | undefined;
  private pendingLabels = 0;

  constructor(opts: Jt808TerminalRegistryOptions = {}) {
    this.secret = opts.authSecret ?? randomBytes(32);
    this.acceptUnknownAuthCodes = opts.acceptUnknownAuthCodes ?? false;
    this.max = opts.maxTerminals ?? 200_000;
    this.customCode = opts.authCodeFor;
  }

  /** The auth code this listener issues to `phone`. */
  authCodeFor(phone: string): string {
    if (this.customCode) return this.customCode(phone);
    return createHmac('sha256', this.secret).update(phone).digest('hex').slice(0, 12).toUpperCase();
  }

  /** Jt808Authority: any terminal is registered (see above). */
  register(phone: string, registration: Jt808Registration): Jt808RegisterOutcome {
    return { result: 0, authCode: this.issue(phone, registration) };
  }

  /** Jt808Authority: the issued code, or (acceptUnknownAuthCodes) one we have no record of; reports as tel:<phone>. */
  authenticate(phone: string, code: string): Jt808AuthOutcome {
    const check = this.check(phone, code);
    if (!this.accepts(check)) return { ok: false };
    const label = this.takeLabel(phone);
    return { ok: true, identity: { assetKey: `tel:${phone}`, ...(label && { label }), ...(check === 'unknown' && { unverified: true }) } };
  }

  /** Record a registration; returns the auth code for the 0x8100 reply. */
  issue(phone: string, registration: Jt808Registration): string {
    this.forget(phone);
    if (this.issued.size >= this.max) this.forget(this.issued.keys().next().value!);
    const label = registration.plateColor !== 0 && registration.plate ? registration.plate.slice(0, 64) : undefined;
    if (label) this.pendingLabels++;
    this.issued.set(phone, { registration, pendingLabel: label });
    return this.authCodeFor(phone);
  }

  check(phone: string, code: string): AuthCheck {
    if (code === this.authCodeFor(phone)) return 'ok';
    return this.issued.has(phone) ? 'mismatch' : 'unknown';
  }

  /** Whether a presented code authenticates the terminal under this registry's policy. */
  accepts(result: AuthCheck): boolean {
    return result === 'ok' || (result === 'unknown' && this.acceptUnknownAuthCodes);
  }

  registration(phone: string): Jt808Registration | undefined {
    return this.issued.get(phone)?.registration;
  }

  /** The plate to label the first report after registration with; undefined afterwards. */
  takeLabel(phone: string): string | undefined {
    if (this.pendingLabels === 0) return undefined;
    const e = this.issued.get(phone);
    if (!e?.pendingLabel) return undefined;
    const label = e.pendingLabel;
    e.pendingLabel = undefined;
    this.pendingLabels--;
    return label;
  }

  private forget(phone: string): void {
    const e = this.issued.get(phone);
    if (!e) return;
    if (e.pendingLabel) this.pendingLabels--;
    this.issued.delete(phone);
  }
}
