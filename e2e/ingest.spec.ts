// HTTP ingest against the real server: position batches and gate/warehouse/seal events.
import { test, expect, request as playwrightRequest } from '@playwright/test';
import { apiAs } from './signIn';

const TOKEN = process.env.E2E_INGEST_TOKEN ?? 'e2e-ingest-token-0123456789';

test('a position batch stores the good reports and names each rejected one with its reason', async ({ baseURL }) => {
  const machine = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
  const now = Date.now();
  const good = { assetKey: 'mmsi:413999001', kind: 'vessel', source: 'http', time: now - 5000, lon: 122.3, lat: 30.7, speed: 20 };
  const res = await machine.post('/api/ingest/positions', {
    data: { reports: [good, { ...good, lat: 91 }, { ...good, kind: 'submarine' }, { ...good, time: now + 86_400_000 }, { ...good, lon: 'east' }, { ...good, time: now - 1000 }] },
  });
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.accepted).toBe(2);
  expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3, 4]);
  expect(body.rejected[0].reason).toMatch(/^lat:/);
  expect(body.rejected[2].reason).toMatch(/future/);

  expect((await machine.post('/api/ingest/positions', { data: 'not json at all' })).status()).toBe(400);
  const anonymous = await playwrightRequest.newContext({ baseURL });
  expect((await anonymous.post('/api/ingest/positions', { data: [good] })).status()).toBe(401);
  const wrong = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: 'Bearer wrong-token-wrong-token-0000' } });
  expect((await wrong.post('/api/ingest/positions', { data: [good] })).status()).toBe(401);
  // A viewer's session may not post positions.
  const viewer = await apiAs(baseURL!, 'sh-viewer');
  const csrf = (await (await viewer.get('/api/auth/me')).json()).csrf;
  expect((await viewer.post('/api/ingest/positions', { data: [good], headers: { 'x-csrf-token': csrf } })).status()).toBe(403);
});

test('gate and seal events attach to the vehicle, its movement and the site; bad ones are named', async ({ baseURL }) => {
  const machine = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
  const hq = await apiAs(baseURL!, 'hq-viewer');
  const list = await (await hq.get('/api/consignments?status=in_transit&limit=100')).json();
  // A sealed movement of the demo feed (other tests may have declared unsealed ones).
  const c = list.items.find((x: { sealId: string | null; asset: { plate: string | null } }) => x.sealId && x.asset.plate);
  expect(c, 'a sealed movement with a plated truck').toBeTruthy();
  const res = await machine.post('/api/ingest/events', {
    data: {
      events: [
        { kind: 'gate_out', time: new Date(Date.now() - 60_000).toISOString(), site: c.origin.code, plate: c.asset.plate },
        { kind: 'seal_checked', time: Date.now() - 30_000, sealId: c.sealId },
        { kind: 'gate_in', time: Date.now(), site: 'NO-SUCH-SITE', plate: c.asset.plate },
        { kind: 'teleported', time: Date.now(), plate: c.asset.plate },
        { kind: 'gate_in', time: Date.now() },
      ],
    },
  });
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.stored, JSON.stringify(body.rejected)).toBe(2);
  expect(body.rejected.map((r: { index: number; reason: string }) => [r.index, r.reason.split(':')[0]])).toEqual([
    [2, 'site'],
    [3, 'kind'],
    [4, 'event'],
  ]);
});
