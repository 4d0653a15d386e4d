// Counts and logs a refused device (unknown id, wrong credential): the counter by closed labels,
// the log line with the sender's address and the id it claimed. Log lines are limited to one per
// protocol and reason every 10 s (with how many were folded in), so a flood cannot fill the disk.
import { log } from '../log';
import type { DeviceProtocol } from './idents';
import { devicesRefused, type RefusalReason } from './metrics';

const LOG_EVERY_MS = 10_000;
const last = new Map<string, { at: number; folded: number }>();

export function refuseDevice(protocol: DeviceProtocol, reason: RefusalReason, claimed: string, address: string | undefined): void {
  devicesRefused.inc({ protocol, reason });
  const key = `${protocol}:${reason}`;
  const now = Date.now();
  const entry = last.get(key);
  if (entry && now - entry.at < LOG_EVERY_MS) {
    entry.folded++;
    return;
  }
  log.warn({ protocol, reason, device: claimed.slice(0, 64), address: address ?? 'unknown', folded: entry?.folded ?? 0 }, 'device refused');
  last.set(key, { at: now, folded: 0 });
}
