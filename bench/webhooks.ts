// bench/webhooks: BENCH_ALERTS (default 2,000) alerts raised through the alert service on a running
// app, with a webhook subscription to a real local receiver (node:http) that fails a fraction of
// calls (BENCH_FAIL, 0.3: HTTP 500), hangs some (BENCH_HANG, 0.02: never answers, so the
// dispatcher's timeout cuts them) and always fails a few events (BENCH_DOOMED, 0.01: dead-lettered
// after WEBHOOKS_MAX_ATTEMPTS). Baseline in the same run: the same number of alerts with no
// subscription (webhooks off), measured before and after the run with webhooks on. Then waits for
// the outbox to settle and prints one JSON line: alerts/s off and on, delivered, retried (events
// that needed more than one try, and the extra tries), dead-lettered, lost (neither delivered nor
// dead: must be 0) and duplicates (events the receiver accepted more than once: must be 0). Also the
// alert rate with the subscription but the dispatcher stopped (outbox rows written, none sent): the
// trigger's own cost, apart from the dispatcher sharing the process, pool and CPU.
import { createTestUser } from '../server/auth/testing';
import { startLinkTestServer } from '../server/links/testing';
import { createSubscription, deleteSubscription } from '../server/webhooks/subscriptions';
import { TestReceiver, waitFor } from '../server/webhooks/testing';
import { benchPostgis } from './postgis';

const ALERTS = Number(process.env.BENCH_ALERTS ?? 2000);
const FAIL = Number(process.env.BENCH_FAIL ?? 0.3);
const HANG = Number(process.env.BENCH_HANG ?? 0.02);
const DOOMED = Number(process.env.BENCH_DOOMED ?? 0.01);
const MAX_ATTEMPTS = 5;

/** A stable pseudo-random number in [0, 1) per string (the doomed events stay doomed across tries). */
function unit(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

async function main() {
  const postgis = await benchPostgis();
  const s = await startLinkTestServer(undefined, {
    LINKS_DIR: 'off',
    WEBHOOKS_ALLOW_PRIVATE: '1',
    WEBHOOKS_TIMEOUT_MS: '500',
    WEBHOOKS_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    WEBHOOKS_BACKOFF_BASE_MS: '20',
    WEBHOOKS_BACKOFF_CAP_MS: '300',
    WEBHOOKS_POLL_MS: '100',
  });
  const receiver = await TestReceiver.start();
  receiver.decide = (eventId) => {
    if (unit(eventId) < DOOMED) return 'fail';
    const r = Math.random();
    return r < HANG ? 'hang' : r < HANG + FAIL ? 'fail' : 'ok';
  };
  const userId = await createTestUser(s.db.pool, { username: 'bench-supervisor', role: 'supervisor', district: '0000' });
  const actor = { id: userId, username: 'bench-supervisor', district: '0000' };
  let k = 0;
  const raise = async (n: number): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      await s.app.alerts.raiseExternal({
        type: 'UNDECLARED_OUT',
        assetId: null,
        consignmentId: null,
        time: Date.now(),
        lon: 121.6,
        lat: 31.34,
        detail: { bench: ++k },
        episode: `BENCH/${k}`,
        districts: ['2200'],
      });
    }
    return n / ((performance.now() - t0) / 1000);
  };

  await raise(200); // warm-up
  const offBefore = await raise(ALERTS);
  const sub = await createSubscription(s.db.pool, s.app.secrets, { url: receiver.url, alertTypes: ['UNDECLARED_OUT'], eventKinds: [], enabled: true }, actor, {
    allowPrivate: true,
    ip: null,
  });
  receiver.secret = sub.secret;
  const t0 = performance.now();
  const on = await raise(ALERTS);
  const outbox = async () =>
    (
      await s.db.pool.query<{ pending: number; delivered: number; dead: number; retried: number; extra: number }>(
        `SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending, count(*) FILTER (WHERE state = 'delivered')::int AS delivered,
                count(*) FILTER (WHERE state = 'dead')::int AS dead, count(*) FILTER (WHERE attempts > 1)::int AS retried,
                coalesce(sum(attempts - 1), 0)::int AS extra
         FROM webhook_outbox WHERE subscription_id = $1`,
        [sub.id],
      )
    ).rows[0]!;
  const settled = await waitFor(
    async () => {
      const o = await outbox();
      return o.pending === 0 ? o : undefined;
    },
    'the outbox settled',
    600_000,
  );
  const drainS = (performance.now() - t0) / 1000;
  // Where the cost lies: the same with the dispatcher stopped (the trigger's outbox rows only).
  await s.app.webhooks?.stop();
  const queuedOnly = await raise(ALERTS);
  await deleteSubscription(s.db.pool, actor, sub.id, null);
  const offAfter = await raise(ALERTS);

  const accepted = receiver.accepted();
  const duplicates = [...accepted.values()].filter((c) => c > 1).length;
  const eventIds = new Set(receiver.seen.map((x) => x.eventId));
  const signedAll = receiver.seen.every((x) => x.signed);
  const offRate = (offBefore + offAfter) / 2;
  console.log(
    JSON.stringify({
      bench: 'webhooks',
      database: postgis.database,
      alerts: ALERTS,
      receiver: { failShare: FAIL, hangShare: HANG, doomedShare: DOOMED, timeoutMs: 500, maxAttempts: MAX_ATTEMPTS },
      alertsPerSecOff: Math.round(offRate),
      alertsPerSecOffBefore: Math.round(offBefore),
      alertsPerSecOffAfter: Math.round(offAfter),
      alertsPerSecOn: Math.round(on),
      alertsPerSecOutboxOnly: Math.round(queuedOnly),
      onOverOff: Number((on / offRate).toFixed(3)),
      delivered: settled.delivered,
      acceptedByReceiver: accepted.size,
      retriedEvents: settled.retried,
      retryAttempts: settled.extra,
      deadLettered: settled.dead,
      lost: ALERTS - settled.delivered - settled.dead,
      duplicates,
      receiverSawEvents: eventIds.size,
      receiverRequests: receiver.seen.length,
      hungRequests: receiver.seen.filter((x) => x.answered === null).length,
      allSigned: signedAll,
      drainSeconds: Number(drainS.toFixed(1)),
    }),
  );
  await receiver.close();
  await s.close();
  await postgis.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
