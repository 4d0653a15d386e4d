// The OsmAnd listener on its own port (default 5055), so that phone tracker apps (OsmAnd,
// Traccar Client) work unchanged. A device must be provisioned (server/devices) and send its
// per-device secret as the `secret` query parameter. The protocol has no field for one, but every
// client keeps the query of the server URL it is given: Traccar Client appends its parameters to
// it (GET) or posts its JSON to it, and OsmAnd's tracking URL is a template typed in whole. So the
// device is set up with a server URL like http://host:5055/?secret=… . A request without it gets
// 401; an unknown id or a wrong secret 403 (the same answer, so ids are not disclosed); both are
// counted and logged with the address by the device store, and nothing is stored.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PositionReport } from '../../../lib/domain';
import { validateReport } from '../../pipeline/validate';
import { framesDecoded } from '../metrics';
import type { IngestSink } from '../types';
import { OSMAND_SECRET_PARAM, decodeJson, decodeQuery, type OsmAndDecoded } from './decode';
import type { IngestGate } from '../../pipeline/ingestGate';

export { OSMAND_SECRET_PARAM };

/** Whether a device id with this secret may report, and as which asset. */
export type OsmAndAuthenticate = (deviceId: string, secret: string | undefined, address: string) => Promise<{ ok: true; assetKey: string } | { ok: false; status: 401 | 403 }>;

export interface OsmAndOptions {
  port: number;
  host?: string;
  sink: IngestSink;
  authenticate: OsmAndAuthenticate;
  maxBodyBytes?: number;
  /** While held (the store is behind), fixes are refused with 503 and Retry-After: the app sends them again. */
  gate?: IngestGate;
}

function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        resolve(null);
        req.destroy();
        return;
      }
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
    if (opts.gate?.held) {
      res.writeHead(503, { 'retry-after': '5', 'content-type': 'text/plain; charset=utf-8' }).end('busy: the store is behind; send again later');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://osmand');
    let secret = url.searchParams.get(OSMAND_SECRET_PARAM) ?? undefined;
    url.searchParams.delete(OSMAND_SECRET_PARAM); // a JSON POST to http://host/?secret=… has no other query
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
        const form = new URLSearchParams(body);
        secret ??= form.get(OSMAND_SECRET_PARAM) ?? undefined;
        decoded = decodeQuery(form);
      }
    } else {
      return answer(res, 405, 'GET or POST');
    }
    if (!decoded.ok) {
      opts.sink.rejected('osmand', decoded.reason);
      return answer(res, 400, decoded.reason);
    }
    // One device per request (the query has one id, the JSON one device_id).
    let auth: Awaited<ReturnType<OsmAndAuthenticate>>;
    try {
      auth = await opts.authenticate(decoded.fixes[0]!.deviceId, secret, `${req.socket.remoteAddress}:${req.socket.remotePort}`);
    } catch {
      opts.sink.rejected('osmand', 'internal');
      return answer(res, 503, 'try again later'); // the client keeps the fix and retries
    }
    if (!auth.ok) {
      if (auth.status === 401) res.setHeader('www-authenticate', `Secret param="${OSMAND_SECRET_PARAM}"`);
      return answer(res, auth.status, auth.status === 401 ? 'device secret missing' : 'forbidden');
    }
    const { assetKey } = auth;
    const now = Date.now();
    for (const f of decoded.fixes) {
      const report: PositionReport = {
        assetKey,
        kind: 'vehicle',
        source: 'osmand',
        time: f.time ?? now,
        lat: f.lat,
        lon: f.lon,
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
