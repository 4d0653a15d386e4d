// The provisioned devices as the listeners see them: who may log in, as which asset. It reads the
// devices table at each login (0x0100, 0x0102, each OsmAnd request), so a device registered,
// revoked or reset by REST or the CLI counts from its next login; revocations through REST also
// close open connections at once (revocations.ts). Last contact is kept in memory and written in
// one statement every few seconds, not once per fix.
import type pg from 'pg';
import { auditNow } from '../audit';
import { log } from '../log';
import { credentialMatches, hashCredential, newCredential } from './credentials';
import { normaliseJt808Phone, normalisePlate, type DeviceProtocol, type DeviceState } from './idents';
import { refuseDevice } from './refusals';

interface DeviceRow {
  id: number;
  secret_hash: Buffer | null;
  state: DeviceState;
  asset_id: number;
  asset_key: string;
  label: string | null;
  plate: string | null;
  plate_color: number | null;
}

export interface DeviceLogin {
  deviceId: number;
  assetKey: string;
  label?: string;
}

export type OsmAndCheck = { ok: true; login: DeviceLogin } | { ok: false; status: 401 | 403 };

const FLUSH_MS = 5_000;

export class DeviceStore {
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

  /** A report was accepted from `deviceId` (cheap: remembered, written with the next flush). */
  contact(deviceId: number, address?: string): void {
    this.contacts.set(deviceId, { at: Date.now(), address });
  }

  async flush(): Promise<void> {
    if (this.contacts.size === 0) return;
    const batch = [...this.contacts];
    this.contacts.clear();
    await this.pool
      .query(
        `UPDATE devices d SET last_contact = to_timestamp(u.at / 1000.0), last_address = coalesce(u.address, d.last_address)
       FROM unnest($1::int[], $2::float8[], $3::text[]) AS u(id, at, address)
       WHERE d.id = u.id AND (d.last_contact IS NULL OR d.last_contact < to_timestamp(u.at / 1000.0))`,
        [batch.map(([id]) => id), batch.map(([, c]) => c.at), batch.map(([, c]) => c.address ?? null)],
      )
      .catch((err: Error) => log.error({ err: err.message }, 'device last-contact update failed'));
  }

  private async find(protocol: DeviceProtocol, ident: string): Promise<DeviceRow | undefined> {
    const { rows } = await this.pool.query<DeviceRow>(
      `SELECT d.id, d.secret_hash, d.state, d.asset_id, a.key AS asset_key, a.label, a.plate, a.plate_color
       FROM devices d JOIN assets a ON a.id = d.asset_id
       WHERE d.protocol = $1 AND d.ident = $2 AND d.revoked_at IS NULL`,
      [protocol, ident],
    );
    return rows[0];
  }

  private async setState(id: number, state: DeviceState, address: string | undefined): Promise<void> {
    await this.pool.query(`UPDATE devices SET state = $2, state_at = now(), last_contact = now(), last_address = $3 WHERE id = $1`, [id, state, address ?? null]);
  }

  /**
   * JT/T 808 0x0100. A code only for a provisioned terminal whose plate (and colour, when the
   * terminal gives one and the vehicle has one) matches, and only while it holds none; the
   * 0x8100 failure results otherwise. The code is issued once: only its hash is kept.
   */
  async jt808Register(phoneDigits: string, reg: { plate: string; plateColor: number }, address?: string): Promise<{ result: 0; authCode: string } | { result: 1 | 2 | 3 | 4 }> {
    const phone = normaliseJt808Phone(phoneDigits);
    const d = await this.find('jt808', phone);
    if (!d) {
      refuseDevice('jt808', 'unprovisioned', phone, address);
      return { result: 4 };
    }
    // plateColor 0: an unregistered vehicle (2019: the field holds its VIN). We provision by plate.
    const plateOk =
      reg.plateColor !== 0 && d.plate !== null && normalisePlate(reg.plate) === normalisePlate(d.plate) && (d.plate_color === null || d.plate_color === reg.plateColor);
    if (!plateOk) {
      refuseDevice('jt808', 'plate_mismatch', phone, address);
      await this.setState(d.id, 'refused', address);
      return { result: 2 };
    }
    if (d.secret_hash) {
      refuseDevice('jt808', 'terminal_registered', phone, address);
      return { result: 3 };
    }
    const other = await this.pool.query(`SELECT 1 FROM devices WHERE asset_id = $1 AND protocol = 'jt808' AND id <> $2 AND revoked_at IS NULL AND secret_hash IS NOT NULL`, [
      d.asset_id,
      d.id,
    ]);
    if (other.rowCount) {
      refuseDevice('jt808', 'vehicle_registered', phone, address);
      return { result: 1 };
    }
    const code = newCredential();
    // Only one of two racing 0x0100s gets the code: the update takes a row that still has none.
    const { rowCount } = await this.pool.query(
      `UPDATE devices SET secret_hash = $2, state = 'registered', state_at = now(), last_contact = now(), last_address = $3
       WHERE id = $1 AND secret_hash IS NULL AND revoked_at IS NULL`,
      [d.id, hashCredential(code), address ?? null],
    );
    if (!rowCount) {
      refuseDevice('jt808', 'terminal_registered', phone, address);
      return { result: 3 };
    }
    await auditNow(this.pool, { username: 'jt808', action: 'device_code_issued', entity: 'device', entityId: d.id, after: { phone, asset: d.asset_key }, ip: address ?? null });
    return { result: 0, authCode: code };
  }

  /** JT/T 808 0x0102: the code against the stored hash. */
  async jt808Authenticate(phoneDigits: string, code: string, address?: string): Promise<DeviceLogin | null> {
    const phone = normaliseJt808Phone(phoneDigits);
    const d = await this.find('jt808', phone);
    if (!d) {
      refuseDevice('jt808', 'unprovisioned', phone, address);
      return null;
    }
    if (!d.secret_hash) {
      refuseDevice('jt808', 'not_registered', phone, address);
      await this.setState(d.id, 'refused', address);
      return null;
    }
    if (!credentialMatches(d.secret_hash, code)) {
      refuseDevice('jt808', 'bad_secret', phone, address);
      await this.setState(d.id, 'refused', address);
      return null;
    }
    await this.setState(d.id, 'authenticated', address);
    return { deviceId: d.id, assetKey: d.asset_key, ...(d.label && { label: d.label }) };
  }

  /** An OsmAnd request: 401 without a secret, 403 for an unknown id or a wrong secret (the same answer: ids are not disclosed). */
  async osmandCheck(id: string, secret: string | undefined, address?: string): Promise<OsmAndCheck> {
    if (!secret) {
      refuseDevice('osmand', 'no_secret', id, address);
      return { ok: false, status: 401 };
    }
    const d = await this.find('osmand', id);
    if (!d) {
      refuseDevice('osmand', 'unprovisioned', id, address);
      return { ok: false, status: 403 };
    }
    if (!credentialMatches(d.secret_hash, secret)) {
      refuseDevice('osmand', 'bad_secret', id, address);
      await this.setState(d.id, 'refused', address);
      return { ok: false, status: 403 };
    }
    if (d.state !== 'authenticated') await this.setState(d.id, 'authenticated', address);
    else this.contact(d.id, address);
    return { ok: true, login: { deviceId: d.id, assetKey: d.asset_key, ...(d.label && { label: d.label }) } };
  }
}
