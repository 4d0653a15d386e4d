// Change notices between the nodes of a cluster: "movement 42 changed", "the routes changed",
// "acknowledge episode E". The owner of a piece of state writes it to the database and then tells
// the others, who re-read it or apply the command to their own instance (server/cluster/remote.ts).
// On one node there is nobody to tell: the local bus delivers nothing.
//
// Carried by a Redis stream rather than pub/sub: a node whose connection drops for a moment reads on
// from the last entry it saw when it is back, so a notice is not lost in a blip (pub/sub would drop
// it). A node that starts reads only what comes after (it loads everything else from the database).
import { log } from '../log';
import type { Redis } from './redis';

export type Notice = Record<string, unknown>;
export type NoticeHandler = (notice: Notice) => void | Promise<void>;

export interface ClusterBus {
  /** Starts delivering, once the handlers are in place (notices since the bus was opened included). */
  start(): void;
  /** Tells every other node; fire and forget (the change itself is already in the database). */
  publish(topic: string, notice?: Notice): void;
  /** What to do when another node publishes on `topic`. */
  on(topic: string, handler: NoticeHandler): void;
  close(): Promise<void>;
}

/** A node alone: no other node to tell. */
export const localBus: ClusterBus = {
  start: () => {},
  publish: () => {},
  on: () => {},
  close: async () => {},
};

const MAX_LEN = 100_000;

export async function redisBus(redis: Redis, prefix: string, nodeId: string): Promise<ClusterBus> {
  const key = `${prefix}:bus`;
  const handlers = new Map<string, NoticeHandler[]>();
  const reader = redis.duplicate();
  reader.on('error', () => {}); // the main client logs outages
  await reader.connect();
  // Where this node starts reading: the newest notice now, before it loads its state.
  let last = (await redis.xRevRange(key, '+', '-', { COUNT: 1 }))[0]?.id ?? '0-0';
  let running = true;

  const loop = async () => {
    while (running) {
      try {
        const res = await reader.xRead({ key, id: last }, { BLOCK: 2_000, COUNT: 500 });
        for (const stream of res ?? []) {
          for (const { id, message } of (stream as { messages: { id: string; message: Record<string, string> }[] }).messages) {
            last = id;
            if (message.from === nodeId) continue;
            for (const h of handlers.get(message.topic!) ?? []) {
              try {
                await h(JSON.parse(message.notice ?? '{}'));
              } catch (err) {
                log.error({ topic: message.topic, err: (err as Error).message }, 'cluster: a notice failed');
              }
            }
          }
        }
      } catch (err) {
        if (!running) return;
        log.warn({ err: (err as Error).message }, 'cluster: bus read failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  let done: Promise<void> = Promise.resolve();

  return {
    start() {
      done = loop();
    },
    publish(topic, notice = {}) {
      redis
        .xAdd(key, '*', { from: nodeId, topic, notice: JSON.stringify(notice) }, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: MAX_LEN } })
        .catch((err: Error) => log.error({ topic, err: err.message }, 'cluster: could not publish a notice'));
    },
    on(topic, handler) {
      handlers.set(topic, [...(handlers.get(topic) ?? []), handler]);
    },
    async close() {
      running = false;
      await reader.disconnect().catch(() => undefined);
      await done;
    },
  };
}
