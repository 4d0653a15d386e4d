// One rules node at a time owns the movement picture (its rules state, latest positions and live
// frames are per asset, and today's consumer reads every fix): it holds a lease key with an expiry
// and renews it. A second rules node is refused at start while the lease is held; when the holder
// dies the lease runs out within LEASE_MS and the next rules node to start takes over, reading the
// fixes the dead one left unacknowledged (fixStream.ts) and the rules state it saved.
import { log } from '../log';
import type { Redis } from './redis';

export const LEASE_MS = 10_000;
const RENEW_MS = 3_000;

// Renew only a lease this node holds (a lease that ran out and was taken is not taken back).
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class RulesLease {
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private redis: Redis,
    private key: string,
    private holder: string,
  ) {}

  /** Takes the lease, or says who holds it. */
  static async take(redis: Redis, prefix: string, holder: string, onLost: () => void): Promise<RulesLease | { heldBy: string }> {
    const key = `${prefix}:rules-lease`;
    const ok = await redis.set(key, holder, { NX: true, PX: LEASE_MS });
    if (ok !== 'OK') return { heldBy: (await redis.get(key)) ?? 'another node' };
    const lease = new RulesLease(redis, key, holder);
    lease.timer = setInterval(() => {
      lease.redis.eval(RENEW, { keys: [key], arguments: [holder, String(LEASE_MS)] }).then(
        (n) => {
          if (n === 0) {
            log.error({ key }, 'cluster: the rules lease was lost');
            lease.stop();
            onLost();
          }
        },
        (err: Error) => log.warn({ err: err.message }, 'cluster: could not renew the rules lease; retrying'),
      );
    }, RENEW_MS);
    lease.timer.unref();
    return lease;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Gives the lease up at once (a clean stop), so the next rules node need not wait for it to run out. */
  async release(): Promise<void> {
    this.stop();
    await this.redis.eval(RELEASE, { keys: [this.key], arguments: [this.holder] }).catch(() => undefined);
  }
}
