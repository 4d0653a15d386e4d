// From a seal event to an alert officers work: raised by the rules engine, listed for those who
// may see it, acknowledged and resolved with a note, and refused to those who may not.
import { test, expect, request as playwrightRequest } from '@playwright/test';
import { apiAs } from './signIn';

const TOKEN = process.env.E2E_INGEST_TOKEN ?? 'e2e-ingest-token-0123456789';

async function withCsrf(baseURL: string, username: string) {
  const ctx = await apiAs(baseURL, username);
  const csrf = (await (await ctx.get('/api/auth/me')).json()).csrf as string;
  return { ctx, headers: { 'x-csrf-token': csrf } };
}

test('a seal opened en route raises SEAL_ALARM at once; officers acknowledge and resolve it', async ({ baseURL }) => {
  const hq = await apiAs(baseURL!, 'hq-viewer');
  const list = await (await hq.get('/api/consignments?status=in_transit&limit=200')).json();
  // A Shanghai movement that does not touch Hangzhou: the Shanghai officer may work it, Hangzhou may not see it.
  const c = list.items.find((x: { districts: string[]; sealId: string | null }) => x.sealId && x.districts.includes('2200') && !x.districts.includes('2900'));
  expect(c, 'an in-transit movement in Shanghai').toBeTruthy();
  const machine = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
  const sent = await machine.post('/api/ingest/events', { data: [{ kind: 'seal_opened', time: Date.now() - 1000, reference: c.reference, sealId: c.sealId }] });
  expect(sent.status()).toBe(200);

  const sh = await withCsrf(baseURL!, 'sh-officer');
  let alert: { id: number; state: string; severity: string; consignmentRef: string } | undefined;
  await expect
    .poll(
      async () => {
        const r = await (await sh.ctx.get(`/api/alerts?type=SEAL_ALARM&consignment=${c.id}`)).json();
        alert = r.items[0];
        return alert?.consignmentRef;
      },
      { timeout: 15_000 },
    )
    .toBe(c.reference);
  expect(alert!.severity).toBe('critical');
  expect(alert!.state).toBe('open');

  // A viewer may not act; a district that cannot see the alert gets 404.
  const viewer = await withCsrf(baseURL!, 'sh-viewer');
  expect((await viewer.ctx.post(`/api/alerts/${alert!.id}/ack`, { headers: viewer.headers })).status()).toBe(403);
  const hz = await withCsrf(baseURL!, 'hz-officer');
  expect((await hz.ctx.post(`/api/alerts/${alert!.id}/ack`, { headers: hz.headers })).status()).toBe(404);

  const ack = await sh.ctx.post(`/api/alerts/${alert!.id}/ack`, { headers: sh.headers });
  expect(ack.status()).toBe(200);
  expect((await ack.json()).ackedBy).toBe('sh-officer');
  expect((await sh.ctx.post(`/api/alerts/${alert!.id}/ack`, { headers: sh.headers })).status()).toBe(409);

  const noNote = await sh.ctx.post(`/api/alerts/${alert!.id}/resolve`, { data: {}, headers: sh.headers });
  expect(noNote.status()).toBe(400);
  expect((await noNote.json()).error).toMatch(/note/);
  const resolved = await sh.ctx.post(`/api/alerts/${alert!.id}/resolve`, { data: { note: '查验确认：关锁完好，误报' }, headers: sh.headers });
  expect(resolved.status()).toBe(200);
  const body = await resolved.json();
  expect(body.state).toBe('resolved');
  expect(body.note).toBe('查验确认：关锁完好，误报');

  // Bad filters are refused with the reason.
  expect((await sh.ctx.get('/api/alerts?type=EXPLODED')).status()).toBe(400);
  expect((await sh.ctx.get('/api/alerts?since=yesterday')).status()).toBe(400);
});
