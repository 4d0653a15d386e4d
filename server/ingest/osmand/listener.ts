// The OsmAnd listener on its own port (default 5055), so that phone tracker apps (OsmAnd,
// Traccar Client) work unchanged. A device must be registered: its id names an asset
// (`osmand:<id>`, or a JT/T 808 terminal number `tel:<id>`); others are refused with 400.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PositionReport } from '../../../lib/domain';
import { validateReport } from '../../pipeline/validate';
import { framesDecoded } from '../metrics';
import type { IngestSink } from '../types';
import { decodeJson, decodeQuery, type OsmAndDecoded } from './decode';

export interface OsmAndOptions {
  port: number;
  host?: string;
  sink: IngestSink;
  /** The asset key a device id reports as, or null when no such device is registered. */
  resolveDevice: (deviceId: string) => string | null;
  maxBodyBytes?: number;
}

function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) { resolve(null); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

export async function startOsmAndServer(opts: OsmAndOptions): Promise<{ port: number; close(): Promise<void> }> {
  const max = opts.maxBodyBytes ?? 64 * 1024;
  const answer = (res: ServerResponse, status: number, text = '') => res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://osmand');
    let decoded: OsmAndDecoded;
    if (req.method === 'GET' || url.searchParams.size > 0) {
      decoded = decodeQuery(url.searchParams);
    } else if (req.method === 'POST') {
      const body = await readBody(req, max);
      if (body === null) return answer(res, 413, 'body too large');
      const type = req.headers['content-type'] ?? '';
      if (type.includes('json')) {
        try {
          decoded = decodeJson(JSON.parse(body));
        } catch {
          decoded = { ok: false, reason: 'body: not valid JSON' };
        }
      } else {
        decoded = decodeQuery(new URLSearchParams(body));
      }
    } else {
      return answer(res, 405, 'GET or POST');
    }
    if (!decoded.ok) {
      opts.sink.rejected('osmand', decoded.reason);
      return answer(res, 400, decoded.reason);
    }
    const now = Date.now();
    for (const f of decoded.fixes) {
      const assetKey = opts.resolveDevice(f.deviceId);
      if (!assetKey) {
        opts.sink.rejected('osmand', 'unknown device');
        return answer(res, 400, `unknown device ${f.deviceId.slice(0, 40)}`);
      }
      const report: PositionReport = {
        assetKey, kind: 'vehicle', source: 'osmand', time: f.time ?? now, lat: f.lat, lon: f.lon,
        ...(f.speedKmh !== undefined && { speed: f.speedKmh }),
        ...(f.course !== undefined && { course: f.course % 360 }),
      };
      // Checked here as well as in the pipeline, so that the tracker hears why a fix was refused.
      const v = validateReport(report, now);
      if (!v.ok) {
        opts.sink.rejected('osmand', v.reason.split(':')[0]!);
        return answer(res, 400, v.reason);
      }
      framesDecoded.inc({ protocol: 'osmand' });
      opts.sink.position(v.report);
    }
    answer(res, 200);
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // EADDRINUSE and the like: the caller names the setting
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
