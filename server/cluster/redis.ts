// The Redis a cluster shares (REDIS_URL): one client per node, reconnecting on its own. Names in it
// carry the cluster's prefix, so several deployments (and the tests) can share one Redis.
import { createClient, type RedisClientType } from 'redis';
import { log } from '../log';

export type Redis = RedisClientType;

/** Connects, or fails start-up with the reason (a node told to share work must not run alone). */
export async function connectRedis(url: string, say: (msg: string) => void): Promise<Redis> {
  const client: Redis = createClient({
    url,
    socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5_000), connectTimeout: 5_000 },
  });
  let warned = false;
  client.on('error', (err: Error) => {
    // Logged once per outage: the client retries by itself.
    if (!warned) log.error({ err: err.message }, 'redis: connection lost; retrying');
    warned = true;
  });
  client.on('ready', () => {
    if (warned) log.info('redis: connected again');
    warned = false;
  });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`REDIS_URL: cannot connect (${(err as Error).message})`);
  }
  say(`Redis: connected (${new URL(url).host})`);
  return client;
}

/** The prefix of every Redis name of one deployment: the nodes sharing a database are one cluster. */
export function clusterPrefix(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  return `tw:${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/** Deletes every Redis name of one deployment (its streams, lease, counters): tests and benches clean up with it. */
export async function dropClusterNames(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  client.on('error', () => {});
  try {
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) if (keys.length) await client.del(keys);
  } finally {
    await client.quit().catch(() => undefined);
  }
}
