// Starts the ingest listeners the configuration asks for, all feeding one sink.
import type pg from 'pg';
import type { Config } from '../config';
import type { AssetRegistry } from '../pipeline/assetRegistry';
import type { Pipeline } from '../pipeline/pipeline';
import { startAisTcpClient, startAisTcpServer, startAisUdpListener } from './ais';
import { parseAddressAllow } from './ais/allow';
import { gatedAisSink } from './ais/gatedSink';
import { AisTrackGate } from './ais/plausibility';
import { startJt808Server } from './jt808';
import { startOsmAndServer } from './osmand/listener';
import { createIngestSink } from './sink';
import type { IngestSink } from './types';

export interface Listeners {
  sink: IngestSink;
  ports: { osmand?: number; ais?: number; aisUdp?: number; jt808?: number };
  close(): Promise<void>;
}

export async function startListeners(config: Config, pipeline: Pipeline, pool: pg.Pool, registry: AssetRegistry, say: (m: string) => void): Promise<Listeners> {
  const sink = createIngestSink(pipeline, pool, registry);
  const closers: (() => Promise<void>)[] = [];
  const ports: Listeners['ports'] = {};
  const host = config.HOST;

  if (config.OSMAND_PORT >= 0) {
    const s = await startOsmAndServer({
      port: config.OSMAND_PORT, host, sink,
      resolveDevice: (id) => (registry.get(`osmand:${id}`) ?? registry.get(`tel:${id}`))?.key ?? null,
    });
    ports.osmand = s.port;
    closers.push(s.close);
  }
  // Every AIS feed (listeners and relays) shares one track gate: a vessel heard by several
  // receivers has one track. Its anchors after a restart are the map's restored fixes.
  const gate = new AisTrackGate({ lastKnown: (key) => pipeline.latestFix(key) });
  const aisSink = gatedAisSink(sink, gate);
  const gateSweep = setInterval(() => gate.expire(Date.now()), 60_000);
  gateSweep.unref();
  closers.push(async () => clearInterval(gateSweep));
  if (config.AIS_PORT >= 0) {
    const allow = parseAddressAllow(config.AIS_ALLOW);
    const tcp = await startAisTcpServer({ port: config.AIS_PORT, host, sink: aisSink, allow });
    // TCP and UDP may share the number; with 0 the UDP socket takes the TCP one's.
    const udp = await startAisUdpListener({ port: tcp.port, host, sink: aisSink, allow });
    say(`AIS listener accepts senders in AIS_ALLOW=${allow.entries.join(',')}`);
    // The demo feed sends its vessels from this host.
    if (config.SIM && !allow.allows('127.0.0.1')) say('AIS_ALLOW leaves out 127.0.0.1: the demo feed\'s vessels will be refused (add 127.0.0.1 to show them)');
    ports.ais = tcp.port;
    ports.aisUdp = udp.port;
    closers.push(tcp.close, udp.close);
  }
  if (config.JT808_PORT >= 0) {
    const s = await startJt808Server({ port: config.JT808_PORT, host, sink });
    ports.jt808 = s.port;
    closers.push(s.close);
  }
  for (const remote of config.AIS_REMOTE?.split(',') ?? []) {
    const [rhost, rport] = remote.split(':');
    const client = await startAisTcpClient({ host: rhost!, port: Number(rport), sink: aisSink });
    closers.push(client.close);
    say(`AIS feed: connecting to ${remote} (reconnects with back-off)`);
  }
  say(`ingest listeners: ${Object.entries(ports).map(([k, v]) => `${k} :${v}`).join(', ') || 'none'}`);
  return { sink, ports, close: async () => { await Promise.all(closers.map((c) => c())); } };
}
