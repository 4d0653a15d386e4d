// The nodes of one layout under load (options.ts, --layouts), each its own process (nodeProcess.ts),
// sharing the database and, past one node, Redis.
import type { Layout } from './options';
import { startLoadNode, type LoadNode } from './nodeProcess';

export interface Nodes {
  layout: Layout;
  /** Where the terminals and the vessels connect (the device ports). */
  devices: LoadNode;
  /** Where the live clients connect. */
  web: LoadNode;
  /** The rules node running now (its store backlog is the one that matters). */
  rules(): LoadNode;
  all(): LoadNode[];
  /** standby only: kills the active rules node (SIGKILL) and resolves with the seconds until the standby is serving. */
  failover?(): Promise<number>;
  stop(): Promise<void>;
}

export async function startNodes(layout: Layout, databaseUrl: string, redisUrl: string, say: (m: string) => void): Promise<Nodes> {
  const node = (id: string, roles: string, ports: boolean) =>
    startLoadNode(databaseUrl, {
      env: {
        TW_NODE_ID: id,
        TW_ROLES: roles,
        ...(layout !== 'single' && { REDIS_URL: redisUrl }),
        ...(!ports && { JT808_PORT: '-1', AIS_PORT: '-1' }),
      },
    });
  if (layout === 'single') {
    const one = await node('single', 'web,ingest,rules', true);
    return { layout, devices: one, web: one, rules: () => one, all: () => [one], stop: () => one.stop() };
  }
  if (layout === 'split') {
    const rules = await node('rules', 'web,rules', false);
    const devices = await node('ingest', 'ingest', true);
    return { layout, devices, web: rules, rules: () => rules, all: () => [rules, devices], stop: async () => (await devices.stop(), await rules.stop()) };
  }
  // standby: the second rules node waits for the lease (server/cluster/rulesLease.ts) until the first dies.
  let active = await node('rules-1', 'rules', false);
  let serial = 2;
  let standby = node(`rules-${serial}`, 'rules', false);
  const web = await node('web', 'web', false);
  const devices = await node('ingest', 'ingest', true);
  say(`standby layout: ingest ${devices.pid}, web ${web.pid}, active rules ${active.pid}, a standby waiting`);
  return {
    layout,
    devices,
    web,
    rules: () => active,
    all: () => [active, web, devices],
    async failover() {
      const t0 = Date.now();
      await active.kill();
      active = await standby;
      const s = (Date.now() - t0) / 1000;
      standby = node(`rules-${++serial}`, 'rules', false);
      return s;
    },
    async stop() {
      await devices.stop();
      await web.stop();
      await active.stop(); // gives the lease up: the standby takes it, is ready, and is stopped in turn
      await (await standby).stop();
    },
  };
}
