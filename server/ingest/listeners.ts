// Starts the ingest listeners the configuration asks for, all feeding one sink.
import type pg from 'pg';
import { ConfigError, type Config } from '../config';
import { jt808Authority } from '../devices/jt808Authority';
import { DeviceStore } from '../devices/store';
import type { AssetRegistry } from '../pipeline/assetRegistry';
import type { IngestGate } from '../pipeline/ingestGate';
import type { Pipeline } from '../pipeline/pipeline';
import { startAisTcpClient, startAisTcpServer, startAisUdpListener } from './ais';
import { parseAddressAllow } from './ais/allow';
import { gatedAisSink } from './ais/gatedSink';
import { AisTrackGate } from './ais/plausibility';
import { startJt808Server } from './jt808';
import { startJt809Server } from './jt809/listener';
import { Jt809PlatformStore } from './jt809/platformStore';
import { markRequestAcknowledged } from './jt809/requests';
import { startOsmAndServer } from './osmand/listener';
import { createIngestSink } from './sink';
import type { IngestSink } from './types';

export interface Listeners {
  sink: IngestSink;
  ports: { osmand?: number; ais?: number; aisUdp?: number; jt808?: number; jt809?: number };
  close(): Promise<void>;
}

/** Why a port could not be opened, in words (EADDRINUSE → "address already in use"). */
function bindReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return 'address already in use';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EADDRNOTAVAIL') return 'address not available on this host';
  return (err as Error)?.message ?? String(err);
}

/**
 * Opens one listener; one that cannot bind stops start-up like any other bad setting, naming the
 * variable: a second instance must not come up "ready" without its feeds.
 */
async function bind<T>(variable: string, port: number, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    throw new ConfigError(`${variable} ${port}: ${bindReason(err)}`);
  }
}

export async function startListeners(config: Config, pipeline: Pipeline, pool: pg.Pool, registry: AssetRegistry, say: (m: string) => void, hold?: IngestGate): Promise<Listeners> {
  const sink = createIngestSink(pipeline, pool, registry);
  const closers: (() => Promise<void>)[] = [];
  const ports: Listeners['ports'] = {};
  const host = config.HOST;
  // JT/T 808 terminals and OsmAnd devices log in against the provisioned devices.
  const devices = new DeviceStore(pool);
  devices.start();
  // JT/T 809 lower platforms log in against the provisioned platforms.
  const platforms = new Jt809PlatformStore(pool);
  platforms.start();
  const close = async () => {
    await Promise.all(closers.map((c) => c()));
    await devices.stop();
    await platforms.stop();
  };

  // Every AIS feed (listeners and relays) shares one track gate: a vessel heard by several
  // receivers has one track. Its anchors after a restart are the map's restored fixes.
  const gate = new AisTrackGate({ lastKnown: (key) => pipeline.latestFix(key) });
  const aisSink = gatedAisSink(sink, gate);
  const gateSweep = setInterval(() => gate.expire(Date.now()), 60_000);
  gateSweep.unref();
  closers.push(async () => clearInterval(gateSweep));

  try {
    if (config.OSMAND_PORT >= 0) {
      const s = await bind('OSMAND_PORT', config.OSMAND_PORT, () =>
        startOsmAndServer({
          port: config.OSMAND_PORT,
          host,
          sink,
          gate: hold,
          authenticate: async (id, secret, address) => {
            const r = await devices.osmandCheck(id, secret, address);
            return r.ok ? { ok: true, assetKey: r.login.assetKey } : r;
          },
        }),
      );
      ports.osmand = s.port;
      closers.push(s.close);
    }
    if (config.AIS_PORT >= 0) {
      const allow = parseAddressAllow(config.AIS_ALLOW);
      const tcp = await bind('AIS_PORT', config.AIS_PORT, () => startAisTcpServer({ port: config.AIS_PORT, host, sink: aisSink, allow, gate: hold }));
      closers.push(tcp.close);
      // TCP and UDP may share the number; with 0 the UDP socket takes the TCP one's.
      const udp = await bind('AIS_PORT', tcp.port, () => startAisUdpListener({ port: tcp.port, host, sink: aisSink, allow }));
      closers.push(udp.close);
      say(`AIS listener accepts senders in AIS_ALLOW=${allow.entries.join(',')}`);
      // The demo feed sends its vessels from this host.
      if (config.SIM && !allow.allows('127.0.0.1')) say("AIS_ALLOW leaves out 127.0.0.1: the demo feed's vessels will be refused (add 127.0.0.1 to show them)");
      ports.ais = tcp.port;
      ports.aisUdp = udp.port;
    }
    if (config.JT808_PORT >= 0) {
      const s = await bind('JT808_PORT', config.JT808_PORT, () => startJt808Server({ port: config.JT808_PORT, host, sink, gate: hold, authority: jt808Authority(devices) }));
      ports.jt808 = s.port;
      closers.push(s.close);
    }
    if (config.JT809_PORT >= 0) {
      const s = await bind('JT809_PORT', config.JT809_PORT, () =>
        startJt809Server({
          port: config.JT809_PORT,
          host,
          sink,
          gate: hold,
          authority: platforms,
          onExchangeAck: (platform, plate, dataType) => void markRequestAcknowledged(pool, platform.id, plate, dataType),
        }),
      );
      ports.jt809 = s.port;
      closers.push(s.close);
    }
  } catch (err) {
    await close(); // the ones already open, so that the process can exit cleanly
    throw err;
  }
  for (const remote of config.AIS_REMOTE?.split(',') ?? []) {
    const [rhost, rport] = remote.split(':');
    const client = await startAisTcpClient({ host: rhost!, port: Number(rport), sink: aisSink, gate: hold });
    closers.push(client.close);
    say(`AIS feed: connecting to ${remote} (reconnects with back-off)`);
  }
  say(
    `ingest listeners: ${
      Object.entries(ports)
        .map(([k, v]) => `${k} :${v}`)
        .join(', ') || 'none'
    }`,
  );
  return { sink, ports, close };
}
