// One webhook delivery: a signed JSON POST to the subscriber's URL, with a time limit, to an address
// checked just before connecting (ssrf.ts). Any 2xx is delivered; anything else (another status, a
// redirect, a timeout, a refused address, a network error) is a failure with its reason.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveChecked, UrlRefused, checkUrlForm } from './ssrf';

export const SIGNATURE_HEADER = 'Notification-Signature';
export const EVENT_ID_HEADER = 'X-TW-Event-Id';
export const EVENT_TYPE_HEADER = 'X-TW-Event-Type';
export const TIMESTAMP_HEADER = 'X-TW-Timestamp';
export const ATTEMPT_HEADER = 'X-TW-Delivery-Attempt';

/** `sha256=<hex HMAC-SHA256(secret, raw body)>`, the DCSA Notification-Signature form. */
export function notificationSignature(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export type DeliveryFailure = 'status' | 'timeout' | 'network' | 'address' | 'redirect';
export type DeliveryResult = { ok: true; status: number } | { ok: false; reason: DeliveryFailure; status: number | null; error: string };

export interface DeliveryRequest {
  url: string;
  body: string;
  secret: string;
  eventId: string;
  eventType: string;
  attempt: number;
}

/** Sends one delivery; never throws. `signal` aborts it (the dispatcher stopping). */
export async function deliver(r: DeliveryRequest, opts: { timeoutMs: number; allowPrivate: boolean; signal?: AbortSignal }): Promise<DeliveryResult> {
  let url: URL;
  let addresses: { address: string; family: 4 | 6 }[];
  try {
    url = checkUrlForm(r.url);
    addresses = await resolveChecked(url.hostname, opts.allowPrivate);
  } catch (err) {
    return { ok: false, reason: 'address', status: null, error: err instanceof UrlRefused ? err.message : String(err) };
  }
  // Connect to the address just checked, whatever the name resolves to a moment later.
  const pinned: LookupFunction = (_host, options, callback) => {
    const first = addresses[0]!;
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, addresses);
    else callback(null, first.address, first.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<DeliveryResult>((resolve) => {
    let settled = false;
    const done = (v: DeliveryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(v);
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        lookup: pinned,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(r.body),
          'user-agent': 'TransitWatch-Webhooks/1',
          [SIGNATURE_HEADER]: notificationSignature(r.secret, r.body),
          [EVENT_ID_HEADER]: r.eventId,
          [EVENT_TYPE_HEADER]: r.eventType,
          [TIMESTAMP_HEADER]: String(Math.floor(Date.now() / 1000)),
          [ATTEMPT_HEADER]: String(r.attempt),
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 300) text += chunk;
        });
        res.on('error', () => {});
        res.on('end', () => {
          if (status >= 200 && status < 300) done({ ok: true, status });
          else if (status >= 300 && status < 400) done({ ok: false, reason: 'redirect', status, error: `HTTP ${status}: redirects are not followed` });
          else done({ ok: false, reason: 'status', status, error: `HTTP ${status}${text ? `: ${text.replace(/\s+/g, ' ').trim().slice(0, 200)}` : ''}` });
        });
      },
    );
    const timer = setTimeout(() => {
      done({ ok: false, reason: 'timeout', status: null, error: `no answer in ${opts.timeoutMs} ms` });
      req.destroy();
    }, opts.timeoutMs);
    const onAbort = () => {
      done({ ok: false, reason: 'network', status: null, error: 'the dispatcher stopped' });
      req.destroy();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => done({ ok: false, reason: 'network', status: null, error: err.message.slice(0, 200) }));
    req.end(r.body);
  });
}
