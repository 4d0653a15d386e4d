// Senders refused for want of provisioning, by protocol and reason. Both label sets are closed
// (the device id or address never becomes a label: it is in the log line instead).
import { Counter } from 'prom-client';
import { registry } from '../metrics';
import type { DeviceProtocol } from './idents';

export const REFUSAL_REASONS = [
  'unprovisioned', //        no live device with that phone number / id
  'no_secret', //            OsmAnd report without its secret
  'bad_secret', //           wrong OsmAnd secret or JT/T 808 authentication code
  'not_registered', //       0x0102 from a terminal that was never issued a code (or was reset)
  'plate_mismatch', //       0x0100 naming another plate (or colour) than the one provisioned
  'terminal_registered', //  0x0100 from a terminal already holding a code
  'vehicle_registered', //   0x0100 for a vehicle another terminal already registered for
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export const devicesRefused = new Counter({
  name: 'tw_ingest_devices_refused_total',
  help: 'Device logins and reports refused (unknown or unauthenticated senders), by protocol and reason',
  labelNames: ['protocol', 'reason'] as const,
  registers: [registry],
});
for (const protocol of ['jt808', 'osmand'] satisfies DeviceProtocol[]) {
  for (const reason of REFUSAL_REASONS) devicesRefused.inc({ protocol, reason }, 0); // present at 0
}
// JT/T 809 lower platforms (server/ingest/jt809/platformStore.ts): unknown access code, user id, password, address.
for (const reason of ['unprovisioned', 'not_registered', 'bad_secret', 'bad_address'] as const) devicesRefused.inc({ protocol: 'jt809', reason }, 0);
