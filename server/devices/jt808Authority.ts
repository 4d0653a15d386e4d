// The JT/T 808 listener's authority in the server: provisioned devices (store.ts).
import type { Jt808Authority } from '../ingest/jt808/authority';
import { onRevoked } from './revocations';
import type { DeviceStore } from './store';

export function jt808Authority(store: DeviceStore): Jt808Authority {
  return {
    register: (phone, reg, peer) => store.jt808Register(phone, reg, peer),
    async authenticate(phone, code, peer) {
      const login = await store.jt808Authenticate(phone, code, peer);
      if (!login) return { ok: false };
      return { ok: true, identity: { assetKey: login.assetKey, deviceId: login.deviceId, ...(login.label && { label: login.label }) } };
    },
    contact: (identity, peer) => {
      if (identity.deviceId !== undefined) store.contact(identity.deviceId, peer);
    },
    onRevoked,
  };
}
