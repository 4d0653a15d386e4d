// One rules node at a time owns the movement picture (its rules state, latest positions and live
// frames are per asset, and the consumer reads every fix): it holds a lease key with an expiry and
// renews it. Other rules nodes wait as standbys: when the holder dies the lease runs out within
// LEASE_MS, the first standby to see it free takes it, loads the picture, restores the saved rules
// state and reads the fixes the dead one left unacknowledged (fixStream.ts). A clean stop gives the
// lease up at once.
import { log } from '../log';
import type { Redis } from './redis';

export const LEASE_MS = 6_000;
const RENEW_MS = 2_000;
const POLL_MS = 500;

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

  /** Takes the lease, waiting as a standby (saying so once) while another node holds it. */
  static async acquire(redis: Redis, prefix: string, holder: string, onLost: () => void, say: (msg: string) => void): Promise<RulesLease> {
    const key = `${prefix}:rules-lease`;
    let waitingSince: number | undefined;
    for (;;) {
      const ok = await redis.set(key, holder, { NX: true, PX: LEASE_MS }).catch(() => null);
      if (ok === 'OK') break;
      if (waitingSince === undefined) {
        waitingSince = Date.now();
        say(`cluster node ${holder}: standby, waiting for the rules lease held by ${(await redis.get(key).catch(() => null)) ?? 'another node'}`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    if (waitingSince !== undefined) say(`cluster node ${holder}: took the rules lease after ${((Date.now() - waitingSince) / 1000).toFixed(1)} s as a standby`);
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
