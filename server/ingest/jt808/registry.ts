// Terminals known to this JT/T 808 listener: the auth codes we issued at registration (0x8100)
// and the plate each registered with (given as the label of its first report). Shared by all
// connections of a listener.
//
// Auth codes are derived: HMAC-SHA256(secret, phone), 12 hex digits. With a configured secret
// (`authSecret`) a code survives restarts; without one a random secret is drawn per process.
// A presented code is:
//   'ok'       it is the code we would issue this phone;
//   'mismatch' we issued this phone a code in this process and this is not it;
//   'unknown'  we have no record of this phone (registered before a restart with another secret,
//              or with another platform): accepted only when acceptUnknownAuthCodes is true.
import { createHmac, randomBytes } from 'node:crypto';
import type { Jt808Registration } from './messages';

export type AuthCheck = 'ok' | 'mismatch' | 'unknown';

export interface Jt808TerminalRegistryOptions {
  /** Secret the auth codes derive from; default a random one per process. */
  authSecret?: string | Uint8Array;
  /** Accept a code we have no record of (see above). Default true (demo); set false in production with a fixed authSecret. */
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

export class Jt808TerminalRegistry {
  readonly acceptUnknownAuthCodes: boolean;
  private readonly secret: string | Uint8Array;
  private readonly max: number;
  private readonly issued = new Map<string, Entry>();
  private readonly customCode: ((phone: string) => string) | undefined;
  private pendingLabels = 0;

  constructor(opts: Jt808TerminalRegistryOptions = {}) {
    this.secret = opts.authSecret ?? randomBytes(32);
    this.acceptUnknownAuthCodes = opts.acceptUnknownAuthCodes ?? true;
    this.max = opts.maxTerminals ?? 200_000;
    this.customCode = opts.authCodeFor;
  }

  /** The auth code this listener issues to `phone`. */
  authCodeFor(phone: string): string {
    if (this.customCode) return this.customCode(phone);
    return createHmac('sha256', this.secret).update(phone).digest('hex').slice(0, 12).toUpperCase();
  }

  /** Record a registration; returns the auth code for the 0x8100 reply. */
  register(phone: string, registration: Jt808Registration): string {
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
