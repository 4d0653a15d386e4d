// Starts the ingest listeners the configuration asks for, all feeding one sink.
import type pg from 'pg';
import type { Config } from '../config';
import type { AssetRegistry } from '../pipeline/assetRegistry';
import type { Pipeline } from '../pipeline/pipeline';
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
  say(`ingest listeners: ${Object.entries(ports).map(([k, v]) => `${k} :${v}`).join(', ') || 'none'}`);
  return { sink, ports, close: async () => { await Promise.all(closers.map((c) => c())); } };
}
